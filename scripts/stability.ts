/**
 * `npm run stability`: the whole suite against the unmodified reference server N times in a
 * row (default 20; `--runs N`), each run on fresh server instances. Prints every case whose
 * verdict changed between runs, with the verdicts it took (and how many of the changes were
 * the runner stalling, which the timing chapters report as an inconclusive error); exit status 1
 * if any case changed, or if any case did not pass (pass or info) in some run.
 *
 * Variants, for the conditions implementers run the suite under:
 * - `--busy`: a child process spins on one core for the whole run (a loaded CI machine).
 * - `--relay-ms N`: every server sits behind a loopback relay that holds each chunk N ms each
 *   way (a server across a network: a round trip of about 2N ms).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { isInconclusive, runFullSuite } from "../conformance/mutants/full-suite.js";
import { behindRelay } from "../conformance/mutants/relay.js";
import { referenceStarter } from "../conformance/mutants/servers.js";
import { REFERENCE_SKIPS } from "../conformance/mutants/skips.js";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** A child process that keeps one core busy until killed. */
function burnOneCore(): ChildProcess {
  const child = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
  // However this script ends, the spinner must not outlive it.
  process.on("exit", () => child.kill("SIGKILL"));
  return child;
}

const runs = Number(flag("--runs") ?? 20);
if (!Number.isInteger(runs) || runs < 1 || runs > 1000)
  throw new Error(`--runs must be 1..1000, got ${flag("--runs")}`);
const relayMs = flag("--relay-ms") === undefined ? 0 : Number(flag("--relay-ms"));
if (!Number.isFinite(relayMs) || relayMs < 0 || relayMs > 1000)
  throw new Error(`--relay-ms must be 0..1000, got ${flag("--relay-ms")}`);
const busy = process.argv.includes("--busy") ? burnOneCore() : undefined;
const start = relayMs > 0 ? behindRelay(referenceStarter(), relayMs) : referenceStarter();
const variant =
  [busy ? "one core busy" : "", relayMs > 0 ? `relay ${relayMs} ms each way` : ""].filter(Boolean).join(", ") ||
  "plain";
process.stderr.write(`stability: ${runs} runs (${variant})\n`);

/** case ID -> verdict of each run, with the reason of each non-passing verdict. */
const verdicts = new Map<string, string[]>();
const reasons = new Map<string, Set<string>>();
/** case ID -> runs in which the runner stalled and could not judge it (verdict error). */
const stalls = new Map<string, number>();
const started = performance.now();
let longest = 0;
for (let run = 1; run <= runs; run++) {
  const report = await runFullSuite(start, { upgradeTimeout: 1000 });
  longest = Math.max(longest, report.durationMs);
  for (const c of report.cases) {
    const list = verdicts.get(c.id) ?? [];
    list.push(c.verdict);
    verdicts.set(c.id, list);
    if (isInconclusive(c)) stalls.set(c.id, (stalls.get(c.id) ?? 0) + 1);
    if (c.verdict !== "pass" && c.verdict !== "info") {
      const set = reasons.get(c.id) ?? new Set<string>();
      set.add(`${c.verdict}: ${c.reason ?? ""}`);
      reasons.set(c.id, set);
    }
  }
  const s = report.summary;
  process.stderr.write(
    `run ${run}/${runs}: ${s.total} cases, ${s.pass} pass, ${s.info} info, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip, ${s.error} error (${(report.durationMs / 1000).toFixed(1)} s)\n`,
  );
}

const changed = [...verdicts].filter(([, list]) => new Set(list).size > 1);
// A skip the reference run cannot avoid (conformance/mutants/skips.ts) is no failure.
const judged = (id: string, v: string) =>
  v === "pass" || v === "info" || (v === "skip" && REFERENCE_SKIPS[id] !== undefined);
const notPassing = [...verdicts].filter(([id, list]) => list.some((v) => !judged(id, v)));
busy?.kill("SIGKILL");
console.log(
  `${runs} runs (${variant}), ${verdicts.size} cases, ${((performance.now() - started) / 1000).toFixed(1)} s in all, slowest run ${(longest / 1000).toFixed(1)} s`,
);
if (changed.length === 0) console.log("No case changed its verdict between runs.");
for (const [id, list] of changed) {
  const counts = [...new Set(list)].map((v) => `${v} x${list.filter((x) => x === v).length}`).join(", ");
  const stalled = stalls.get(id) ? ` (${stalls.get(id)} of them inconclusive: the runner stalled)` : "";
  console.log(`CHANGED ${id}: ${counts}${stalled}`);
  for (const r of reasons.get(id) ?? []) console.log(`    ${r}`);
}
for (const [id, list] of notPassing)
  if (!changed.some(([c]) => c === id))
    console.log(`NOT PASSING in every run: ${id}: ${list[0]} — ${[...(reasons.get(id) ?? [])].join(" | ")}`);
process.exitCode = changed.length > 0 || notPassing.length > 0 ? 1 : 0;
