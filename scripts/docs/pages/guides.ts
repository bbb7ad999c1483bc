/**
 * The guides: hand-written pages in docs/guides/, plus the checked-in docs/echo-contract.md,
 * copied into the site verbatim (front matter added, nothing else), under one index page. The
 * copies keep their repository paths in the staging tree, so their relative links (to the spec,
 * to each other) work on the site exactly as on GitHub.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { frontMatter, link, safeProse, text } from "../markdown.js";
import { GUIDES, relativeLink } from "../paths.js";

/** A checked-in Markdown page that the site shows. */
export interface CopiedDoc {
  /** Repository path, which is also its staging path: `docs/guides/ci.md`. */
  md: string;
  /** Published path without `.html`. */
  html: string;
  title: string;
  /** Its first paragraph, for the index. */
  summary: string;
  /** The file as checked in. */
  body: string;
}

/** The order guides appear in; any other docs/guides/*.md follows, alphabetically. */
const GUIDE_ORDER = ["run-the-suite", "ci", "codegen", "protocol-version", "typed-packets"];

/** Title (first `# ` heading) and first paragraph of a Markdown page, skipping front matter and comments. */
export function titleAndSummary(markdown: string, fallback: string): { title: string; summary: string } {
  const lines = markdown
    .replace(/^---\n[\s\S]*?\n---\n/, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .split(/\r?\n/);
  const at = lines.findIndex((l) => l.startsWith("# "));
  const title = at === -1 ? fallback : lines[at]!.slice(2).trim();
  const para: string[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (!l) {
      if (para.length) break;
      continue;
    }
    if (l.startsWith("#") || l.startsWith("```") || l.startsWith("|")) break;
    para.push(l);
  }
  // Links are relative to the page they come from: the summary keeps their text only.
  return { title, summary: para.join(" ").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") };
}

/** Reads one checked-in page. */
export function readDoc(root: string, md: string, html: string, title?: string): CopiedDoc {
  const body = readFileSync(join(root, md), "utf8");
  const found = titleAndSummary(body, md);
  return { md, html, title: title ?? found.title, summary: found.summary, body };
}

/** The checked-in page with front matter for the site (its own front matter, if any, is kept after ours is merged). */
export function copiedDocText(doc: CopiedDoc): string {
  return frontMatter({ title: doc.title, path: doc.html }) + doc.body.replace(/^---\n[\s\S]*?\n---\n/, "");
}

/** The guides under docs/guides/ in reading order, then the echo contract. */
export function loadGuides(root: string): CopiedDoc[] {
  const dir = join(root, "docs", "guides");
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith(".md"))
        .map((n) => n.slice(0, -3))
    : [];
  const rank = (n: string) => (GUIDE_ORDER.includes(n) ? GUIDE_ORDER.indexOf(n) : GUIDE_ORDER.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const guides = names.map((n) => readDoc(root, `docs/guides/${n}.md`, `guides/${n}`));
  if (existsSync(join(root, "docs", "echo-contract.md")))
    guides.splice(1, 0, readDoc(root, "docs/echo-contract.md", "guides/echo-contract"));
  return guides;
}

/** The guides' index page. */
export function guidesIndexPage(guides: readonly CopiedDoc[]): string {
  const page = GUIDES.md;
  return [
    frontMatter({ title: "Guides", path: GUIDES.html, children: guides.map((g) => relativeLink(page, g.md)) }),
    "# Guides",
    "",
    ...guides.flatMap((g) => [`- **${link(text(g.title), relativeLink(page, g.md))}**: ${safeProse(g.summary)}`]),
    "",
  ].join("\n");
}
