/**
 * Shared check, family "gone": a session has ended. Seen from outside, a session is gone when a
 * request naming its sid is refused with any 4xx (GET or POST), or a WebSocket naming it is
 * refused; which error body the refusal carries is judged only by the ERROR chapter
 * (conformance/checks/error.ts), so a server with a wrong error body fails there, once.
 */
import { performance } from "node:perf_hooks";
import { fail, unmet } from "../case.js";
import { decodeBody, type EngineSocket, type PollingSession } from "../client/engine.js";
import type { HttpResponse } from "../client/http.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";

/** True for an answer that says the session is gone: any 4xx. */
export function refused(res: Pick<HttpResponse, "status">): boolean {
  return res.status >= 400 && res.status < 500;
}

/**
 * Whether a polling session still serves polls: `"gone"` once a GET is refused with a 4xx
 * (after any close packet the server still owed a GET, EIO4-CLOSE-05), `"open"` when a GET is
 * answered with anything but the close packet. Call it with no GET of the session pending.
 * Any other status tells neither (a 5xx): the precondition that a gone session is refused breaks.
 */
export async function sessionState(ctx: CaseContext, session: PollingSession): Promise<"open" | "gone"> {
  for (let i = 0; i < 3; i++) {
    const res = await ctx.http.request({ path: ctx.engine.options.path, query: session.query() });
    if (refused(res)) return "gone";
    if (res.status !== 200) unmet(P.sessionGone, `a poll of the session got ${res.status}, which says neither open (200) nor gone (4xx)`, { expected: "200, or a 4xx", observed: `${res.status} ${res.text.slice(0, 120)}` });
    if (!decodeBody(res).some((p) => p.type === "close")) return "open";
  }
  fail("the server keeps answering polls after it sent the close packet", { expected: "a 4xx once the close packet was delivered", observed: "200 again" });
}

/** Fails unless the session has been closed (see {@link sessionState}). */
export async function expectClosed(ctx: CaseContext, session: PollingSession, why: string): Promise<void> {
  if ((await sessionState(ctx, session)) === "open") fail(`the session is still open after ${why}`, { expected: "the session closed (a later poll gets a 4xx)", observed: "a poll was served" });
}

/**
 * Fails unless the WebSocket session `sid` is over: its socket ends within one answer timeout,
 * and a poll naming the sid is refused with a 4xx (a WebSocket session that still lives refuses
 * polls too, so the WebSocket must have ended first).
 */
export async function expectWsSessionGone(ctx: CaseContext, socket: EngineSocket, sid: string, why: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([socket.ws.closed, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ctx.answerTimeoutMs)))]);
  clearTimeout(timer);
  if (!ended) fail(`the WebSocket stayed open after ${why}`, { expected: "the server closes the WebSocket", observed: "still open" });
  const until = performance.now() + ctx.grace(ctx.handshake.pingInterval);
  for (;;) {
    const res = await ctx.http.request({ query: { EIO: "4", transport: "polling", sid } });
    if (refused(res)) return;
    if (performance.now() > until) fail(`the session outlived its WebSocket after ${why}`, { expected: "a 4xx", observed: `${res.status} ${res.text.slice(0, 120)}` });
    await ctx.sleep(20);
  }
}
