/**
 * A link checker for a built static site: every internal `href`/`src` in every HTML file must
 * name a file that exists, and its `#fragment`, if any, an element id in that file. It reads
 * attributes of real tags only (`<a href>`, `<use href>`, `<link href>`, `<script src>`,
 * `<img src>`), so markup shown as text inside code blocks (escaped as `&lt;a href`) is not
 * mistaken for a link. External links (a scheme, or `//host`) are not followed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve, sep } from "node:path";

/** One link that does not resolve. */
export interface BrokenLink {
  /** The page that holds the link, relative to the site root. */
  from: string;
  href: string;
  problem: "no such file" | "no such anchor" | "outside the site";
}

/** What the checker saw, for a report and for assertions. */
export interface LinkReport {
  pages: number;
  links: number;
  anchorsChecked: number;
  broken: BrokenLink[];
}

const TAG_LINK = /<(?:a|area|link|use|script|img|source|iframe)\b[^>]*?\s(?:href|src)="([^"]*)"/gi;
const ID_ATTR = /\s(?:id|name)="([^"]*)"/g;

/** Decodes the few entities an attribute value may carry. */
function unescapeAttr(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Every file under a folder, as absolute paths. */
function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** The element ids of an HTML or SVG file, read once. */
function idsOf(cache: Map<string, Set<string>>, file: string): Set<string> {
  let ids = cache.get(file);
  if (!ids) {
    const text = readFileSync(file, "utf8");
    ids = new Set([...text.matchAll(ID_ATTR)].map((m) => unescapeAttr(m[1]!)));
    cache.set(file, ids);
  }
  return ids;
}

/** The internal links of one HTML file, as written. */
export function linksOf(html: string): string[] {
  return [...html.matchAll(TAG_LINK)].map((m) => unescapeAttr(m[1]!));
}

/** Checks every internal link and anchor of the site under `root`. */
export function checkSite(root: string): LinkReport {
  const site = resolve(root);
  const files = walk(site);
  const pages = files.filter((f) => extname(f) === ".html");
  const ids = new Map<string, Set<string>>();
  const report: LinkReport = { pages: pages.length, links: 0, anchorsChecked: 0, broken: [] };
  for (const page of pages) {
    const from = relative(site, page).split(sep).join("/");
    for (const href of linksOf(readFileSync(page, "utf8"))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) continue; // external, mailto:, data:
      report.links++;
      const hash = href.indexOf("#");
      const pathPart = (hash === -1 ? href : href.slice(0, hash)).split("?")[0]!;
      const fragment = hash === -1 ? "" : decodeURIComponent(href.slice(hash + 1));
      let target = pathPart === "" ? page : resolve(dirname(page), decodeURIComponent(pathPart));
      if (!target.startsWith(site)) {
        report.broken.push({ from, href, problem: "outside the site" });
        continue;
      }
      if (existsSync(target) && statSync(target).isDirectory()) target = join(target, "index.html");
      if (!existsSync(target)) {
        report.broken.push({ from, href, problem: "no such file" });
        continue;
      }
      if (!fragment || !/\.(html|svg)$/.test(target)) continue;
      report.anchorsChecked++;
      if (!idsOf(ids, target).has(fragment)) report.broken.push({ from, href, problem: "no such anchor" });
    }
  }
  return report;
}
