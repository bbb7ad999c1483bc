/**
 * The JSON Schema vocabulary a catalogue may use: draft 2020-12 without the keywords that would
 * make references leave the document, plus `binary`. Where subschemas live, so that walkers,
 * converters and the diff agree on one list.
 */

/** Keywords whose value is one subschema. */
export const SINGLE_SUBSCHEMA = [
  "additionalProperties",
  "propertyNames",
  "items",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
] as const;

/** Keywords whose value is an array of subschemas. */
export const SUBSCHEMA_ARRAYS = ["prefixItems", "allOf", "anyOf", "oneOf"] as const;

/** Keywords whose value maps names to subschemas. */
export const SUBSCHEMA_MAPS = ["properties", "patternProperties", "dependentSchemas", "$defs"] as const;

/** Keywords that only describe (they never change what is valid). */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  "title",
  "description",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  "contentEncoding",
  "contentMediaType",
]);

/** Every other keyword a catalogue schema may use. */
const ASSERTIONS = [
  "$ref",
  "type",
  "enum",
  "const",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxContains",
  "minContains",
  "maxProperties",
  "minProperties",
  "required",
  "dependentRequired",
  "format",
  "binary",
];

/** Keywords refused in a catalogue, with why. */
export const REFUSED: ReadonlyMap<string, string> = new Map([
  ["$id", "a catalogue is one document: its schemas have no identifiers of their own"],
  ["$schema", "every schema in a catalogue is draft 2020-12"],
  ["$anchor", 'refer to a shared schema with $ref: "#/$defs/Name"'],
  ["$dynamicRef", "dynamic references are not supported"],
  ["$dynamicAnchor", "dynamic references are not supported"],
  ["$vocabulary", "a catalogue uses the draft 2020-12 vocabulary"],
  ["definitions", "shared schemas go under the catalogue's own $defs"],
  ["dependencies", "use dependentRequired or dependentSchemas (draft 2020-12)"],
  ["additionalItems", "in draft 2020-12 a tuple is prefixItems plus items"],
]);

/** Every keyword a catalogue schema may use (extensions starting with `x-` aside). */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  ...SINGLE_SUBSCHEMA,
  ...SUBSCHEMA_ARRAYS,
  ...SUBSCHEMA_MAPS,
  ...ANNOTATIONS,
  ...ASSERTIONS,
]);

/** True for a specification extension (`x-...`), which validators ignore. */
export function isExtension(keyword: string): boolean {
  return keyword.startsWith("x-");
}

/** The formats the generated validators check, without any library. */
export const FORMATS = ["date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6", "hostname"] as const;

/** The event names Socket.IO keeps for itself; a catalogue may not use them. */
export const RESERVED_EVENT_NAMES: readonly string[] = [
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
];
