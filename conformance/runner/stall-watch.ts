/**
 * The runner's own stalls, told apart from the server's lateness. The timing chapters (UPGRADE,
 * HEARTBEAT, CLOSE, operations DROP) measure bounds of a few hundred milliseconds; when the
 * runner's event loop itself stalls longer than the smallest grace, any time it measured may be
 * late by as much, and blaming the server for it would be a false failure.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, type CaseDefinition } from "../case.js";
import { NOOP_MS } from "./bounds.js";
import type { CaseContext } from "./context.js";

/**
 * Watches the runner's own event loop while a case runs: a timer that fires late means every
 * time the case measured may be late by as much, whoever is to blame.
 */
export class StallWatch {
  /** The longest delay seen, in ms. */
  worst = 0;
  private last = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly everyMs = 10) {
    this.timer = setInterval(() => {
      const now = performance.now();
      this.worst = Math.max(this.worst, now - this.last - this.everyMs);
      this.last = now;
    }, everyMs);
    this.timer.unref();
  }

  /** Stops watching; returns the longest stall seen, in whole ms. */
  stop(): number {
    clearInterval(this.timer);
    return Math.round(this.worst);
  }
}

/**
 * Wraps the cases of a timing chapter so that a failure measured while the runner itself was
 * stalled longer than the smallest grace is reported as `error` (the harness could not judge),
 * with both facts in the reason, instead of blaming the server for the runner's own delay.
 * @example `export const heartbeatCases = defineChapter("engine.io v4 / heartbeat", guardStalls([ ... ]))`
 */
export function guardStalls(cases: CaseDefinition[]): CaseDefinition[] {
  return cases.map((c) => ({
    ...c,
    // A case whose bounds the stall watch guards judges sub-second times: it runs in the quiet phase.
    timing: c.timing === "waits" ? "waits" : "tight",
    async run(ctx: CaseContext) {
      const watch = new StallWatch();
      try {
        await c.run(ctx);
      } catch (err) {
        const stalled = watch.stop();
        // The smallest grace any bound of these chapters gets at this run's timings (the 100 ms
        // noop bound's, scaled by --timeout-multiplier).
        const limit = ctx.grace(ctx.timing.multiplier * NOOP_MS);
        // A broken precondition is reported as blocked, pointing elsewhere: no timing of this case is judged.
        if (err instanceof CaseOutcome && err.verdict === "fail" && !err.precondition && stalled > limit) {
          ctx.note(`the runner stalled ${stalled} ms during the case (more than the ${limit} ms grace)`);
          throw new Error(
            `the runner itself stalled ${stalled} ms (grace ${limit} ms), so its timing cannot be judged; it saw: ${err.reason}`,
          );
        }
        throw err;
      } finally {
        watch.stop();
      }
    },
  }));
}
