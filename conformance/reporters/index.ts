/**
 * One factory for every reporter the CLI offers: `--reporter pretty|json|junit|html`. The JSON
 * reporter lives with the runner (it writes the report exactly as the schema describes it);
 * the others live here.
 */
import { jsonReporter } from "../runner/json-reporter.js";
import { createHtmlReporter } from "./html.js";
import { createJUnitReporter } from "./junit.js";
import { createPrettyReporter } from "./pretty.js";
import type { DocsLinkOptions } from "./docs-links.js";
import type { Reporter, ReporterOptions } from "./types.js";

export { createHtmlReporter, renderHtml, HTML_FILE } from "./html.js";
export { createJUnitReporter, renderJUnit, JUNIT_FILE } from "./junit.js";
export { createPrettyReporter, summaryText } from "./pretty.js";
export { specRule, type RuleInfo, type RuleLookup } from "./rule-text.js";
export { casePagePath, casePageUrl, DEFAULT_DOCS_BASE_URL, type DocsLinkOptions } from "./docs-links.js";

/** The reporter names the factory knows. */
export const REPORTER_NAMES = ["pretty", "json", "junit", "html"] as const;
/** A reporter name. */
export type ReporterName = (typeof REPORTER_NAMES)[number];

/**
 * Makes the named reporter; throws `unknown reporter: <name>` for any other name. `docsBaseUrl`
 * is where the terminal, JUnit and HTML reports link failing and blocked cases to.
 */
export function createReporter(name: ReporterName | string, options: ReporterOptions & DocsLinkOptions): Reporter {
  switch (name) {
    case "pretty":
      return createPrettyReporter(options);
    case "json":
      return jsonReporter(options);
    case "junit":
      return createJUnitReporter(options);
    case "html":
      return createHtmlReporter(options);
    default:
      throw new Error(`unknown reporter: ${name}`);
  }
}
