/**
 * Shared check, family "sid": what a request naming a sid says about its session, seen from
 * outside — served over polling, alive on WebSocket, or gone — and when it goes.
 *
 * Gone is decided by the status class, as in conformance/checks/gone.ts: any 4xx. The error body
 * matters in one place only: a session that lives on WebSocket refuses polling requests too (code
 * 3, EIO4-ERROR-06), so for such a session a refusal counts as gone only when it is the answer a
 * sid the server never issued gets. A server whose two answers cannot be told apart blocks the
 * case (a precondition) instead of failing it; which body an unknown sid gets is judged by the
 * ERROR chapter alone.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, fail, unmet } from "../case.js";
import type { HttpResponse } from "../client/http.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import { errorCode } from "./error.js";
import { soon } from "../runner/bounds.js";

/** What a request naming a sid says about its session. */
export type SidState = "polling" | "websocket" | "gone" | "other";

/**
 * The transport the session lived on: a polling session is gone at the first 4xx; a session on
 * WebSocket is gone when its refusal is an unknown sid's.
 */
export type SidTransport = "polling" | "websocket";

/** True for an answer that says the session is gone: any 4xx (the "gone" family of checks). */
export function refused(res: Pick<HttpResponse, "status"> & { text?: string }): boolean {
  noRefusalAs200(res);
  return res.status >= 400 && res.status < 500;
}

/** An error body under status 200 is a refusal dressed as success: EIO4-ERROR-01's matter (a precondition), not the caller's. */
function noRefusalAs200(res: Pick<HttpResponse, "status"> & { text?: string }): void {
  if (res.status !== 200 || res.text === undefined || errorCode(res as HttpResponse) === undefined) return;
  unmet(P.refusalIs4xx, "a refusal (an error body) came with status 200", {
    expected: "a 4xx",
    observed: `200 ${res.text.slice(0, 120)}`,
  });
}

/** A sid no server issued: the answer it gets is the answer of a gone session. */
const NEVER_ISSUED = "sockspecNeverIssuedSid00";

/** The request that asks about a sid: a POST of a noop (harmless to a polling session), or a GET. */
type Asking = "POST" | "GET";

/**
 * The Engine.IO version a sid is asked about in: its requests carry `EIO=3` or `EIO=4`, and the
 * noop they post is written in that version (`6`, or the v3 payload `1:6`).
 */
export type AskingVersion = 3 | 4;

/** A refusal in the form two refusals compare by: the status and the error code, or the status and the body with the sid masked. */
function refusalKind(res: HttpResponse, sid: string): string {
  const code = errorCode(res);
  return code === undefined
    ? `${res.status} ${res.text.split(sid).join("<sid>").slice(0, 200)}`
    : `${res.status} code ${code}`;
}

/** Asks the server about `sid`; a connection the server dropped is `undefined`. */
async function ask(
  ctx: CaseContext,
  sid: string,
  method: Asking,
  path = ctx.enginePath,
  eio: AskingVersion = 4,
): Promise<HttpResponse | undefined> {
  try {
    return await ctx.http.request({
      method,
      path,
      query: { EIO: String(eio), transport: "polling", sid },
      ...(method === "POST" ? { body: eio === 3 ? "1:6" : "6" } : {}),
    });
  } catch (err) {
    if (err instanceof CaseOutcome && err.details.observed?.startsWith("connection error")) return undefined;
    throw err;
  }
}

const noopChecked = new WeakMap<CaseContext, Map<string, Promise<void>>>();

/**
 * Asking with a POST of a noop relies on the noop being harmless (EIO4-PACKET-11): once per case
 * and path, when a POST has said "gone", a fresh session is asked the same way twice; if the
 * first noop ended it, the precondition is broken and the case is blocked rather than misled.
 */
export function noopHarmless(ctx: CaseContext, path = ctx.enginePath, eio: AskingVersion = 4): Promise<void> {
  const checked = noopChecked.get(ctx) ?? new Map<string, Promise<void>>();
  noopChecked.set(ctx, checked);
  let done = checked.get(`${eio} ${path}`);
  if (!done) {
    done = (async () => {
      const witness = await (eio === 3 ? ctx.eio3(path) : ctx.engineAt(path)).openPolling();
      const first = await ask(ctx, witness.sid, "POST", path, eio);
      const second = await ask(ctx, witness.sid, "POST", path, eio);
      const answers = [first, second].map((r) => (r ? `${r.status}` : "dropped")).join(", then ");
      if (!first || !second || refused(first) || refused(second))
        unmet(
          P.noopIgnored,
          `a POST of a noop (${eio === 3 ? "1:6" : "6"}) to a fresh session was refused or ended it`,
          {
            expected: "200, then 200 again",
            observed: answers,
          },
        );
    })();
    checked.set(`${eio} ${path}`, done);
  }
  return done;
}

const goneKinds = new WeakMap<CaseContext, Map<string, Promise<string>>>();

/** The refusal a gone session gets on this server (asked once per case and path): a 4xx is needed. */
export function goneKind(
  ctx: CaseContext,
  method: Asking,
  path = ctx.enginePath,
  eio: AskingVersion = 4,
): Promise<string> {
  const kinds = goneKinds.get(ctx) ?? new Map<string, Promise<string>>();
  goneKinds.set(ctx, kinds);
  const key = `${eio} ${method} ${path}`;
  let kind = kinds.get(key);
  if (!kind) {
    kind = (async () => {
      const res = await ask(ctx, NEVER_ISSUED, method, path, eio);
      if (!res || !refused(res))
        unmet(
          P.unknownSidRefused,
          `a ${method} naming a sid never issued got ${res ? res.status : "a dropped connection"}, not a 4xx`,
          { expected: "a 4xx", observed: res ? `${res.status} ${res.text.slice(0, 120)}` : "connection dropped" },
        );
      return refusalKind(res, NEVER_ISSUED);
    })();
    kind.catch(() => undefined);
    kinds.set(key, kind);
  }
  return kind;
}

/**
 * Asks the server about `sid` with a POST of a noop `6` (`1:6` in version 3), or a GET: `200` means a polling
 * session (the noop is harmless), a 4xx a gone session — or, for a session that lived on
 * WebSocket (`on`), one still alive there unless the refusal is the one an unknown sid gets.
 * The POST is a packet for a polling session, so a case that must send no traffic calls it only
 * after its bound has passed.
 */
export async function sidState(
  ctx: CaseContext,
  sid: string,
  on: SidTransport = "polling",
  method: Asking = "POST",
  path = ctx.enginePath,
  eio: AskingVersion = 4,
): Promise<{ state: SidState; res: HttpResponse | undefined }> {
  const answer = await askState(ctx, sid, on, method, path, eio);
  if (answer.state === "gone" && method === "POST") await noopHarmless(ctx, path, eio);
  return answer;
}

/**
 * {@link sidState} without its check that the asking noop is harmless, which costs a session
 * and two round trips: a caller that times the answer runs that check after the answer's
 * arrival was taken (`answeredAt`, a performance.now() value).
 */
export async function askState(
  ctx: CaseContext,
  sid: string,
  on: SidTransport,
  method: Asking,
  path = ctx.enginePath,
  eio: AskingVersion = 4,
): Promise<{ state: SidState; res: HttpResponse | undefined; answeredAt: number }> {
  const res = await ask(ctx, sid, method, path, eio);
  const answeredAt = performance.now();
  if (!res) return { state: "other", res, answeredAt };
  noRefusalAs200(res);
  if (res.status === 200) return { state: "polling", res, answeredAt };
  if (!refused(res)) return { state: "other", res, answeredAt };
  if (on === "polling") return { state: "gone", res, answeredAt };
  return {
    state: refusalKind(res, sid) === (await goneKind(ctx, method, path, eio)) ? "gone" : "websocket",
    res,
    answeredAt,
  };
}

/**
 * Needs the refusal of a polling request naming `sid`, a session alive on WebSocket now, to
 * differ from an unknown sid's: otherwise the end of the session cannot be seen from outside
 * (a precondition; the blame goes to the answer that is not the protocol's).
 */
export async function expectTellable(ctx: CaseContext, sid: string, eio: AskingVersion = 4): Promise<void> {
  const res = await ask(ctx, sid, "POST", ctx.enginePath, eio);
  if (!res || !refused(res)) return;
  const alive = refusalKind(res, sid);
  const gone = await goneKind(ctx, "POST", ctx.enginePath, eio);
  if (alive !== gone) {
    // The refusal must not have ended the session it named: asked again, it still answers the same.
    const again = await ask(ctx, sid, "POST", ctx.enginePath, eio);
    if (again && refused(again) && refusalKind(again, sid) === gone)
      unmet(P.refusalKeepsSession, "a refused polling request ended the WebSocket session it named", {
        expected: alive,
        observed: `${gone} right after`,
      });
    return;
  }
  const details = { expected: `code 3 for the live session, code 1 for an unknown sid`, observed: `${alive} for both` };
  if (errorCode(res) === 1)
    unmet(
      P.wsSessionRefusesPolling,
      "a polling request naming a session on WebSocket gets the answer of an unknown sid",
      details,
    );
  unmet(P.unknownSidRefused, "an unknown sid gets the answer of a session on WebSocket", details);
}

/** One line for an answer: status and the start of the body. */
function seen(res: HttpResponse | undefined): string {
  return res ? `${res.status} ${res.text.slice(0, 120)}` : "connection dropped";
}

/**
 * Fails unless the sid is gone now: a POST naming it is refused (see {@link sidState} for `on`).
 * A GET must then be refused too: a server that refuses the POST but still serves the GET ended
 * the session without freeing it, which breaks the precondition that a gone session is refused
 * (EIO4-CLOSE-07) rather than the caller's own rule.
 */
export async function expectSidGone(
  ctx: CaseContext,
  sid: string,
  why: string,
  on: SidTransport = "polling",
  eio: AskingVersion = 4,
): Promise<void> {
  const expected = on === "polling" ? "a 4xx" : "the refusal an unknown sid gets";
  for (const method of ["POST", "GET"] as const) {
    const { state, res } = await sidState(ctx, sid, on, method, ctx.enginePath, eio);
    if (state === "gone") continue;
    if (state === "other")
      unmet(
        P.sessionGone,
        `a ${method} naming the sid after ${why} got ${seen(res)}, which says neither open nor gone`,
        { expected, observed: seen(res) },
      );
    if (method === "GET")
      unmet(
        P.sessionGone,
        `the session ended after ${why} (a POST naming its sid is refused), but a GET is still served: ${seen(res)}`,
        { expected, observed: seen(res) },
      );
    fail(`the sid still names a session after ${why}: a ${method} got ${seen(res)}`, { expected, observed: seen(res) });
  }
}

/**
 * Waits until the sid is gone (see {@link sidState}) and checks when: not before `earliest`, not
 * after `latest` (protocol ms from `since`), with the context's grace. It asks every 20 ms, so use
 * it only when asking is no traffic for the session (a WebSocket session: polling requests are
 * refused without touching it) or when the bound is immediate. For a session on WebSocket, call
 * {@link expectTellable} first, while it is surely alive.
 */
export async function waitSidGone(
  ctx: CaseContext,
  sid: string,
  b: {
    since: number;
    earliest?: number;
    latest: number;
    what: string;
    on?: SidTransport;
    path?: string;
    eio?: AskingVersion;
  },
): Promise<number> {
  let goneAt = 0;
  // Each ask is a POST: a server that holds POSTs (EIO4-POLLING-16) makes every ask late, and
  // this check would blame the drop for it. The slowest ask is the witness.
  let slowestAsk = 0;
  const slowLimit = ctx.scale(soon(ctx)) + ctx.grace(soon(ctx));
  let asking: number | undefined;
  const path = b.path ?? ctx.enginePath;
  const eio = b.eio ?? 4;
  // The refusal an unknown sid gets is asked for before the bound starts to matter, so that a
  // WebSocket session's end is seen when its answer arrives, not a round trip later.
  if (b.on === "websocket") await goneKind(ctx, "POST", path, eio);
  const slowWitness = () => {
    const worst = Math.max(slowestAsk, asking === undefined ? 0 : performance.now() - asking);
    if (worst > slowLimit)
      unmet(P.postPrompt, `a POST asking about the sid was answered only after ${Math.round(worst)} ms`, {
        expected: `within ${Math.round(slowLimit)} ms`,
        observed: `${Math.round(worst)} ms or more`,
      });
  };
  const judged = ctx.within(
    async (timeoutMs) => {
      const until = performance.now() + timeoutMs;
      for (;;) {
        asking = performance.now();
        const { state, res, answeredAt } = await askState(ctx, sid, b.on ?? "polling", "POST", path, eio);
        slowestAsk = Math.max(slowestAsk, answeredAt - asking);
        asking = undefined;
        slowWitness();
        if (state === "gone") return (goneAt = answeredAt);
        if (state === "other")
          unmet(P.sessionGone, `a request naming the sid got ${seen(res)}, which says neither open nor gone`, {
            expected: "200, or a 4xx",
          });
        if (performance.now() > until)
          fail(`the sid still names a session after ${Math.round(performance.now() - b.since)} ms (${b.what})`, {
            expected: "gone within the bound",
            observed: seen(res),
          });
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    { ...b, at: () => goneAt },
  );
  try {
    const { elapsedMs } = await judged;
    await noopHarmless(ctx, path, eio);
    return elapsedMs;
  } catch (err) {
    // Late because the asking itself was held: that is the precondition, not the drop. An ask
    // still in flight when the bound passed is given the time a prompt answer needs to end.
    if (err instanceof CaseOutcome && err.verdict === "fail" && !err.precondition) {
      const started = asking;
      if (started !== undefined)
        await new Promise((r) => setTimeout(r, Math.max(0, slowLimit - (performance.now() - started)) + 5));
      slowWitness();
    }
    throw err;
  }
}

/**
 * Opens a new session by polling, as a client does after a drop: the server still takes new
 * clients (its handshake is a precondition). A sid handed out again is noted, not judged here.
 */
export async function expectNewSession(ctx: CaseContext, oldSid: string): Promise<void> {
  const fresh = await ctx.engine.openPolling();
  if (fresh.sid === oldSid) ctx.note(`the new handshake handed out the ended session's sid ${oldSid} again`);
}

/**
 * Fails unless a WebSocket naming `sid` is refused (EIO4-WS-08): before `101` with any 4xx, or
 * accepted and closed at once without answering `2probe` — the latter with a warning, as refusing
 * before `101` is a SHOULD (EIO4-ERROR-09). Which refusal body it carries is the ERROR chapter's.
 */
export async function expectWebSocketRefused(ctx: CaseContext, sid: string, why: string): Promise<void> {
  const ws = ctx.engine.rawWebSocket({ query: { sid } });
  const opened = await ws.opened;
  if (opened.ok) {
    ws.send("2probe");
    const bound = Math.max(100, ctx.handshake.pingInterval / 2);
    await Promise.race([ws.closed, new Promise((r) => setTimeout(r, ctx.scale(bound) + ctx.grace(bound)))]);
    if (!ws.isClosed || ws.inbox.items.includes("3probe"))
      fail(`a WebSocket naming the sid was accepted after ${why}`, {
        expected: "refused",
        observed: ws.isClosed ? "101, and 2probe answered" : "101, kept open",
      });
    ctx.softFail(
      `a WebSocket naming the sid was accepted with 101 and then closed after ${why}, not refused before 101`,
      { expected: "a 4xx before 101", observed: "101, then a close" },
    );
    return;
  }
  if (opened.status !== undefined && !refused({ status: opened.status }))
    unmet(
      P.sessionGone,
      `a WebSocket naming the sid after ${why} got ${opened.status}, which says neither open nor gone`,
      { expected: "a 4xx", observed: String(opened.status) },
    );
}

/**
 * Fails unless the polling session `sid` is still open, without sending it a single packet (a
 * POST, even of a noop, may count as traffic): a WebSocket naming the sid — the start of a probe,
 * closed at once before `2probe` — is accepted only for an open session. Where the server offers
 * no WebSocket the check cannot be made, and says so.
 */
export async function expectStillOpen(
  ctx: CaseContext,
  sid: string,
  why: string,
  eio: AskingVersion = 4,
): Promise<void> {
  if (!ctx.features.has("websocket")) {
    ctx.note(
      `not checked that the session is still open ${why}: the server offers no WebSocket to ask without traffic`,
    );
    return;
  }
  const ws = (eio === 3 ? ctx.eio3() : ctx.engine).rawWebSocket({ query: { sid } });
  const opened = await ws.opened;
  if (opened.ok) {
    await ws.close();
    return;
  }
  if (opened.status !== undefined && refused({ status: opened.status }))
    fail(`the session was already gone ${why}: a WebSocket naming its sid was refused with ${opened.status}`, {
      expected: "the session still open",
      observed: `${opened.status} ${(opened.body ?? "").slice(0, 80)}`,
    });
  unmet(
    eio === 3 ? P.v3ProbeAnswered : P.probeAnswered,
    `a probe WebSocket naming an open session got ${opened.status ?? opened.error}`,
    {
      expected: "101",
      observed: String(opened.status ?? opened.error),
    },
  );
}

/**
 * For a case that waited in vain for the server to close a WebSocket after ending its session
 * (a protocol error, a disconnect): when a polling request naming `sid` at `path` now gets the
 * answer of an unknown sid, the session did end and only its WebSocket was left open. That breaks
 * a precondition (EIO4-CLOSE-07, judged by eio4.close.server-close-websocket), not the caller's
 * rule; otherwise this returns and the caller judges a session that stayed open.
 * @example `if (!closed) { await blameOpenWebSocket(ctx, engineSid, ctx.config.path); fail("the session stayed open") }`
 */
export async function blameOpenWebSocket(ctx: CaseContext, sid: string, path = ctx.enginePath): Promise<void> {
  const res = await ask(ctx, sid, "POST", path);
  if (!res || !refused(res)) return;
  if (refusalKind(res, sid) !== (await goneKind(ctx, "POST", path))) return;
  unmet(
    P.webSocketClosedAtEnd,
    "the session ended (its sid is refused like an unknown one) but its WebSocket was left open",
    {
      expected: "the WebSocket closed with the session",
      observed: `open; a POST naming the sid got ${res.status} ${res.text.slice(0, 80)}`,
    },
  );
}
