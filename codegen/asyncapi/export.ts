/**
 * A catalogue as an AsyncAPI 3.0 document, from the server's point of view (the way zod-sockets
 * writes them): one channel per namespace, its address the namespace name; one message per event
 * and direction, its payload the argument tuple; a `receive` operation for each client-to-server
 * event and a `send` operation for each server-to-client one. AsyncAPI has no Socket.IO binding,
 * so an acknowledgement is written both ways tools read it: as the operation's `reply` (a message
 * whose payload is the acknowledgement's tuple) and as `x-ack` on the event's message. What
 * AsyncAPI has no place for (server-to-server events, socket data, the package name) goes in
 * `x-sockspec-...` extensions, so that importing the export gives the catalogue back.
 */
import type { ArgumentTuple, CatalogueEvent, EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { DIRECTIONS } from "../catalogue/events.js";
import { escapeToken } from "../catalogue/pointer.js";
import { eventPart, GROUP_WORDS, namespacePrefix } from "../emit/names.js";
import { toAsyncApiSchema } from "./dialect.js";

/** The AsyncAPI version written. */
export const ASYNCAPI_VERSION = "3.0.0";

/** A JSON object. */
/** A JSON object as the AsyncAPI document holds it. */
export type Json = { [key: string]: unknown };

/** An argument tuple as an AsyncAPI payload: a draft 07 tuple, always `type: "array"`; an empty one is `maxItems: 0`. */
export function tupleToPayload(tuple: ArgumentTuple): Json {
  if (tuple.prefixItems.length === 0) {
    const { prefixItems: _none, items: _closed, minItems: _zero, type: _array, ...rest } = tuple;
    return { type: "array", ...rest, maxItems: 0 };
  }
  const { type: _array, ...rest } = tuple;
  return { type: "array", ...(toAsyncApiSchema(rest) as Json) };
}

/** Keys unique within `taken`: `base`, then `base2`, `base3`... */
function unique(base: string, taken: Set<string>): string {
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}${n}`;
  taken.add(key);
  return key;
}

function lowerFirst(text: string): string {
  return text[0]!.toLowerCase() + text.slice(1);
}

function eventMessage(name: string, event: CatalogueEvent): Json {
  const message: Json = { name, title: name };
  if (event.summary !== undefined) message["summary"] = event.summary;
  if (event.description !== undefined) message["description"] = event.description;
  message["payload"] = event.args
    ? tupleToPayload(event.args)
    : { type: "array", maxItems: 0, "x-sockspec-no-args": true };
  if (event.ack) message["x-ack"] = { args: tupleToPayload(event.ack) };
  if (event.deprecated !== undefined) message["x-deprecated"] = event.deprecated;
  if (event.examples) {
    // Named, so that the acknowledgement message's examples can say which one they answer.
    message["examples"] = event.examples.map((e, i) => ({
      name: exampleName(i),
      ...(e.summary !== undefined ? { summary: e.summary } : {}),
      payload: e.args,
    }));
  }
  return message;
}

function exampleName(index: number): string {
  return `example-${index + 1}`;
}

/** The acknowledgement's message: its tuple, and the acknowledgements of the event's examples under the same names. */
function ackMessage(name: string, event: CatalogueEvent, ack: ArgumentTuple): Json {
  const message: Json = {
    name: `${name} (acknowledgement)`,
    title: `Acknowledgement of ${name}`,
    payload: tupleToPayload(ack),
  };
  const examples = (event.examples ?? []).flatMap((e, i) =>
    e.ack !== undefined ? [{ name: exampleName(i), payload: e.ack }] : [],
  );
  if (examples.length) message["examples"] = examples;
  return message;
}

/**
 * Server-to-server events, which AsyncAPI has no place for: an extension holding the events
 * with their tuples in AsyncAPI form (the parser resolves every reference, extensions included).
 */
function interServerEvents(events: Record<string, CatalogueEvent | undefined>): Json {
  return Object.fromEntries(
    Object.entries(events).flatMap(([name, event]) => {
      if (!event) return [];
      const { args, ack, ...rest } = event;
      return [
        [
          name,
          { ...rest, ...(args ? { args: tupleToPayload(args) } : {}), ...(ack ? { ack: tupleToPayload(ack) } : {}) },
        ],
      ];
    }),
  );
}

/** The AsyncAPI 3.0 document of `catalogue`. */
export function exportAsyncApi(catalogue: EventCatalogue): Json {
  const info: Json = { title: catalogue.title, version: catalogue.version ?? "0.0.0" };
  if (catalogue.version === undefined) info["x-sockspec-unversioned"] = true;
  if (catalogue.description !== undefined) info["description"] = catalogue.description;
  if (catalogue.name !== undefined) info["x-sockspec-name"] = catalogue.name;
  info["x-sockspec-perspective"] = "server";

  const channels: Json = {};
  const operations: Json = {};
  const channelIds = new Set<string>();
  const operationIds = new Set<string>();
  for (const [namespace, ns] of Object.entries(catalogue.namespaces)) {
    if (!ns) continue;
    const channelId = unique(lowerFirst(namespacePrefix(namespace)), channelIds);
    const channelRef = `#/channels/${escapeToken(channelId)}`;
    const messages: Json = {};
    const messageIds = new Set<string>();
    for (const direction of DIRECTIONS) {
      for (const [name, event] of Object.entries(ns[direction] ?? {})) {
        if (!event) continue;
        const messageId = unique(`${lowerFirst(GROUP_WORDS[direction])}${eventPart(name)}`, messageIds);
        messages[messageId] = eventMessage(name, event);
        const operation: Json = {
          action: direction === "clientToServer" ? "receive" : "send",
          channel: { $ref: channelRef },
          messages: [{ $ref: `${channelRef}/messages/${escapeToken(messageId)}` }],
          title: name,
          summary: `${direction === "clientToServer" ? "A client emits" : "The server emits"} "${name}" on ${namespace}`,
        };
        if (event.ack) {
          const ackId = unique(`${messageId}Ack`, messageIds);
          messages[ackId] = ackMessage(name, event, event.ack);
          operation["reply"] = {
            channel: { $ref: channelRef },
            messages: [{ $ref: `${channelRef}/messages/${escapeToken(ackId)}` }],
          };
        }
        operations[unique(`${channelId}${GROUP_WORDS[direction]}${eventPart(name)}`, operationIds)] = operation;
      }
    }
    const channel: Json = { address: namespace, title: `Namespace ${namespace}` };
    if (ns.description !== undefined) channel["description"] = ns.description;
    channel["messages"] = messages;
    if (ns.interServer !== undefined) channel["x-sockspec-inter-server"] = interServerEvents(ns.interServer);
    if (ns.socketData !== undefined) channel["x-sockspec-socket-data"] = toAsyncApiSchema(ns.socketData);
    channels[channelId] = channel;
  }
  const document: Json = {
    asyncapi: ASYNCAPI_VERSION,
    info,
    defaultContentType: "application/json",
    channels,
    operations,
  };
  const defs = catalogue.$defs ?? {};
  if (Object.keys(defs).length) {
    document["components"] = {
      schemas: Object.fromEntries(Object.entries(defs).map(([name, schema]) => [name, toAsyncApiSchema(schema)])),
    };
  }
  return document;
}
