/**
 * The rule × case matrix: for every chapter of every spec file, which cases check which rules,
 * and the coverage that follows, per level. A rule counts as checked when at least one case
 * cites it; rules that bind only clients or deployments are listed but not counted, since no
 * test of a server can observe them. Each chapter has the list form (rule → cases) and a grid.
 */
import { levelBadge, provenanceBadge, scopeBadge } from "../badges.js";
import { sumCoverage, unknownCitations, type ChapterCoverage } from "../coverage.js";
import { details, escapeHtml, frontMatter, link, percent, plural, table, text } from "../markdown.js";
import { casePage, MATRIX, relativeLink, specPage } from "../paths.js";
import { caseLink, ruleLink, specLabel, type Site } from "../site.js";
import { chapterAnchor } from "./anchors.js";
import { githubSlug } from "./spec.js";

/** `MUST 12/14`: covered of total at one level, or a dash when the chapter has none. */
function levelCell(c: Pick<ChapterCoverage, "byLevel">, level: "MUST" | "SHOULD" | "MAY"): string {
  const l = c.byLevel[level];
  return l.total ? `${l.covered}/${l.total}` : "—";
}

/** `10/11 · 2/4 · —`: covered of total per level. */
function byLevel(c: Pick<ChapterCoverage, "byLevel">): string {
  return [levelCell(c, "MUST"), levelCell(c, "SHOULD"), levelCell(c, "MAY")].join("&nbsp;·&nbsp;");
}

/** A link to a chapter's heading on its spec page. */
function chapterLink(page: string, cov: ChapterCoverage): string {
  const heading = cov.spec.headings.get(cov.chapter) ?? cov.chapter;
  return link(text(cov.chapter), relativeLink(page, specPage(cov.spec.name).md, githubSlug(heading)));
}

/** The grid of one chapter: rules down, the cases that check them across. */
function grid(site: Site, page: string, cov: ChapterCoverage): string {
  const caseIds = [...new Set(cov.rules.flatMap((r) => (site.byRule.get(r.id) ?? []).map((c) => c.id)))];
  if (!caseIds.length) return "";
  const head = caseIds
    .map(
      (id) =>
        `<th class="ss-col"><a href="${escapeHtml(relativeLink(page, casePage(id).md))}" title="${escapeHtml(site.caseById.get(id)?.title ?? id)}"><span>${escapeHtml(id.split(".").slice(1).join("."))}</span></a></th>`,
    )
    .join("");
  const rows = cov.rules.map((r) => {
    const checked = new Set((site.byRule.get(r.id) ?? []).map((c) => c.id));
    const cells = caseIds
      .map((id) =>
        checked.has(id) ? `<td class="ss-hit" title="${escapeHtml(`${id} checks ${r.id}`)}">●</td>` : "<td></td>",
      )
      .join("");
    const rowHead = `<th><a href="${escapeHtml(relativeLink(page, specPage(r.spec).md, r.id))}">${escapeHtml(r.id)}</a> <span class="ss-lvl">${escapeHtml(r.level)}</span></th>`;
    return `<tr${checked.size || r.scope ? "" : ' class="ss-uncovered"'}>${rowHead}${cells}</tr>`;
  });
  return `<div class="ss-grid-wrap"><table class="ss-grid"><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

/** One chapter: coverage line, rule → cases table, and the grid. */
function chapterSection(site: Site, page: string, cov: ChapterCoverage): string {
  const rows = cov.rules.map((r) => {
    const cases = site.byRule.get(r.id) ?? [];
    const checkedBy = cases.length
      ? cases.map((c) => caseLink(site, page, c.id)).join(", ")
      : r.scope
        ? `<span class="ss-note">not observable (binds the ${r.scope})</span>`
        : `<span class="ss-gap">none yet</span>`;
    const badges = [
      levelBadge(r.level),
      r.scope ? scopeBadge(r.scope) : "",
      r.provenance ? provenanceBadge(r.provenance.kind) : "",
    ]
      .filter(Boolean)
      .join(" ");
    return [ruleLink(site, page, r.id), badges, String(cases.length), checkedBy];
  });
  const g = grid(site, page, cov);
  return [
    `### <a id="${chapterAnchor(cov.spec.name, cov.chapter)}"></a>${text(specLabel(cov.spec))} — ${text(cov.chapter)}`,
    "",
    `${chapterLink(page, cov)}: ${cov.covered} of ${plural(cov.total, "server rule")} checked (${percent(cov.covered, cov.total)}); MUST ${levelCell(cov, "MUST")}, SHOULD ${levelCell(cov, "SHOULD")}, MAY ${levelCell(cov, "MAY")}${cov.outOfScope.length ? `; ${plural(cov.outOfScope.length, "rule")} binding clients or deployments` : ""}.`,
    "",
    table(["Rule", "Level", "Cases", "Checked by"], rows),
    "",
    g ? details("The same as a grid (rules × cases)", g) : "",
    "",
  ].join("\n");
}

/** The matrix page. */
export function matrixPage(site: Site): string {
  const page = MATRIX.md;
  const summary: string[] = [];
  for (const file of site.spec) {
    const chapters = site.coverage.filter((c) => c.spec === file);
    const sum = sumCoverage(chapters);
    const rows = chapters.map((cov) => [
      link(text(cov.chapter), `#${chapterAnchor(file.name, cov.chapter)}`),
      `${cov.covered}/${cov.total}`,
      `**${percent(cov.covered, cov.total)}**`,
      byLevel(cov),
      cov.outOfScope.length ? String(cov.outOfScope.length) : "—",
    ]);
    rows.push([
      "**all chapters**",
      `**${sum.covered}/${sum.total}**`,
      `**${percent(sum.covered, sum.total)}**`,
      byLevel(sum),
      sum.outOfScope ? String(sum.outOfScope) : "—",
    ]);
    summary.push(
      `### ${link(text(file.title), relativeLink(page, specPage(file.name).md))}`,
      "",
      table(["Chapter", "Checked", "Coverage", "MUST · SHOULD · MAY", "Not observable"], rows),
      "",
    );
  }
  const all = sumCoverage(site.coverage);
  const unknown = unknownCitations(site.cases, new Set(site.rules.keys()));
  return [
    frontMatter({ title: "Rule × case matrix", path: MATRIX.html }),
    "# Rule × case matrix",
    "",
    `Which of the spec's ${plural(site.rules.size, "rule")} the ${plural(site.cases.length, "case")} of the suite check, read from each case's own list of rules.`,
    `A rule counts as **checked** when at least one case cites it. Rules that bind only clients or deployments (${all.outOfScope} of them) cannot be observed by a suite that tests one server from outside: they are listed, not counted.`,
    `Overall: **${all.covered} of ${all.total} server rules checked (${percent(all.covered, all.total)})**; MUST ${levelCell(all, "MUST")}, SHOULD ${levelCell(all, "SHOULD")}, MAY ${levelCell(all, "MAY")}.`,
    "",
    "## Coverage per chapter",
    "",
    "Per chapter: the rules that bind a server and how many of them at least one case checks, then the same per level. *Not observable*: rules that bind only clients or deployments.",
    "",
    ...summary,
    ...(unknown.length
      ? [
          "## Citations of rules the spec does not have",
          "",
          "These cases cite a rule ID that is not in spec/*.md (a case written ahead of the spec, or a rule renamed):",
          "",
          table(
            ["Case", "Rule"],
            unknown.map((u) => [caseLink(site, page, u.caseId), text(u.rule)]),
          ),
          "",
        ]
      : []),
    "## Rules and the cases that check them",
    "",
    ...site.coverage.map((cov) => chapterSection(site, page, cov)),
  ].join("\n");
}
