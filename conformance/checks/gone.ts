/**
 * Shared check, family "gone": a session has ended. Seen from outside, a session is gone when a
 * request naming its sid is refused with any 4xx (GET or POST), or a WebSocket naming it is
 * refused; which error body the refusal carries is judged only by the ERROR chapter
 * (conformance/checks/error.ts), so a server with a wrong error body fails there, once.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, fail, unmet, type Precondition } from "../case.js";
import { decodeBody, type EngineSocket, type PollingSession } from "../client/engine.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
// A cycle, harmless (both sides only call each other at run time).
import { askState, goneKind, noopHarmless, refused } from "./sid.js";

export { refused };

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
    if (res.status !== 200)
      unmet(P.sessionGone, `a poll of the session got ${res.status}, which says neither open (200) nor gone (4xx)`, {
        expected: "200, or a 4xx",
        observed: `${res.status} ${res.text.slice(0, 120)}`,
      });
    if (!decodeBody(res).some((p) => p.type === "close")) return "open";
  }
  fail("the server keeps answering polls after it sent the close packet", {
    expected: "a 4xx once the close packet was delivered",
    observed: "200 again",
  });
}

/** Fails unless the session has been closed (see {@link sessionState}). */
export async function expectClosed(ctx: CaseContext, session: PollingSession, why: string): Promise<void> {
  if ((await sessionState(ctx, session)) === "open")
    fail(`the session is still open after ${why}`, {
      expected: "the session closed (a later poll gets a 4xx)",
      observed: "a poll was served",
    });
}

/**
 * Fails unless the session has been closed by the invalid payload `why` names. When it is still
 * open, the check first asks whether `record`, the invalid record alone, closes a fresh session:
 * when it does not either, the server does not take that record for a protocol error at all, and
 * the precondition `pre` (the rule that makes the record invalid) is what breaks.
 */
export async function expectClosedByBadRecord(
  ctx: CaseContext,
  session: PollingSession,
  why: string,
  record: string,
  pre: Precondition,
): Promise<void> {
  if ((await sessionState(ctx, session)) === "gone") return;
  const fresh = await ctx.engine.openPolling();
  try {
    await fresh.post(record);
  } catch (err) {
    if (!(err instanceof CaseOutcome) || !err.details.observed?.startsWith("connection error")) throw err;
  }
  if ((await sessionState(ctx, fresh)) === "open")
    unmet(
      pre,
      `the session is still open after ${why}, and ${JSON.stringify(record)} alone does not close a session either`,
      { expected: "the session closed", observed: "a poll was served" },
    );
  fail(`the session is still open after ${why}`, {
    expected: "the session closed (a later poll gets a 4xx)",
    observed: "a poll was served",
  });
}

/**
 * Fails unless the WebSocket session `sid` is over: its socket ends within one answer timeout,
 * and then, within `withinMs` (default: the grace of one pingInterval, scaled, plus a round
 * trip), a poll naming the sid is refused as a sid the server never issued is. A WebSocket
 * session that still lives refuses polls too, with another answer (EIO4-ERROR-06), so any 4xx
 * is not enough here; a server whose two refusals are alike is taken at its word (see
 * conformance/checks/sid.ts).
 */
export async function expectWsSessionGone(
  ctx: CaseContext,
  socket: EngineSocket,
  sid: string,
  why: string,
  withinMs?: number,
): Promise<void> {
  // The refusal an unknown sid gets is learnt while the socket closes, so that the bound below
  // times the answers about this sid alone.
  const unknownRefusal = goneKind(ctx, "POST");
  unknownRefusal.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    socket.ws.closed,
    new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ctx.answerTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (!ended)
    fail(`the WebSocket stayed open after ${why}`, {
      expected: "the server closes the WebSocket",
      observed: "still open",
    });
  const until =
    performance.now() + (withinMs ?? ctx.scale(0) + ctx.grace(ctx.timing.multiplier * ctx.handshake.pingInterval));
  await unknownRefusal;
  for (;;) {
    const { state, res, answeredAt } = await askState(ctx, sid, "websocket", "POST");
    if (state === "gone") return noopHarmless(ctx);
    if (answeredAt > until)
      fail(`the session outlived its WebSocket after ${why}`, {
        expected: "the sid refused as an unknown one",
        observed: res ? `${res.status} ${res.text.slice(0, 120)}` : "connection dropped",
      });
    await ctx.sleep(20);
  }
}
