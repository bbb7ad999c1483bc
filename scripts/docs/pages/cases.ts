/**
 * The case catalogue, generated from the runner's own metadata (`allCases`): an index of the
 * runner's chapters, one page per chapter, and one page per case with its rules, level and
 * requirements, the one command that runs just it, what it sends and what a conforming server
 * answers (the wire transcript of the reference server passing it), and how every server the
 * site knows fares on it. The reporters link failing cases to these pages.
 */
import { levelBadge, provenanceBadge, scopeBadge, verdictBadge } from "../badges.js";
import type { CaseMeta } from "../coverage.js";
import { code, fence, frontMatter, link, plural, safeProse, table, text } from "../markdown.js";
import { casePage, caseChapterPage, CASE_INDEX, relativeLink, RESULTS } from "../paths.js";
import { caseLink, ruleLink, type Site } from "../site.js";
import { transcriptBlock } from "../transcript.js";
import { serverAnchor } from "./anchors.js";
import { linkRuleIds } from "./spec.js";

/** The command that runs one case against a server. */
export function runOneCommand(id: string): string {
  return `npx sockspec test http://localhost:3000 --only ${id}`;
}

/** The runner's chapters in suite order, with their cases. */
export function casesByChapter(cases: readonly CaseMeta[]): Map<string, CaseMeta[]> {
  const map = new Map<string, CaseMeta[]>();
  for (const c of cases) map.set(c.chapter, [...(map.get(c.chapter) ?? []), c]);
  return map;
}

/** The verdict of a case on the reference server, as a badge, or a dash. */
function referenceVerdict(site: Site, id: string): string {
  const ref = site.results.get(id)?.find((r) => r.run.key === "reference");
  return ref ? verdictBadge(ref.result.verdict, ref.result.reason) : "—";
}

/** The catalogue's front page: chapters with their counts. */
export function caseIndexPage(site: Site): string {
  const page = CASE_INDEX.md;
  const chapters = casesByChapter(site.cases);
  const rows = [...chapters].map(([chapter, list]) => {
    const count = (l: string) => list.filter((c) => c.level === l).length;
    return [
      link(text(chapter), relativeLink(page, caseChapterPage(chapter).md)),
      String(list.length),
      `${count("MUST")} / ${count("SHOULD")} / ${count("MAY")}`,
      String(list.filter((c) => c.timing === "waits").length),
    ];
  });
  return [
    frontMatter({
      title: "Case catalogue",
      path: CASE_INDEX.html,
      children: [...chapters.keys()].map((c) => relativeLink(page, caseChapterPage(c).md)),
    }),
    "# The case catalogue",
    "",
    `The conformance suite has ${plural(site.cases.length, "case")} in ${plural(chapters.size, "chapter")}. Each case checks one or more rules of the spec, at the level of the strongest of them,`,
    "and needs the server to offer some features (a transport, the echo contract, CORS…); without them it is skipped, with the reason.",
    "This list is generated from the runner's own metadata, so it is exactly what `npx sockspec test --list` runs.",
    "",
    "Run one case, or a chapter, against your server:",
    "",
    fence(
      [
        "npx sockspec test http://localhost:3000 --only eio4.handshake.polling-status",
        "npx sockspec test http://localhost:3000 --only 'eio4.upgrade.*'",
        "npx sockspec test http://localhost:3000 --list --only 'sio5.**'",
      ].join("\n"),
      "sh",
    ),
    "",
    table(["Chapter", "Cases", "MUST / SHOULD / MAY", "Waiting on a timer"], rows),
    "",
    "**Verdicts**: " +
      [
        `${verdictBadge("pass")} the server conforms`,
        `${verdictBadge("fail")} a MUST is broken`,
        `${verdictBadge("warn")} a SHOULD is broken (a failure under \`--strict\`)`,
        `${verdictBadge("info")} a value was observed`,
        `${verdictBadge("skip")} the server does not offer what the case needs`,
        `${verdictBadge("blocked")} something the case needs on the way is broken; the case that checks it is named`,
        `${verdictBadge("error")} the runner could not finish the case`,
      ].join("; ") +
      ".",
    "",
  ].join("\n");
}

/** One runner chapter: its cases with their level, rules and reference verdict. */
export function caseChapterPageText(site: Site, chapter: string, list: readonly CaseMeta[]): string {
  const page = caseChapterPage(chapter).md;
  const rows = list.map((c) => [
    caseLink(site, page, c.id),
    text(c.title),
    levelBadge(c.level),
    c.rules.map((r) => ruleLink(site, page, r)).join(", "),
    (c.requires ?? []).map((f) => code(f)).join(" ") || "—",
    referenceVerdict(site, c.id),
  ]);
  return [
    frontMatter({
      title: chapter,
      path: caseChapterPage(chapter).html,
      children: list.map((c) => relativeLink(page, casePage(c.id).md)),
    }),
    `# ${text(chapter)}`,
    "",
    `${plural(list.length, "case")}. Run them all: ${code(`npx sockspec test http://localhost:3000 --only '${chapterGlob(list)}'`)}`,
    "",
    table(["Case", "The server…", "Level", "Rules", "Needs", "Reference"], rows),
    "",
  ].join("\n");
}

/** The narrowest `--only` glob that selects a chapter's cases: their common dotted prefix. */
export function chapterGlob(list: readonly CaseMeta[]): string {
  const split = list.map((c) => c.id.split("."));
  const prefix: string[] = [];
  for (let i = 0; ; i++) {
    const seg = split[0]?.[i];
    if (seg === undefined || !split.every((s) => s[i] === seg && s.length > i + 1)) break;
    prefix.push(seg);
  }
  return prefix.length ? `${prefix.join(".")}.**` : "**";
}

/** The results of one case on every server, with expected and observed where they differ. */
function resultsSection(site: Site, page: string, c: CaseMeta): string[] {
  const results = site.results.get(c.id) ?? [];
  if (!results.length) return ["No server's report in this build includes this case yet."];
  const rows = results.map(({ run, result }) => {
    const why =
      result.verdict === "blocked" && result.blockedBy
        ? `blocked by ${caseLink(site, page, result.blockedBy.case)} (${ruleLink(site, page, result.blockedBy.rule)})${result.reason ? `: ${text(result.reason)}` : ""}`
        : result.reason
          ? text(result.reason)
          : "";
    return [
      link(text(run.title), relativeLink(page, RESULTS.md, serverAnchor(run.key))),
      verdictBadge(result.verdict) +
        (result.expectation ? ` <span class="ss-note">${text(result.expectation)}</span>` : ""),
      why,
      result.expected !== undefined ? code(result.expected) : "",
      result.observed !== undefined ? code(result.observed) : "",
    ];
  });
  return [table(["Server", "Verdict", "Why", "Expected", "Observed"], rows)];
}

/** What the case sends and what a conforming server answers: the reference server's transcript. */
function wireSection(site: Site, c: CaseMeta): string[] {
  const ref = site.results.get(c.id)?.find((r) => r.run.key === "reference");
  if (!ref) return ["This build has no reference-server run, so there is no transcript to show."];
  const { run, result } = ref;
  const lead =
    result.verdict === "pass"
      ? `The reference server passes this case; this is what crossed the wire in that run (${run.date}). Lines starting → and ⇢ are what the case sends, ← and ⇠ what the server answers; times are from the start of the case.`
      : result.verdict === "info"
        ? `The reference server reports the value this case observes (${text(result.reason ?? "")}); this is what crossed the wire in that run (${run.date}).`
        : result.verdict === "skip"
          ? `The reference server run skipped this case (${text(result.reason ?? "")}), so there is no transcript of a conforming answer.`
          : `The reference server did not pass this case in this build (${result.verdict}: ${text(result.reason ?? "")}); the transcript below is that run, not a conforming one.`;
  if (!result.transcript.length)
    return [lead, "", result.verdict === "skip" ? "" : "The report this build read keeps no transcript for this case."];
  return [lead, "", fence(transcriptBlock(result.transcript, run.report.target.url))];
}

/** Rules the case checks, each with its level, provenance and text. */
function rulesSection(site: Site, page: string, c: CaseMeta): string[] {
  return c.rules.map((id) => {
    const rule = site.rules.get(id);
    if (!rule) return `- ${ruleLink(site, page, id)}`;
    const badges = [
      levelBadge(rule.level),
      rule.scope ? scopeBadge(rule.scope) : "",
      rule.provenance ? provenanceBadge(rule.provenance.kind) : "",
    ]
      .filter(Boolean)
      .join(" ");
    return `- ${ruleLink(site, page, id)} ${badges} ${linkRuleIds(site, page, safeProse(rule.text), id)}`;
  });
}

/** Other cases that check the same rules, and cases that runs show this one blocks. */
function relatedSection(site: Site, page: string, c: CaseMeta): string[] {
  const siblings = [...new Set(c.rules.flatMap((r) => (site.byRule.get(r) ?? []).map((x) => x.id)))].filter(
    (id) => id !== c.id,
  );
  const blocks = new Set<string>();
  for (const [id, list] of site.results)
    for (const { result } of list) if (result.blockedBy?.case === c.id) blocks.add(id);
  const out: string[] = [];
  if (siblings.length)
    out.push(`- Other cases on the same rules: ${siblings.map((id) => caseLink(site, page, id)).join(", ")}`);
  if (blocks.size)
    out.push(
      `- Blocked by this case when it fails (seen in the reports): ${[...blocks].map((id) => caseLink(site, page, id)).join(", ")}`,
    );
  return out.length ? ["## Related", "", ...out, ""] : [];
}

/** One case's page. */
export function casePageText(site: Site, c: CaseMeta): string {
  const page = casePage(c.id).md;
  const requires = (c.requires ?? []).map((f) => code(f)).join(", ");
  return [
    frontMatter({ title: c.id, path: casePage(c.id).html }),
    `# ${text(c.id)}`,
    "",
    `**${text(c.title)}**`,
    "",
    `<span class="ss-rule-meta">${levelBadge(c.level)} · chapter ${link(text(c.chapter), relativeLink(page, caseChapterPage(c.chapter).md))} · ${requires ? `needs ${requires}` : "needs nothing beyond a handshake"} · ${c.timing === "waits" ? "waits on a protocol timer" : "instant"}</span>`,
    "",
    "Run just this case against your server:",
    "",
    fence(runOneCommand(c.id), "sh"),
    "",
    `## What it checks`,
    "",
    ...rulesSection(site, page, c),
    "",
    "## What it sends, and what a conforming server answers",
    "",
    ...wireSection(site, c),
    "",
    "## Results",
    "",
    ...resultsSection(site, page, c),
    "",
    ...relatedSection(site, page, c),
  ].join("\n");
}
