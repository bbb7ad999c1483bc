// The whole conformance suite against the embedded reference server (echo app, pingInterval
// 300, pingTimeout 200): every case passes or reports info. The only skips allowed are cases
// that need a configuration the reference run does not have (conformance/mutants/skips.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCases } from "../conformance/index.js";
import { needsFeatures, needsV3, runFullSuite } from "../conformance/mutants/full-suite.js";
import { referenceStarter } from "../conformance/mutants/servers.js";
import { REFERENCE_SKIPS } from "../conformance/mutants/skips.js";
import type { ConformanceReport } from "../schemas/generated/conformance/report.js";

let report: ConformanceReport;
let wallMs = 0;

beforeAll(async () => {
  const t0 = performance.now();
  // A timing case the runner could not judge because it stalled itself is run again (twice at most).
  report = await runFullSuite(referenceStarter(), {
    upgradeTimeout: 1000,
    retryInconclusive: 2,
    onRetry: (r) => console.log(`re-run (runner stalled): ${r.id}`),
  });
  wallMs = performance.now() - t0;
}, 120_000);

afterAll(() => {
  if (!report) return;
  const longest = report.cases.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  // Printed for the record: how close the suite's wall time is to its longest single case.
  console.log(
    `reference suite: ${report.cases.length} cases, ${JSON.stringify(report.summary)}; wall ${Math.round(wallMs)} ms (runs ${report.durationMs} ms), ` +
      `longest case ${longest.id} ${longest.durationMs} ms, ratio ${(report.durationMs / longest.durationMs).toFixed(2)}`,
  );
});

describe("the whole suite against the reference server", () => {
  it("runs every case of the suite, each once", () => {
    expect(report.cases.map((c) => c.id)).toEqual(allCases.map((c) => c.id));
    expect(report.observed).toMatchObject({ pingInterval: 300, pingTimeout: 200 });
  });

  it("passes every case (pass or info)", () => {
    const bad = report.cases
      .filter((c) => c.verdict !== "pass" && c.verdict !== "info" && c.verdict !== "skip")
      .map((c) => `${c.id}: ${c.verdict} — ${c.reason}`);
    expect(bad).toEqual([]);
  });

  it("skips only the cases whose feature the reference server lacks", () => {
    const skipped = report.cases.filter((c) => c.verdict === "skip");
    const unexplained = skipped.filter((c) => REFERENCE_SKIPS[c.id] === undefined).map((c) => `${c.id}: ${c.reason}`);
    expect(unexplained).toEqual([]);
  });

  it("runs the CORS and recovery cases against the configured instance, where they pass", () => {
    const configured = report.cases.filter((c) => needsFeatures(allCases.find((x) => x.id === c.id)!));
    expect(configured.length).toBeGreaterThan(0);
    for (const c of configured) expect([c.id, c.verdict]).toEqual([c.id, expect.stringMatching(/^(pass|info)$/)]);
  });

  it("runs the version 3 chapters against the instance with allowEIO3, where they pass", () => {
    const v3 = report.cases.filter((c) => needsV3(allCases.find((x) => x.id === c.id)!));
    expect(v3.length).toBe(allCases.filter(needsV3).length);
    for (const c of v3) expect([c.id, c.verdict]).toEqual([c.id, expect.stringMatching(/^(pass|info)$/)]);
    expect(Object.keys(report.observed.protocols ?? {}).sort()).toEqual(["eio3", "eio4"]);
  });
});
