/**
 * The ajv validators for every schema in schemas/, compiled once when this module loads.
 * Codecs call them on decoded JSON payloads; codegen and the conformance runner reuse them.
 */
import * as Ajv2020Module from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import { schemas } from "../schemas/generated/schemas.js";

// ajv ships CommonJS; under NodeNext its class arrives as `.default`.
const Ajv2020 = Ajv2020Module.default as unknown as typeof Ajv2020Module.Ajv2020;

// strictTuples is off: an event is a name followed by any number of arguments, an open tuple.
const ajv = new Ajv2020({ allErrors: false, strict: true, strictTuples: false });
// Annotation read by json-schema-to-typescript only.
ajv.addKeyword({ keyword: "tsType", schemaType: "string" });
for (const schema of Object.values(schemas)) ajv.addSchema(schema as object);

const BASE = "https://sockspec.dev/schemas/";
const cache = new Map<string, ValidateFunction>();

/**
 * The compiled validator for a schema, by its path under schemas/ and an optional JSON pointer
 * fragment: `validator("socket.io/v5/packet.json#/$defs/eventArguments")`.
 */
export function validator<T = unknown>(ref: string): ValidateFunction<T> {
  let fn = cache.get(ref);
  if (!fn) {
    fn = ajv.getSchema(BASE + ref);
    if (!fn) throw new Error(`no schema ${ref} under schemas/`);
    cache.set(ref, fn);
  }
  return fn as ValidateFunction<T>;
}

/** One line that says why a value failed its schema: `/0 must be string`. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return "does not match its schema";
  return `${first.instancePath || "value"} ${first.message ?? "is invalid"}`;
}
