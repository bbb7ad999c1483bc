/**
 * Deadlines derived from what the server advertised and from the network the run goes over. No
 * case hard-codes a time: it reads pingInterval/pingTimeout from the handshake, scales it by
 * --timeout-multiplier, allows a stated grace on each side of every bound, and waits one
 * measured round trip longer than any upper bound, since what the server does reaches the
 * runner only that much later.
 */
import { CaseOutcome } from "../case.js";

/** The timing model of a run. */
export interface Timing {
  /** From the handshake (the probe's), in ms. */
  pingInterval: number;
  pingTimeout: number;
  /** --timeout-multiplier (default 1). */
  multiplier: number;
  /** The smallest grace, in ms (default 50). */
  graceMinMs: number;
  /** Grace as a share of the bound (default 0.25). */
  graceRatio: number;
  /**
   * The server's upgradeTimeout (it is not advertised): the value of --upgrade-timeout, or the
   * official default 10000 when that was not given (see {@link upgradeTimeoutAssumed}).
   */
  upgradeTimeout: number;
  /**
   * True when --upgrade-timeout was not given, so `upgradeTimeout` is the official default, not
   * the server's own: a case can report the timeout it observes but not judge it.
   */
  upgradeTimeoutAssumed?: boolean;
  /**
   * The round-trip time to the server, in ms: the median of a few requests the probe makes
   * (0 until measured). It extends every upper bound: a server that acts in time is still
   * seen late by up to one round trip.
   */
  rttMs?: number;
  /**
   * --connect-timeout: the longest the run waits for any one thing the server does (ms). A case
   * that would have to wait longer to reach its verdict is skipped, with the wait it needed.
   * Undefined: no limit.
   */
  maxWaitMs?: number;
}

/**
 * How a case spends time, which decides where the scheduler runs it.
 * - `instant` (default): finishes as fast as the server answers; runs in the --concurrency pool.
 * - `waits`: waits on a protocol timer (heartbeat, timeouts); every waiting case runs at once, so
 *   the suite's wall time is close to the longest single wait. When this run's heartbeat is
 *   under a second, its windows are too, and it runs in the quiet phase (see {@link isQuiet}).
 * - `tight`: finishes as fast as the server answers but judges a bound under a second whatever
 *   the server's timings (the 100 ms noop of an upgrade, an immediate close): it always runs in
 *   the quiet phase, with little concurrency and never beside the instant pool.
 */
export type CaseTiming = "instant" | "waits" | "tight";

/** A window shorter than this, at the run's timings, is measured in the quiet phase. */
export const QUIET_BELOW_MS = 1000;

/**
 * True when a case runs in the quiet phase: its windows are under {@link QUIET_BELOW_MS} at this
 * run's timings, so the runner's own delays beside a busy pool (timers fired late on a loaded
 * machine) would eat a grace of a few tens of ms and fail a server that was on time.
 */
export function isQuiet(t: Timing, timing: CaseTiming | undefined): boolean {
  if (timing === "tight") return true;
  return timing === "waits" && scale(t, Math.min(t.pingInterval, t.pingTimeout)) < QUIET_BELOW_MS;
}

/**
 * How many quiet cases that do not wait run at once: two, or four when the round trip is 25 ms
 * or more. Over such a network a case spends its time waiting for answers, not on the CPU, so
 * twice as many load the runner less than two do on loopback, and the quiet phase, which is a
 * chain of round trips, takes half as long. (The threshold is well above what a loaded machine
 * adds to a loopback round trip, so a busy runner never gets the wider lanes.)
 */
export function quietConcurrency(t: Timing): number {
  return rtt(t) >= 25 ? 4 : 2;
}

/** The grace allowed around a bound of `ms`: max(graceMinMs, graceRatio * ms). */
export function grace(t: Timing, ms: number): number {
  return Math.max(t.graceMinMs, t.graceRatio * ms);
}

/** `ms` scaled by the multiplier (pure arithmetic on a protocol time; no round trip added). */
export function scale(t: Timing, ms: number): number {
  return Math.round(ms * t.multiplier);
}

/** The measured round trip, in whole ms (0 before the probe measured it). */
export function rtt(t: Timing): number {
  return Math.ceil(t.rttMs ?? 0);
}

/**
 * A wait on the server, made portable: `ms` scaled, plus one round trip, the time after which
 * whatever the server does within `ms` of a request has surely reached the runner (a pause for
 * a request to land, a window of silence, a timeout).
 */
export function waitFor(t: Timing, ms: number): number {
  return scale(t, ms) + rtt(t);
}

/**
 * The window in which an event due between `earliest` and `latest` (protocol ms) is accepted:
 * from earliest minus its grace, to latest scaled plus its grace plus one round trip. The lower
 * bound gets no round trip: latency only ever makes an event look later.
 */
export function window(t: Timing, earliest: number, latest: number): { from: number; to: number } {
  const to = scale(t, latest);
  return { from: Math.max(0, earliest - grace(t, earliest)), to: Math.round(to + grace(t, to)) + rtt(t) };
}

/** How long to wait for any single answer (a poll, a frame): one heartbeat period plus slack, scaled, plus a round trip. */
export function answerTimeout(t: Timing): number {
  return scale(t, t.pingInterval + t.pingTimeout + 2000) + rtt(t);
}

/**
 * Round trips a case may make one after another: the longest cases poll a hundred messages or
 * walk a session through an upgrade and its heartbeat, each step one request.
 */
const ROUND_TRIPS_PER_CASE = 100;

/** A case's watchdog: after this long the case is stopped and reported as `error`. */
export function caseWatchdog(t: Timing): number {
  return scale(t, 4 * (t.pingInterval + t.pingTimeout) + 2 * t.upgradeTimeout + 5000) + ROUND_TRIPS_PER_CASE * rtt(t);
}

/**
 * The whole run's deadline: every waiting case's watchdog thrice over (they run at once, the
 * quiet phase after the rest), plus two seconds and the round trips of a case for each batch
 * of the instant pool.
 */
export function runDeadline(t: Timing, watchdogMs: number, instantCount: number, concurrency: number): number {
  return 3 * watchdogMs + Math.ceil(instantCount / concurrency) * (scale(t, 2000) + ROUND_TRIPS_PER_CASE * rtt(t));
}

/**
 * Ends the case as skipped when a wait of `ms` is longer than --connect-timeout allows. The
 * reason names the wait, so an implementer sees which timer of their server the case needs.
 */
export function checkWait(t: Timing, ms: number, what: string): void {
  if (t.maxWaitMs !== undefined && ms > t.maxWaitMs) throw new CaseOutcome("skip", overWaitReason(t, ms, what));
}

/** The skip reason of a wait over --connect-timeout. */
export function overWaitReason(t: Timing, ms: number, what: string): string {
  return `would wait ${Math.round(ms)} ms for ${what}, more than --connect-timeout ${t.maxWaitMs}`;
}
