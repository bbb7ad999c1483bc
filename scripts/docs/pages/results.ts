/**
 * The results of real implementations under the suite: the reference server (run by this
 * build), the official Node server and python-socketio (checked in by `npm run implementations`),
 * side by side per chapter, then per server every fail, warning, block and error with its case
 * and rules linked, and the raw JSON reports to download.
 */
import type { CaseResult } from "../../../schemas/generated/conformance/report.js";
import { verdictBadge } from "../badges.js";
import { casesByChapter } from "./cases.js";
import { code, details, frontMatter, link, plural, table, text } from "../markdown.js";
import { relativeLink, RESULTS } from "../paths.js";
import type { ServerRun } from "../reports.js";
import { caseLink, ruleLink, type Site } from "../site.js";
import { serverAnchor } from "./anchors.js";

/** Where the reference run's JSON goes in the staging tree (copied into the site for download). */
export const REFERENCE_JSON = "results/reference.json";
/** Where the checked-in page of `npm run implementations` goes in the staging tree (mirrors the repository). */
export const IMPLEMENTATIONS_MD = "docs/implementations.md";

const VERDICTS = ["pass", "fail", "warn", "info", "skip", "blocked", "error"] as const;

/** The staging path of a run's downloadable JSON. */
export function runJsonPath(run: ServerRun): string {
  return run.origin === "checked-in" && run.file ? run.file : REFERENCE_JSON;
}

/** `socket.io 4.8.4, Node 20.20.2`. */
function versionsText(run: ServerRun): string {
  const parts = Object.entries(run.versions).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(", ") : "not recorded";
}

function origin(run: ServerRun): string {
  if (run.origin === "built")
    return "run by this build of the site against the embedded reference server (both configurations, as `npm test` runs it)";
  if (run.origin === "given") return `read from ${code(run.file ?? "a report file")} given to the build`;
  return `checked in as ${code(run.file ?? "")} by \`npm run implementations\``;
}

/** One row per verdict-worthy case of a run: case, rules, reason, expected, observed. */
function problemTable(site: Site, page: string, cases: readonly CaseResult[]): string {
  const rows = cases.map((c) => [
    caseLink(site, page, c.id),
    c.rules.map((r) => ruleLink(site, page, r)).join(", "),
    c.verdict === "blocked" && c.blockedBy
      ? `blocked by ${caseLink(site, page, c.blockedBy.case)} (${ruleLink(site, page, c.blockedBy.rule)})`
      : text(c.reason ?? ""),
    c.expected !== undefined ? code(c.expected) : "",
    c.observed !== undefined ? code(c.observed) : "",
    c.expectation ? text(c.expectation) : "",
  ]);
  return table(["Case", "Rules", "Why", "Expected", "Observed", "Listed as"], rows);
}

/** Where a report and today's suite differ: cases added since it was made, cases it has that are gone. */
function drift(site: Site, page: string, run: ServerRun): string[] {
  const inReport = new Set(run.report.cases.map((c) => c.id));
  const added = site.cases.filter((c) => !inReport.has(c.id)).map((c) => c.id);
  const gone = run.report.cases.filter((c) => !site.caseById.has(c.id)).map((c) => c.id);
  const out: string[] = [];
  if (added.length)
    out.push(
      `This report predates ${plural(added.length, "case")} of today's suite, which it therefore does not judge: ${added.map((id) => caseLink(site, page, id)).join(", ")}.`,
    );
  if (gone.length)
    out.push(
      `It judges ${plural(gone.length, "case")} the suite no longer has: ${gone.map((id) => code(id)).join(", ")}.`,
    );
  return out.length ? [out.join(" "), ""] : [];
}

/** One server's section. */
function serverSection(site: Site, page: string, run: ServerRun): string {
  const s = run.report.summary;
  const out = [
    `## <a id="${serverAnchor(run.key)}"></a>${text(run.title)}`,
    "",
    `Versions: ${text(versionsText(run))}. Run on ${run.date} with sockspec ${text(run.report.tool.version)}, ${origin(run)}. ` +
      `The server advertised pingInterval ${run.report.observed.pingInterval ?? "?"} ms and pingTimeout ${run.report.observed.pingTimeout ?? "?"} ms; ` +
      `${plural(s.total, "case")} in ${(run.report.durationMs / 1000).toFixed(1)} s. ` +
      `Download the report: ${link(text(runJsonPath(run).split("/").pop()!), relativeLink(page, runJsonPath(run)))} (schema: \`schemas/conformance/report.json\`).`,
    "",
    ...run.problems.map((p) => `> **Problem with this report:** ${text(p)}`),
    run.problems.length ? "" : "",
    ...drift(site, page, run),
  ];
  for (const verdict of ["fail", "warn", "blocked", "error"] as const) {
    const cases = run.report.cases.filter((c) => c.verdict === verdict);
    if (!cases.length) continue;
    const heading = {
      fail: "Failures (a MUST broken)",
      warn: "Warnings (a SHOULD broken)",
      blocked: "Blocked (a precondition broken; look at the case named first)",
      error: "Errors (the runner could not finish)",
    }[verdict];
    const body = problemTable(site, page, cases);
    out.push(
      `### ${heading}: ${cases.length}`,
      "",
      cases.length > 25 ? details(`Show all ${cases.length}`, body) : body,
      "",
    );
  }
  const skips = run.report.cases.filter((c) => c.verdict === "skip");
  if (skips.length) {
    const byReason = new Map<string, string[]>();
    for (const c of skips)
      byReason.set(c.reason ?? "no reason given", [...(byReason.get(c.reason ?? "no reason given") ?? []), c.id]);
    const rows = [...byReason].map(([reason, ids]) => [
      text(reason),
      ids.map((id) => caseLink(site, page, id)).join(", "),
    ]);
    out.push(`### Skipped: ${skips.length}`, "", table(["Reason", "Cases"], rows), "");
  }
  return out.join("\n");
}

/** The verdicts of one chapter on one server: `41 ✓ · 2 fail · 1 warn`. */
function chapterCell(results: readonly CaseResult[]): string {
  if (!results.length) return "—";
  const count = (v: string) => results.filter((r) => r.verdict === v).length;
  const parts = [`${count("pass") + count("info")}/${results.length}`];
  for (const v of ["fail", "warn", "blocked", "error", "skip"] as const) if (count(v)) parts.push(`${count(v)} ${v}`);
  return parts.join(" · ");
}

/** The results page; `withImplementationsPage`: docs/implementations.md is shown as its child. */
export function resultsPage(site: Site, withImplementationsPage: boolean): string {
  const page = RESULTS.md;
  const runs = site.runs;
  const summaryRows = runs.map((run) => [
    link(text(run.title), `#${serverAnchor(run.key)}`),
    text(versionsText(run)),
    run.date,
    VERDICTS.filter((v) => run.report.summary[v])
      .map((v) => `${run.report.summary[v]}&nbsp;${verdictBadge(v)}`)
      .join(" "),
    link("JSON", relativeLink(page, runJsonPath(run))),
  ]);
  const chapters = casesByChapter(site.cases);
  const chapterRows = [...chapters].map(([chapter, list]) => {
    const ids = new Set(list.map((c) => c.id));
    return [text(chapter), ...runs.map((run) => chapterCell(run.report.cases.filter((c) => ids.has(c.id))))];
  });
  // Cases on which the servers do not all agree: where an implementer learns the most.
  const disagreements = site.cases.filter((c) => {
    const verdicts = new Set((site.results.get(c.id) ?? []).map((r) => r.result.verdict));
    return verdicts.size > 1;
  });
  const disagreementRows = disagreements.map((c) => [
    caseLink(site, page, c.id),
    ...runs.map((run) => {
      const r = run.report.cases.find((x) => x.id === c.id);
      return r ? verdictBadge(r.verdict, r.reason) : "—";
    }),
  ]);
  const v3 = site.cases.some((c) => c.id.startsWith("eio3.") || c.id.startsWith("sio4."));
  return [
    frontMatter({
      title: "Implementations",
      path: RESULTS.html,
      children: withImplementationsPage ? [relativeLink(page, IMPLEMENTATIONS_MD)] : [],
    }),
    "# Real implementations under the suite",
    "",
    "How servers fare under the conformance suite, case by case, with every failure linked to its case page and to the rules it breaks.",
    "These are **raw verdicts**: no expectations file is applied, so every deviation shows. Each server runs",
    `[the echo contract](${relativeLink(page, "docs/echo-contract.md")}) at short timings (pingInterval 300 ms, pingTimeout 200 ms).`,
    "",
    table(["Server", "Versions", "Date", `Verdicts of ${site.cases.length} cases`, "Report"], summaryRows),
    "",
    v3
      ? ""
      : "Socket.IO 2.x (Engine.IO v3 with Socket.IO v4) will join this table once the suite has cases for the `engine.io-v3.md` and `socket.io-v4.md` chapters; today those rules are specified but no case checks them.",
    "",
    withImplementationsPage
      ? `The page written by \`npm run implementations\` itself, with each server's setup, is ${link("here", relativeLink(page, IMPLEMENTATIONS_MD))}.`
      : "",
    "",
    "## By chapter",
    "",
    "Passed (pass or info) of total, then the other verdicts.",
    "",
    table(["Chapter", ...runs.map((r) => text(r.title))], chapterRows),
    "",
    `## Where the servers disagree: ${disagreements.length}`,
    "",
    disagreements.length
      ? details(
          `Show the ${plural(disagreements.length, "case")}`,
          table(["Case", ...runs.map((r) => text(r.title))], disagreementRows),
        )
      : "All servers give every case the same verdict.",
    "",
    ...runs.map((run) => serverSection(site, page, run)),
  ].join("\n");
}
