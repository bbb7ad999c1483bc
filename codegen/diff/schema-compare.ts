/**
 * How a JSON Schema changed, as the set of values it accepts: widened (the new one accepts all
 * the old one did, and more), narrowed (a subset), or changed (neither, or not decidable here).
 * Keyword by keyword, each change with its pointer, so that a report can say exactly what moved.
 * Deciding inclusion for every JSON Schema is out of reach; the common keywords are compared
 * exactly, and anything else that differs counts as `changed`, which no direction accepts.
 */
import { ANNOTATIONS, isExtension } from "../catalogue/keywords.js";
import { childPointer, resolvePointer } from "../catalogue/pointer.js";
import { isSchemaObject, walkSchema, type SchemaObject } from "../catalogue/schema-walk.js";
import { equal } from "../runtime/ajv-helpers.js";

/** What a change does to the set of accepted values. */
export type Effect = "widened" | "narrowed" | "changed";

/** One change inside a schema. */
export interface SchemaChange {
  /** Pointer inside the compared schema (`/prefixItems/0/maxLength`). */
  path: string;
  effect: Effect;
  /** What changed, briefly: `maxLength 1000 → 500`. */
  detail: string;
}

/** Where `$ref`s resolve: the old and the new catalogue. */
export interface CompareContext {
  oldRoot: unknown;
  newRoot: unknown;
}

const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains"];
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains"];
/** Keywords handled below; any other assertion that differs is `changed`. */
const HANDLED = new Set([
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  "$ref",
  "type",
  "enum",
  "const",
  "pattern",
  "format",
  "multipleOf",
  "uniqueItems",
  "binary",
  "required",
  "properties",
  "additionalProperties",
  "prefixItems",
  "items",
  "anyOf",
  "oneOf",
  "allOf",
  "$defs",
]);

function show(value: unknown): string {
  return value === undefined ? "none" : JSON.stringify(value);
}

/** A schema with its `$ref` followed (in its own catalogue); `$ref` siblings kept. */
function resolve(schema: unknown, root: unknown): { schema: unknown; ref: string | undefined } {
  if (!isSchemaObject(schema) || typeof schema["$ref"] !== "string") return { schema, ref: undefined };
  const ref = schema["$ref"];
  const target = resolvePointer(root, ref.slice(1));
  const { $ref: _ref, ...siblings } = schema;
  if (!isSchemaObject(target))
    return { schema: Object.keys(siblings).length ? { allOf: [target], ...siblings } : target, ref };
  // Siblings of a $ref add constraints; for comparing, merge them over the target (they rarely overlap).
  return { schema: { ...target, ...siblings }, ref };
}

/** The accepted types as a set (undefined: any type). */
function typeSet(schema: SchemaObject): Set<string> | undefined {
  const t = schema["type"];
  if (typeof t === "string") return new Set([t]);
  if (Array.isArray(t)) return new Set(t.map(String));
  return undefined;
}

function typesWithin(a: Set<string>, b: Set<string>): boolean {
  for (const t of a) if (!b.has(t) && !(t === "integer" && b.has("number"))) return false;
  return true;
}

/** Effect of going from set `a` to set `b` (undefined = everything). */
function setEffect<T>(a: T[] | undefined, b: T[] | undefined, within: (x: T[], y: T[]) => boolean): Effect | undefined {
  if (a === undefined && b === undefined) return undefined;
  if (a === undefined) return "narrowed";
  if (b === undefined) return "widened";
  const ab = within(a, b);
  const ba = within(b, a);
  if (ab && ba) return undefined;
  return ab ? "widened" : ba ? "narrowed" : "changed";
}

function valuesWithin(a: unknown[], b: unknown[]): boolean {
  return a.every((x) => b.some((y) => equal(x, y)));
}

/** The allowed values of a schema by enum/const, or undefined when it lists none. */
function allowedValues(schema: SchemaObject): unknown[] | undefined {
  if ("const" in schema) return [schema["const"]];
  return Array.isArray(schema["enum"]) ? schema["enum"] : undefined;
}

/** True when a `$ref` appears anywhere in `schema`. */
function hasRef(schema: unknown): boolean {
  let found = false;
  walkSchema(schema, "", (node) => {
    if (isSchemaObject(node) && "$ref" in node) found = true;
  });
  return found;
}

/** True for a schema that accepts everything (`true`, or only annotations). */
function unconstrained(schema: unknown): boolean {
  return (
    schema === true ||
    (isSchemaObject(schema) && Object.keys(schema).every((k) => ANNOTATIONS.has(k) || isExtension(k)))
  );
}

/** Compares two schemas; `seen` stops at references already being compared (recursive types). */
export function compareSchemas(
  oldSchema: unknown,
  newSchema: unknown,
  ctx: CompareContext,
  path = "",
  seen = new Set<string>(),
): SchemaChange[] {
  const a = resolve(oldSchema, ctx.oldRoot);
  const b = resolve(newSchema, ctx.newRoot);
  if (a.ref !== undefined && b.ref !== undefined) {
    const key = `${a.ref}\n${b.ref}`;
    if (seen.has(key)) return [];
    seen = new Set(seen).add(key);
  }
  const o = a.schema;
  const n = b.schema;
  // Equal text is equal meaning only when no reference inside could lead to a changed definition.
  if (o === n || (equal(o, n) && !hasRef(o))) return [];
  const oFree = unconstrained(o);
  const nFree = unconstrained(n);
  if (oFree && nFree) return [];
  if (n === false) return o === false ? [] : [{ path, effect: "narrowed", detail: "nothing allowed any more" }];
  if (o === false) return [{ path, effect: "widened", detail: "allowed where nothing was" }];
  if (oFree) return [{ path, effect: "narrowed", detail: "constrained where anything was allowed" }];
  if (nFree) return [{ path, effect: "widened", detail: "anything allowed now" }];
  if (!isSchemaObject(o) || !isSchemaObject(n)) return [{ path, effect: "changed", detail: `${show(o)} → ${show(n)}` }];

  const changes: SchemaChange[] = [];
  const add = (keyword: string, effect: Effect | undefined, detail: string) => {
    if (effect) changes.push({ path: childPointer(path, keyword), effect, detail });
  };

  const ot = typeSet(o);
  const nt = typeSet(n);
  add(
    "type",
    setEffect(ot && [...ot], nt && [...nt], (x, y) => typesWithin(new Set(x), new Set(y))),
    `type ${show(o["type"])} → ${show(n["type"])}`,
  );
  add(
    "const" in o || "const" in n ? "const" : "enum",
    setEffect(allowedValues(o), allowedValues(n), valuesWithin),
    `allowed values ${show(allowedValues(o))} → ${show(allowedValues(n))}`,
  );

  for (const keyword of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) {
    const x = o[keyword];
    const y = n[keyword];
    if (x === y) continue;
    const lower = LOWER_BOUNDS.includes(keyword);
    let effect: Effect;
    if (x === undefined) effect = "narrowed";
    else if (y === undefined) effect = "widened";
    else if (typeof x === "number" && typeof y === "number") effect = y > x === lower ? "narrowed" : "widened";
    else effect = "changed";
    add(keyword, effect, `${keyword} ${show(x)} → ${show(y)}`);
  }
  for (const keyword of ["pattern", "format", "binary"]) {
    const x = o[keyword];
    const y = n[keyword];
    if (equal(x, y) || (keyword === "binary" && !x && !y)) continue;
    add(
      keyword,
      x === undefined || x === false ? "narrowed" : y === undefined || y === false ? "widened" : "changed",
      `${keyword} ${show(x)} → ${show(y)}`,
    );
  }
  if (!equal(o["multipleOf"], n["multipleOf"])) {
    const x = o["multipleOf"];
    const y = n["multipleOf"];
    const effect: Effect =
      x === undefined
        ? "narrowed"
        : y === undefined
          ? "widened"
          : typeof x === "number" && typeof y === "number" && Number.isInteger(x / y)
            ? "widened"
            : typeof x === "number" && typeof y === "number" && Number.isInteger(y / x)
              ? "narrowed"
              : "changed";
    add("multipleOf", effect, `multipleOf ${show(x)} → ${show(y)}`);
  }
  if (Boolean(o["uniqueItems"]) !== Boolean(n["uniqueItems"]))
    add(
      "uniqueItems",
      n["uniqueItems"] ? "narrowed" : "widened",
      `uniqueItems ${show(o["uniqueItems"])} → ${show(n["uniqueItems"])}`,
    );

  const oldRequired = Array.isArray(o["required"]) ? (o["required"] as string[]) : [];
  const newRequired = Array.isArray(n["required"]) ? (n["required"] as string[]) : [];
  for (const name of newRequired.filter((r) => !oldRequired.includes(r)))
    add("required", "narrowed", `property "${name}" now required`);
  for (const name of oldRequired.filter((r) => !newRequired.includes(r)))
    add("required", "widened", `property "${name}" no longer required`);

  // Properties: each name against what governs it on either side (its own schema, else additionalProperties).
  const oldProps = isSchemaObject(o["properties"]) ? o["properties"] : {};
  const newProps = isSchemaObject(n["properties"]) ? n["properties"] : {};
  const oldRest = o["additionalProperties"] ?? true;
  const newRest = n["additionalProperties"] ?? true;
  for (const name of new Set([...Object.keys(oldProps), ...Object.keys(newProps)])) {
    changes.push(
      ...compareSchemas(
        oldProps[name] ?? oldRest,
        newProps[name] ?? newRest,
        ctx,
        childPointer(path, "properties", name),
        seen,
      ),
    );
  }
  changes.push(...compareSchemas(oldRest, newRest, ctx, childPointer(path, "additionalProperties"), seen));

  // Arrays: each position against what governs it (prefixItems, else items).
  const oldPrefix = Array.isArray(o["prefixItems"]) ? o["prefixItems"] : [];
  const newPrefix = Array.isArray(n["prefixItems"]) ? n["prefixItems"] : [];
  const oldItems = o["items"] ?? true;
  const newItems = n["items"] ?? true;
  for (let i = 0; i < Math.max(oldPrefix.length, newPrefix.length); i++) {
    changes.push(
      ...compareSchemas(
        oldPrefix[i] ?? oldItems,
        newPrefix[i] ?? newItems,
        ctx,
        childPointer(path, "prefixItems", i),
        seen,
      ),
    );
  }
  changes.push(...compareSchemas(oldItems, newItems, ctx, childPointer(path, "items"), seen));

  for (const keyword of ["anyOf", "oneOf"]) {
    const x = o[keyword] as unknown[] | undefined;
    const y = n[keyword] as unknown[] | undefined;
    if (equal(x, y)) continue;
    // Branches compared whole: a branch added widens, a branch removed narrows.
    add(
      keyword,
      setEffect(x, y, valuesWithin) ?? "changed",
      `${keyword} branches ${x?.length ?? 0} → ${y?.length ?? 0}`,
    );
  }
  if (!equal(o["allOf"], n["allOf"])) {
    add(
      "allOf",
      o["allOf"] === undefined ? "narrowed" : n["allOf"] === undefined ? "widened" : "changed",
      "allOf changed",
    );
  }
  for (const keyword of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (HANDLED.has(keyword) || ANNOTATIONS.has(keyword) || isExtension(keyword)) continue;
    if (!equal(o[keyword], n[keyword])) add(keyword, "changed", `${keyword} ${show(o[keyword])} → ${show(n[keyword])}`);
  }
  return changes;
}
