/**
 * A catalogue diff as a report: the changes, the semantic-version bump they imply, whether the
 * declared versions agree, and renderings as JSON (for tools), Markdown (for a pull request) and
 * text (for a terminal).
 */
import type { EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { classifyChanges, groupText, type CatalogueChange, type Level, type Provider } from "./classify.js";

/** The version bump a set of changes needs. */
export type Bump = "major" | "minor" | "patch" | "none";

/** The declared versions, checked against the bump. */
export interface VersionCheck {
  old: string;
  new: string;
  /** The smallest version that fits the changes. */
  required: string;
  ok: boolean;
}

/** A whole diff. */
export interface DiffReport {
  old: string;
  new: string;
  provider: Provider;
  bump: Bump;
  counts: Record<Level, number>;
  /** Present when both catalogues declare a version. */
  version?: VersionCheck;
  changes: CatalogueChange[];
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)/;

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * The smallest version after `old` that fits `bump`. Below 1.0.0 the usual convention applies: a
 * breaking change moves the minor number, anything else the patch number.
 */
export function requiredVersion(old: string, bump: Bump): string {
  const m = SEMVER.exec(old);
  if (!m) return old;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (bump === "none") return `${major}.${minor}.${patch}`;
  if (major === 0) return bump === "major" ? `0.${minor + 1}.0` : `0.${minor}.${patch + 1}`;
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Compares two checked catalogues. */
export function diffCatalogues(
  old: { file: string; catalogue: EventCatalogue },
  next: { file: string; catalogue: EventCatalogue },
  provider: Provider = "server",
): DiffReport {
  const changes = classifyChanges(old.catalogue, next.catalogue, provider);
  const counts: Record<Level, number> = { breaking: 0, compatible: 0, docs: 0 };
  for (const c of changes) counts[c.level]++;
  const bump: Bump = counts.breaking ? "major" : counts.compatible ? "minor" : counts.docs ? "patch" : "none";
  const report: DiffReport = { old: old.file, new: next.file, provider, bump, counts, changes };
  const a = old.catalogue.version;
  const b = next.catalogue.version;
  if (a !== undefined && b !== undefined) {
    const required = requiredVersion(a, bump);
    const parse = (v: string) => (SEMVER.exec(v) ?? []).slice(1, 4).map(Number);
    report.version = { old: a, new: b, required, ok: compareVersions(parse(b), parse(required)) >= 0 };
  }
  return report;
}

const LEVEL_MARK: Record<Level, string> = { breaking: "✗ breaking", compatible: "✓ compatible", docs: "· docs" };

function subject(c: CatalogueChange): string {
  if (c.event !== undefined && c.group)
    return `${c.namespace} ${groupText(c.group)} "${c.event}"${c.part ? ` ${c.part}` : ""}`;
  if (c.namespace !== undefined) return `namespace ${c.namespace}`;
  return "catalogue";
}

function summaryLine(report: DiffReport): string {
  const { counts } = report;
  const parts = `${counts.breaking} breaking, ${counts.compatible} compatible, ${counts.docs} documentation`;
  const version = report.version
    ? report.version.ok
      ? `; version ${report.version.old} → ${report.version.new} fits`
      : `; version ${report.version.old} → ${report.version.new} is too small: ${report.version.required} or above`
    : "";
  return `${parts}: needs a ${report.bump === "none" ? "no new" : report.bump} version${version}`;
}

/** Plain text for a terminal. */
export function reportText(report: DiffReport): string {
  const lines = [`${report.old} → ${report.new} (the ${report.provider} deploys first)`, summaryLine(report)];
  if (report.changes.length) lines.push("");
  for (const c of report.changes)
    lines.push(`${LEVEL_MARK[c.level]}  ${subject(c)}: ${c.message}`, `    at ${c.pointer}`);
  return lines.join("\n") + "\n";
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Markdown, for a pull request comment. */
export function reportMarkdown(report: DiffReport): string {
  const lines = [
    `### Catalogue changes: \`${report.old}\` → \`${report.new}\``,
    "",
    `**${summaryLine(report)}.** Judged with the ${report.provider} deploying first.`,
  ];
  if (report.changes.length) {
    lines.push("", "| | where | change | pointer |", "|---|---|---|---|");
    for (const c of report.changes)
      lines.push(`| ${LEVEL_MARK[c.level]} | ${cell(subject(c))} | ${cell(c.message)} | \`${cell(c.pointer)}\` |`);
  }
  return lines.join("\n") + "\n";
}
