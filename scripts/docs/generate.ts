/**
 * Writes the staging tree: every generated Markdown page, the checked-in pages the site shows
 * (guides, echo contract, implementations page), and the files offered for download (schemas,
 * reports, the changelog as JSON), each at the path the pages link to.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { casesByChapter, caseChapterPageText, caseIndexPage, casePageText } from "./pages/cases.js";
import { changelogJson, changelogPage, CHANGELOG_JSON } from "./pages/changelog.js";
import { copiedDocText, guidesIndexPage, type CopiedDoc } from "./pages/guides.js";
import { landingPage } from "./pages/landing.js";
import { matrixPage } from "./pages/matrix.js";
import { IMPLEMENTATIONS_MD, REFERENCE_JSON, resultsPage } from "./pages/results.js";
import { schemaIndexPage, schemaPageText } from "./pages/schemas.js";
import { specFilePage, specIndexPage } from "./pages/spec.js";
import {
  casePage,
  caseChapterPage,
  CASE_INDEX,
  CHANGELOG,
  GUIDES,
  LANDING,
  MATRIX,
  RESULTS,
  schemaFile,
  schemaPage,
  SCHEMA_INDEX,
  specPage,
  SPEC_INDEX,
} from "./paths.js";
import { publishedReport } from "./reports.js";
import type { Site } from "./site.js";

/** The staging tree: path relative to the staging root → file content. */
export type StagingTree = Map<string, string>;

/** Checked-in pages the site shows besides the generated ones. */
export interface CheckedInPages {
  guides: readonly CopiedDoc[];
  /** docs/implementations.md, when it exists. */
  implementations?: CopiedDoc;
}

/** Every page and downloadable file of the site, generated from the model. */
export function generateTree(site: Site, docs: CheckedInPages): StagingTree {
  const tree: StagingTree = new Map();
  tree.set(LANDING.md, landingPage(site, docs.guides));
  tree.set(GUIDES.md, guidesIndexPage(docs.guides));
  for (const g of docs.guides) tree.set(g.md, copiedDocText(g));

  tree.set(SPEC_INDEX.md, specIndexPage(site));
  for (const f of site.spec) tree.set(specPage(f.name).md, specFilePage(site, f));

  tree.set(CASE_INDEX.md, caseIndexPage(site));
  for (const [chapter, list] of casesByChapter(site.cases))
    tree.set(caseChapterPage(chapter).md, caseChapterPageText(site, chapter, list));
  for (const c of site.cases) tree.set(casePage(c.id).md, casePageText(site, c));

  tree.set(MATRIX.md, matrixPage(site));

  tree.set(RESULTS.md, resultsPage(site, docs.implementations !== undefined));
  if (docs.implementations) tree.set(IMPLEMENTATIONS_MD, copiedDocText(docs.implementations));
  for (const run of site.runs) {
    if (run.origin === "checked-in" && run.file) tree.set(run.file, readFileSync(join(site.root, run.file), "utf8"));
    else tree.set(REFERENCE_JSON, JSON.stringify(publishedReport(run.report), null, 2) + "\n");
  }

  tree.set(SCHEMA_INDEX.md, schemaIndexPage(site));
  for (const d of site.schemas) {
    tree.set(schemaPage(d.path).md, schemaPageText(site, d));
    tree.set(schemaFile(d.path), readFileSync(join(site.root, "schemas", d.path), "utf8"));
  }

  tree.set(CHANGELOG.md, changelogPage(site));
  tree.set(CHANGELOG_JSON, changelogJson(site));
  return tree;
}

/** Replaces the staging folder with the tree. */
export function writeTree(staging: string, tree: StagingTree): void {
  rmSync(staging, { recursive: true, force: true });
  for (const [path, content] of tree) {
    const file = join(staging, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** How many Markdown pages of each kind the tree holds (for the build's summary). */
export function countPages(tree: StagingTree): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const path of tree.keys()) {
    if (!path.endsWith(".md")) continue;
    const top = path.split("/")[0]!.replace(/\.md$/, "");
    const kind =
      path.endsWith("/index.md") || !path.includes("/")
        ? "indexes"
        : path.startsWith("cases/chapters/")
          ? "case chapters"
          : top;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
