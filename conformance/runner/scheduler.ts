/**
 * Schedules cases in two phases, so that the suite's wall time stays close to its longest
 * wait and no tight window is measured on a busy runner:
 *
 * 1. The busy phase: instant cases run in a pool of --concurrency workers; waiting cases whose
 *    windows are wide (a second or more) all start at once beside it, and run on for as long as
 *    they wait, into the next phase. A busy pool delays the runner's own timers by tens of ms,
 *    which a wide window's grace absorbs.
 * 2. The quiet phase, once the pool is done: the cases whose windows are under a second at
 *    this run's timings (see `isQuiet` in timing.ts). Those that wait all start at once (they
 *    spend their time on timers, not on the CPU); the others run a few at a time.
 */
import type { Case } from "../case.js";
import type { CaseResult } from "../../schemas/generated/conformance/report.js";

/** How many quiet cases that do not wait run at once by default: little concurrency, not none. */
export const QUIET_CONCURRENCY = 2;

/** How the scheduler splits the cases. */
export interface Lanes {
  /** Instant cases running at once in the busy phase (--concurrency). */
  concurrency: number;
  /** True for a case that runs in the quiet phase (default: none does). */
  quiet?: (c: Case) => boolean;
  /** Quiet cases that do not wait running at once (default {@link QUIET_CONCURRENCY}). */
  quietConcurrency?: number;
}

/** Runs `indices` through `finish`, at most `width` at a time. */
async function pool(indices: readonly number[], width: number, finish: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < indices.length) await finish(indices[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, indices.length)) }, worker));
}

/**
 * Runs every case through `run` and returns the results in the cases' order. `onResult` is
 * called as each finishes (awaited, so a reporter can write progress).
 */
export async function schedule(
  cases: readonly Case[],
  lanes: Lanes,
  run: (c: Case) => Promise<CaseResult>,
  onResult: (r: CaseResult) => Promise<void> | void,
): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  const finish = async (i: number) => {
    results[i] = await run(cases[i]!);
    await onResult(results[i]!);
  };
  const quiet = lanes.quiet ?? (() => false);
  const indices = (keep: (c: Case) => boolean) => cases.flatMap((c, i) => (keep(c) ? [i] : []));
  const waits = (c: Case) => c.timing === "waits";
  const wideWaits = indices((c) => waits(c) && !quiet(c));
  const busyPool = indices((c) => !waits(c) && !quiet(c));
  const quietWaits = indices((c) => waits(c) && quiet(c));
  const quietPool = indices((c) => !waits(c) && quiet(c));

  const wide = Promise.all(wideWaits.map(finish));
  // A rejection of `wide` (a reporter that throws) must not go unhandled while the phases run.
  wide.catch(() => undefined);
  await pool(busyPool, lanes.concurrency, finish);
  await Promise.all([...quietWaits.map(finish), pool(quietPool, lanes.quietConcurrency ?? QUIET_CONCURRENCY, finish)]);
  await wide;
  return results;
}
