/**
 * `npm run docs`: builds the docs site into docs/site/.
 *
 * 1. Gathers the model: the spec (parsed live from spec/*.md), the cases (their metadata, from
 *    `allCases`), the reference server's results (the whole suite against the embedded
 *    reference server, a few seconds; or `--reference-report`), the checked-in results of real
 *    implementations, the schemas with their examples, and the rule history from git.
 * 2. Writes every page as Markdown into a staging folder (dist-docs/pages/).
 * 3. Runs typedoc (typedoc.json) on the staged pages and the package's API entry points, with
 *    warnings as errors, so a broken link or anchor fails the build.
 *
 * Exit status 0 when the site was written, 1 when typedoc or the generators found a problem, 2
 * for a bad command line.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { allCases } from "../../conformance/cases/index.js";
import { repoRoot } from "../../test/support/repo-root.js";
import { docsUsage, DocsUsageError, parseDocsArgs, type DocsArgs } from "./args.js";
import { countPages, generateTree, writeTree } from "./generate.js";
import { loadGuides, readDoc } from "./pages/guides.js";
import { TOP_PAGES } from "./paths.js";
import { loadImplementations, loadReferenceReport, runReference, siteVersion, type ServerRun } from "./reports.js";
import { runTypedoc } from "./run-typedoc.js";
import { schemaDocs } from "./schema-docs.js";
import { buildSite } from "./site.js";
import { loadSpec } from "./spec.js";

/** Options of {@link buildDocs}; paths are relative to the repository root unless absolute. */
export interface BuildOptions extends Omit<DocsArgs, "help"> {
  root?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** What a build produced. */
export interface BuildResult {
  ok: boolean;
  /** The output folder (absolute). */
  out: string;
  /** Markdown pages generated, by kind (spec, cases, schemas…). */
  generated: Record<string, number>;
  /** HTML files written, by top folder of the site (`(root)` for the site root). */
  html: Record<string, number>;
  /** Milliseconds per step. */
  timings: Record<string, number>;
  /** The results the site shows, for the summary. */
  runs: ServerRun[];
}

/** Counts HTML files under a folder, by their first path segment. */
export function countHtml(dir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        if (name !== "assets" && name !== "media") walk(full);
      } else if (name.endsWith(".html")) {
        const rel = relative(dir, full).split(/[\\/]/);
        const key = rel.length === 1 ? "(root)" : rel[0]!;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return counts;
}

/** Builds the site; resolves with what was written (never rejects for a documentation problem). */
export async function buildDocs(options: BuildOptions = {}): Promise<BuildResult> {
  const root = options.root ?? repoRoot();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timings: Record<string, number> = {};
  let t = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };

  const spec = await loadSpec(root);
  step("spec");
  log(
    options.referenceReport
      ? `docs: reference results from ${options.referenceReport}`
      : "docs: running the suite against the embedded reference server…",
  );
  const reference = options.referenceReport
    ? loadReferenceReport(resolve(root, options.referenceReport), root)
    : await runReference(log);
  log(`docs: reference server: ${JSON.stringify(reference.report.summary)}`);
  step("reference run");
  const runs = [reference, ...loadImplementations(root)];
  for (const run of runs) for (const p of run.problems) log(`docs: note: ${run.title}: ${p}`);
  const rules = spec.flatMap((f) => f.rules);
  const schemas = schemaDocs(root, rules, [reference.report]);
  const builtAt = new Date().toISOString();
  const site = buildSite({ root, builtAt, version: siteVersion(), spec, cases: allCases, runs, schemas });
  step("model");

  const guides = loadGuides(root);
  const implementations = existsSync(join(root, "docs", "implementations.md"))
    ? readDoc(
        root,
        "docs/implementations.md",
        "results/npm-run-implementations",
        "Full report of npm run implementations",
      )
    : undefined;
  const tree = generateTree(site, { guides, ...(implementations ? { implementations } : {}) });
  const staging = resolve(root, options.staging ?? "dist-docs/pages");
  writeTree(staging, tree);
  step("pages");

  const repoUrl = options.repoUrl ?? "https://github.com/sockspec/sockspec";
  const result = await runTypedoc({
    root,
    staging,
    documents: TOP_PAGES.map((p) => p.md),
    ...(options.out ? { out: resolve(root, options.out) } : {}),
    overrides: {
      sourceLinkTemplate: `${repoUrl}/blob/{gitRevision}/{path}#L{line}`,
      ...(options.gitRevision ? { gitRevision: options.gitRevision } : {}),
      ...(options.siteUrl ? { hostedBaseUrl: options.siteUrl } : {}),
    },
  });
  step("typedoc");
  return {
    ok: result.ok,
    out: resolve(root, result.out),
    generated: countPages(tree),
    html: countHtml(resolve(root, result.out)),
    timings,
    runs,
  };
}

async function main(argv: string[]): Promise<number> {
  let args: DocsArgs;
  try {
    args = parseDocsArgs(argv);
  } catch (err) {
    if (!(err instanceof DocsUsageError)) throw err;
    process.stderr.write(`npm run docs: ${err.message}\n\n${docsUsage}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(docsUsage);
    return 0;
  }
  const started = performance.now();
  const { help: _help, ...options } = args;
  const result = await buildDocs(options);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!result.ok) {
    process.stderr.write(
      `docs: FAILED (typedoc reported the problems above; warnings count as errors) after ${seconds} s\n`,
    );
    return 1;
  }
  const total = Object.values(result.html).reduce((a, b) => a + b, 0);
  process.stdout.write(`docs: ${total} HTML pages in ${relative(process.cwd(), result.out) || "."} in ${seconds} s\n`);
  process.stdout.write(
    `  generated Markdown: ${JSON.stringify(result.generated)}\n  HTML by folder: ${JSON.stringify(result.html)}\n  steps (ms): ${JSON.stringify(result.timings)}\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
