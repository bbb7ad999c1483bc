// The whole conformance suite against the official servers (socket.io@4 at /socket.io/,
// engine.io@6 at /engine.io/, both running the echo contract), judged with the expectations
// file conformance/expectations/official.json: every failure must be listed there with the
// spec rule it breaks, and every listed case must still fail (no stale entry). The run is
// strict, so a broken SHOULD (warn) must be listed too: the file records every deviation.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCases, loadExpectations, type ConformanceExpectations } from "../conformance/index.js";
import { needsV3, runFullSuite } from "../conformance/mutants/full-suite.js";
import { failsRun } from "../conformance/expectations.js";
import type { CaseResult, ConformanceReport } from "../schemas/generated/conformance/report.js";
import { OFFICIAL_TIMINGS, officialStarter } from "./support/official-starter.js";

const EXPECTATIONS = new URL("../conformance/expectations/official.json", import.meta.url).pathname;

/**
 * The version 4 cases: the official servers here run without allowEIO3, as recommended; the v3
 * chapters are judged against them with allowEIO3 in test/v3/chapters.test.ts
 * (expectations/official-eio3.json).
 */
const v4Cases = allCases.filter((c) => !needsV3(c));

let expectations: ConformanceExpectations;
let report: ConformanceReport;

/** Verdict counts of the cases of one endpoint (engine.io@6 answers eio4.*, socket.io@4 sio5.*). */
function counts(cases: CaseResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) out[c.verdict] = (out[c.verdict] ?? 0) + 1;
  return out;
}

beforeAll(async () => {
  expectations = await loadExpectations(EXPECTATIONS);
  // A timing case the runner could not judge because it stalled itself is run again (twice at most).
  report = await runFullSuite(officialStarter, {
    cases: v4Cases,
    upgradeTimeout: OFFICIAL_TIMINGS.upgradeTimeout,
    expectations,
    strict: true,
    retryInconclusive: 2,
    onRetry: (r) => console.log(`re-run (runner stalled): ${r.id}`),
  });
}, 180_000);

afterAll(() => {
  if (!report) return;
  const version = (name: string) =>
    (
      JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")) as {
        version: string;
      }
    ).version;
  const engineCases = report.cases.filter((c) => !c.id.startsWith("sio"));
  const socketCases = report.cases.filter((c) => c.id.startsWith("sio"));
  console.log(
    `official servers, ${report.cases.length} cases in ${Math.round(report.durationMs)} ms: ${JSON.stringify(report.summary)}`,
  );
  console.log(`  engine.io@${version("engine.io")} (eio4.*, ops.*): ${JSON.stringify(counts(engineCases))}`);
  console.log(`  socket.io@${version("socket.io")} (sio5.*): ${JSON.stringify(counts(socketCases))}`);
  for (const c of report.cases)
    if (c.verdict !== "pass" && c.verdict !== "info")
      console.log(`  ${c.verdict} ${c.id}${c.expectation ? ` [${c.expectation}]` : ""}: ${c.reason}`);
});

describe("the whole suite against the official servers", () => {
  it("runs every version 4 case of the suite", () => {
    expect(report.cases.map((c) => c.id)).toEqual(v4Cases.map((c) => c.id));
    expect(report.observed).toMatchObject({ pingInterval: 300, pingTimeout: 200 });
  });

  it("has no failure that the expectations file does not list", () => {
    const unexpected = report.cases
      .filter((c) => failsRun(c, true) && c.expectation !== "stale")
      .map((c) => `${c.id}: ${c.verdict} — ${c.reason}`);
    expect(unexpected).toEqual([]);
  });

  it("has no stale expectation (every listed case still fails)", () => {
    const stale = report.cases.filter((c) => c.expectation === "stale").map((c) => `${c.id}: now ${c.verdict}`);
    expect(stale).toEqual([]);
    const listed = [...(expectations.knownFailing ?? []), ...(expectations.knownFlaky ?? [])];
    const unmatched = listed.filter((e) => !report.cases.some((c) => c.id === e.id)).map((e) => e.id);
    expect(unmatched, "entries naming no case of the suite").toEqual([]);
  });

  it("gives every expectation a reason that cites an existing spec rule", () => {
    const rules = new Set(
      (JSON.parse(readFileSync(new URL("../spec/rules.json", import.meta.url), "utf8")) as Array<{ id: string }>).map(
        (r) => r.id,
      ),
    );
    for (const e of [...(expectations.knownFailing ?? []), ...(expectations.knownFlaky ?? [])]) {
      const cited = e.reason.match(/\b(?:EIO[34]|SIO[45]|DROP|STICKY|SEC)-[A-Z]+-\d+\b/g) ?? [];
      expect(cited.length, `${e.id} cites no rule`).toBeGreaterThan(0);
      for (const id of cited) expect(rules.has(id), `${e.id} cites unknown rule ${id}`).toBe(true);
    }
  });
});
