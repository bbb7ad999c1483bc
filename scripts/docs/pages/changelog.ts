/**
 * The rule changelog page, so implementers see what moved: level changes first (with the
 * reason the spec's Note gives), then every version of the rule index newest first, with the
 * rules it added, removed, re-scoped or reworded. The same data is offered as JSON.
 */
import { levelBadge } from "../badges.js";
import type { VersionChange } from "../changelog.js";
import { code, details, escapeHtml, frontMatter, link, plural, safeProse, table, text } from "../markdown.js";
import { CHANGELOG } from "../paths.js";
import { ruleLink, type RuleLevelChange, type Site } from "../site.js";
import { changeAnchor } from "./anchors.js";
import { linkRuleIds } from "./spec.js";

/** Where the changelog's JSON goes in the staging tree. */
export const CHANGELOG_JSON = "changelog.json";

/** `MUST → SHOULD`, or what the Note says happened and the level the rule has now. */
function levelText(c: RuleLevelChange, now: string | undefined): string {
  const word = (l: string) => levelBadge(l.split(" ")[0]!) + (l.includes("NOT") ? " NOT" : "");
  if (c.from && c.to) return `${word(c.from)}&nbsp;→&nbsp;${word(c.to)}`;
  return `${c.note?.kind === "split" ? "split" : "clarified"}${now ? `, now ${levelBadge(now)}` : ""}`;
}

/** The date, and the short hash of the commit with its subject as a tooltip. */
function whenText(c: RuleLevelChange): string {
  const date = c.date ?? "—";
  if (!c.commit) return date;
  if (!c.commit.sha) return `${date}<br>working tree`;
  return `${date}<br><code title="${escapeHtml(c.commit.subject)}">${c.commit.sha.slice(0, 7)}</code>`;
}

/** A list of rule links, collapsed when long. */
function ruleList(site: Site, ids: readonly string[], label: string): string {
  const links = ids.map((id) => ruleLink(site, CHANGELOG.md, id)).join(", ");
  return ids.length > 12 ? details(`${label}: ${ids.length}`, links) : `${label}: ${links}`;
}

/** One version of the index. */
function versionSection(site: Site, v: VersionChange, splitFrom: ReadonlyMap<string, string>): string {
  const when = v.sha ? `${v.date} · ${v.sha.slice(0, 7)}` : `${v.date} · not committed yet`;
  const out = [
    `### ${when}`,
    "",
    v.sha ? `*${text(v.subject)}*` : "Changes in the working tree's spec/*.md that no commit holds yet.",
    "",
  ];
  if (v.initial) {
    out.push(
      `The first version of the rule index: ${plural(v.added.length, "rule")} (${v.added.filter((r) => r.level === "MUST").length} MUST, ${v.added.filter((r) => r.level === "SHOULD").length} SHOULD, ${v.added.filter((r) => r.level === "MAY").length} MAY).`,
      "",
    );
    return out.join("\n");
  }
  const items: string[] = [];
  if (v.added.length) {
    const split = v.added.filter((r) => splitFrom.has(r.id));
    const fresh = v.added.filter((r) => !splitFrom.has(r.id));
    if (fresh.length)
      items.push(
        ruleList(
          site,
          fresh.map((r) => r.id),
          "Added",
        ),
      );
    if (split.length)
      items.push(
        `Added by a split: ${split.map((r) => `${ruleLink(site, CHANGELOG.md, r.id)} (${levelBadge(r.level)}, from ${ruleLink(site, CHANGELOG.md, splitFrom.get(r.id)!)})`).join(", ")}`,
      );
  }
  if (v.levels.length)
    items.push(
      `Level changed: ${v.levels.map((l) => `${ruleLink(site, CHANGELOG.md, l.id)} ${text(`${l.from} → ${l.to}`)}`).join(", ")}`,
    );
  if (v.removed.length) items.push(`**Removed** (IDs are never reused): ${v.removed.map((id) => code(id)).join(", ")}`);
  if (v.scopes.length)
    items.push(
      `Scope changed: ${v.scopes.map((s) => `${ruleLink(site, CHANGELOG.md, s.id)} ${text(`${s.from ?? "server"} → ${s.to ?? "server"}`)}`).join(", ")}`,
    );
  if (v.provenances.length)
    items.push(
      `Provenance changed: ${v.provenances.map((s) => `${ruleLink(site, CHANGELOG.md, s.id)} ${text(`${s.from ?? "—"} → ${s.to ?? "—"}`)}`).join(", ")}`,
    );
  if (v.reworded.length) items.push(ruleList(site, v.reworded, "Reworded, same level"));
  out.push(...items.map((i) => `- ${i}`), "");
  return out.join("\n");
}

/** The changelog page. */
export function changelogPage(site: Site): string {
  const page = CHANGELOG.md;
  const cl = site.changelog;
  const splitFrom = new Map<string, string>();
  for (const n of cl.notes)
    if (n.kind === "split") for (const id of n.related) if (!splitFrom.has(id)) splitFrom.set(id, n.rule);
  const changes = [...site.levelChanges.values()]
    .flat()
    .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.rule.localeCompare(b.rule));
  const changed = changes.filter((c) => c.from && c.to).length;
  const split = changes.filter((c) => !(c.from && c.to) && c.note?.kind === "split").length;
  const seen = new Set<string>();
  const rows = changes.map((c) => {
    // One anchor per rule, on its newest change.
    const anchor = seen.has(c.rule) ? "" : `<a id="${changeAnchor(c.rule)}"></a>`;
    seen.add(c.rule);
    return [
      `${anchor}${ruleLink(site, page, c.rule)}`,
      levelText(c, site.rules.get(c.rule)?.level),
      whenText(c),
      c.note ? linkRuleIds(site, page, safeProse(c.note.text), c.rule) : "",
    ];
  });
  return [
    frontMatter({ title: "Rule changelog", path: CHANGELOG.html }),
    "# Rule changelog",
    "",
    "What moved in the spec, so that an implementer can tell which verdicts may change. Rule IDs are never renumbered or reused.",
    cl.source === "git"
      ? "Derived at every build from the git history of `spec/rules.json` (each version compared with the one before) and from the rules' Notes, where the spec explains a level change in words."
      : `Derived from the rules' Notes only: ${text(cl.historyProblem ?? "git history is not available")}.`,
    `The same data as JSON: ${link("changelog.json", CHANGELOG_JSON)}.`,
    "",
    `## Level changes: ${plural(changed, "rule")} changed level, ${split} split, ${changes.length - changed - split} clarified`,
    "",
    "A lowered level turns a failure into a warning; a split moves part of a rule to a new rule, usually at a lower level; a clarification says in the rule's Note which level an aspect of it has.",
    "",
    rows.length ? table(["Rule", "Change", "When", "Why (the rule's Note)"], rows) : "No rule has changed level.",
    "",
    "## Versions of the rule index",
    "",
    cl.versions.length ? cl.versions.map((v) => versionSection(site, v, splitFrom)).join("\n") : "No history to show.",
    "",
  ].join("\n");
}

/** The changelog as JSON, for tools that diff what moved. */
export function changelogJson(site: Site): string {
  const cl = site.changelog;
  return (
    JSON.stringify(
      {
        generatedAt: site.builtAt,
        source: cl.source,
        ...(cl.historyProblem ? { historyProblem: cl.historyProblem } : {}),
        levelChanges: [...site.levelChanges.values()].flat().map((c) => ({
          rule: c.rule,
          date: c.date,
          from: c.from,
          to: c.to,
          commit: c.commit?.sha,
          note: c.note?.text,
        })),
        versions: cl.versions.map((v) => ({
          commit: v.sha ?? null,
          date: v.date,
          subject: v.subject,
          initial: v.initial,
          added: v.added.map((r) => ({ id: r.id, level: r.level })),
          removed: v.removed,
          levels: v.levels,
          scopes: v.scopes,
          provenances: v.provenances,
          reworded: v.reworded,
        })),
      },
      null,
      2,
    ) + "\n"
  );
}
