/**
 * The checks a JSON Schema for the catalogue's shape cannot make: the vocabulary of every payload
 * schema (unknown or refused keywords, formats, references, the binary marker), the rules of
 * argument tuples (Socket.IO puts the ack callback right after the last argument sent, so an
 * event with an acknowledgement cannot have optional arguments), and the examples against the
 * schemas they illustrate.
 */
import type { ArgumentTuple, EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { compileRef, loadSchemas } from "./compile.js";
import { argsOf, listEvents } from "./events.js";
import { FORMATS, isExtension, KNOWN_KEYWORDS, REFUSED } from "./keywords.js";
import { childPointer, pointer, resolvePointer } from "./pointer.js";
import { isSchemaObject, walkSchema } from "./schema-walk.js";
import type { ShapeProblem } from "./shape.js";

/** Levenshtein distance, for "did you mean" hints on misspelt keywords. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function closest(keyword: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of KNOWN_KEYWORDS) {
    const d = distance(keyword.toLowerCase(), known.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

/** Problems of one payload schema and its subschemas. */
function schemaProblems(catalogue: EventCatalogue, schema: unknown, base: string, problems: ShapeProblem[]): void {
  walkSchema(schema, base, (node, at) => {
    if (typeof node === "boolean") return;
    if (!isSchemaObject(node)) {
      problems.push({
        pointer: at,
        message: `${JSON.stringify(node)} is not a schema`,
        expected: "an object or a boolean",
      });
      return;
    }
    for (const [keyword, value] of Object.entries(node)) {
      const here = childPointer(at, keyword);
      if (isExtension(keyword)) continue;
      const refused = REFUSED.get(keyword);
      if (refused) {
        problems.push({ pointer: here, message: `"${keyword}" is not allowed in a catalogue: ${refused}` });
        continue;
      }
      if (!KNOWN_KEYWORDS.has(keyword)) {
        const hint = closest(keyword);
        problems.push({
          pointer: here,
          message: `unknown keyword "${keyword}"`,
          expected: hint ? `"${hint}"` : "a JSON Schema draft 2020-12 keyword, or an extension starting with x-",
        });
        continue;
      }
      if (keyword === "$ref") {
        if (typeof value !== "string" || !value.startsWith("#/$defs/")) {
          problems.push({
            pointer: here,
            message: `${JSON.stringify(value)} points outside the catalogue's $defs`,
            expected: '"#/$defs/<Name>"',
          });
        } else if (resolvePointer(catalogue, value.slice(1)) === undefined) {
          problems.push({
            pointer: here,
            message: `${value} does not exist`,
            expected: `one of ${
              Object.keys(catalogue.$defs ?? {})
                .map((k) => `#/$defs/${k}`)
                .join(", ") || "a key of $defs"
            }`,
          });
        }
      }
      if (keyword === "format" && !(FORMATS as readonly unknown[]).includes(value)) {
        problems.push({
          pointer: here,
          message: `format ${JSON.stringify(value)} is not one the generated validators check`,
          expected: FORMATS.join(", "),
        });
      }
      if (keyword === "binary") {
        if (typeof value !== "boolean")
          problems.push({ pointer: here, message: `${JSON.stringify(value)} is not allowed here`, expected: "true" });
        else if (value && "type" in node)
          problems.push({
            pointer: childPointer(at, "type"),
            message: 'a binary value has no JSON type: remove "type" next to "binary": true',
          });
      }
    }
  });
}

/** Problems of one argument tuple. */
function tupleProblems(tuple: ArgumentTuple, at: string, needsAllRequired: boolean, problems: ShapeProblem[]): void {
  const count = tuple.prefixItems.length;
  if (tuple.maxItems !== undefined && tuple.maxItems !== count) {
    problems.push({
      pointer: childPointer(at, "maxItems"),
      message: `${tuple.maxItems} is not the number of arguments listed`,
      expected: `${count}, or no maxItems`,
    });
  }
  if (tuple.minItems > count) {
    problems.push({
      pointer: childPointer(at, "minItems"),
      message: `${tuple.minItems} required arguments, but only ${count} listed`,
      expected: `at most ${count}`,
    });
  } else if (needsAllRequired && tuple.minItems < count) {
    problems.push({
      pointer: childPointer(at, "minItems"),
      message: `${tuple.minItems} of ${count} arguments required, but the event has an acknowledgement: Socket.IO puts the ack callback right after the last argument sent, so a missing optional argument would shift it`,
      expected: `${count} (put optional values in an object instead)`,
    });
  }
  const names = new Map<string, number>();
  tuple.prefixItems.forEach((item, index) => {
    const title = isSchemaObject(item) ? item["title"] : undefined;
    if (title === undefined) return;
    const here = childPointer(at, "prefixItems", index, "title");
    if (typeof title !== "string" || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(title)) {
      problems.push({
        pointer: here,
        message: `${JSON.stringify(title)} cannot name an argument`,
        expected: "an identifier (it becomes the parameter name in the generated types)",
      });
      return;
    }
    const first = names.get(title);
    if (first !== undefined)
      problems.push({
        pointer: here,
        message: `"${title}" already names argument ${first}`,
        expected: "a name unique within the event",
      });
    else names.set(title, index);
  });
}

/** Every problem the shape check cannot see; the catalogue's shape must be valid already. */
export function semanticProblems(catalogue: EventCatalogue): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  for (const [name, schema] of Object.entries(catalogue.$defs ?? {}))
    schemaProblems(catalogue, schema, pointer("$defs", name), problems);
  for (const [name, ns] of Object.entries(catalogue.namespaces)) {
    if (ns?.socketData !== undefined)
      schemaProblems(catalogue, ns.socketData, pointer("namespaces", name, "socketData"), problems);
  }
  for (const ref of listEvents(catalogue, { interServer: true })) {
    const { event } = ref;
    const args = argsOf(event);
    tupleProblems(args, childPointer(ref.pointer, "args"), event.ack !== undefined, problems);
    if (event.ack) tupleProblems(event.ack, childPointer(ref.pointer, "ack"), false, problems);
    for (const [part, tuple] of [
      ["args", event.args],
      ["ack", event.ack],
    ] as const) {
      for (const [i, item] of (tuple?.prefixItems ?? []).entries())
        schemaProblems(catalogue, item, childPointer(ref.pointer, part, "prefixItems", i), problems);
    }
  }
  // Compiling and the examples need schemas that passed the checks above.
  if (problems.length === 0) compiledProblems(catalogue, problems);
  return problems;
}

/** What ajv refuses when compiling, and examples that fail their schemas. */
function compiledProblems(catalogue: EventCatalogue, problems: ShapeProblem[]): void {
  const schemas = loadSchemas(catalogue);
  for (const [name, ref] of schemas.defs) {
    try {
      compileRef(schemas, ref);
    } catch (err) {
      problems.push({
        pointer: pointer("$defs", name),
        message: `the schema does not compile: ${(err as Error).message}`,
      });
    }
  }
  const validators = new Map<string, (value: unknown) => boolean>();
  for (const tuple of schemas.tuples) {
    try {
      validators.set(tuple.pointer, compileRef(schemas, tuple.ref));
    } catch (err) {
      problems.push({ pointer: tuple.pointer, message: `the schema does not compile: ${(err as Error).message}` });
    }
  }
  for (const ref of listEvents(catalogue, { interServer: true })) {
    ref.event.examples?.forEach((example, index) => {
      const at = childPointer(ref.pointer, "examples", index);
      for (const part of ["args", "ack"] as const) {
        const value = example[part];
        if (value === undefined) continue;
        if (part === "ack" && !ref.event.ack) {
          problems.push({ pointer: childPointer(at, "ack"), message: "the event has no acknowledgement" });
          continue;
        }
        const validate = validators.get(childPointer(ref.pointer, part)) as
          | (((v: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null })
          | undefined;
        if (validate && !validate(value)) {
          const first = validate.errors?.[0];
          problems.push({
            pointer: childPointer(at, part) + (first?.instancePath ?? ""),
            message: `the example fails its schema: ${first?.message ?? "invalid"}`,
          });
        }
      }
    });
  }
}
