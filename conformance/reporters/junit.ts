/**
 * The JUnit XML reporter, for CI systems that chart test results: one <testsuite> per spec
 * chapter, one <testcase> per case. fail → <failure>, error → <error>, skip → <skipped>,
 * blocked → <skipped> whose message names the case that checks the broken precondition;
 * warn and info pass, with the warning or the observed value in <system-out> and a property,
 * because a broken SHOULD is not a failure unless the run is --strict (then it arrives as fail).
 * Every case but a pass, info or skip names its page on the docs site (property `docs`).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { casePageUrl, DEFAULT_DOCS_BASE_URL, LINKED_VERDICTS, type DocsLinkOptions } from "./docs-links.js";
import { specRule, type RuleLookup } from "./rule-text.js";
import { transcriptLines } from "./transcript-text.js";
import { escapeXml, openTag } from "./xml.js";
import type { CaseResult, ConformanceReport, Reporter, ReporterOptions } from "./types.js";

/** File name the reporter writes in the output directory. */
export const JUNIT_FILE = "conformance.junit.xml";

/** Options of the JUnit reporter. */
export interface JUnitOptions extends ReporterOptions, DocsLinkOptions {
  rules?: RuleLookup;
  fileName?: string;
}

/** Creates the JUnit reporter; it writes `<outDir>/conformance.junit.xml` when the run ends. */
export function createJUnitReporter(options: JUnitOptions): Reporter {
  return {
    async onEnd(report) {
      await mkdir(options.outDir, { recursive: true });
      await writeFile(
        join(options.outDir, options.fileName ?? JUNIT_FILE),
        renderJUnit(report, options.rules, options),
        "utf8",
      );
    },
  };
}

/**
 * The whole JUnit document for a report. Every fail, warn, blocked and error case carries a
 * `docs` property and a `docs:` line with the URL of its page on the docs site.
 */
export function renderJUnit(
  report: ConformanceReport,
  lookup: RuleLookup = specRule,
  links: DocsLinkOptions = {},
): string {
  const docs = links.docsBaseUrl ?? DEFAULT_DOCS_BASE_URL;
  const chapters = new Map<string, CaseResult[]>();
  for (const c of report.cases) {
    const list = chapters.get(c.chapter) ?? [];
    list.push(c);
    chapters.set(c.chapter, list);
  }
  const s = report.summary;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    openTag("testsuites", {
      name: `sockspec conformance: ${report.target.url}${report.target.path}`,
      tests: report.cases.length,
      failures: s.fail,
      errors: s.error,
      skipped: s.skip + (s.blocked ?? 0),
      time: seconds(report.durationMs),
      timestamp: report.startedAt,
    }),
  );
  for (const [chapter, cases] of chapters) out.push(renderSuite(report, chapter, cases, lookup, docs));
  out.push("</testsuites>", "");
  return out.join("\n");
}

function renderSuite(
  report: ConformanceReport,
  chapter: string,
  cases: CaseResult[],
  lookup: RuleLookup,
  docs: string | false,
): string {
  const count = (v: CaseResult["verdict"]) => cases.filter((c) => c.verdict === v).length;
  const lines = [
    "  " +
      openTag("testsuite", {
        name: chapter,
        tests: cases.length,
        failures: count("fail"),
        errors: count("error"),
        skipped: count("skip") + count("blocked"),
        time: seconds(cases.reduce((sum, c) => sum + c.durationMs, 0)),
        timestamp: report.startedAt,
      }),
  ];
  for (const c of cases) lines.push(renderCase(c, lookup, docs));
  lines.push("  </testsuite>");
  return lines.join("\n");
}

function renderCase(c: CaseResult, lookup: RuleLookup, docs: string | false): string {
  const head =
    "    " + openTag("testcase", { classname: c.chapter, name: `${c.id} — ${c.title}`, time: seconds(c.durationMs) });
  const body: string[] = [];
  const props: [string, string][] = [
    ["level", c.level],
    ["rules", c.rules.join(" ")],
    ["verdict", c.verdict],
  ];
  if (c.expectation) props.push(["expectation", c.expectation]);
  if (c.blockedBy) props.push(["blocked-by", `${c.blockedBy.case} ${c.blockedBy.rule}`]);
  if (c.verdict === "warn") props.push(["warning", c.reason ?? "a SHOULD rule is not met"]);
  if (c.verdict === "info" && c.reason) props.push(["observed", c.reason]);
  const page = LINKED_VERDICTS.has(c.verdict) ? casePageUrl(c.id, docs) : undefined;
  if (page) props.push(["docs", page]);
  body.push("      <properties>");
  for (const [name, value] of props) body.push("        " + openTag("property", { name, value }, true));
  body.push("      </properties>");
  const reason = c.reason ?? c.verdict;
  switch (c.verdict) {
    case "fail":
      body.push(
        `      ${openTag("failure", { message: reason, type: c.level })}${text(detailText(c, lookup, docs))}</failure>`,
      );
      break;
    case "error":
      body.push(
        `      ${openTag("error", { message: reason, type: "runner" })}${text(detailText(c, lookup, docs))}</error>`,
      );
      break;
    case "skip":
      body.push("      " + openTag("skipped", { message: reason }, true));
      break;
    case "blocked":
      body.push("      " + openTag("skipped", { message: reason }, true));
      body.push(
        `      <system-out>${text(`BLOCKED (not a failure: see ${c.blockedBy?.case ?? "the case named"})\n${detailText(c, lookup, docs)}`)}</system-out>`,
      );
      break;
    case "warn":
      body.push(
        `      <system-out>${text(`WARNING (${c.level} not met, not a failure without --strict)\n${detailText(c, lookup, docs)}`)}</system-out>`,
      );
      break;
    case "info":
      if (c.reason) body.push(`      <system-out>${text(`observed: ${c.reason}`)}</system-out>`);
      break;
    case "pass":
      break;
  }
  return [head, ...body, "    </testcase>"].join("\n");
}

/** The plain-text detail of a case: reason, rules with their text, expected/observed, its docs page, transcript. */
export function detailText(
  c: CaseResult,
  lookup: RuleLookup = specRule,
  docs: string | false = DEFAULT_DOCS_BASE_URL,
): string {
  const lines: string[] = [];
  if (c.reason) lines.push(`reason: ${c.reason}`);
  for (const id of c.rules) {
    const rule = lookup(id);
    lines.push(rule ? `${id} (${rule.level}): ${rule.text}` : `${id}: (not in this spec)`);
  }
  if (c.expected !== undefined) lines.push(`expected: ${c.expected}`);
  if (c.observed !== undefined) lines.push(`observed: ${c.observed}`);
  const page = casePageUrl(c.id, docs);
  if (page) lines.push(`docs: ${page}`);
  if (c.transcript.length) {
    lines.push("transcript:");
    for (const l of transcriptLines(c.transcript, { maxBody: 2000 })) lines.push(`  ${l}`);
  }
  return lines.join("\n");
}

function text(t: string): string {
  return escapeXml(t, false);
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
