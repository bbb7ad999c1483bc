/**
 * The spec pages: each spec file as written, with what a reader of one rule wants next to it.
 * Under every rule: its level and scope as badges, where the level comes from (its Provenance
 * line), the cases that check it, the rules that refer to it and its level changes. Rule IDs
 * in the prose become links. Each rule keeps its explicit `<a id>` anchor; each chapter heading
 * also gets the anchor GitHub gives it, so the spec's own Contents links and links written
 * against the repository keep working on the site.
 */
import { Slugger } from "typedoc";
import { levelBadge, provenanceBadge, scopeBadge } from "../badges.js";
import { frontMatter, link, percent, plural, safeProse, table, text } from "../markdown.js";
import { CHANGELOG, MATRIX, relativeLink, specPage, SPEC_INDEX } from "../paths.js";
import { caseLink, ruleLink, specLabel, type Site } from "../site.js";
import { sumCoverage } from "../coverage.js";
import type { SpecFile, SpecRule } from "../spec.js";
import { changeAnchor, chapterAnchor } from "./anchors.js";

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/ /g, "-");
}

/** Rule IDs in prose become links, outside code spans and outside existing links and anchors. */
export function linkRuleIds(site: Site, from: string, line: string, self?: string): string {
  return line
    .split(/(`+[^`]*`+|\[[^\]]*\]\([^)]*\)|<[^>]+>)/)
    .map((part, i) => {
      if (i % 2 === 1) return part; // a code span, a link or a tag: left alone
      return part.replace(/\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b/g, (id) =>
        id !== self && site.rules.has(id) ? ruleLink(site, from, id) : id,
      );
    })
    .join("");
}

/** `<a id="X"></a>**X** (MUST, client) text` → the same with badges and a permalink. */
const HEAD = /^<a id="([^"]+)"><\/a>\*\*([^*]+)\*\* \(([A-Z]+)(?:, ([a-z]+))?\)\s*(.*)$/;

/** The line under a rule: provenance, cases, references, level changes. */
function ruleMeta(site: Site, page: string, rule: SpecRule): string {
  const parts: string[] = [];
  if (rule.provenance) parts.push(`${provenanceBadge(rule.provenance.kind)} ${safeProse(rule.provenance.source)}`);
  else parts.push(`<span class="ss-missing">no provenance given</span>`);
  const cases = site.byRule.get(rule.id) ?? [];
  if (cases.length) parts.push(`checked by ${cases.map((c) => caseLink(site, page, c.id)).join(", ")}`);
  else if (rule.scope) parts.push(`binds the ${rule.scope}: no test of a server can observe it`);
  else parts.push(`<span class="ss-gap">no case checks it yet</span>`);
  const refs = site.referencedBy.get(rule.id) ?? [];
  if (refs.length) parts.push(`referred to by ${refs.map((id) => ruleLink(site, page, id)).join(", ")}`);
  const changes = site.levelChanges.get(rule.id) ?? [];
  if (changes.length) {
    const c = changes[0]!;
    const what = c.from && c.to ? `${c.from} → ${c.to}` : c.note?.kind === "split" ? "split" : "level note";
    parts.push(
      link(
        `level changed${c.date ? ` ${c.date}` : ""}: ${what}`,
        relativeLink(page, CHANGELOG.md, changeAnchor(rule.id)),
      ),
    );
  }
  return `<span class="ss-rule-meta">${parts.join(" · ")}</span>`;
}

/** A chapter's one-line coverage, under its heading. */
function chapterLine(site: Site, page: string, file: SpecFile, chapter: string): string {
  const cov = site.coverage.find((c) => c.spec === file && c.chapter === chapter);
  if (!cov) return "";
  const levels = (["MUST", "SHOULD", "MAY"] as const)
    .filter((l) => cov.byLevel[l].total > 0)
    .map((l) => `${l} ${cov.byLevel[l].covered}/${cov.byLevel[l].total}`);
  const scope = cov.outOfScope.length
    ? ` · ${plural(cov.outOfScope.length, "rule")} binding clients or deployments`
    : "";
  return `<span class="ss-rule-meta">${plural(cov.rules.length, "rule")} · checked by the suite: ${cov.covered} of ${cov.total} (${percent(cov.covered, cov.total)}; ${levels.join(", ")})${scope} · ${link("coverage", relativeLink(page, MATRIX.md, chapterAnchor(file.name, chapter)))}</span>`;
}

/** One spec file's page. */
export function specFilePage(site: Site, file: SpecFile): string {
  const page = specPage(file.name).md;
  const lines = file.markdown.split(/\r?\n/);
  const heads = new Map(file.rules.map((r) => [r.line, r]));
  const slugger = new Slugger({ lowercase: true });
  const out: string[] = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("```")) {
      // A bare fence would be highlighted as TypeScript; wire examples are text.
      out.push(!inFence && line.trim() === "```" ? "```text" : line);
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    if (/^#{2,6} /.test(line)) {
      const [, hashes, heading] = /^(#+) (.*)$/.exec(line)!;
      const ours = slugger.slug(heading!);
      const github = githubSlug(heading!);
      out.push(`${hashes} ${github !== ours ? `<a id="${github}"></a>` : ""}${safeProse(heading!)}`);
      const chapter = heading!.replace(/^\d+(?:\.\d+)*\.?\s+/, "").trim();
      if (hashes === "##" && file.chapters.includes(chapter)) out.push("", chapterLine(site, page, file, chapter));
      continue;
    }
    const rule = heads.get(i + 1);
    if (!rule) {
      out.push(linkRuleIds(site, page, safeProse(line)));
      continue;
    }
    // The rule paragraph: its head with badges, its text, its meta line in place of the Provenance line.
    const head = HEAD.exec(line);
    if (head) {
      const [, anchor, id, level, scope, rest] = head;
      out.push(
        `<a id="${anchor}"></a>[**${id}**](#${anchor}) ${levelBadge(level!)}${scope ? ` ${scopeBadge(scope)}` : ""}${rest ? ` ${linkRuleIds(site, page, safeProse(rest), id)}` : ""}`,
      );
    } else out.push(safeProse(line));
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() !== "") {
      const l = lines[j]!;
      if (!/^Provenance: /.test(l)) out.push(linkRuleIds(site, page, safeProse(l), rule.id));
      j++;
    }
    out.push("", ruleMeta(site, page, rule));
    i = j - 1;
  }
  return frontMatter({ title: file.title, path: specPage(file.name).html }) + out.join("\n") + "\n";
}

/** The spec's front page: the files, their levels and coverage, how to read a rule. */
export function specIndexPage(site: Site): string {
  const page = SPEC_INDEX.md;
  const rows = site.spec.map((f) => {
    const cov = sumCoverage(site.coverage.filter((c) => c.spec === f));
    const count = (level: string) => f.rules.filter((r) => r.level === level).length;
    return [
      link(text(f.title), relativeLink(page, specPage(f.name).md)),
      `\`${specLabel(f)}\``,
      String(f.rules.length),
      `${count("MUST")} / ${count("SHOULD")} / ${count("MAY")}`,
      cov.total ? `${cov.covered} of ${cov.total} (${percent(cov.covered, cov.total)})` : "—",
    ];
  });
  const all = [...site.rules.values()];
  const byProvenance = (kind: string) => all.filter((r) => r.provenance?.kind === kind).length;
  return [
    frontMatter({
      title: "Specification",
      path: SPEC_INDEX.html,
      children: site.spec.map((f) => relativeLink(page, specPage(f.name).md)),
    }),
    "# The specification",
    "",
    "The normative description of the protocols Socket.IO speaks, one document per protocol version, in the words of RFC 2119.",
    "Every rule has a stable ID (`EIO4-HEARTBEAT-03`) that is never renumbered or reused, and an anchor of the same name:",
    "link to `spec/engine.io-v4.html#EIO4-HEARTBEAT-03`. Under each rule the site shows its level, where that level comes from,",
    "the conformance cases that check it and the rules that refer to it.",
    "",
    table(["Document", "File", "Rules", "MUST / SHOULD / MAY", "Checked by the suite"], rows),
    "",
    "## How to read a rule",
    "",
    `- **Level**: ${levelBadge("MUST")} ${levelBadge("SHOULD")} ${levelBadge("MAY")}. A broken MUST is a failure; a broken SHOULD is a warning (a failure under \`--strict\`).`,
    `- **Provenance**: ${provenanceBadge("official")} the official protocol document says so (${byProvenance("official")} rules); ${provenanceBadge("interop")} an official client breaks or loses data without it (${byProvenance("interop")}); ${provenanceBadge("sockspec")} a stricter choice of this spec, never a MUST (${byProvenance("sockspec")}). Levels are earned: the source is named on every rule.`,
    `- **Scope**: a rule marked ${scopeBadge("client")} or ${scopeBadge("deployment")} binds clients or deployments; a suite that tests one server from outside cannot observe it, and the coverage figures count it apart.`,
    "- **Notes** say what the official Node.js server does where it differs, and whether the suite reports it as a failure or a warning. A Note that starts with *Level:* explains a level change; the [changelog](" +
      relativeLink(page, CHANGELOG.md) +
      ") lists them all.",
    "",
    `The rule index is also published as data: \`spec/rules.json\` in the repository (one entry per rule: id, level, scope, provenance, file, chapter, anchor, text, refs). Coverage per chapter is on the ${link("rule × case matrix", relativeLink(page, MATRIX.md))}.`,
    "",
  ].join("\n");
}
