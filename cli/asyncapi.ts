/**
 * `sockspec asyncapi export|import`: a catalogue to AsyncAPI 3 and back. Both directions check
 * what they read and write nothing unless it is valid.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { exportAsyncApi } from "../codegen/asyncapi/export.js";
import { importAsyncApi } from "../codegen/asyncapi/import.js";
import { readCatalogue } from "../codegen/catalogue/load.js";
import { parseErrorPosition } from "../codegen/catalogue/locate.js";
import { CatalogueError } from "../codegen/catalogue/problems.js";
import type { CommandIO } from "./codegen.js";

const usage = `Usage: sockspec asyncapi export <catalogue.json> [--out <asyncapi.json>]
       sockspec asyncapi import <asyncapi.json|.yaml> [--out <catalogue.json>]

export: the catalogue as an AsyncAPI 3.0 document (the server's point of view: a channel per
        namespace, a receive operation per client-to-server event, a send operation per
        server-to-client event; acknowledgements as operation.reply and as x-ack).
import: an AsyncAPI 3 document as a catalogue (acknowledgements read from operation.reply or
        x-ack), checked like any catalogue.

Options:
  --out <file>   write there instead of to standard output
  -h, --help     show this help

Exit status: 0 done, 2 usage error or invalid input.
`;

/** Parses JSON, or YAML for a .yaml/.yml file (with the js-yaml that json-schema-to-typescript brings). */
async function parseDocument(text: string, file: string): Promise<unknown> {
  if (/\.ya?ml$/i.test(file)) {
    const yaml = (await import("js-yaml" as string)) as { load(text: string): unknown };
    try {
      return yaml.load(text);
    } catch (err) {
      throw new CatalogueError([{ file, pointer: "", message: `not YAML: ${(err as Error).message}` }]);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CatalogueError([
      {
        file,
        pointer: "",
        position: parseErrorPosition(text, err as Error),
        message: `not JSON: ${(err as Error).message}`,
      },
    ]);
  }
}

/** `sockspec asyncapi`: returns the exit status. */
export async function asyncapi(argv: string[], io: CommandIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { out: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (err) {
    stderr.write(`sockspec asyncapi: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    stdout.write(usage);
    return 0;
  }
  const [action, file, ...extra] = positionals;
  if ((action !== "export" && action !== "import") || !file || extra.length) {
    stderr.write(`sockspec asyncapi: give export or import, then one file\n\n${usage}`);
    return 2;
  }
  try {
    let output: unknown;
    if (action === "export") {
      output = exportAsyncApi((await readCatalogue(file)).catalogue);
    } else {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (err) {
        throw new CatalogueError([
          {
            file,
            pointer: "",
            message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          },
        ]);
      }
      const { catalogue, warnings } = importAsyncApi(await parseDocument(text, file), file);
      for (const warning of warnings) stderr.write(`sockspec asyncapi: warning: ${warning}\n`);
      output = catalogue;
    }
    const json = JSON.stringify(output, null, 2) + "\n";
    if (values.out) {
      await writeFile(values.out, json);
      stdout.write(`wrote ${values.out}\n`);
    } else stdout.write(json);
    return 0;
  } catch (err) {
    if (err instanceof CatalogueError) {
      stderr.write(`sockspec asyncapi: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
