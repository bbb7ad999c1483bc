/**
 * Where every page of the site lives. Two trees share one shape: the staging tree of Markdown
 * that the generators write (paths ending in `.md`, linked to one another relatively, which
 * typedoc resolves and checks), and the published HTML (the `path` each page declares in its
 * front matter, which the site's router turns into `<path>.html`). The staging tree mirrors the
 * repository where a checked-in page is copied in (docs/, spec/), so that the relative links
 * those pages already carry keep working on the site.
 */
import { casePageBase } from "../../conformance/reporters/docs-links.js";

/** A page in the staging tree: where its Markdown goes and where its HTML will be. */
export interface PagePath {
  /** Staging path of the Markdown, relative to the staging root: `spec/engine.io-v4.md`. */
  md: string;
  /** Published path without `.html`, relative to the site root: `spec/engine.io-v4`. */
  html: string;
}

const page = (md: string, html: string): PagePath => ({ md, html });

export const LANDING = page("index.md", "index");
export const SPEC_INDEX = page("spec/index.md", "spec/index");
export const SCHEMA_INDEX = page("schemas/index.md", "schemas/index");
export const CASE_INDEX = page("cases/index.md", "cases/index");
export const MATRIX = page("matrix.md", "matrix");
export const RESULTS = page("results/index.md", "results/index");
export const CHANGELOG = page("changelog.md", "changelog");
export const GUIDES = page("guides/index.md", "guides/index");

/** The top-level pages, in the order the sidebar lists them (the landing page is the readme). */
export const TOP_PAGES: readonly PagePath[] = [
  GUIDES,
  SPEC_INDEX,
  CASE_INDEX,
  MATRIX,
  RESULTS,
  SCHEMA_INDEX,
  CHANGELOG,
];

/** A spec file's page: `spec/engine.io-v4.md` (it mirrors the repository, so `../spec/x.md#ID` links work). */
export function specPage(name: string): PagePath {
  return page(`spec/${name}.md`, `spec/${name}`);
}

/** A case's page; its HTML path is the one the reporters link to. */
export function casePage(id: string): PagePath {
  const base = casePageBase(id);
  return page(`${base}.md`, base);
}

/** `engine.io v4 / handshake` → `engine.io-v4-handshake`. */
export function chapterSlug(chapter: string): string {
  return chapter
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The page that lists the cases of one chapter of the runner. */
export function caseChapterPage(chapter: string): PagePath {
  const slug = chapterSlug(chapter);
  return page(`cases/chapters/${slug}.md`, `cases/chapters/${slug}`);
}

/** A schema's page, from its path under schemas/: `engine.io/v4/handshake.json`. */
export function schemaPage(schemaPath: string): PagePath {
  const base = schemaPath.replace(/\.json$/, "");
  return page(`schemas/${base}.md`, `schemas/${base}`);
}

/** The staging copy of a raw schema file (copied into the site for download). */
export function schemaFile(schemaPath: string): string {
  return `schemas/${schemaPath}`;
}

/**
 * The relative link from one staging page to another staging file, with an optional anchor:
 * `relativeLink("cases/index.md", "spec/engine.io-v4.md", "EIO4-WS-02")` → `../spec/engine.io-v4.md#EIO4-WS-02`.
 */
export function relativeLink(from: string, to: string, anchor?: string): string {
  const fromParts = from.split("/").slice(0, -1);
  const toParts = to.split("/");
  let common = 0;
  while (common < fromParts.length && common < toParts.length - 1 && fromParts[common] === toParts[common]) common++;
  const up = fromParts.length - common;
  const rel = [...Array<string>(up).fill(".."), ...toParts.slice(common)].join("/");
  return anchor ? `${rel}#${anchor}` : rel;
}
