/**
 * The site model: everything the page generators read, gathered once per build, plus the link
 * helpers every page uses, so that a rule or a case is linked the same way from everywhere.
 * Page generators are pure functions of this model.
 */
import type { Case } from "../../conformance/case.js";
import type { CaseResult } from "../../schemas/generated/conformance/report.js";
import { buildChangelog, type Changelog, type LevelNote, type VersionChange } from "./changelog.js";
import { caseMetadata, casesByRule, chapterCoverage, type CaseMeta, type ChapterCoverage } from "./coverage.js";
import { link, text } from "./markdown.js";
import { casePage, relativeLink, specPage } from "./paths.js";
import type { ServerRun } from "./reports.js";
import type { SchemaDoc } from "./schema-docs.js";
import type { SpecFile, SpecRule } from "./spec.js";

/** A level change of one rule, from git, from its Note, or both. */
export interface RuleLevelChange {
  rule: string;
  /** YYYY-MM-DD from git, or YYYY-MM from the Note. */
  date?: string;
  from?: string;
  to?: string;
  /** The commit that made the change, when git shows it. */
  commit?: Pick<VersionChange, "sha" | "subject" | "date">;
  note?: LevelNote;
}

export interface Site {
  root: string;
  /** When the site was built (ISO 8601). */
  builtAt: string;
  /** The sockspec version documented. */
  version: string;
  spec: SpecFile[];
  rules: Map<string, SpecRule>;
  cases: CaseMeta[];
  caseById: Map<string, CaseMeta>;
  byRule: Map<string, CaseMeta[]>;
  coverage: ChapterCoverage[];
  /** Every server's results; the reference server first when the build has it. */
  runs: ServerRun[];
  /** Case ID → its result on each server, in the order of `runs`. */
  results: Map<string, { run: ServerRun; result: CaseResult }[]>;
  changelog: Changelog;
  /** Rule ID → its level changes, newest first. */
  levelChanges: Map<string, RuleLevelChange[]>;
  /** Rule ID → the rules whose text or Note mention it. */
  referencedBy: Map<string, string[]>;
  schemas: SchemaDoc[];
}

/** Inputs of {@link buildSite} that come from elsewhere (spec, cases, reports, schemas). */
export interface SiteInputs {
  root: string;
  builtAt: string;
  version: string;
  spec: SpecFile[];
  cases: readonly Case[];
  runs: ServerRun[];
  schemas: SchemaDoc[];
  /** Override for tests: the changelog instead of reading git. */
  changelog?: Changelog;
}

/** Merges the git history and the Notes into one list of level changes per rule. */
export function levelChangesByRule(changelog: Changelog): Map<string, RuleLevelChange[]> {
  const map = new Map<string, RuleLevelChange[]>();
  const add = (c: RuleLevelChange) => map.set(c.rule, [...(map.get(c.rule) ?? []), c]);
  const notes = new Map(changelog.notes.map((n) => [n.rule, n]));
  const used = new Set<string>();
  for (const version of changelog.versions) {
    for (const l of version.levels) {
      const note = notes.get(l.id);
      // The Note explains this change when it names the level the rule moved to (a split or a
      // clarification of the same rule explains it too).
      const explains = note !== undefined && (note.kind !== "changed" || (note.to ?? "").split(" ")[0] === l.to);
      if (explains) used.add(l.id);
      add({
        rule: l.id,
        date: version.date,
        ...(l.from ? { from: l.from } : {}),
        ...(l.to ? { to: l.to } : {}),
        commit: { ...(version.sha ? { sha: version.sha } : {}), subject: version.subject, date: version.date },
        ...(explains ? { note } : {}),
      });
    }
  }
  for (const note of changelog.notes) {
    if (used.has(note.rule)) continue;
    add({
      rule: note.rule,
      ...(note.date ? { date: note.date } : {}),
      ...(note.from ? { from: note.from } : {}),
      ...(note.to ? { to: note.to } : {}),
      note,
    });
  }
  for (const list of map.values()) list.sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
  return map;
}

/** Builds the model the pages are generated from. */
export function buildSite(inputs: SiteInputs): Site {
  const rules = new Map(inputs.spec.flatMap((f) => f.rules.map((r) => [r.id, r] as const)));
  const cases = caseMetadata(inputs.cases);
  const byRule = casesByRule(cases);
  const results = new Map<string, { run: ServerRun; result: CaseResult }[]>();
  for (const run of inputs.runs) {
    for (const result of run.report.cases) results.set(result.id, [...(results.get(result.id) ?? []), { run, result }]);
  }
  const changelog = inputs.changelog ?? buildChangelog(inputs.root, [...rules.values()], inputs.builtAt.slice(0, 10));
  const referencedBy = new Map<string, string[]>();
  for (const r of rules.values())
    for (const ref of r.refs) if (rules.has(ref)) referencedBy.set(ref, [...(referencedBy.get(ref) ?? []), r.id]);
  return {
    root: inputs.root,
    builtAt: inputs.builtAt,
    version: inputs.version,
    spec: inputs.spec,
    rules,
    cases,
    caseById: new Map(cases.map((c) => [c.id, c])),
    byRule,
    coverage: chapterCoverage(inputs.spec, byRule),
    runs: inputs.runs,
    results,
    changelog,
    levelChanges: levelChangesByRule(changelog),
    referencedBy,
    schemas: inputs.schemas,
  };
}

/**
 * A link from page `from` to a rule's anchor on its spec page; a rule the spec does not have is
 * shown unlinked and marked, so a stale citation is visible instead of a broken link.
 */
export function ruleLink(site: Site, from: string, id: string): string {
  const rule = site.rules.get(id);
  if (!rule) return `${text(id)} <span class="ss-missing" title="not in the spec">(not in the spec)</span>`;
  return link(id, relativeLink(from, specPage(rule.spec).md, id), "ss-id");
}

/** A link from page `from` to a case's page (a case the suite does not have is shown unlinked). */
export function caseLink(site: Site, from: string, id: string, label = id): string {
  if (!site.caseById.has(id)) return text(label);
  return link(text(label), relativeLink(from, casePage(id).md), "ss-id");
}

/** The short label of a spec file for tables: its file name. */
export function specLabel(file: SpecFile): string {
  return `${file.name}.md`;
}
