/**
 * Catalogue schemas (JSON Schema draft 2020-12) to the AsyncAPI Schema format (a superset of
 * draft 07, AsyncAPI's default) and back. The two differ where it matters here: tuples
 * (`prefixItems` + `items` against `items` as an array + `additionalItems`), local definitions
 * (`$defs` against `definitions`, and the catalogue's `$defs` live under `components.schemas`),
 * and binary values, written in AsyncAPI the way its tools know them: a string of format binary.
 * Every other keyword passes through unchanged, so a round trip loses nothing.
 */
import { isSchemaObject, mapSchema, type SchemaObject } from "../catalogue/schema-walk.js";

const CATALOGUE_DEFS = "#/$defs/";
const COMPONENTS = "#/components/schemas/";

/** A `$ref` of the catalogue, pointed into the AsyncAPI document. */
function refToAsyncApi(ref: string): string {
  if (!ref.startsWith(CATALOGUE_DEFS)) return ref;
  return COMPONENTS + ref.slice(CATALOGUE_DEFS.length).replace(/\/\$defs\//g, "/definitions/");
}

/** A `$ref` of an AsyncAPI document, pointed into the catalogue. */
function refToCatalogue(ref: string): string {
  if (!ref.startsWith(COMPONENTS)) return ref;
  return CATALOGUE_DEFS + ref.slice(COMPONENTS.length).replace(/\/definitions\//g, "/$defs/");
}

/** A catalogue schema in the AsyncAPI Schema format. */
export function toAsyncApiSchema(schema: unknown): unknown {
  return mapSchema(schema, (node) => {
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "prefixItems") out["items"] = value;
      else if (key === "items" && "prefixItems" in node) out["additionalItems"] = value;
      else if (key === "$defs") out["definitions"] = value;
      else if (key === "$ref" && typeof value === "string") out["$ref"] = refToAsyncApi(value);
      else if (key === "binary" && value === true) Object.assign(out, { type: "string", format: "binary" });
      else out[key] = value;
    }
    return out;
  });
}

/** An AsyncAPI Schema (draft 07 flavour) as a catalogue schema. */
export function fromAsyncApiSchema(schema: unknown): unknown {
  // mapSchema knows draft 2020-12 places; rename the draft 07 ones first so their children are visited.
  return mapSchema(renameDraft07(schema), (node) => {
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out["$ref"] = refToCatalogue(value);
      else out[key] = value;
    }
    if (out["type"] === "string" && out["format"] === "binary") {
      delete out["type"];
      delete out["format"];
      out["binary"] = true;
    }
    return out;
  });
}

const DRAFT07_SINGLE = [
  "additionalProperties",
  "propertyNames",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
];
const DRAFT07_ARRAYS = ["allOf", "anyOf", "oneOf"];
const DRAFT07_MAPS = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"];

/** Draft 07 tuple and definition keywords renamed to their draft 2020-12 names, at every schema position. */
function renameDraft07(schema: unknown): unknown {
  if (!isSchemaObject(schema)) return schema;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "items") {
      if (Array.isArray(value)) {
        out["prefixItems"] = value.map(renameDraft07);
        if ("additionalItems" in schema) out["items"] = renameDraft07(schema["additionalItems"]);
      } else out["items"] = renameDraft07(value);
    } else if (key === "additionalItems") {
      // Meaningful only next to an items array (handled there).
    } else if (DRAFT07_SINGLE.includes(key)) out[key] = renameDraft07(value);
    else if (DRAFT07_ARRAYS.includes(key) && Array.isArray(value)) out[key] = value.map(renameDraft07);
    else if (DRAFT07_MAPS.includes(key) && isSchemaObject(value)) {
      out[key === "definitions" ? "$defs" : key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, renameDraft07(v)]),
      );
    } else out[key] = value;
  }
  return out;
}
