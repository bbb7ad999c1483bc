/**
 * The first check of a catalogue: its shape against schemas/codegen/catalogue.json, every
 * error found, each said in the catalogue's own terms (namespaces, events, arguments) rather
 * than in ajv's.
 */
import * as Ajv2020Module from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import { schemas } from "../../schemas/generated/schemas.js";
import { RESERVED_EVENT_NAMES } from "./keywords.js";
import { childPointer } from "./pointer.js";

const Ajv2020 = Ajv2020Module.default as unknown as typeof Ajv2020Module.Ajv2020;

/** A problem before the file name and position are added. */
export interface ShapeProblem {
  pointer: string;
  message: string;
  expected?: string | undefined;
}

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!validate) {
    // allErrors: an author fixes every problem in one go; verbose: messages quote the offending values.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTuples: false });
    validate = ajv.compile(schemas["codegen/catalogue.json"] as object);
  }
  return validate;
}

function shown(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value);
}

/** What a property name was refused for, by where the rule sits in the catalogue schema. */
function propertyNameProblem(error: ErrorObject): ShapeProblem {
  const name = String(error.params["propertyName"]);
  const at = childPointer(error.instancePath, name);
  if (error.schemaPath.startsWith("#/properties/%24defs") || error.schemaPath.startsWith("#/properties/$defs")) {
    return {
      pointer: at,
      message: `"${name}" cannot name a shared schema: the key becomes a TypeScript type name`,
      expected: "a PascalCase identifier such as ChatMessage",
    };
  }
  if (error.schemaPath.startsWith("#/properties/namespaces")) {
    return {
      pointer: at,
      message: `"${name}" is not a namespace name`,
      expected: 'a name starting with "/", such as "/" or "/admin"',
    };
  }
  if (RESERVED_EVENT_NAMES.includes(name)) {
    return {
      pointer: at,
      message: `"${name}" is a reserved event name: Socket.IO uses it for itself`,
      expected: `any name but ${RESERVED_EVENT_NAMES.join(", ")}`,
    };
  }
  return { pointer: at, message: "an event name cannot be empty" };
}

function describe(error: ErrorObject): ShapeProblem {
  const { instancePath: pointer, params } = error;
  switch (error.keyword) {
    case "additionalProperties": {
      const name = String(params["additionalProperty"]);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        pointer: childPointer(pointer, name),
        message: `unexpected property "${name}"`,
        expected: allowed.length ? `one of ${allowed.join(", ")}` : undefined,
      };
    }
    case "required":
      return { pointer, message: `missing property "${String(params["missingProperty"])}"` };
    case "type":
      return {
        pointer,
        message: `${shown(error.data)} is not allowed here`,
        expected: String(params["type"]).replace(",", " or "),
      };
    case "const":
      return {
        pointer,
        message: `${shown(error.data)} is not allowed here`,
        expected: JSON.stringify(params["allowedValue"]),
      };
    case "pattern":
      return {
        pointer,
        message: `${shown(error.data)} does not have the required form`,
        expected: `a match for ${String(params["pattern"])}`,
      };
    case "minProperties":
      return { pointer, message: "is empty", expected: `at least ${String(params["limit"])} entry` };
    case "propertyNames":
      return propertyNameProblem(error);
    default:
      return { pointer, message: `${shown(error.data)} ${error.message ?? "is invalid"}` };
  }
}

/** Every shape problem of `value` as a catalogue; empty when its shape is right. */
export function shapeProblems(value: unknown): ShapeProblem[] {
  const check = validator();
  if (check(value)) return [];
  // The errors under a refused property name repeat what the propertyNames error says.
  const errors = (check.errors ?? []).filter((e) => e.propertyName === undefined);
  const seen = new Set<string>();
  const problems: ShapeProblem[] = [];
  for (const error of errors) {
    const problem = describe(error);
    const key = `${problem.pointer}\n${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}
