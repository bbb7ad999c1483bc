/**
 * Links from a report to the published docs site: each case has a page there (its rules, what
 * it sends, how real servers fare), so a reader of a failure is one click from the explanation.
 * The site's builder (scripts/docs/) places case pages with {@link casePagePath}, so the
 * reporters and the site cannot disagree on where a page lives.
 */

/**
 * Where the docs site is published unless `sockspec test --docs-url` says otherwise: the
 * project's GitHub Pages site, which .github/workflows/docs.yml publishes on every push to main.
 */
export const DEFAULT_DOCS_BASE_URL = "https://sockspec.github.io/sockspec/";

/** The option every reporter accepts for its links to the docs site. */
export interface DocsLinkOptions {
  /**
   * Base URL of the docs site (default {@link DEFAULT_DOCS_BASE_URL}), e.g. a copy built with
   * `npm run docs` and served elsewhere; `false` leaves the links out.
   */
  docsBaseUrl?: string | false;
}

/** The path of a case's page below the site root, without extension: `cases/eio4.upgrade.probe`. */
export function casePageBase(id: string): string {
  // Case IDs are lower-case dotted words, but a report may come from elsewhere: keep the path a path.
  return `cases/${encodeURIComponent(id)}`;
}

/** The path of a case's page below the site root: `cases/eio4.upgrade.probe.html`. */
export function casePagePath(id: string): string {
  return `${casePageBase(id)}.html`;
}

/**
 * The absolute URL of a case's page, or undefined when links are switched off.
 * @example `casePageUrl("eio4.upgrade.probe")` → `https://sockspec.github.io/sockspec/cases/eio4.upgrade.probe.html`
 */
export function casePageUrl(id: string, base: string | false | undefined = DEFAULT_DOCS_BASE_URL): string | undefined {
  if (base === false) return undefined;
  const root = base.endsWith("/") ? base : `${base}/`;
  return new URL(casePagePath(id), root).href;
}

/** The verdicts whose case deserves a link: the ones a reader has to act on or understand. */
export const LINKED_VERDICTS: ReadonlySet<string> = new Set(["fail", "warn", "blocked", "error"]);
