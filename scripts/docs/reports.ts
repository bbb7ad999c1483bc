/**
 * The conformance reports the site publishes, one per server:
 *
 * - the reference server: by default the build runs the whole suite against the embedded
 *   reference server (both configurations, as `npm test` does; a few seconds), so the site
 *   always shows the cases as they are today, with the wire transcript each case page shows as
 *   "what it sends"; `--reference-report file.json` uses a report made elsewhere instead;
 * - real implementations: the JSON reports `npm run implementations` checks in under
 *   docs/implementations/, with the title and versions that docs/implementations.md gives them.
 *
 * Every report is checked against schemas/conformance/report.json; one that does not fit is
 * still shown, with the problem named, because a site that hides a bad report hides a bug.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runFullSuite } from "../../conformance/mutants/full-suite.js";
import { referenceStarter } from "../../conformance/mutants/servers.js";
import { EMBEDDED_TIMINGS } from "../../conformance/runner/embedded.js";
import { toolVersion } from "../../conformance/runner/version.js";
import { describeErrors, validator } from "../../protocol/validators.js";
import type { ConformanceReport } from "../../schemas/generated/conformance/report.js";

/** One server's results as the site shows them. */
export interface ServerRun {
  /** Stable key, used in file names and anchors: `reference`, `official-node`, `python-socketio`. */
  key: string;
  /** What ran, e.g. `python-socketio 5.7.2 + python-engineio 4.3.4`. */
  title: string;
  /** Package or runtime → version. */
  versions: Record<string, string>;
  /** The day the run started (YYYY-MM-DD). */
  date: string;
  /** How the site got the report: run by this build, or checked in by `npm run implementations`. */
  origin: "built" | "checked-in" | "given";
  /** Path of the report relative to the repository root, for a checked-in or given report. */
  file?: string;
  report: ConformanceReport;
  /** Problems with the report itself (does not fit its schema, metadata not found). */
  problems: string[];
}

const validateReport = validator<ConformanceReport>("conformance/report.json");

function schemaProblems(report: unknown): string[] {
  return validateReport(report)
    ? []
    : [`does not fit schemas/conformance/report.json: ${describeErrors(validateReport.errors)}`];
}

/** The whole suite against the embedded reference server, as test/reference-suite.test.ts runs it. */
export async function runReference(log: (line: string) => void): Promise<ServerRun> {
  const report = await runFullSuite(referenceStarter(), {
    upgradeTimeout: EMBEDDED_TIMINGS.upgradeTimeout,
    // A timing case the runner could not judge because the machine stalled it is run again.
    retryInconclusive: 2,
    onRetry: (r) => log(`reference run: re-running ${r.id} (the runner stalled)`),
  });
  return referenceRun(report, "built");
}

/** A reference-server report read from a file (`--reference-report`). */
export function loadReferenceReport(file: string, root: string): ServerRun {
  const report = JSON.parse(readFileSync(file, "utf8")) as ConformanceReport;
  return { ...referenceRun(report, "given"), file: file.startsWith(root) ? file.slice(root.length + 1) : file };
}

function referenceRun(report: ConformanceReport, origin: ServerRun["origin"]): ServerRun {
  return {
    key: "reference",
    title: `sockspec reference server ${report.tool.version}`,
    versions: { sockspec: report.tool.version, ...(origin === "built" ? { Node: process.versions.node } : {}) },
    date: report.startedAt.slice(0, 10),
    origin,
    report,
    problems: schemaProblems(report),
  };
}

/** Title and versions of one report, as docs/implementations.md gives them. */
interface ReportMeta {
  title: string;
  versions: Record<string, string>;
}

/**
 * Reads docs/implementations.md for the section that links each JSON report: its `## ` heading
 * is the server's title, its `Versions:` line the versions (`socket.io 4.8.4, Node 20.20.2.`).
 */
export function implementationsMeta(markdown: string): Map<string, ReportMeta> {
  const meta = new Map<string, ReportMeta>();
  for (const section of markdown.split(/\n(?=## )/)) {
    const title = /^## (.+)$/m.exec(section)?.[1]?.trim();
    if (!title) continue;
    const versionsLine = /^Versions: (.+?)\.?$/m.exec(section)?.[1];
    const versions: Record<string, string> = {};
    for (const part of versionsLine?.split(/,\s*/) ?? []) {
      const space = part.lastIndexOf(" ");
      if (space > 0) versions[part.slice(0, space)] = part.slice(space + 1);
    }
    for (const m of section.matchAll(/\]\(implementations\/([^)#\s]+\.json)\)/g)) meta.set(m[1]!, { title, versions });
  }
  return meta;
}

/** The reports checked in under docs/implementations/, in the order docs/implementations.md lists them. */
export function loadImplementations(root: string): ServerRun[] {
  const dir = join(root, "docs", "implementations");
  if (!existsSync(dir)) return [];
  const mdFile = join(root, "docs", "implementations.md");
  const meta = existsSync(mdFile) ? implementationsMeta(readFileSync(mdFile, "utf8")) : new Map<string, ReportMeta>();
  const order = [...meta.keys()];
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  files.sort((a, b) => (order.indexOf(a) + 1 || Infinity) - (order.indexOf(b) + 1 || Infinity) || a.localeCompare(b));
  return files.map((name) => {
    const problems: string[] = [];
    let report: ConformanceReport;
    try {
      report = JSON.parse(readFileSync(join(dir, name), "utf8")) as ConformanceReport;
    } catch (err) {
      throw new Error(`docs/implementations/${name} is not JSON: ${(err as Error).message}`);
    }
    problems.push(...schemaProblems(report));
    const m = meta.get(name);
    if (!m)
      problems.push("docs/implementations.md does not describe this report, so its title and versions are unknown");
    return {
      key: basename(name, ".json"),
      title: m?.title ?? basename(name, ".json"),
      versions: m?.versions ?? {},
      date: report.startedAt.slice(0, 10),
      origin: "checked-in" as const,
      file: `docs/implementations/${name}`,
      report,
      problems,
    };
  });
}

/**
 * The copy of a report the site offers for download: transcripts only where a reader needs
 * them (fail, warn, blocked, error), as `npm run implementations` publishes its own, so that
 * the file stays small enough to open.
 */
export function publishedReport(report: ConformanceReport): ConformanceReport {
  const keep = new Set(["fail", "warn", "blocked", "error"]);
  return { ...report, cases: report.cases.map((c) => (keep.has(c.verdict) ? c : { ...c, transcript: [] })) };
}

/** The sockspec version this build documents. */
export function siteVersion(): string {
  return toolVersion();
}
