/**
 * Shared check, family "heartbeat": a ping that comes when it is due (both bounds, over polling
 * and over WebSocket), a WebSocket session that still echoes after some heartbeat cycles, and the
 * end of a session that sends traffic but never pongs.
 */
import { performance } from "node:perf_hooks";
import { fail, unmet } from "../case.js";
import { decodeBody, type EngineSocket, type PollingSession } from "../client/engine.js";
import { rawGet } from "../client/held-get.js";
import { nextNonPing } from "../client/reading.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import { ALIVE } from "./alive.js";

/**
 * When a ping is due and how it is judged. A ping later than `interval` after `since` (plus the
 * grace) fails. An earlier one is judged only when `early` is set (the cases of EIO4-HEARTBEAT-01,
 * -03 and -11; the others accept any ping that is not late):
 * - the first ping (no `previousPing`) fails when it comes before pingInterval (EIO4-HEARTBEAT-01);
 * - a ping after a pong fails before pingInterval after the previous ping (EIO4-HEARTBEAT-03), and
 *   warns before pingInterval after the pong (EIO4-HEARTBEAT-11: counted from the pong).
 */
export interface PingDue {
  /** performance.now() of what starts the interval: the open packet, or the pong. */
  since: number;
  /** pingInterval. */
  interval: number;
  what: string;
  early?: boolean;
  /**
   * Set when `since` is a pong: the arrival of the ping it answered. A session that ends instead
   * of pinging again then breaks a precondition (a pong keeps the session alive), not the case.
   */
  previousPing?: number;
}

/** Judges a ping that came before its interval (see {@link PingDue}). */
function judgeEarly(ctx: CaseContext, elapsedMs: number, arrived: number, b: PingDue): void {
  if (!b.early) return;
  const from = Math.round(Math.max(0, b.interval - ctx.grace(b.interval)));
  if (elapsedMs >= from) return;
  if (b.previousPing === undefined)
    fail(`${b.what} came early, ${elapsedMs} ms after the open packet`, {
      expected: `not before ${from} ms`,
      observed: `${elapsedMs} ms`,
    });
  const fromPing = Math.round(arrived - b.previousPing);
  if (fromPing < from)
    fail(`${b.what} came early, ${fromPing} ms after the previous ping and ${elapsedMs} ms after the pong`, {
      expected: `not before ${from} ms after the previous ping`,
      observed: `${fromPing} ms`,
    });
  ctx.softFail(
    `${b.what} came ${elapsedMs} ms after the pong: pingInterval was counted from the previous ping (${fromPing} ms), not from the pong`,
    { expected: `not before ${from} ms after the pong`, observed: `${elapsedMs} ms` },
  );
}

/**
 * Waits for the next GET answer and checks it is the bare ping `2`, in time (see {@link PingDue});
 * returns when it came.
 */
export async function pollPing(ctx: CaseContext, session: PollingSession, b: PingDue): Promise<number> {
  const { value: res, elapsedMs } = await ctx.within((t) => rawGet(ctx, session, t + ctx.answerTimeoutMs), {
    latest: b.interval,
    what: b.what,
    since: b.since,
  });
  const arrived = performance.now();
  // A ping answered with a status other than 200 is EIO4-POLLING-04's matter, not the heartbeat's.
  if (res.status !== 200 && res.text === "2")
    unmet(P.pollAnswered, `the GET that carries ${b.what} got status ${res.status}`, {
      expected: "200 2",
      observed: `${res.status} 2`,
    });
  if (b.previousPing !== undefined && (res.status !== 200 || decodeBody(res).some((p) => p.type === "close"))) {
    unmet(P.pongKeepsAlive, `the session ended after its pong instead of pinging again (${b.what})`, {
      expected: "2",
      observed: `${res.status} ${res.text.slice(0, 80)}`,
    });
  }
  // A GET let go with a lone noop was not held for the ping: that is EIO4-POLLING-05's matter.
  if (res.status === 200 && res.text === "6")
    unmet(P.heldGet, `the GET held for ${b.what} was answered with a noop first`, { expected: "2", observed: "6" });
  ctx.equal(res.text, "2", `the body of the GET that carries ${b.what}`);
  judgeEarly(ctx, elapsedMs, arrived, b);
  return arrived;
}

/**
 * Takes the next packet from a WebSocket and checks it is the ping `2`, in time (see
 * {@link PingDue}); returns when it came.
 */
export async function wsPing(ctx: CaseContext, socket: EngineSocket, b: PingDue): Promise<number> {
  let got: { value: string | Uint8Array; elapsedMs: number };
  try {
    got = await ctx.within((t) => socket.ws.next({ timeoutMs: t, what: b.what }), {
      latest: b.interval,
      what: b.what,
      since: b.since,
      at: () => socket.lastArrival,
    });
  } catch (err) {
    if (b.previousPing !== undefined && socket.ws.isClosed)
      unmet(P.pongKeepsAlive, `the session ended after its pong instead of pinging again (${b.what})`, {
        expected: "2",
        observed: "the WebSocket closed",
      });
    throw err;
  }
  if (b.previousPing !== undefined && got.value === "1")
    unmet(P.pongKeepsAlive, `the session ended after its pong instead of pinging again (${b.what})`, {
      expected: "2",
      observed: "1",
    });
  ctx.equal(got.value, "2", `the frame of ${b.what}`);
  judgeEarly(ctx, got.elapsedMs, socket.lastArrival, b);
  return socket.lastArrival;
}

/**
 * Fails unless a WebSocket session still echoes after `why` (pings answered on the way). That it
 * answers at all is the case's judgement; an answer that is not the echo breaks the echo
 * precondition.
 */
export async function wsAlive(_ctx: CaseContext, socket: EngineSocket, why: string): Promise<void> {
  socket.send({ type: "message", data: ALIVE });
  const p = await nextNonPing(socket, `the echo after ${why}`);
  if (p.type !== "message")
    fail(`the session sent a ${p.type} packet instead of the echo after ${why}`, {
      expected: `4${ALIVE}`,
      observed: p.type,
    });
  if (p.data !== ALIVE)
    unmet(P.webSocketEcho, `the echo after ${why} is not the message sent`, {
      expected: ALIVE,
      observed: String(p.data),
    });
}

/** A note, when the grace cannot tell a ping counted from the pong from one counted from the ping. */
export function separable(ctx: CaseContext, I: number, delay: number): void {
  if (delay <= ctx.grace(I))
    ctx.note(
      `the pong delay ${delay} ms is within the grace ${ctx.grace(I)} ms: a ping counted from the previous ping would pass too`,
    );
}

/**
 * Reports when a session that sent messages but never ponged was closed: within pingInterval +
 * pingTimeout, or later, as newer official servers do when traffic extends the deadline once
 * (EIO4-HEARTBEAT-05's note). The bound itself is the caller's `ctx.within`.
 */
export function judgeTrafficClose(ctx: CaseContext, elapsed: number, I: number, T: number): void {
  const strict = ctx.scale(I + T) + ctx.grace(ctx.scale(I + T));
  if (elapsed <= strict) ctx.note(`closed after ${elapsed} ms: traffic did not move the deadline`);
  else
    ctx.info(
      `closed after ${elapsed} ms, past pingInterval + pingTimeout (${I + T} ms): the traffic extended the deadline once, as newer official servers do`,
    );
}
