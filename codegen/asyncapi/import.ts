/**
 * An AsyncAPI 3 document back to a catalogue. Each channel whose address is a namespace name
 * (`/`, `/admin`) becomes a namespace; each operation's message becomes an event, a `receive`
 * operation a client-to-server event and a `send` one a server-to-client event (the server's
 * point of view, unless `info.x-sockspec-perspective` says "client"). An acknowledgement is read
 * from the operation's `reply`, or else from the message's `x-ack` (either `{ "args": schema }`
 * or the schema itself), so documents written by either convention import. The result goes
 * through the same checks as a catalogue file.
 */
import type {
  ArgumentTuple,
  CatalogueEvent,
  CatalogueNamespace,
  EventCatalogue,
} from "../../schemas/generated/codegen/catalogue.js";
import type { Direction } from "../catalogue/events.js";
import { checkCatalogue } from "../catalogue/load.js";
import { childPointer, pointer, resolvePointer } from "../catalogue/pointer.js";
import { CatalogueError, type CatalogueProblem } from "../catalogue/problems.js";
import { isSchemaObject, type SchemaObject } from "../catalogue/schema-walk.js";
import { fromAsyncApiSchema } from "./dialect.js";

/** What an import gives: the catalogue, and what of the document it had to leave out. */
export interface ImportResult {
  catalogue: EventCatalogue;
  warnings: string[];
}

const CATALOGUE_SCHEMA = "https://sockspec.dev/schemas/codegen/catalogue.json";
const TUPLE_KEYS = new Set(["description", "prefixItems", "items", "minItems", "maxItems"]);

/** Reads an AsyncAPI 3 document (already parsed from JSON or YAML); `file` labels the problems. */
export function importAsyncApi(document: unknown, file: string): ImportResult {
  const problems: CatalogueProblem[] = [];
  const warnings: string[] = [];
  const fail = (at: string, message: string, expected?: string) =>
    problems.push({ file, pointer: at, message, expected });
  const doc = isSchemaObject(document) ? document : {};
  if (typeof doc["asyncapi"] !== "string" || !doc["asyncapi"].startsWith("3.")) {
    fail(
      "/asyncapi",
      `${JSON.stringify(doc["asyncapi"])} is not an AsyncAPI 3 document`,
      '"3.0.0" or another 3.x version',
    );
    throw new CatalogueError(problems);
  }

  /** Follows a local `$ref` (one hop at a time, at most 16). */
  const deref = (value: unknown, at: string): [unknown, string] => {
    for (let hops = 0; hops < 16 && isSchemaObject(value) && typeof value["$ref"] === "string"; hops++) {
      const ref = value["$ref"];
      if (!ref.startsWith("#")) {
        fail(at, `${ref} is outside the document`, "a local reference (#/...)");
        return [undefined, at];
      }
      at = ref.slice(1);
      value = resolvePointer(doc, at);
      if (value === undefined) fail(at, `${ref} does not exist`);
    }
    return [value, at];
  };

  /** A payload schema as an argument tuple; undefined (and a problem) when it is not a closed tuple. */
  const tupleOf = (payload: unknown, at: string): ArgumentTuple | undefined => {
    const schema = fromAsyncApiSchema(payload);
    if (!isSchemaObject(schema) || (schema["type"] !== undefined && schema["type"] !== "array")) {
      fail(at, "is not an argument list", "an array schema (a tuple of arguments)");
      return undefined;
    }
    const rest: SchemaObject = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === "type" || key.startsWith("x-sockspec-")) continue;
      if (TUPLE_KEYS.has(key)) rest[key] = value;
      else warnings.push(`${file} ${at}/${key}: left out (an argument list has no place for it)`);
    }
    if (!Array.isArray(rest["prefixItems"])) {
      if (rest["maxItems"] === 0)
        return {
          ...(typeof rest["description"] === "string" ? { description: rest["description"] } : {}),
          prefixItems: [],
          items: false,
          minItems: 0,
        };
      fail(at, "lists no arguments", "items as an array of schemas (one per argument) and additionalItems: false");
      return undefined;
    }
    if (rest["items"] !== false) {
      fail(
        at,
        "is an open argument list",
        "additionalItems: false (Socket.IO events here take a fixed list of arguments)",
      );
      return undefined;
    }
    return {
      ...rest,
      minItems: typeof rest["minItems"] === "number" ? rest["minItems"] : 0,
    } as unknown as ArgumentTuple;
  };

  const info = isSchemaObject(doc["info"]) ? doc["info"] : {};
  const perspective = info["x-sockspec-perspective"] === "client" ? "client" : "server";
  const catalogue: Record<string, unknown> = { $schema: CATALOGUE_SCHEMA, title: info["title"] };
  if (info["x-sockspec-name"] !== undefined) catalogue["name"] = info["x-sockspec-name"];
  if (info["x-sockspec-unversioned"] !== true && info["version"] !== undefined) catalogue["version"] = info["version"];
  if (info["description"] !== undefined) catalogue["description"] = info["description"];
  const components = isSchemaObject(doc["components"]) ? doc["components"] : {};
  if (isSchemaObject(components["schemas"]) && Object.keys(components["schemas"]).length) {
    catalogue["$defs"] = Object.fromEntries(
      Object.entries(components["schemas"]).map(([k, s]) => [k, fromAsyncApiSchema(s)]),
    );
  }

  const namespaces: Record<string, CatalogueNamespace> = {};
  const byChannel = new Map<string, string>();
  for (const [id, raw] of Object.entries(isSchemaObject(doc["channels"]) ? doc["channels"] : {})) {
    const [channel] = deref(raw, pointer("channels", id));
    if (!isSchemaObject(channel)) continue;
    const address = channel["address"];
    if (typeof address !== "string" || !address.startsWith("/")) {
      warnings.push(
        `${file} ${pointer("channels", id)}: left out (its address ${JSON.stringify(address)} is not a namespace name)`,
      );
      continue;
    }
    const ns: CatalogueNamespace = {};
    if (typeof channel["description"] === "string") ns.description = channel["description"];
    const inter = channel["x-sockspec-inter-server"];
    if (isSchemaObject(inter))
      ns.interServer = interServerEvents(inter, childPointer(pointer("channels", id), "x-sockspec-inter-server"));
    if (channel["x-sockspec-socket-data"] !== undefined)
      ns.socketData = fromAsyncApiSchema(channel["x-sockspec-socket-data"]) as CatalogueNamespace["socketData"];
    namespaces[address] = ns;
    byChannel.set(pointer("channels", id), address);
  }

  for (const [id, raw] of Object.entries(isSchemaObject(doc["operations"]) ? doc["operations"] : {})) {
    const at = pointer("operations", id);
    const [operation] = deref(raw, at);
    if (!isSchemaObject(operation)) continue;
    const [, channelAt] = deref(operation["channel"], childPointer(at, "channel"));
    const namespace = byChannel.get(channelAt);
    if (namespace === undefined) {
      fail(childPointer(at, "channel"), "does not lead to a channel whose address is a namespace");
      continue;
    }
    const action = operation["action"];
    if (action !== "send" && action !== "receive") {
      fail(childPointer(at, "action"), `${JSON.stringify(action)} is not an action`, '"send" or "receive"');
      continue;
    }
    const direction: Direction =
      (action === "receive") === (perspective === "server") ? "clientToServer" : "serverToClient";
    const refs = Array.isArray(operation["messages"]) ? operation["messages"] : [];
    if (refs.length === 0) fail(childPointer(at, "messages"), "names no message", "the event's message");
    refs.forEach((ref, i) => {
      const [message, messageAt] = deref(ref, childPointer(at, "messages", i));
      if (!isSchemaObject(message)) return;
      const name = typeof message["name"] === "string" ? message["name"] : messageAt.split("/").pop()!;
      const event: CatalogueEvent = {};
      if (typeof message["summary"] === "string") event.summary = message["summary"];
      if (typeof message["description"] === "string") event.description = message["description"];
      if (typeof message["x-deprecated"] === "boolean") event.deprecated = message["x-deprecated"];
      const payload = message["payload"];
      if (!(isSchemaObject(payload) && payload["x-sockspec-no-args"] === true)) {
        const args = tupleOf(payload, childPointer(messageAt, "payload"));
        if (args) event.args = args;
      }
      const ack = ackOf(operation, message, at, messageAt);
      if (ack) {
        const tuple = tupleOf(ack[0], ack[1]);
        if (tuple) event.ack = tuple;
      }
      if (Array.isArray(message["examples"])) {
        // An acknowledgement's example answers the event's example of the same name.
        const acks = new Map<unknown, unknown>();
        if (ack && isSchemaObject(ack[2]) && Array.isArray(ack[2]["examples"])) {
          for (const e of ack[2]["examples"].filter(isSchemaObject))
            if (Array.isArray(e["payload"])) acks.set(e["name"], e["payload"]);
        }
        const examples = message["examples"].filter(isSchemaObject).filter((e) => Array.isArray(e["payload"]));
        if (examples.length) {
          event.examples = examples.map((e) => ({
            ...(typeof e["summary"] === "string" ? { summary: e["summary"] } : {}),
            args: e["payload"] as unknown[],
            ...(e["name"] !== undefined && acks.has(e["name"]) ? { ack: acks.get(e["name"]) as unknown[] } : {}),
          }));
        }
      }
      const events = (namespaces[namespace]![direction] ??= {});
      if (Object.hasOwn(events, name))
        fail(
          messageAt,
          `a second "${name}" event from the ${direction === "clientToServer" ? "client" : "server"} on ${namespace}`,
        );
      else events[name] = event;
    });
  }

  /** Server-to-server events as the export writes them: catalogue events whose tuples are AsyncAPI payloads. */
  function interServerEvents(events: SchemaObject, at: string): Record<string, CatalogueEvent> {
    return Object.fromEntries(
      Object.entries(events).flatMap(([name, value]) => {
        if (!isSchemaObject(value)) return [];
        const { args, ack, ...rest } = value;
        const event: CatalogueEvent = { ...rest };
        const argsTuple = args === undefined ? undefined : tupleOf(args, childPointer(at, name, "args"));
        const ackTuple = ack === undefined ? undefined : tupleOf(ack, childPointer(at, name, "ack"));
        if (argsTuple) event.args = argsTuple;
        if (ackTuple) event.ack = ackTuple;
        return [[name, event]];
      }),
    );
  }

  /** The acknowledgement's payload, where it is, and its message if it has one: the reply's message, else the message's x-ack. */
  function ackOf(
    operation: SchemaObject,
    message: SchemaObject,
    at: string,
    messageAt: string,
  ): [unknown, string, unknown?] | undefined {
    if (isSchemaObject(operation["reply"])) {
      const replies = operation["reply"]["messages"];
      if (Array.isArray(replies) && replies.length > 0) {
        const [reply, replyAt] = deref(replies[0], childPointer(at, "reply", "messages", 0));
        if (isSchemaObject(reply)) return [reply["payload"], childPointer(replyAt, "payload"), reply];
      }
    }
    const extension = message["x-ack"];
    if (isSchemaObject(extension)) {
      return "args" in extension
        ? [extension["args"], childPointer(messageAt, "x-ack", "args")]
        : [extension, childPointer(messageAt, "x-ack")];
    }
    return undefined;
  }

  if (problems.length) throw new CatalogueError(problems);
  catalogue["namespaces"] = namespaces;
  return { catalogue: checkCatalogue(catalogue, `${file} (imported)`), warnings };
}
