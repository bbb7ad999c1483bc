/**
 * Visiting and rebuilding the subschemas of a JSON Schema, with their pointers. The checks, the
 * type generator, the AsyncAPI converter and the diff all go through here, so that they agree on
 * where subschemas are.
 */
import { SINGLE_SUBSCHEMA, SUBSCHEMA_ARRAYS, SUBSCHEMA_MAPS } from "./keywords.js";
import { childPointer } from "./pointer.js";

/** A JSON Schema: an object, or true/false. */
export type Schema = boolean | { [keyword: string]: unknown };

/** A schema object (not a boolean). */
export type SchemaObject = { [keyword: string]: unknown };

/** True for a schema object. */
export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The direct subschemas of `schema`, each with its pointer relative to `base`. */
export function* subschemas(schema: unknown, base: string): Generator<[unknown, string]> {
  if (!isSchemaObject(schema)) return;
  for (const key of SINGLE_SUBSCHEMA) if (key in schema) yield [schema[key], childPointer(base, key)];
  for (const key of SUBSCHEMA_ARRAYS) {
    const list = schema[key];
    if (Array.isArray(list)) for (let i = 0; i < list.length; i++) yield [list[i], childPointer(base, key, i)];
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key];
    if (isSchemaObject(map)) for (const [name, sub] of Object.entries(map)) yield [sub, childPointer(base, key, name)];
  }
}

/** Calls `visit` on `schema` and, depth first, on every subschema. */
export function walkSchema(schema: unknown, base: string, visit: (schema: unknown, pointer: string) => void): void {
  visit(schema, base);
  for (const [sub, ptr] of subschemas(schema, base)) walkSchema(sub, ptr, visit);
}

/**
 * A copy of `schema` in which `rewrite` has been applied to every schema object, children first
 * (so `rewrite` sees its children already rewritten). `rewrite` may return a new object or the
 * one it got.
 */
export function mapSchema(schema: unknown, rewrite: (node: SchemaObject) => unknown): unknown {
  if (!isSchemaObject(schema)) return schema;
  const copy: SchemaObject = { ...schema };
  for (const key of SINGLE_SUBSCHEMA) if (key in copy) copy[key] = mapSchema(copy[key], rewrite);
  for (const key of SUBSCHEMA_ARRAYS) {
    const list = copy[key];
    if (Array.isArray(list)) copy[key] = list.map((sub) => mapSchema(sub, rewrite));
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = copy[key];
    if (isSchemaObject(map))
      copy[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, mapSchema(sub, rewrite)]));
  }
  return rewrite(copy);
}
