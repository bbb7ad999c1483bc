/**
 * Reading a catalogue: JSON text to a checked EventCatalogue, or a CatalogueError that lists
 * every problem with its file, line, column and JSON pointer. Nothing downstream (the generator,
 * the AsyncAPI export, the diff) ever sees an unchecked catalogue.
 */
import { readFile } from "node:fs/promises";
import type { EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { locate, parseErrorPosition, pointerOffsets } from "./locate.js";
import { CatalogueError, type CatalogueProblem } from "./problems.js";
import { semanticProblems } from "./semantics.js";
import { shapeProblems, type ShapeProblem } from "./shape.js";

/** A checked catalogue and where it came from. */
export interface LoadedCatalogue {
  file: string;
  catalogue: EventCatalogue;
}

/**
 * Checks that `value` is a usable catalogue and returns it typed. `file` labels the problems;
 * with `text` (the JSON it was parsed from) they also get a line and column.
 */
export function checkCatalogue(value: unknown, file: string, text?: string): EventCatalogue {
  let found: ShapeProblem[] = shapeProblems(value);
  if (found.length === 0) found = semanticProblems(value as EventCatalogue);
  if (found.length === 0) return value as EventCatalogue;
  const offsets = text === undefined ? undefined : pointerOffsets(text);
  const problems: CatalogueProblem[] = found.map((p) => ({
    file,
    pointer: p.pointer,
    position: text === undefined ? undefined : locate(text, p.pointer, offsets),
    message: p.message,
    expected: p.expected,
  }));
  throw new CatalogueError(problems);
}

/** Parses and checks a catalogue's JSON text. */
export function parseCatalogue(text: string, file: string): EventCatalogue {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const position = parseErrorPosition(text, err as Error);
    throw new CatalogueError([{ file, pointer: "", position, message: `not JSON: ${(err as Error).message}` }]);
  }
  return checkCatalogue(value, file, text);
}

/** Reads, parses and checks the catalogue in `file`. */
export async function readCatalogue(file: string): Promise<LoadedCatalogue> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new CatalogueError([
      { file, pointer: "", message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` },
    ]);
  }
  return { file, catalogue: parseCatalogue(text, file) };
}
