/**
 * `npm run implementations`: the whole conformance suite against real implementations that this
 * project did not write, so an implementer can see how they fare and why. It runs
 *
 * - the official Node servers (socket.io at /socket.io/, a bare engine.io at /engine.io/), as
 *   test/real-servers.test.ts runs them (with `allowEIO3` for the version 3 chapters),
 * - python-socketio with python-engineio, from the snippet of docs/echo-contract.md, and
 * - socket.io 2.x (Engine.IO v3 only), from its snippet of docs/echo-contract.md, as
 *   test/v3/chapters.test.ts runs it,
 *
 * each on 127.0.0.1 at short timings, with NO expectations file (the page shows raw verdicts),
 * and writes docs/implementations.md with the raw JSON reports in docs/implementations/.
 * Exit status 0 when the page was written, whatever the verdicts; 1 when a server could not be
 * run (python3 or its packages missing, a server that does not start).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadExpectations } from "../conformance/expectations.js";
import { allCases } from "../conformance/cases/index.js";
import { needsV3, runFullSuite, type FullSuiteOptions, type StartServer } from "../conformance/mutants/full-suite.js";
import { toolVersion } from "../conformance/runner/version.js";
import type { ConformanceReport } from "../schemas/generated/conformance/report.js";
import { findPython, PYTHON_MISSING, startSnippet } from "../test/support/echo-snippets.js";
import { OFFICIAL_TIMINGS, officialStarter } from "../test/support/official-starter.js";
import { repoRoot } from "../test/support/repo-root.js";
import { startSocketIOv2, V3_TIMINGS } from "../test/v3/servers.js";
import { renderImplementations, type ImplementationRun, type RuleEntry } from "./implementations/render.js";
import { nodePackageVersion, pythonPackageVersions } from "./implementations/versions.js";

/** python-engineio has no upgrade timeout: docs/echo-contract.md tells the runner to allow 20 s. */
const PYTHON_UPGRADE_TIMEOUT = 20_000;
const EXPECTATIONS_FILE = "conformance/expectations/official.json";
const EIO3_EXPECTATIONS_FILE = "conformance/expectations/official-eio3.json";
const V2_EXPECTATIONS_FILE = "conformance/expectations/socket.io-v2.json";

// Ctrl-C or a kill goes out through process.exit, so that the exit hook of echo-snippets.ts
// kills the python server rather than leaving it behind.
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping\n`);
    process.exit(code);
  });
}

const root = repoRoot();
const python = findPython();
if (!python) {
  process.stderr.write(`${PYTHON_MISSING}\n`);
  process.exit(1);
}

const started = performance.now();
const rules = JSON.parse(readFileSync(join(root, "spec", "rules.json"), "utf8")) as RuleEntry[];
const expectations = await loadExpectations(join(root, EXPECTATIONS_FILE));
const eio3Expectations = await loadExpectations(join(root, EIO3_EXPECTATIONS_FILE));
const v2Expectations = await loadExpectations(join(root, V2_EXPECTATIONS_FILE));

/** The whole suite against one server, as the project's own tests run it, minus the expectations. */
async function judge(label: string, start: StartServer, options: FullSuiteOptions): Promise<ConformanceReport> {
  process.stderr.write(`${label}: running the suite…\n`);
  const report = await runFullSuite(start, {
    ...options,
    // A timing case the runner could not judge because it stalled itself is run again (twice at most).
    retryInconclusive: 2,
    onRetry: (r) => process.stderr.write(`${label}: re-run (the runner stalled): ${r.id}\n`),
  });
  process.stderr.write(`${label}: ${JSON.stringify(report.summary)} (${(report.durationMs / 1000).toFixed(1)} s)\n`);
  return report;
}

const officialVersions = {
  "socket.io": nodePackageVersion("socket.io"),
  "engine.io": nodePackageVersion("engine.io"),
  Node: process.versions.node,
};
const officialReport = await judge("official", officialStarter, { upgradeTimeout: OFFICIAL_TIMINGS.upgradeTimeout });

const pythonVersions = pythonPackageVersions(python, [
  ["python-socketio", "socketio"],
  ["python-engineio", "engineio"],
  ["uvicorn", "uvicorn"],
  ["websockets", "websockets"],
]);
// The snippet has one configuration (CORS off, no recovery): both variants start it as written.
// python-engineio speaks version 4 only, so the version 3 chapters are not asked for: their run
// would start the snippet once more for no case.
const pythonReport = await judge("python", () => startSnippet("python", python), {
  cases: allCases.filter((c) => !needsV3(c)),
  upgradeTimeout: PYTHON_UPGRADE_TIMEOUT,
});

const v2Versions = { "socket.io": nodePackageVersion("socket.io-v2"), Node: process.versions.node };
// The snippet is run as written; it speaks version 3 only, so only the version 3 chapters are
// asked for: the version 4 ones would start it twice more for runs that judge no case.
const v2Report = await judge("socket.io 2.x", () => startSocketIOv2(), {
  cases: allCases.filter(needsV3),
  upgradeTimeout: V3_TIMINGS.upgradeTimeout,
});

const runs: ImplementationRun[] = [
  {
    title: `Official Node servers: socket.io ${officialVersions["socket.io"]} + engine.io ${officialVersions["engine.io"]}`,
    versions: officialVersions,
    setup:
      "Started by `test/support/official-servers.ts` on one HTTP server on 127.0.0.1 (port 0): socket.io at `/socket.io/` " +
      "and a bare engine.io at `/engine.io/`, both running [the echo contract](echo-contract.md), with pingInterval " +
      `${OFFICIAL_TIMINGS.pingInterval} ms, pingTimeout ${OFFICIAL_TIMINGS.pingTimeout} ms, connectTimeout ` +
      `${OFFICIAL_TIMINGS.connectTimeout} ms and upgradeTimeout ${OFFICIAL_TIMINGS.upgradeTimeout} ms (the runner is told the ` +
      "upgradeTimeout, which is not advertised). The cases that need CORS or connection state recovery ran against a second " +
      "instance with both on (`cors: { origin: true, credentials: true }`, `connectionStateRecovery`), every other case " +
      "against an instance with both off, and the version 3 chapters against a third with `allowEIO3: true`; the " +
      "reports are merged.",
    reportHref: "implementations/official-node.json",
    report: officialReport,
    expectations: {
      files: [EXPECTATIONS_FILE, EIO3_EXPECTATIONS_FILE],
      knownFailing: [...(expectations.knownFailing ?? []), ...(eio3Expectations.knownFailing ?? [])],
      knownFlaky: [...(expectations.knownFlaky ?? []), ...(eio3Expectations.knownFlaky ?? [])],
    },
  },
  {
    title: `python-socketio ${pythonVersions["python-socketio"]} + python-engineio ${pythonVersions["python-engineio"]}`,
    versions: pythonVersions,
    setup:
      "The python-socketio snippet of [the echo contract](echo-contract.md), run as written (under uvicorn, on 127.0.0.1 " +
      "at a free port): python-socketio at `/socket.io/` and python-engineio at `/engine.io/`, with ping_interval 0.3 s " +
      "and ping_timeout 0.2 s, CORS off and no connection state recovery, so the cases that need either are skipped. " +
      `python-engineio has no upgrade timeout option; the runner is told ${PYTHON_UPGRADE_TIMEOUT} ms, as the echo ` +
      "contract page advises. No expectations file is kept for this server.",
    reportHref: "implementations/python-socketio.json",
    report: pythonReport,
  },
  {
    title: `socket.io ${v2Versions["socket.io"]} (Engine.IO v3, Socket.IO v4)`,
    versions: v2Versions,
    setup:
      "The socket.io 2.x snippet of [the echo contract](echo-contract.md), run as written in a Node child process on " +
      "127.0.0.1 (installed in this repository under the npm alias `socket.io-v2`): socket.io at `/socket.io/` and its " +
      `engine.io at \`/engine.io/\`, with pingInterval ${V3_TIMINGS.pingInterval} ms, pingTimeout ${V3_TIMINGS.pingTimeout} ms ` +
      `and upgradeTimeout ${V3_TIMINGS.upgradeTimeout} ms. It speaks Engine.IO v3 only, so the run judges the version 3 ` +
      "chapters (`eio3.*`, `sio4.*`) and no other.",
    reportHref: "implementations/socket.io-v2.json",
    report: v2Report,
    expectations: {
      files: [V2_EXPECTATIONS_FILE],
      knownFailing: v2Expectations.knownFailing ?? [],
      knownFlaky: v2Expectations.knownFlaky ?? [],
    },
  },
];

const outDir = join(root, "docs", "implementations");
mkdirSync(outDir, { recursive: true });
/**
 * The published copy keeps the wire transcript only where a reader needs it (fail, warn, blocked,
 * error): the transcripts of passing cases would make each file megabytes for nothing to read.
 */
function published(report: ConformanceReport): ConformanceReport {
  const keep = new Set(["fail", "warn", "blocked", "error"]);
  return { ...report, cases: report.cases.map((c) => (keep.has(c.verdict) ? c : { ...c, transcript: [] })) };
}
writeFileSync(join(outDir, "official-node.json"), JSON.stringify(published(officialReport), null, 2) + "\n");
writeFileSync(join(outDir, "python-socketio.json"), JSON.stringify(published(pythonReport), null, 2) + "\n");
writeFileSync(join(outDir, "socket.io-v2.json"), JSON.stringify(published(v2Report), null, 2) + "\n");
const page = renderImplementations({
  date: new Date().toISOString().slice(0, 10),
  toolVersion: toolVersion(),
  runs,
  rules,
});
writeFileSync(join(root, "docs", "implementations.md"), page);

console.log(
  `docs/implementations.md and docs/implementations/*.json written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
for (const run of runs) console.log(`  ${run.title}: ${JSON.stringify(run.report.summary)}`);
