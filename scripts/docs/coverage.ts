/**
 * Which cases check which rules, read from the cases' own metadata (their `rules` lists), and
 * the coverage of each spec chapter that follows from it. A rule that binds only clients or
 * deployments (its head says `client` or `deployment`) cannot be observed by a suite that judges
 * one server from outside, so it is counted apart rather than as a gap.
 */
import type { Case, Level } from "../../conformance/case.js";
import type { SpecFile, SpecRule } from "./spec.js";

/** What the site needs of a case: its metadata, never its `run`. */
export type CaseMeta = Omit<Case, "run">;

/** The metadata of every case, in suite order. */
export function caseMetadata(cases: readonly Case[]): CaseMeta[] {
  return cases.map(({ run: _run, ...meta }) => meta);
}

/** Rule ID → the cases that cite it, in suite order. */
export function casesByRule(cases: readonly CaseMeta[]): Map<string, CaseMeta[]> {
  const map = new Map<string, CaseMeta[]>();
  for (const c of cases) {
    for (const id of new Set(c.rules)) map.set(id, [...(map.get(id) ?? []), c]);
  }
  return map;
}

/** True for a rule the suite can observe: one that binds the server. */
export function observable(rule: SpecRule): boolean {
  return rule.scope === undefined;
}

/** Coverage of one chapter of one spec file. */
export interface ChapterCoverage {
  spec: SpecFile;
  chapter: string;
  /** Every rule of the chapter, in document order. */
  rules: SpecRule[];
  /** Per level: rules that bind the server, and how many of those a case checks. */
  byLevel: Record<Level, { total: number; covered: number }>;
  /** Rules that bind the server, and how many a case checks. */
  total: number;
  covered: number;
  /** Rules that bind clients or deployments (not counted in `total`). */
  outOfScope: SpecRule[];
  /** Rules that bind the server and that no case checks. */
  uncovered: SpecRule[];
}

/** The coverage of every chapter of every spec file, in reading order. */
export function chapterCoverage(
  spec: readonly SpecFile[],
  byRule: ReadonlyMap<string, readonly CaseMeta[]>,
): ChapterCoverage[] {
  const out: ChapterCoverage[] = [];
  for (const file of spec) {
    for (const chapter of file.chapters) {
      const rules = file.rules.filter((r) => r.chapter === chapter);
      const byLevel: ChapterCoverage["byLevel"] = {
        MUST: { total: 0, covered: 0 },
        SHOULD: { total: 0, covered: 0 },
        MAY: { total: 0, covered: 0 },
      };
      const uncovered: SpecRule[] = [];
      const outOfScope: SpecRule[] = [];
      let covered = 0;
      for (const r of rules) {
        if (!observable(r)) {
          outOfScope.push(r);
          continue;
        }
        const checked = (byRule.get(r.id)?.length ?? 0) > 0;
        const slot = byLevel[r.level as Level];
        if (slot) {
          slot.total++;
          if (checked) slot.covered++;
        }
        if (checked) covered++;
        else uncovered.push(r);
      }
      out.push({
        spec: file,
        chapter,
        rules,
        byLevel,
        total: rules.length - outOfScope.length,
        covered,
        outOfScope,
        uncovered,
      });
    }
  }
  return out;
}

/** Sums chapter coverages (for a spec file, or the whole spec). */
export function sumCoverage(list: readonly ChapterCoverage[]): {
  total: number;
  covered: number;
  outOfScope: number;
  byLevel: ChapterCoverage["byLevel"];
} {
  const byLevel: ChapterCoverage["byLevel"] = {
    MUST: { total: 0, covered: 0 },
    SHOULD: { total: 0, covered: 0 },
    MAY: { total: 0, covered: 0 },
  };
  let total = 0;
  let covered = 0;
  let outOfScope = 0;
  for (const c of list) {
    total += c.total;
    covered += c.covered;
    outOfScope += c.outOfScope.length;
    for (const level of ["MUST", "SHOULD", "MAY"] as const) {
      byLevel[level].total += c.byLevel[level].total;
      byLevel[level].covered += c.byLevel[level].covered;
    }
  }
  return { total, covered, outOfScope, byLevel };
}

/** Citations of rule IDs that the spec does not have (a case ahead of, or behind, the spec). */
export function unknownCitations(
  cases: readonly CaseMeta[],
  ruleIds: ReadonlySet<string>,
): { caseId: string; rule: string }[] {
  return cases.flatMap((c) => c.rules.filter((r) => !ruleIds.has(r)).map((rule) => ({ caseId: c.id, rule })));
}
