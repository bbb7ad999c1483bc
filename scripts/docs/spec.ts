/**
 * The spec as the site shows it: every file of spec/, parsed live by the same parser that
 * writes spec/rules.json (scripts/rule-index.mjs), so the pages never lag behind the Markdown
 * even while spec editors work and rules.json is not yet regenerated. Each rule also carries
 * its Note, because the Note is where the spec explains a level change.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ParsedRule } from "../rule-index.mjs";

/** One rule with the Note that follows it (quote markers stripped; empty when it has none). */
export interface SpecRule extends ParsedRule {
  note: string;
  /** The spec file's short name, e.g. `engine.io-v4`. */
  spec: string;
}

/** One spec file: its Markdown, title, chapters and rules. */
export interface SpecFile {
  /** Path relative to the repository root, e.g. `spec/engine.io-v4.md`. */
  file: string;
  /** Short name, e.g. `engine.io-v4`. */
  name: string;
  /** The text of its `# ` heading. */
  title: string;
  /** The first paragraph after the title: what the document is. */
  summary: string;
  markdown: string;
  /** The chapters that hold rules, in document order. */
  chapters: string[];
  /** Chapter → its `## ` heading as written, e.g. `1. TRANSPORT — Transports, path and query parameters`. */
  headings: Map<string, string>;
  rules: SpecRule[];
}

type RuleIndexModule = typeof import("../rule-index.mjs");

/**
 * The rule parser, loaded from its file rather than imported: it is plain JavaScript that the
 * TypeScript build does not copy, and it must be the very parser `npm run gen` uses.
 */
export async function loadRuleIndexModule(root: string): Promise<RuleIndexModule> {
  return (await import(pathToFileURL(join(root, "scripts", "rule-index.mjs")).href)) as RuleIndexModule;
}

/** The Note block (`> …` lines) that follows the rule paragraph starting at 1-based `line`. */
export function noteAfter(lines: readonly string[], line: number): string {
  let j = line - 1;
  while (j < lines.length && lines[j]!.trim() !== "") j++;
  while (j < lines.length && lines[j]!.trim() === "") j++;
  const note: string[] = [];
  while (j < lines.length && lines[j]!.startsWith(">")) note.push(lines[j]!.replace(/^>\s?/, "")), j++;
  return note
    .join(" ")
    .replace(/\*\*Note\.\*\*\s*/, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** The first paragraph after the `# ` title, joined on one line. */
function summaryOf(lines: readonly string[]): string {
  let i = lines.findIndex((l) => l.startsWith("# "));
  i++;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  const parts: string[] = [];
  while (i < lines.length && lines[i]!.trim() !== "" && !lines[i]!.startsWith("#")) parts.push(lines[i]!.trim()), i++;
  return parts.join(" ");
}

/** Every spec file under root/spec in reading order, with its rules and their Notes. */
export async function loadSpec(root: string): Promise<SpecFile[]> {
  const index = await loadRuleIndexModule(root);
  return index.specFiles(root).map((file) => {
    const markdown = readFileSync(join(root, file), "utf8");
    const lines = markdown.split(/\r?\n/);
    const name = basename(file, ".md");
    const rules = index
      .parseSpecRules(markdown, file)
      .map((r) => ({ ...r, note: noteAfter(lines, r.line), spec: name }));
    const title = (lines.find((l) => l.startsWith("# ")) ?? `# ${name}`).slice(2).trim();
    const chapters = [...new Set(rules.map((r) => r.chapter))];
    const headings = new Map<string, string>();
    for (const l of lines) {
      if (!l.startsWith("## ")) continue;
      const heading = l.slice(3).trim();
      headings.set(heading.replace(/^\d+(?:\.\d+)*\.?\s+/, "").trim(), heading);
    }
    return { file, name, title, summary: summaryOf(lines), markdown, chapters, headings, rules };
  });
}
