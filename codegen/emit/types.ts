/**
 * The types module: the payload types (json-schema-to-typescript, for everything but argument
 * tuples, which it cannot express), then per namespace the four socket.io generic maps in the
 * receiver form and in the sender-with-timeout form, and the contract the runtime is typed by.
 * The same text serves as `types.ts` and `types.d.ts`: it declares types only.
 */
import type { EventGroup } from "../catalogue/events.js";
import { isExtension } from "../catalogue/keywords.js";
import { isSchemaObject, mapSchema, type SchemaObject } from "../catalogue/schema-walk.js";
import { jsdoc, oneLine } from "./jsdoc.js";
import type { ArgumentModel, CatalogueModel, EventModel, NamespaceModel, TupleModel } from "./model.js";
import { GROUP_WORDS, propertyKey } from "./names.js";

const ROOT = "SockspecGeneratedTypesRoot";

/**
 * A payload schema as json-schema-to-typescript should see it: binary values typed `Binary`,
 * draft 2020-12 tuples in the draft-07 form it knows, a `$ref` without siblings (siblings make
 * it mint a fresh numbered type), and no nested titles (each would become a named type).
 */
export function forTypeGenerator(schema: unknown): unknown {
  return mapSchema(schema, (node) => {
    if (node["binary"] === true)
      return {
        tsType: "Binary",
        ...(typeof node["description"] === "string" ? { description: node["description"] } : {}),
      };
    if (typeof node["$ref"] === "string") return { $ref: node["$ref"] };
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (isExtension(key) || key === "title" || key === "$comment" || key === "binary") continue;
      out[key] = value;
    }
    if (typeof node["title"] === "string" && out["description"] === undefined) out["description"] = node["title"];
    if (Array.isArray(node["prefixItems"])) {
      out["items"] = node["prefixItems"];
      delete out["prefixItems"];
      if ("items" in node) out["additionalItems"] = node["items"];
    }
    return out;
  });
}

/** The named payload types, from json-schema-to-typescript. */
async function payloadTypes(model: CatalogueModel): Promise<string> {
  if (model.namedSchemas.size === 0) return "";
  const defs: Record<string, unknown> = {};
  for (const [name, schema] of model.namedSchemas) {
    // An argument's title is its name, not prose: it must not become the type's description.
    const untitled = isSchemaObject(schema) && !model.defs.includes(name) ? { ...schema, title: undefined } : schema;
    const prepared = forTypeGenerator(untitled);
    defs[name] = isSchemaObject(prepared) ? { ...prepared, title: name } : prepared;
  }
  const root = {
    title: ROOT,
    type: "object",
    // One root that refers to every named type: one pass names each type once (a type compiled
    // on its own would meet itself through a reference and get a `Type1` twin).
    properties: Object.fromEntries([...model.namedSchemas.keys()].map((name) => [name, { $ref: `#/$defs/${name}` }])),
    additionalProperties: false,
    $defs: defs,
  };
  // Loaded here, not at the top: code that only needs the run-time files (the chat demo's page) never loads it.
  const { compile } = await import("json-schema-to-typescript");
  const output = await compile(root as never, ROOT, {
    bannerComment: "",
    declareExternallyReferenced: true,
    unreachableDefinitions: false,
    unknownAny: true,
    strictIndexSignatures: true,
    additionalProperties: false,
    // Bounded arrays stay arrays: a union of every length up to maxItems helps nobody.
    maxItems: 3,
    format: true,
    style: { printWidth: 100 },
    $refOptions: { resolve: { http: false, file: false } } as never,
  });
  const start = output.indexOf(`export interface ${ROOT} {`);
  const end = output.indexOf("\n}\n", start);
  const types = start < 0 ? output : output.slice(0, start) + output.slice(end + 3);
  const declared = [...types.matchAll(/^export (?:interface|type) ([A-Za-z0-9_$]+)/gm)].map((m) => m[1]!);
  const unexpected = declared.filter((name) => !model.namedSchemas.has(name));
  if (unexpected.length)
    throw new Error(`json-schema-to-typescript declared types the catalogue does not name: ${unexpected.join(", ")}`);
  return types.trim() + "\n";
}

/** `text: ChatText, meta?: Metadata` */
function parameters(args: ArgumentModel[]): string {
  return args.map((a) => `${a.name}${a.optional ? "?" : ""}: ${a.type}`).join(", ");
}

/** `[text: ChatText, meta?: Metadata]` */
export function tupleType(tuple: TupleModel): string {
  return `[${parameters(tuple.args)}]`;
}

/** The name of the ack callback parameter: `ack`, unless an argument already has that name. */
function callbackName(event: EventModel): string {
  return event.args.args.some((a) => a.name === "ack") ? "callback" : "ack";
}

function eventDoc(event: EventModel, withTimeout: boolean): string {
  const lines: (string | undefined)[] = [
    event.summary,
    event.summary && event.description ? "" : undefined,
    event.description,
  ];
  const params = event.args.args
    .filter((a) => oneLine(a.description))
    .map((a) => `@param ${a.name} ${oneLine(a.description)}`);
  if (event.ack) {
    const answer = event.ack.args.map((a) => a.name).join(", ") || "no arguments";
    params.push(
      `@param ${callbackName(event)} the acknowledgement (${answer})${withTimeout ? "; with a timeout, an Error first" : ""}`,
    );
  }
  if (params.length && lines.some(Boolean)) lines.push("");
  lines.push(...params);
  if (event.deprecated) lines.push("@deprecated the catalogue marks this event as deprecated");
  return jsdoc(lines, "  ");
}

/** One member of a socket.io event map. */
function mapMember(event: EventModel, withTimeout: boolean): string {
  let params = parameters(event.args.args);
  if (event.ack) {
    const ackParams = (withTimeout ? ["err: Error"] : []).concat(
      event.ack.args.map((a) => `${a.name}${a.optional ? "?" : ""}: ${a.type}`),
    );
    params += `${params ? ", " : ""}${callbackName(event)}: (${ackParams.join(", ")}) => void`;
  }
  return `${eventDoc(event, withTimeout)}  ${propertyKey(event.name)}: (${params}) => void;\n`;
}

const MAP_DOCS: Record<EventGroup, string> = {
  clientToServer: "Events a client emits and the server receives",
  serverToClient: "Events the server emits and a client receives",
  interServer: "Events the servers of one cluster send each other with `serverSideEmit`",
};

function eventMap(ns: NamespaceModel, group: EventGroup, withTimeout: boolean): string {
  const name = `${ns.prefix}${GROUP_WORDS[group]}Events${withTimeout ? "WithTimeout" : ""}`;
  const doc = withTimeout
    ? `${MAP_DOCS[group]} on \`${ns.name}\`, as a sender with a timeout calls them: \`socket.timeout(ms).emit(...)\`, or every emit of a client created with \`ackTimeout\`, gets an Error (the timeout) before the acknowledgement's arguments.`
    : `${MAP_DOCS[group]} on \`${ns.name}\`: the socket.io event map both ends use (a listener gets the ack callback last).`;
  const members = ns.events[group].map((e) => mapMember(e, withTimeout)).join("");
  return `${jsdoc([doc])}export interface ${name} {\n${members}}\n`;
}

function contractEvents(events: EventModel[]): string {
  if (events.length === 0) return "{}";
  const members = events.map(
    (e) =>
      `      ${propertyKey(e.name)}: { args: ${tupleType(e.args)}${e.ack ? `; ack: ${tupleType(e.ack)}` : ""} };\n`,
  );
  return `{\n${members.join("")}    }`;
}

const BINARY = `${jsdoc([
  'A binary value (`"binary": true` in the catalogue), sent as a Socket.IO attachment: Node delivers a',
  "Buffer, browsers an ArrayBuffer. Buffer is part of the type where Node's types are loaded.",
])}export type Binary = ArrayBuffer | Uint8Array | NodeBuffer;
type NodeBuffer = typeof globalThis extends { Buffer: { from(data: string): infer B } } ? B : never;
`;

/** The text of `types.ts` / `types.d.ts`. */
export async function emitTypes(model: CatalogueModel, banner: string): Promise<string> {
  const parts = [banner + "// Types only: import them with `import type`; this module has no run-time code.\n", BINARY];
  const payload = await payloadTypes(model);
  if (payload) parts.push(payload);
  for (const ns of model.namespaces) {
    parts.push(`// Namespace ${ns.name}${ns.description ? `: ${oneLine(ns.description)}` : ""}\n`);
    for (const group of ["clientToServer", "serverToClient"] as const) {
      parts.push(eventMap(ns, group, false), eventMap(ns, group, true));
    }
    parts.push(eventMap(ns, "interServer", false));
    if (ns.socketData !== `${ns.prefix}SocketData`)
      parts.push(
        `${jsdoc([`The type of \`socket.data\` on \`${ns.name}\`.`])}export type ${ns.prefix}SocketData = ${ns.socketData};\n`,
      );
  }
  const contract = model.namespaces
    .map(
      (ns) =>
        `  ${JSON.stringify(ns.name)}: {\n    clientToServer: ${contractEvents(ns.events.clientToServer)};\n    serverToClient: ${contractEvents(ns.events.serverToClient)};\n  };\n`,
    )
    .join("");
  parts.push(
    `${jsdoc(["Every namespace's events with their argument tuples and acknowledgements: what `wrap`, `guard` and the validators are typed by."])}export type Contract = {\n${contract}};\n`,
    `${jsdoc(["The namespaces of the catalogue."])}export type NamespaceName = keyof Contract;\n`,
  );
  return parts.join("\n");
}
