/**
 * The kill matrix: the whole suite against the reference server (the baseline) and against
 * every mutant, one verdict per case and mutant. A mutant kills a case when the case passes
 * against the baseline (pass or info) and fails against the mutant (fail; warn for a SHOULD or
 * MAY case, whose failures are reported as warn). A case no mutant kills checks nothing that
 * the mutants break; a mutant that kills no case is a fault the suite cannot see.
 */
import { performance } from "node:perf_hooks";
import type { Case, Verdict } from "../case.js";
import { allCases } from "../cases/index.js";
import type { ConformanceReport } from "../../schemas/generated/conformance/report.js";
import { allMutants, type Mutant } from "./catalogue.js";
import { related } from "./related.js";
import { runFullSuite } from "./full-suite.js";
import { type ProtocolVersion, versionOf } from "../runner/versions.js";
import { referenceStarter } from "./servers.js";

/** The result of {@link runKillMatrix}. */
export interface KillMatrix {
  cases: Array<Pick<Case, "id" | "level" | "chapter">>;
  mutants: Mutant[];
  /** Verdict of each case against the unmodified reference server. */
  baseline: Verdict[];
  /**
   * For a mutant with its own server configuration: the verdicts of the unmodified reference
   * server in that configuration (its cases only; `skip` elsewhere), by mutant ID.
   */
  configBaselines: Record<string, Verdict[]>;
  /** `cells[caseIndex][mutantIndex]`: the verdict of that case against that mutant. */
  cells: Verdict[][];
  /** Wall time of the whole matrix, and of each mutant's run (same order as `mutants`). */
  durationMs: number;
  mutantDurationMs: number[];
}

/** Options of {@link runKillMatrix}. */
export interface KillMatrixOptions {
  /** Default: every case of the suite. */
  cases?: readonly Case[];
  /** Default: every mutant. */
  mutants?: readonly Mutant[];
  /**
   * Restricts a mutant to some cases (e.g. only those it is known to kill); a case left out
   * of a mutant's run gets verdict `skip` in its cell. Default: every case against every mutant.
   */
  casesFor?: (m: Mutant) => readonly Case[];
  /** How many mutant servers run at once (default 2: the suite itself is concurrent). */
  parallel?: number;
  /** Called as each mutant's run ends (progress). */
  onMutant?: (m: Mutant, report: ConformanceReport, done: number, total: number) => void;
}

/** The timings every run is judged with (the embedded server's upgradeTimeout). */
const SUITE = { upgradeTimeout: 1000 } as const;

/** The baseline a mutant is judged against: its configuration's, else the default one. */
export function baselineOf(matrix: KillMatrix, mutantIndex: number): Verdict[] {
  return matrix.configBaselines[matrix.mutants[mutantIndex]!.id] ?? matrix.baseline;
}

/** True when cell (caseIndex, mutantIndex) is a kill. */
export function killsAt(matrix: KillMatrix, caseIndex: number, mutantIndex: number): boolean {
  return isKill(baselineOf(matrix, mutantIndex)[caseIndex]!, matrix.cells[caseIndex]![mutantIndex]!);
}

/** True when a verdict against a mutant is a kill, given the baseline verdict. */
export function isKill(baseline: Verdict, verdict: Verdict): boolean {
  return (baseline === "pass" || baseline === "info") && (verdict === "fail" || verdict === "warn");
}

/** Runs the baseline and every mutant (a few at a time) and returns the matrix. */
export async function runKillMatrix(options: KillMatrixOptions = {}): Promise<KillMatrix> {
  const started = performance.now();
  const cases = options.cases ?? allCases;
  const mutants = [...(options.mutants ?? allMutants())];
  const index = new Map(cases.map((c, i) => [c.id, i]));
  const column = (report: ConformanceReport): Verdict[] => {
    const out: Verdict[] = cases.map(() => "skip");
    for (const r of report.cases) {
      const i = index.get(r.id);
      if (i !== undefined) out[i] = r.verdict;
    }
    return out;
  };

  // The baseline must pass everywhere; a case the runner could not judge (it stalled) is run again.
  const baselineReport = await runFullSuite(referenceStarter(), { ...SUITE, cases, retryInconclusive: 2 });
  const baseline = column(baselineReport);
  const configBaselines: Record<string, Verdict[]> = {};
  for (const m of mutants) {
    if (!m.config) continue;
    const ids = new Set(m.config.cases);
    const report = await runFullSuite(referenceStarter(m.options), {
      ...SUITE,
      cases: cases.filter((c) => ids.has(c.id)),
      retryInconclusive: 2,
    });
    configBaselines[m.id] = column(report);
  }
  const columns: Verdict[][] = new Array(mutants.length);
  const durations: number[] = new Array(mutants.length).fill(0);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < mutants.length) {
      const i = next++;
      const m = mutants[i]!;
      // A fault acts on the sessions of its own protocol version only (reference/faults/), so its
      // mutant runs the cases of that version: the others would pass as against the baseline.
      const version = faultVersion(m);
      const mine = (m.config ? cases.filter((c) => m.config!.cases.includes(c.id)) : cases).filter(
        (c) => versionOf(c.id) === version,
      );
      const selected = options.casesFor ? options.casesFor(m).filter((c) => mine.includes(c)) : mine;
      const t0 = performance.now();
      // A timing case the runner could not judge (it stalled under the load of the matrix) is run again.
      let report =
        selected.length === 0
          ? undefined
          : await runFullSuite(referenceStarter(m.options, m.seams), {
              ...SUITE,
              cases: selected,
              retryInconclusive: 2,
            });
      // A case that fails on a rule the fault does not touch is confirmed by a second run, alone:
      // a timing case that only missed its bound under the matrix's own load passes there, and a
      // real off-rule failure fails again (the blast table then shows it).
      const offRule =
        report?.cases.filter(
          (r) => (r.verdict === "fail" || r.verdict === "warn") && m.rule && !r.rules.some((x) => related(x, m.rule!)),
        ) ?? [];
      if (report && offRule.length > 0) {
        const ids = new Set(offRule.map((r) => r.id));
        const again = await runFullSuite(referenceStarter(m.options, m.seams), {
          ...SUITE,
          cases: selected.filter((c) => ids.has(c.id)),
          retryInconclusive: 2,
        });
        const byId = new Map(again.cases.map((r) => [r.id, r]));
        report = { ...report, cases: report.cases.map((r) => byId.get(r.id) ?? r) };
      }
      durations[i] = Math.round(performance.now() - t0);
      columns[i] = report ? column(report) : cases.map(() => "skip");
      done++;
      if (report) options.onMutant?.(m, report, done, mutants.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel ?? 2, mutants.length)) }, worker));
  return {
    cases: cases.map((c) => ({ id: c.id, level: c.level, chapter: c.chapter })),
    mutants,
    baseline,
    configBaselines,
    cells: cases.map((_, ci) => mutants.map((_, mi) => columns[mi]![ci]!)),
    durationMs: Math.round(performance.now() - started),
    mutantDurationMs: durations,
  };
}

/** The IDs of the mutants that kill case `caseIndex`. */
export function killersOf(matrix: KillMatrix, caseIndex: number): string[] {
  return matrix.mutants.filter((_, mi) => killsAt(matrix, caseIndex, mi)).map((m) => m.id);
}

/** What the matrix says about the suite. */
export interface KillSummary {
  /** Cases that pass against the reference server and are killed by no mutant. */
  unkilled: string[];
  /** Mutants that kill no case. */
  useless: string[];
  /** Cases that do not pass against the unmodified reference server (they cannot be judged). */
  baselineNotPassing: Array<{ id: string; verdict: Verdict }>;
  /** Cases killed by at least one mutant, over all cases (a case the baseline skips counts as unkilled here). */
  killRate: number;
  killed: number;
  total: number;
}

/** Summarises a matrix: the unkilled cases, the useless mutants, the kill rate. */
export function summarise(matrix: KillMatrix): KillSummary {
  const unkilled: string[] = [];
  const kills = matrix.mutants.map(() => 0);
  matrix.cases.forEach((c, ci) => {
    const base = matrix.baseline[ci]!;
    let any = false;
    matrix.mutants.forEach((_, mi) => {
      if (killsAt(matrix, ci, mi)) {
        any = true;
        kills[mi]!++;
      }
    });
    if (!any && (base === "pass" || base === "info")) unkilled.push(c.id);
  });
  const total = matrix.cases.length;
  const killed = matrix.cases.filter((_, ci) => matrix.mutants.some((__, mi) => killsAt(matrix, ci, mi))).length;
  return {
    unkilled,
    useless: matrix.mutants.filter((_, mi) => kills[mi] === 0).map((m) => m.id),
    baselineNotPassing: matrix.cases.flatMap((c, ci) =>
      matrix.baseline[ci] === "pass" || matrix.baseline[ci] === "info"
        ? []
        : [{ id: c.id, verdict: matrix.baseline[ci]! }],
    ),
    killRate: total === 0 ? 0 : killed / total,
    killed,
    total,
  };
}

/** The protocol version a mutant's fault breaks: a fault of the version 3 path is named `v3-…` (reference/faults/). */
function faultVersion(m: Pick<Mutant, "fault">): ProtocolVersion {
  return m.fault.startsWith("v3-") ? "eio3" : "eio4";
}
