/**
 * `sockspec codegen <catalogue> --out <dir>`: typed Socket.IO code from an event catalogue. The
 * catalogue is checked and the whole package generated in memory before anything is written; the
 * output folder is then replaced in one step, so a failure never leaves half a package behind.
 */
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { readCatalogue } from "../codegen/catalogue/load.js";
import { CatalogueError } from "../codegen/catalogue/problems.js";
import { generatePackage } from "../codegen/emit/generate.js";
import { comparePackage, OutputError, writePackage } from "../codegen/emit/write.js";

const usage = `Usage: sockspec codegen <catalogue.json> --out <dir> [options]

Generate from an event catalogue: the payload types, the socket.io event maps per namespace,
standalone validators, a server guard and a client wrapper that check every event and
acknowledgement, and a typed request(event, ...args, { timeout }).

Options:
  --out <dir>        the folder to write; it is replaced whole (required)
  --lang <js|ts>     js: JavaScript with declarations, usable as is (default)
                     ts: TypeScript sources, for a project that compiles its own
  --check            write nothing; exit 1 if <dir> differs from what would be generated
  --force            replace <dir> even though sockspec codegen did not write it
  -h, --help         show this help

Exit status: 0 done (or up to date), 1 --check found differences, 2 usage error, invalid
catalogue or output not writable.
`;

/** Where the command writes. */
export interface CommandIO {
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

/** `sockspec codegen`: returns the exit status. */
export async function codegen(argv: string[], io: CommandIO = {}): Promise<number> {
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
        out: { type: "string" },
        lang: { type: "string" },
        check: { type: "boolean" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    stderr.write(`sockspec codegen: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    stdout.write(usage);
    return 0;
  }
  const lang = values.lang ?? "js";
  const problem =
    positionals.length !== 1
      ? "give exactly one catalogue file"
      : !values.out
        ? "--out <dir> is required"
        : lang !== "js" && lang !== "ts"
          ? `--lang takes js or ts, not '${lang}'`
          : undefined;
  if (problem) {
    stderr.write(`sockspec codegen: ${problem}\n\n${usage}`);
    return 2;
  }
  const file = positionals[0]!;
  const out = values.out!;
  try {
    const { catalogue } = await readCatalogue(file);
    const files = await generatePackage(catalogue, { lang: lang as "js" | "ts", source: basename(file) });
    if (values.check) {
      const differences = await comparePackage(out, files);
      if (differences.length === 0) {
        stdout.write(`${out} is up to date with ${file}\n`);
        return 0;
      }
      stderr.write(
        `sockspec codegen: ${out} is not what ${file} generates:\n${differences.map((d) => `  ${d}\n`).join("")}`,
      );
      return 1;
    }
    await writePackage(out, files, { force: values.force === true });
    stdout.write(
      `wrote ${files.size} files to ${out} (${lang === "ts" ? "TypeScript" : "JavaScript with declarations"})\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof CatalogueError || err instanceof OutputError) {
      stderr.write(`sockspec codegen: ${err.message}\n`);
      return 2;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === "string") {
      stderr.write(`sockspec codegen: cannot write ${out}: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}
