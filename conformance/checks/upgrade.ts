/**
 * Shared check, family "upgrade": the noop that releases a GET pending during a probe
 * (EIO4-UPGRADE-03: a MUST that it comes before the upgrade completes, a SHOULD that it comes
 * within the official server's 100 ms), a WebSocket that carries the session after `5`, and a
 * probe that is closed while the session goes on over polling.
 */
import { performance } from "node:perf_hooks";
import { fail, needs, unmet } from "../case.js";
import type { EngineSocket, PollingSession } from "../client/engine.js";
import { rawGet } from "../client/held-get.js";
import type { HttpResponse } from "../client/http.js";
import { closedWithin, pollTexts, pongIfPinged } from "../client/messages.js";
import { nextNonPing } from "../client/reading.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { NOOP_MS, soon } from "../runner/bounds.js";
import type { CaseContext } from "../runner/context.js";
import { ALIVE } from "./alive.js";
import { refused } from "./gone.js";
import { sidState } from "./sid.js";

/** Warns when a noop took longer than the official server's 100 ms (the SHOULD detail of EIO4-UPGRADE-03). */
function judgeNoopDelay(ctx: CaseContext, elapsedMs: number, what: string): void {
  const to = ctx.scale(NOOP_MS);
  const limit = Math.round(to + ctx.grace(to));
  if (elapsedMs > limit)
    ctx.softFail(`${what} came after ${elapsedMs} ms, later than ${NOOP_MS} ms (+${limit - to} ms grace)`, {
      expected: `within ${limit} ms`,
      observed: `${elapsedMs} ms`,
    });
}

/**
 * Waits for `held` (a GET pending since `sent`) to be released during the probe: a MUST that it
 * comes soon (see runner/bounds.ts) with `6`, a warning past 100 ms. A ping that fell due instead
 * is answered by POST and reported as `"ping"`: the caller then polls again.
 */
async function noopOn(
  ctx: CaseContext,
  session: PollingSession,
  held: Promise<HttpResponse>,
  sent: number,
  what: string,
): Promise<{ res: HttpResponse; ping: boolean }> {
  const { value: res, elapsedMs } = await ctx.within(held, { latest: soon(ctx), what, since: sent });
  if (await pongIfPinged(ctx, session, res)) {
    ctx.note(`a ping fell due and came on ${what}: answered`);
    return { res, ping: true };
  }
  ctx.equal(`${res.status} ${res.text}`, "200 6", what);
  judgeNoopDelay(ctx, elapsedMs, what);
  return { res, ping: false };
}

/**
 * The GET held at the probe must come back with `6` (or with a ping that fell due meanwhile,
 * answered by POST): judged as in {@link noopOn}. Returns the response.
 */
export async function heldNoop(
  ctx: CaseContext,
  session: PollingSession,
  held: Promise<HttpResponse>,
  sent: number,
): Promise<HttpResponse> {
  return (await noopOn(ctx, session, held, sent, "the noop on the GET pending at the probe")).res;
}

/**
 * Needs the GET held at the probe to be released (with `6`, or a ping that fell due, answered):
 * a precondition for the cases that do not check EIO4-UPGRADE-03 themselves, with no judgement
 * of how long it took. Returns the response.
 */
export async function releasedHeldGet(
  ctx: CaseContext,
  session: PollingSession,
  held: Promise<HttpResponse>,
  sent: number,
): Promise<HttpResponse> {
  return needs(P.pendingGetReleased, async () => {
    const { value: res } = await ctx.within(held, {
      latest: soon(ctx),
      what: "the release of the GET pending at the probe",
      since: sent,
    });
    if (!(await pongIfPinged(ctx, session, res)))
      ctx.equal(`${res.status} ${res.text}`, "200 6", "the GET pending at the probe");
    return res;
  });
}

/**
 * A GET sent during a probe must be answered with the noop `6` (judged as in {@link noopOn}).
 * A GET answered with a ping that fell due instead is ponged and sent again (up to 3 times).
 */
export async function expectNoopPoll(ctx: CaseContext, session: PollingSession, what: string): Promise<void> {
  for (let n = 0; n < 3; n++) {
    const sent = performance.now();
    if (!(await noopOn(ctx, session, rawGet(ctx, session), sent, what)).ping) return;
  }
  fail(`${what}: three GETs in a row carried pings`, { expected: "6" });
}

/**
 * Checks the WebSocket carries the session: an echo comes back on it (pings answered). No answer
 * is the case's failure; an answer that is not the echo breaks the echo precondition.
 */
export async function echoOver(_ctx: CaseContext, socket: EngineSocket, what: string): Promise<void> {
  const data = `echo-${what}`;
  socket.send({ type: "message", data });
  const p = await nextNonPing(socket, `the echo over the ${what} WebSocket`);
  if (p.type !== "message")
    fail(`the ${what} WebSocket sent a ${p.type} packet instead of the echo`, {
      expected: `4${data}`,
      observed: p.type,
    });
  if (p.data !== data)
    unmet(P.webSocketEcho, `the echo over the ${what} WebSocket is not the message sent`, {
      expected: data,
      observed: String(p.data),
    });
}

/** Sends `5` and checks the WebSocket now carries the session: an echo comes back on it. */
export async function finishUpgrade(ctx: CaseContext, socket: EngineSocket, what = "upgraded"): Promise<void> {
  socket.send({ type: "upgrade" });
  await echoOver(ctx, socket, what);
}

/**
 * After a wrong frame on a probe WebSocket (`why`): the server SHOULD close that WebSocket only
 * (EIO4-UPGRADE-08), so a probe left open, or the whole session ended, is a warning (a probe left
 * open is closed by the client, as engine.io-client does); once the probe is closed, the session
 * MUST go on over polling (EIO4-UPGRADE-11). Returns false when the whole session ended.
 */
export async function expectProbeRejected(
  ctx: CaseContext,
  probe: EngineSocket,
  session: PollingSession,
  why: string,
): Promise<boolean> {
  const bound = soon(ctx);
  const closed = await closedWithin(probe, ctx.scale(bound) + ctx.grace(bound));
  const { state } = await sidState(ctx, session.sid);
  if (state === "gone") {
    ctx.softFail(`the whole session ended after ${why}, not only the probe WebSocket`, {
      expected: "the probe closed, the session on polling",
      observed: "the sid is refused",
    });
    return false;
  }
  if (closed) ctx.info(`probe closed with code ${closed.code}`);
  else {
    ctx.softFail(`the probe WebSocket stayed open after ${why}`, {
      expected: "the probe closed",
      observed: `open after ${bound} ms`,
    });
    await probe.close();
  }
  await expectStillPolling(ctx, session, `${why} (over polling)`);
  return true;
}

/**
 * Fails unless the polling session survived `why`: a POST of a message is not refused with a 4xx
 * (that is the case's failure), and comes back from the echo server. What the check needs on the
 * way — the POST accepted promptly, the echo intact — is a precondition.
 */
export async function expectStillPolling(ctx: CaseContext, session: PollingSession, why: string): Promise<void> {
  const sent = performance.now();
  const post = await session.post(`4${ALIVE}`);
  if (refused(post))
    fail(`the session did not survive ${why}: a POST got ${post.status}`, {
      expected: "200 ok",
      observed: `${post.status} ${post.text.slice(0, 120)}`,
    });
  if (post.status !== 200)
    unmet(P.postOk, `the POST after ${why} got ${post.status}`, {
      expected: "200",
      observed: `${post.status} ${post.text.slice(0, 120)}`,
    });
  const took = Math.round(performance.now() - sent);
  const bound = soon(ctx);
  if (took > ctx.scale(bound) + ctx.grace(bound))
    unmet(P.postPrompt, `the POST after ${why} was answered only after ${took} ms`, {
      expected: `within ${bound} ms`,
      observed: `${took} ms`,
    });
  const got = await pollTexts(ctx, session, 1, `the echo after ${why}`);
  if (got[got.length - 1] !== ALIVE)
    unmet(P.pollingEcho, `the echo after ${why} is not the message sent`, {
      expected: ALIVE,
      observed: JSON.stringify(got),
    });
}
