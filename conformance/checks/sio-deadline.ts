/**
 * The connect deadline (chapter TIMEOUT of spec/socket.io-v5.md), seen from a session that joins
 * nothing: it must close, within a bound the suite can afford to wait, and the time it took is
 * measured from its handshake. A session the server joined to a namespace unasked
 * (SIO5-CONNECT-02) has no deadline left to meet: that is a broken precondition, not a late close.
 */
import { fail } from "../case.js";
import type { CaseContext } from "../runner/context.js";
import { caseWatchdog } from "../runner/timing.js";
import type { SocketIOSession } from "../client/socketio.js";
import { expectNothingUnasked } from "../client/socketio-steps.js";
import { expectStillPinged } from "./sio-heartbeat.js";

/** The official default connectTimeout: no conforming server waits longer unless configured to. */
const DEFAULT_CONNECT_TIMEOUT = 45_000;

/**
 * The latest close a case waits for: the default connectTimeout, or less when the case's
 * watchdog (which depends on the server's timings) would stop the case before that.
 */
export function deadlineBound(ctx: CaseContext): number {
  const room = caseWatchdog(ctx.timing) - ctx.scale(2000);
  let latest = DEFAULT_CONNECT_TIMEOUT;
  while (latest > 100 && ctx.scale(latest) + ctx.grace(ctx.scale(latest)) > room) latest = Math.floor(latest * 0.9);
  return latest;
}

/** Waits for `s`, which joins nothing, to close within the bound; returns the time from its handshake to the close. */
export async function closesAlone(ctx: CaseContext, s: SocketIOSession, what: string): Promise<number> {
  const latest = deadlineBound(ctx);
  const { elapsedMs } = await ctx.within(
    async (timeoutMs) => {
      if (await s.waitEnd(timeoutMs)) return;
      expectNothingUnasked(s);
      expectStillPinged(s);
      fail(`${what} did not close within ${timeoutMs} ms`, {
        expected: `closed after connectTimeout (at most ${latest} ms)`,
        observed: "open",
      });
    },
    { latest, what, since: s.openedAt, at: () => s.ending!.at },
  );
  if (s.ending!.cause) throw s.ending!.cause;
  expectNothingUnasked(s);
  return elapsedMs;
}
