/**
 * The catalogue as the emitters see it: per namespace and direction, each event with its
 * arguments already typed (a TypeScript type expression each), and the payload schemas that
 * need a named type. Built once, checked for name clashes, then rendered by every emitter.
 */
import type { ArgumentTuple, EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { argsOf, argumentName, DIRECTIONS, type EventGroup } from "../catalogue/events.js";
import { ANNOTATIONS, isExtension } from "../catalogue/keywords.js";
import { childPointer, pointer } from "../catalogue/pointer.js";
import { isSchemaObject } from "../catalogue/schema-walk.js";
import { eventPart, GROUP_WORDS, NameRegistry, namespacePrefixes, parameterName, pascalCase } from "./names.js";

/** One argument of an event or acknowledgement. */
export interface ArgumentModel {
  /** Its name as a parameter and tuple label. */
  name: string;
  /** Its TypeScript type. */
  type: string;
  optional: boolean;
  description: string | undefined;
}

/** An argument tuple: its arguments, and where it is (which identifies its validator). */
export interface TupleModel {
  args: ArgumentModel[];
  /** JSON pointer to the tuple in the catalogue (`.../args` or `.../ack`). */
  pointer: string;
}

/** One event. */
export interface EventModel {
  name: string;
  group: EventGroup;
  pointer: string;
  summary: string | undefined;
  description: string | undefined;
  deprecated: boolean;
  args: TupleModel;
  ack: TupleModel | undefined;
}

/** One namespace. */
export interface NamespaceModel {
  name: string;
  prefix: string;
  description: string | undefined;
  events: Record<EventGroup, EventModel[]>;
  /** The type of `socket.data`. */
  socketData: string;
}

/** What every emitter renders. */
export interface CatalogueModel {
  catalogue: EventCatalogue;
  /** Where it came from, for banners. */
  source: string;
  namespaces: NamespaceModel[];
  /** Schemas that get a named type: the `$defs` (under their keys) and complex inline schemas. */
  namedSchemas: Map<string, unknown>;
  /** The `$defs` names, in catalogue order. */
  defs: string[];
}

const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  string: "string",
  number: "number",
  integer: "number",
  boolean: "boolean",
  null: "null",
};
const SCALAR_KEYWORDS = new Set([
  "type",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
]);

/** True when every keyword of `schema` only describes it, besides those in `also`. */
function onlyAnnotations(schema: Record<string, unknown>, also: ReadonlySet<string>): boolean {
  return Object.keys(schema).every((k) => ANNOTATIONS.has(k) || isExtension(k) || also.has(k));
}

/** The TypeScript type of a scalar schema written inline (`string`, `number | null`), or undefined when it needs a named type. */
function inlineType(schema: unknown): string | undefined {
  if (schema === true) return "unknown";
  if (schema === false) return "never";
  if (!isSchemaObject(schema)) return undefined;
  if (schema["binary"] === true && onlyAnnotations(schema, new Set(["binary"]))) return "Binary";
  const ref = schema["$ref"];
  if (
    typeof ref === "string" &&
    /^#\/\$defs\/[A-Z][A-Za-z0-9]*$/.test(ref) &&
    onlyAnnotations(schema, new Set(["$ref"]))
  )
    return ref.slice(8);
  const type = schema["type"];
  const types = typeof type === "string" ? [type] : Array.isArray(type) ? type : undefined;
  if (!types || !onlyAnnotations(schema, SCALAR_KEYWORDS)) return undefined;
  const ts = types.map((t) => SIMPLE_TYPES[String(t)]);
  if (ts.some((t) => t === undefined)) return undefined;
  return [...new Set(ts)].join(" | ");
}

function describeSchema(schema: unknown): string | undefined {
  if (!isSchemaObject(schema)) return undefined;
  const description = schema["description"];
  return typeof description === "string" ? description : undefined;
}

/** Builds the model; throws a CatalogueError when two things would get one name. */
export function buildModel(catalogue: EventCatalogue, source: string): CatalogueModel {
  const registry = new NameRegistry(source);
  const prefixes = namespacePrefixes(catalogue, registry);
  const namedSchemas = new Map<string, unknown>(Object.entries(catalogue.$defs ?? {}));
  const tupleModel = (tuple: ArgumentTuple, at: string, candidates: (argPart: string) => string[]): TupleModel => {
    const args = tuple.prefixItems.map((item, index): ArgumentModel => {
      const name = argumentName(tuple, index);
      let type = inlineType(item);
      if (type === undefined) {
        // A complex inline schema gets a type named after its event and argument, qualified only when needed.
        const options = candidates(pascalCase(name));
        type = options.find((n) => registry.isFree(n)) ?? options[options.length - 1]!;
        registry.claim(type, childPointer(at, "prefixItems", index), `argument ${name}`);
        namedSchemas.set(type, item);
      }
      return { name: parameterName(name), type, optional: index >= tuple.minItems, description: describeSchema(item) };
    });
    return { args, pointer: at };
  };

  const namespaces: NamespaceModel[] = [];
  for (const [name, ns] of Object.entries(catalogue.namespaces)) {
    if (!ns) continue;
    const prefix = prefixes.get(name)!;
    const events = { clientToServer: [], serverToClient: [], interServer: [] } as Record<EventGroup, EventModel[]>;
    for (const group of [...DIRECTIONS, "interServer"] as EventGroup[]) {
      for (const [eventName, event] of Object.entries(ns[group] ?? {})) {
        if (!event) continue;
        const at = pointer("namespaces", name, group, eventName);
        const part = eventPart(eventName);
        const naming = (ack: boolean) => (arg: string) => {
          const tail = `${ack ? "Ack" : ""}${arg}`;
          return [`${part}${tail}`, `${prefix}${part}${tail}`, `${prefix}${GROUP_WORDS[group]}${part}${tail}`];
        };
        const args = tupleModel(argsOf(event), childPointer(at, "args"), naming(false));
        const ack = event.ack ? tupleModel(event.ack, childPointer(at, "ack"), naming(true)) : undefined;
        events[group].push({
          name: eventName,
          group,
          pointer: at,
          summary: event.summary,
          description: event.description,
          deprecated: event.deprecated === true,
          args,
          ack,
        });
      }
    }
    let socketData = "Record<string, unknown>";
    if (ns.socketData !== undefined) {
      socketData = inlineType(ns.socketData) ?? `${prefix}SocketData`;
      if (socketData === `${prefix}SocketData`) namedSchemas.set(socketData, ns.socketData);
    }
    namespaces.push({ name, prefix, description: ns.description, events, socketData });
  }
  registry.check();
  return { catalogue, source, namespaces, namedSchemas, defs: Object.keys(catalogue.$defs ?? {}) };
}
