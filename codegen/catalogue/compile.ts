/**
 * One ajv instance holding a catalogue's schemas: its `$defs` and every argument tuple, placed
 * in one synthetic document so that the catalogue's `#/$defs/Name` references resolve as they
 * are written. The loader compiles from it to check examples; the generator turns it into
 * standalone code.
 */
import * as Ajv2020Module from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import type { ArgumentTuple, EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { argsOf, listEvents, type EventRef } from "./events.js";
import { FORMAT_PATTERNS } from "./formats.js";
import { isExtension } from "./keywords.js";
import { childPointer } from "./pointer.js";
import { isSchemaObject, walkSchema } from "./schema-walk.js";

// ajv ships CommonJS; under NodeNext its class and code template arrive as `.default` / named.
const Ajv2020 = Ajv2020Module.default as unknown as typeof Ajv2020Module.Ajv2020;
const { _ } = Ajv2020Module;
type Ajv = InstanceType<typeof Ajv2020>;

/** The `$id` of the synthetic document. */
export const DOCUMENT_ID = "sockspec:catalogue";

/** The schema of one tuple (an event's arguments or its acknowledgement's) inside the document. */
export interface TupleSchemaRef {
  event: EventRef;
  part: "args" | "ack";
  /** Its key under the document's `$defs` (lower case, so never a catalogue key). */
  key: string;
  /** The reference ajv resolves: `sockspec:catalogue#/$defs/<key>`. */
  ref: string;
  /** Pointer to the tuple in the catalogue (`.../args` or `.../ack`). */
  pointer: string;
}

/** A catalogue's schemas, loaded into ajv. */
export interface CatalogueSchemas {
  ajv: Ajv;
  /** Every argument and acknowledgement tuple, in catalogue order (server-to-server events included: see `event.group`). */
  tuples: TupleSchemaRef[];
  /** The reference of each `$defs` entry, by name. */
  defs: Map<string, string>;
}

/**
 * The JSON Schema of a tuple as written in the catalogue, with `type: "array"` made explicit.
 * An empty tuple becomes `maxItems: 0`: draft 2020-12 wants at least one schema in `prefixItems`.
 */
export function tupleSchema(tuple: ArgumentTuple): Record<string, unknown> {
  if (tuple.prefixItems.length === 0) {
    const { prefixItems: _none, items: _closed, minItems: _zero, maxItems: _max, type: _array, ...rest } = tuple;
    return { type: "array", ...rest, maxItems: 0 };
  }
  return { type: "array", ...tuple };
}

/** Every `x-...` keyword used in the catalogue's schemas: ajv must know them to ignore them in strict mode. */
function extensionKeywords(document: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  walkSchema(document, "", (node) => {
    if (isSchemaObject(node)) for (const key of Object.keys(node)) if (isExtension(key)) found.add(key);
  });
  return found;
}

/**
 * Loads the catalogue's schemas into a new ajv. Compiling happens later, on demand; ajv throws
 * then for a schema its strict mode refuses (the loader turns that into a problem).
 */
export function loadSchemas(catalogue: EventCatalogue): CatalogueSchemas {
  const ajv = new Ajv2020({
    // One error is enough to refuse an event, and the standalone code is faster for it.
    allErrors: false,
    // Unknown keywords and misspellings fail; typeless keywords and open tuples are the author's right.
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    formats: FORMAT_PATTERNS,
    code: { source: true, esm: true, lines: true },
  });
  ajv.addKeyword({
    keyword: "binary",
    schemaType: "boolean",
    // Code, not a function: standalone output must carry the check inline.
    code(cxt) {
      if (cxt.schema === true) cxt.fail(_`!(${cxt.data} instanceof Uint8Array || ${cxt.data} instanceof ArrayBuffer)`);
    },
    error: { message: "must be binary (a Buffer, ArrayBuffer or Uint8Array)" },
  });
  const defsObject: Record<string, unknown> = { ...(catalogue.$defs ?? {}) };
  const tuples: TupleSchemaRef[] = [];
  for (const event of listEvents(catalogue, { interServer: true })) {
    const parts: ["args" | "ack", ArgumentTuple | undefined][] = [
      ["args", argsOf(event.event)],
      ["ack", event.event.ack],
    ];
    for (const [part, tuple] of parts) {
      if (!tuple) continue;
      const key = `t${tuples.length}`;
      defsObject[key] = tupleSchema(tuple);
      tuples.push({
        event,
        part,
        key,
        ref: `${DOCUMENT_ID}#/$defs/${key}`,
        pointer: childPointer(event.pointer, part),
      });
    }
  }
  const document = { $id: DOCUMENT_ID, $defs: defsObject };
  for (const keyword of extensionKeywords(document)) ajv.addKeyword(keyword);
  ajv.addSchema(document);
  const defs = new Map(Object.keys(catalogue.$defs ?? {}).map((name) => [name, `${DOCUMENT_ID}#/$defs/${name}`]));
  return { ajv, tuples, defs };
}

/** The compiled validator of `ref`. Throws ajv's error when strict mode refuses the schema. */
export function compileRef(schemas: CatalogueSchemas, ref: string): ValidateFunction {
  const validate = schemas.ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate;
}
