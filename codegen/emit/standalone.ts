/**
 * The raw validators: ajv's standalone code (draft 2020-12, ESM) for every argument tuple and
 * every shared schema, compiled now so that nothing is compiled at run time. ajv's output
 * `require`s two helpers from its own package; they are pointed at the generated runtime
 * instead, and any other `require(` stops the generator, so the output needs no ajv.
 */
import standaloneModule from "ajv/dist/standalone/index.js";
import type { EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { loadSchemas, type TupleSchemaRef } from "../catalogue/compile.js";
import { listEvents } from "../catalogue/events.js";
import { isSchemaObject, walkSchema } from "../catalogue/schema-walk.js";

// ajv ships CommonJS; under NodeNext the function arrives as `.default`.
const standaloneCode = standaloneModule.default;

/** The helpers of runtime/ajv-helpers, by the ajv module they replace. */
const HELPERS: Readonly<Record<string, string>> = {
  "ajv/dist/runtime/ucs2length": "ucs2length",
  "ajv/dist/runtime/equal": "equal",
};

/** The standalone module and the export name of every validator in it. */
export interface StandaloneValidators {
  /** The JavaScript of `validators.raw.js`, without a banner. */
  code: string;
  /** Export name of each tuple's validator, by the tuple's pointer in the catalogue. */
  tuples: Map<string, string>;
  /** Export name of each shared schema's validator, by its `$defs` key. */
  defs: Map<string, string>;
  /** The tuples, as laid out in the ajv document. */
  layout: TupleSchemaRef[];
}

/** Compiles every wire tuple and shared schema of `catalogue` into one standalone ESM module. */
export function standaloneValidators(catalogue: EventCatalogue, runtimeImport: string): StandaloneValidators {
  const schemas = loadSchemas(catalogue);
  const exports: Record<string, string> = {};
  const tuples = new Map<string, string>();
  const defs = new Map<string, string>();
  const wire = schemas.tuples.filter((t) => t.event.group !== "interServer");
  for (const tuple of wire) {
    exports[tuple.key] = tuple.ref;
    tuples.set(tuple.pointer, tuple.key);
  }
  for (const [name, ref] of schemas.defs) {
    const exportName = `def${name}`;
    exports[exportName] = ref;
    defs.set(name, exportName);
  }
  let code = standaloneCode(schemas.ajv, exports);
  const used = new Set<string>();
  code = code.replace(/require\("([^"]+)"\)\.default/g, (_whole: string, module: string) => {
    const helper = HELPERS[module];
    if (!helper) throw new Error(`ajv's standalone code needs ${module}, which the generated runtime does not provide`);
    used.add(helper);
    return helper;
  });
  if (code.includes("require(")) throw new Error("ajv's standalone code still contains a require( call");
  code = code.replace(/^"use strict";\n/, "");
  code = withoutPerCallWork(code, usesUnevaluated(catalogue));
  const imports = used.size ? `import { ${[...used].sort().join(", ")} } from "${runtimeImport}";\n` : "";
  return { code: imports + code, tuples, defs, layout: wire };
}

/** True when some schema of the catalogue uses unevaluatedProperties or unevaluatedItems. */
function usesUnevaluated(catalogue: EventCatalogue): boolean {
  const schemas: unknown[] = [...Object.values(catalogue.$defs ?? {})];
  for (const { event } of listEvents(catalogue)) schemas.push(event.args, event.ack);
  let found = false;
  for (const schema of schemas) {
    walkSchema(schema, "", (node) => {
      if (isSchemaObject(node) && ("unevaluatedProperties" in node || "unevaluatedItems" in node)) found = true;
    });
  }
  return found;
}

/**
 * Takes work out of every validator call that this catalogue never needs. ajv's draft 2020-12
 * functions allocate two empty objects per call for their default options (shared constants do,
 * since a catalogue has no $dynamicAnchor, the only thing that would write to them), and, for
 * unevaluated* keywords, reset their "evaluated" records on every call (dead when no schema uses
 * them); string lengths are counted in code points even where `.length` already decides. All are
 * exact rewrites of ajv's output; if ajv ever writes it differently, nothing matches and the code
 * stays as ajv made it: correct, only slower.
 */
function withoutPerCallWork(code: string, unevaluated: boolean): string {
  let out = code.replace(/dynamicAnchors=\{\}\}=\{\}\)\{/g, "dynamicAnchors=NO_ANCHORS}=NO_OPTIONS){");
  if (out !== code) out = "const NO_ANCHORS = Object.freeze({});\nconst NO_OPTIONS = Object.freeze({});\n" + out;
  // A string's code points never outnumber its UTF-16 units, nor fall below half of them: most
  // length checks are settled by `.length` alone, without counting.
  const counter = /^const (func\d+) = ucs2length;$/m.exec(out)?.[1];
  if (counter) {
    out = out
      .replace(new RegExp(`${counter}\\((\\w+)\\) > (\\d+)`, "g"), `($1.length > $2 && ${counter}($1) > $2)`)
      .replace(
        new RegExp(`${counter}\\((\\w+)\\) < (\\d+)`, "g"),
        `($1.length < $2 || ($1.length < 2 * $2 && ${counter}($1) < $2))`,
      );
  }
  if (!unevaluated) {
    out = out.replace(
      /const (evaluated\d+) = (validate\d+)\.evaluated;\nif\(\1\.dynamicProps\)\{\n\1\.props = undefined;\n\}\nif\(\1\.dynamicItems\)\{\n\1\.items = undefined;\n\}\n/g,
      "",
    );
  }
  return out;
}
