/**
 * The bounds of the timing chapters (UPGRADE, HEARTBEAT, CLOSE, operations DROP), each read from
 * the session's own handshake: the heartbeat (pingInterval `I`, pingTimeout `T`), the immediate
 * bound of what TCP reports, and the "soon" bound of a reaction that no timer governs.
 */
import { performance } from "node:perf_hooks";
import { NOOP_INTERVAL_MS } from "../../protocol/engine.io/constants.js";
import type { CaseContext } from "./context.js";

/**
 * The noop deadline the official server keeps (it checks for a pending GET every 100 ms): a
 * SHOULD detail of EIO4-UPGRADE-03, judged with a warning.
 */
export const NOOP_MS = NOOP_INTERVAL_MS;

/** The immediate bound of operations.md: what TCP reports closes the session at once. */
export const IMMEDIATE_MS = 100;

/** pingInterval and pingTimeout of a session (its own handshake, else the probe's). */
export function beat(ctx: CaseContext, hs?: { pingInterval: number; pingTimeout: number }): { I: number; T: number } {
  return { I: hs?.pingInterval ?? ctx.handshake.pingInterval, T: hs?.pingTimeout ?? ctx.handshake.pingTimeout };
}

/**
 * The bound for a reaction no timer governs (a close, a noop that releases a GET): half a
 * pingInterval, at least 100 ms, so that it ends well before any heartbeat timer could act.
 */
export function soon(ctx: CaseContext): number {
  return Math.max(NOOP_MS, beat(ctx).I / 2);
}

/** The latest moment (ms after t₀) at which the heartbeat bound I + T still holds, with grace. */
export function heartbeatDeadline(ctx: CaseContext, I: number, T: number): number {
  const to = ctx.scale(I + T);
  return Math.round(to + ctx.grace(to));
}

/** Sleeps until `ms` after `since` (a performance.now() value). */
export async function sleepUntil(ctx: CaseContext, since: number, ms: number): Promise<void> {
  await ctx.sleep(Math.max(0, Math.round(ms - (performance.now() - since))));
}
