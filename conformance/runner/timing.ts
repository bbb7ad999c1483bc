/**
 * Deadlines derived from what the server advertised. No case hard-codes a time: it reads
 * pingInterval/pingTimeout from the handshake, scales it by --timeout-multiplier, and allows a
 * stated grace on each side of every bound.
 */

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
  /** The server's upgradeTimeout as given by --upgrade-timeout (it is not advertised). */
  upgradeTimeout: number;
}

/** The grace allowed around a bound of `ms`: max(graceMinMs, graceRatio * ms). */
export function grace(t: Timing, ms: number): number {
  return Math.max(t.graceMinMs, t.graceRatio * ms);
}

/** `ms` scaled by the multiplier. */
export function scale(t: Timing, ms: number): number {
  return Math.round(ms * t.multiplier);
}

/**
 * The window in which an event due between `earliest` and `latest` (protocol ms) is accepted:
 * from earliest minus its grace, to latest scaled plus its grace.
 */
export function window(t: Timing, earliest: number, latest: number): { from: number; to: number } {
  const to = scale(t, latest);
  return { from: Math.max(0, earliest - grace(t, earliest)), to: Math.round(to + grace(t, to)) };
}

/** How long to wait for any single answer (a poll, a frame): one heartbeat period plus slack. */
export function answerTimeout(t: Timing): number {
  return scale(t, t.pingInterval + t.pingTimeout) + 2000;
}

/** A case's watchdog: after this long the case is stopped and reported as `error`. */
export function caseWatchdog(t: Timing): number {
  return scale(t, 4 * (t.pingInterval + t.pingTimeout) + 2 * t.upgradeTimeout + 5000);
}
