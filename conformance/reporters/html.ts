/**
 * The HTML reporter: one self-contained file (inline CSS and script, no external request)
 * that a person opens to read every case, its rules, and its transcript drawn as a sequence
 * diagram between the client (sockspec) and the server. The report travels as JSON inside a
 * <script type="application/json"> element and is rendered by the inline script with DOM
 * calls, never by pasting data into markup.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HTML_SCRIPT } from "./html-script.js";
import { HTML_STYLE } from "./html-style.js";
import { casePageUrl, DEFAULT_DOCS_BASE_URL, LINKED_VERDICTS, type DocsLinkOptions } from "./docs-links.js";
import { ruleHref, specRule, type RuleLookup } from "./rule-text.js";
import type { ConformanceReport, Reporter, ReporterOptions } from "./types.js";

/** File name the reporter writes in the output directory. */
export const HTML_FILE = "conformance.html";

/** Options of the HTML reporter. */
export interface HtmlOptions extends ReporterOptions, DocsLinkOptions {
  rules?: RuleLookup;
  fileName?: string;
}

/** A cited rule as embedded in the page. */
interface EmbeddedRule {
  level: string;
  text: string;
  chapter: string;
  href?: string;
}

/** Creates the HTML reporter; it writes `<outDir>/conformance.html` when the run ends. */
export function createHtmlReporter(options: HtmlOptions): Reporter {
  return {
    async onEnd(report) {
      await mkdir(options.outDir, { recursive: true });
      await writeFile(
        join(options.outDir, options.fileName ?? HTML_FILE),
        renderHtml(report, options.rules, options),
        "utf8",
      );
    },
  };
}

/**
 * JSON that is safe inside a <script> element: `<`, `>` and `&` are written as \u escapes so
 * no `</script>` or `<!--` can appear, and U+2028/U+2029 are escaped for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The complete HTML document for a report. Each fail, warn, blocked and error case links to its
 * page on the docs site (`links.docsBaseUrl`, default the published site; `false`: no links).
 */
export function renderHtml(
  report: ConformanceReport,
  lookup: RuleLookup = specRule,
  links: DocsLinkOptions = {},
): string {
  const rules: Record<string, EmbeddedRule> = {};
  for (const c of report.cases) {
    for (const id of c.rules) {
      const info = lookup(id);
      if (info && !Object.hasOwn(rules, id)) {
        const href = ruleHref(id, info);
        rules[id] = { level: info.level, text: info.text, chapter: info.chapter, ...(href ? { href } : {}) };
      }
    }
  }
  // Case ID → its page on the docs site; only http(s) URLs reach the page's href attributes.
  const docs: Record<string, string> = {};
  for (const c of report.cases) {
    const url = LINKED_VERDICTS.has(c.verdict)
      ? casePageUrl(c.id, links.docsBaseUrl ?? DEFAULT_DOCS_BASE_URL)
      : undefined;
    if (url && /^https?:\/\//.test(url)) docs[c.id] = url;
  }
  const data = jsonForScript({ report, rules, docs });
  // Only this exact script may run: the hash pins it, so even injected markup could not execute.
  const scriptHash = createHash("sha256").update(HTML_SCRIPT, "utf8").digest("base64");
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const title = `sockspec conformance: ${escapeHtml(report.target.url + report.target.path)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<header>
<h1>sockspec conformance <span class="target" id="target"></span></h1>
<div class="runinfo" id="runinfo"></div>
<div class="bar">
<div class="bar" id="summary" role="group" aria-label="verdict filter"></div>
<select id="chapter" aria-label="chapter"><option value="">all chapters</option></select>
<input type="search" id="search" placeholder="search id, title, rule, reason" aria-label="search">
<span class="shown" id="shown"></span>
</div>
</header>
<main id="cases"><noscript>This report is drawn by its inline script; the raw data is in the report-data element of this file.</noscript></main>
<script type="application/json" id="report-data">${data}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}

/** Escapes text for HTML element content (used only for the static <title>). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
