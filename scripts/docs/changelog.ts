/**
 * The changelog of rules, derived at every build from two sources that cannot drift from the
 * spec because they are the spec:
 *
 * - the git history of spec/rules.json (the rule index `npm run gen` writes): every commit that
 *   changed it is compared with the one before, rule by rule, for rules added or removed and
 *   levels, scopes and provenances changed; the working tree's spec, parsed live, is compared with
 *   the last commit, so a local build also shows what is not committed yet;
 * - each rule's Note, where the spec editors explain a level change in words
 *   (`Level: MUST until 2026-12; now SHOULD, because …`, `Level: split on 2026-12; … is now X`).
 *
 * Nothing is listed by hand, so the page stays true as the spec moves. Without git history (a
 * shallow clone, or no git at all) the Notes alone are used and the page says so.
 */
import { execFileSync } from "node:child_process";
import type { SpecRule } from "./spec.js";

/** The part of a rule the history compares. */
export interface RuleSnapshot {
  id: string;
  level: string;
  scope?: string;
  provenance?: string;
  text: string;
}

/** One version of the rule index: a commit, or the working tree. */
export interface IndexVersion {
  /** Full commit hash; absent for the working tree. */
  sha?: string;
  /** Commit date (YYYY-MM-DD), or the build date for the working tree. */
  date: string;
  /** Commit subject, or `not committed yet`. */
  subject: string;
  rules: RuleSnapshot[];
}

/** A field of a rule that changed between two versions. */
export interface FieldChange {
  id: string;
  from?: string;
  to?: string;
}

/** What one version changed, compared with the version before it. */
export interface VersionChange {
  sha?: string;
  date: string;
  subject: string;
  /** The first version in the history: every rule in it is new, listed only as a count. */
  initial: boolean;
  added: RuleSnapshot[];
  removed: string[];
  levels: FieldChange[];
  scopes: FieldChange[];
  provenances: FieldChange[];
  /** Rules whose text changed but not their level. */
  reworded: string[];
}

/** A level change as the Notes describe it. */
export interface LevelNote {
  rule: string;
  /** `changed` (one level to another), `split` (part of the rule moved to new rules), `clarified` (anything else). */
  kind: "changed" | "split" | "clarified";
  /** YYYY-MM when the Note gives a date. */
  date?: string;
  from?: string;
  to?: string;
  /** Rules the Note names as taking over part of this one (for a split) or as related. */
  related: string[];
  /** The Note's `Level:` sentences, as written (Markdown). */
  text: string;
}

/** The whole changelog. */
export interface Changelog {
  /** `git`: history read from git; `notes-only`: no usable history (shallow clone, no git). */
  source: "git" | "notes-only";
  /** Why git history is missing, when it is. */
  historyProblem?: string;
  /** Changes by version, newest first. */
  versions: VersionChange[];
  /** Every Level note, in spec order. */
  notes: LevelNote[];
}

const LEVEL_WORD = "(MUST|SHOULD|MAY)(?: NOT)?";

/**
 * Reads the `Level:` part of a rule's Note, if it has one. The date is the first YYYY-MM in it;
 * `X until DATE; now Y` is a change from X to Y; `split on DATE` moves part of the rule to the
 * rules it names. `known` holds the spec's rule IDs: only those count as related rules.
 */
export function parseLevelNote(rule: Pick<SpecRule, "id" | "note">, known: ReadonlySet<string>): LevelNote | undefined {
  const at = rule.note.search(/\bLevel:/);
  if (at === -1) return undefined;
  const sentence = rule.note.slice(at + "Level:".length).trim();
  const date = /\b(\d{4}-\d{2})\b/.exec(sentence)?.[1];
  const related = [...new Set(sentence.match(/\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b/g) ?? [])].filter(
    (id) => id !== rule.id && known.has(id),
  );
  const base = { rule: rule.id, related, text: sentence, ...(date ? { date } : {}) };
  if (/\bsplit on\b/.test(sentence)) return { ...base, kind: "split" };
  const from = new RegExp(`\\b${LEVEL_WORD} until \\d{4}-\\d{2}`).exec(sentence);
  const to = new RegExp(`\\bnow ${LEVEL_WORD}\\b`).exec(sentence);
  if (from && to)
    return { ...base, kind: "changed", from: from[0].replace(/ until.*/, ""), to: to[0].replace(/^now /, "") };
  return { ...base, kind: "clarified" };
}

/** Every Level note of the spec, in spec order. */
export function levelNotes(rules: readonly SpecRule[]): LevelNote[] {
  const known = new Set(rules.map((r) => r.id));
  return rules.flatMap((r) => parseLevelNote(r, known) ?? []);
}

/** The snapshot of a rule as the history compares it. */
export function snapshotOf(rule: {
  id: string;
  level: string;
  scope?: string;
  provenance?: { kind: string };
  text: string;
}): RuleSnapshot {
  return {
    id: rule.id,
    level: rule.level,
    ...(rule.scope ? { scope: rule.scope } : {}),
    ...(rule.provenance ? { provenance: rule.provenance.kind } : {}),
    text: rule.text,
  };
}

/** What `next` changed compared with `prev` (undefined: `next` is the first version). */
export function diffVersions(prev: IndexVersion | undefined, next: IndexVersion): VersionChange {
  const change: VersionChange = {
    ...(next.sha ? { sha: next.sha } : {}),
    date: next.date,
    subject: next.subject,
    initial: prev === undefined,
    added: [],
    removed: [],
    levels: [],
    scopes: [],
    provenances: [],
    reworded: [],
  };
  if (!prev) {
    change.added = next.rules;
    return change;
  }
  const before = new Map(prev.rules.map((r) => [r.id, r]));
  const after = new Set(next.rules.map((r) => r.id));
  for (const r of next.rules) {
    const old = before.get(r.id);
    if (!old) {
      change.added.push(r);
      continue;
    }
    if (old.level !== r.level) change.levels.push({ id: r.id, from: old.level, to: r.level });
    if (old.scope !== r.scope)
      change.scopes.push({ id: r.id, ...(old.scope ? { from: old.scope } : {}), ...(r.scope ? { to: r.scope } : {}) });
    // An index from before provenance existed says nothing about it: only a real change counts.
    if (old.provenance !== undefined && old.provenance !== r.provenance)
      change.provenances.push({ id: r.id, from: old.provenance, ...(r.provenance ? { to: r.provenance } : {}) });
    if (old.level === r.level && old.text !== r.text) change.reworded.push(r.id);
  }
  for (const r of prev.rules) if (!after.has(r.id)) change.removed.push(r.id);
  return change;
}

/** True when a version change has anything to show. */
export function hasChanges(c: VersionChange): boolean {
  return (
    c.initial ||
    c.added.length + c.removed.length + c.levels.length + c.scopes.length + c.provenances.length + c.reworded.length > 0
  );
}

function git(root: string, args: readonly string[]): string {
  return execFileSync("git", args, {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Every committed version of spec/rules.json, oldest first, or the reason there is none. A
 * version that does not parse (a broken commit) is skipped rather than failing the build.
 */
export function committedVersions(
  root: string,
  indexPath = "spec/rules.json",
): { versions: IndexVersion[]; problem?: string } {
  let log: string;
  try {
    if (git(root, ["rev-parse", "--is-shallow-repository"]).trim() === "true") {
      return {
        versions: [],
        problem:
          "the repository is a shallow clone, so the history of the rule index is incomplete (CI must check out with fetch-depth: 0)",
      };
    }
    log = git(root, ["log", "--reverse", "--format=%H%x1f%cs%x1f%s", "--", indexPath]);
  } catch (err) {
    return { versions: [], problem: `git history is not available (${(err as Error).message.split("\n")[0]})` };
  }
  const versions: IndexVersion[] = [];
  for (const line of log.split("\n")) {
    if (!line.trim()) continue;
    const [sha, date, subject] = line.split("\x1f") as [string, string, string];
    try {
      const rules = JSON.parse(git(root, ["show", `${sha}:${indexPath}`])) as Parameters<typeof snapshotOf>[0][];
      versions.push({ sha, date, subject, rules: rules.map(snapshotOf) });
    } catch {
      // A commit whose index does not parse cannot be compared; the next one is compared with the last good one.
    }
  }
  if (versions.length === 0) return { versions, problem: `${indexPath} has no history in git yet` };
  return { versions };
}

/**
 * The changelog: every committed version compared with the one before, then the working tree's
 * rules compared with the last commit (shown only when they differ), and every Level note.
 */
export function buildChangelog(root: string, current: readonly SpecRule[], today: string): Changelog {
  const { versions, problem } = committedVersions(root);
  const notes = levelNotes(current);
  if (versions.length === 0)
    return { source: "notes-only", historyProblem: problem ?? "no history", versions: [], notes };
  const working: IndexVersion = { date: today, subject: "not committed yet", rules: current.map(snapshotOf) };
  const changes: VersionChange[] = [];
  for (let i = 0; i < versions.length; i++) changes.push(diffVersions(versions[i - 1], versions[i]!));
  const uncommitted = diffVersions(versions[versions.length - 1], working);
  if (hasChanges(uncommitted)) changes.push(uncommitted);
  return { source: "git", versions: changes.filter(hasChanges).reverse(), notes };
}
