/**
 * Schedules cases: instant cases run in a pool of --concurrency workers; waiting cases (those
 * that sit on a protocol timer) all start at once, alongside the pool, so the wall time of the
 * run is close to its longest single wait rather than the sum of all waits.
 */
import type { Case } from "../case.js";
import type { CaseResult } from "../../schemas/generated/conformance/report.js";

/**
 * Runs every case through `run` and returns the results in the cases' order. `onResult` is
 * called as each finishes (awaited, so a reporter can write progress).
 */
export async function schedule(
  cases: readonly Case[],
  concurrency: number,
  run: (c: Case) => Promise<CaseResult>,
  onResult: (r: CaseResult) => Promise<void> | void,
): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  const finish = async (i: number) => {
    results[i] = await run(cases[i]!);
    await onResult(results[i]!);
  };
  const waiting = cases.map((c, i) => (c.timing === "waits" ? i : -1)).filter((i) => i !== -1);
  const instant = cases.map((c, i) => (c.timing === "waits" ? -1 : i)).filter((i) => i !== -1);
  let next = 0;
  const worker = async () => {
    while (next < instant.length) await finish(instant[next++]!);
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, instant.length)) }, worker);
  await Promise.all([...waiting.map(finish), ...workers]);
  return results;
}
