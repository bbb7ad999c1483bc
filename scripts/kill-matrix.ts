/**
 * `npm run mutants`: the full kill matrix (every case against every mutant of the reference
 * server), printed with the kill rate and the mutant count. Exit status 1 when a case is
 * killed by no mutant, a mutant kills no case, or a case does not pass against the reference
 * (skips listed in conformance/mutants/skips.ts aside).
 * Options: `--parallel N` (mutant servers at once, default 2), `--json FILE` (the matrix as JSON).
 */
import { writeFile } from "node:fs/promises";
import { formatMatrix } from "../conformance/mutants/format.js";
import { runKillMatrix, summarise } from "../conformance/mutants/matrix.js";
import { REFERENCE_SKIPS } from "../conformance/mutants/skips.js";
import { INVISIBLE_MUTANTS } from "../conformance/mutants/catalogue.js";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

// A mutant can make a case's background request fail before the case attaches its handler;
// that is the case's business, not a reason to lose the whole matrix.
let stray = 0;
process.on("unhandledRejection", (reason) => {
  stray++;
  process.stderr.write(`unhandled rejection during a mutant run (ignored): ${(reason as Error)?.message ?? String(reason)}\n`);
});

const parallel = Number(flag("--parallel") ?? 2);
const jsonFile = flag("--json");
const matrix = await runKillMatrix({
  parallel,
  onMutant: (m, report, done, total) => process.stderr.write(`[${done}/${total}] ${m.id}: ${report.summary.fail} fail, ${report.summary.warn} warn (${(report.durationMs / 1000).toFixed(1)} s)\n`),
});
console.log(formatMatrix(matrix));
if (stray > 0) console.log(`Unhandled rejections during the runs (ignored): ${stray}`);
if (jsonFile) await writeFile(jsonFile, JSON.stringify(matrix, null, 2) + "\n");
const s = summarise(matrix);
const badBaseline = s.baselineNotPassing.filter((b) => !(b.verdict === "skip" && REFERENCE_SKIPS[b.id] !== undefined));
const useless = s.useless.filter((id) => INVISIBLE_MUTANTS[id] === undefined);
process.exitCode = s.unkilled.length > 0 || useless.length > 0 || badBaseline.length > 0 ? 1 : 0;
