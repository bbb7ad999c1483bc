/**
 * `npm run mutants`: the full kill matrix (every case against every mutant of the reference
 * server), printed with the kill rate and the mutant count. Exit status 1 when a case is
 * killed by no mutant, a mutant kills no case, or a case does not pass against the reference
 * (skips listed in conformance/mutants/skips.ts aside), or when a mutant's blast radius is past
 * its limits (conformance/mutants/blast.ts).
 * Options: `--parallel N` (mutant servers at once, default 2), `--json FILE` (the matrix as JSON),
 * `--mutants GLOBS` (comma-separated globs over mutant IDs, e.g. `eio:handshake-*,sio:*`) and
 * `--only GLOBS` (over case IDs) to run a part of the matrix while working on it.
 */
import { writeFile } from "node:fs/promises";
import { allCases } from "../conformance/cases/index.js";
import { blastRadius, blastSummary, BLAST_LIMITS, formatBlast } from "../conformance/mutants/blast.js";
import { allMutants } from "../conformance/mutants/catalogue.js";
import { formatMatrix } from "../conformance/mutants/format.js";
import { globToRegExp, selectIds } from "../conformance/runner/glob.js";
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
  process.stderr.write(
    `unhandled rejection during a mutant run (ignored): ${(reason as Error)?.message ?? String(reason)}\n`,
  );
});

const parallel = Number(flag("--parallel") ?? 2);
const jsonFile = flag("--json");
const globs = (name: string) => (flag(name) ?? "").split(",").filter(Boolean);
const mutantGlobs = globs("--mutants").map((g) => globToRegExp(g));
const mutants = mutantGlobs.length ? allMutants().filter((m) => mutantGlobs.some((g) => g.test(m.id))) : allMutants();
const cases = selectIds(allCases, globs("--only"), []);
const partial = mutantGlobs.length > 0 || cases.length !== allCases.length;
const matrix = await runKillMatrix({
  parallel,
  mutants,
  cases,
  onMutant: (m, report, done, total) =>
    process.stderr.write(
      `[${done}/${total}] ${m.id}: ${report.summary.fail} fail, ${report.summary.warn} warn (${(report.durationMs / 1000).toFixed(1)} s)\n`,
    ),
});
console.log(formatMatrix(matrix));
const blasts = blastRadius(matrix, new Map(cases.map((c) => [c.id, c.rules])));
console.log("\n" + formatBlast(blasts));
const blast = blastSummary(blasts);
const blastBroken =
  blast.max > BLAST_LIMITS.max || blast.median > BLAST_LIMITS.median || blasts.some((b) => b.offRule.length > 0);
if (stray > 0) console.log(`Unhandled rejections during the runs (ignored): ${stray}`);
if (jsonFile) await writeFile(jsonFile, JSON.stringify(matrix, null, 2) + "\n");
const s = summarise(matrix);
const badBaseline = s.baselineNotPassing.filter((b) => !(b.verdict === "skip" && REFERENCE_SKIPS[b.id] !== undefined));
const useless = s.useless.filter((id) => INVISIBLE_MUTANTS[id] === undefined);
// A partial run cannot judge kills (a case may be killed by a mutant left out); it judges the blast.
process.exitCode =
  blastBroken || (!partial && (s.unkilled.length > 0 || useless.length > 0)) || badBaseline.length > 0 ? 1 : 0;
