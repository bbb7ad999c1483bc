/**
 * `sockspec diff <old> <new>`: whether a catalogue change breaks peers already deployed, judged by
 * direction, with the version bump it needs. Exit 1 on a breaking change, so CI can stop it.
 */
import { parseArgs } from "node:util";
import { readCatalogue } from "../codegen/catalogue/load.js";
import { CatalogueError } from "../codegen/catalogue/problems.js";
import { diffCatalogues, reportMarkdown, reportText } from "../codegen/diff/report.js";
import type { CommandIO } from "./codegen.js";

const usage = `Usage: sockspec diff <old-catalogue.json> <new-catalogue.json> [options]

Classify every change between two catalogues as breaking, compatible or documentation, from the
point of view of peers still running the old one: what the deploying side only receives may
widen, what it sends may narrow (acknowledgements flip); a removed event, an added or removed
acknowledgement, or a new required argument breaks.

Options:
  --format <text|json|markdown>   output (default text)
  --provider <server|client>      the side that deploys the new catalogue first (default server)
  --allow-major                   a breaking change passes when the new catalogue's version
                                  bumps the major (the minor below 1.0.0)
  -h, --help                      show this help

Exit status: 0 nothing breaks, 1 a breaking change (or a declared version too small for the
changes), 2 usage error or invalid catalogue.
`;

/** `sockspec diff`: returns the exit status. */
export async function diff(argv: string[], io: CommandIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string" },
        provider: { type: "string" },
        "allow-major": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    stderr.write(`sockspec diff: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    stdout.write(usage);
    return 0;
  }
  const format = values.format ?? "text";
  const provider = values.provider ?? "server";
  const problem =
    positionals.length !== 2
      ? "give the old and the new catalogue"
      : !["text", "json", "markdown"].includes(format)
        ? `--format takes text, json or markdown, not '${format}'`
        : provider !== "server" && provider !== "client"
          ? `--provider takes server or client, not '${provider}'`
          : undefined;
  if (problem) {
    stderr.write(`sockspec diff: ${problem}\n\n${usage}`);
    return 2;
  }
  let report;
  try {
    const [old, next] = await Promise.all(positionals.map((file) => readCatalogue(file)));
    report = diffCatalogues(old!, next!, provider as "server" | "client");
  } catch (err) {
    if (err instanceof CatalogueError) {
      stderr.write(`sockspec diff: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  stdout.write(
    format === "json"
      ? JSON.stringify(report, null, 2) + "\n"
      : format === "markdown"
        ? reportMarkdown(report)
        : reportText(report),
  );
  // With breaking changes the required version is the next major (next minor below 1.0.0): a fitting one is a deliberate break.
  if (report.counts.breaking > 0 && !(values["allow-major"] && report.version?.ok)) return 1;
  if (report.version && !report.version.ok) return 1;
  return 0;
}
