/**
 * The command line of `npm run docs` (scripts/docs/build.ts). Everything has a default, so the
 * plain command builds the site into docs/site/; the flags exist for CI (the published URL, the
 * commit the source links point at) and for reusing a report made elsewhere.
 */

import { walkArgs } from "../../cli/argv.js";

export const docsUsage = `Usage: npm run docs -- [options]

Builds the docs site into docs/site/ (typedoc; warnings are errors).

Options:
  --out <dir>                 output folder (default: typedoc.json's out, docs/site)
  --staging <dir>             where the generated Markdown goes (default dist-docs/pages)
  --reference-report <file>   use this JSON report for the reference server instead of running
                              the suite against the embedded reference server
  --site-url <url>            the URL the site is published at (sitemap, canonical links)
  --repo-url <url>            the GitHub repository, for source links (default https://github.com/sockspec/sockspec)
  --git-revision <rev>        the commit or branch source links point at (default main)
  -h, --help                  show this help
`;

export interface DocsArgs {
  out?: string;
  staging?: string;
  referenceReport?: string;
  siteUrl?: string;
  repoUrl?: string;
  gitRevision?: string;
  help: boolean;
}

/** Thrown for a command line that cannot be understood. */
export class DocsUsageError extends Error {}

function url(flag: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    return value;
  } catch {
    throw new DocsUsageError(`${flag} needs an http(s) URL, got '${value}'`);
  }
}

/** Parses the arguments after `npm run docs --`. */
export function parseDocsArgs(argv: readonly string[]): DocsArgs {
  const args: DocsArgs = { help: false };
  walkArgs(
    argv,
    (flag) => new DocsUsageError(`${flag} needs a value`),
    (flag, value, raw) => {
      switch (flag) {
        case "-h":
        case "--help":
          args.help = true;
          break;
        case "--out":
          args.out = value();
          break;
        case "--staging":
          args.staging = value();
          break;
        case "--reference-report":
          args.referenceReport = value();
          break;
        case "--site-url":
          args.siteUrl = url(flag, value());
          break;
        case "--repo-url":
          args.repoUrl = url(flag, value()).replace(/\/+$/, "");
          break;
        case "--git-revision":
          args.gitRevision = value();
          break;
        default:
          throw new DocsUsageError(`unknown option '${raw}'`);
      }
    },
  );
  return args;
}
