/**
 * What a catalogue change means for peers already deployed. One side deploys the new catalogue
 * first (the provider: the server, by default) while the other still runs the old one. Then:
 *
 * - what the provider only receives may widen (old senders' values are still accepted) and must
 *   not narrow; what it sends may narrow (old receivers still accept it) and must not widen;
 * - acknowledgements flip: the server sends the acknowledgement of a client-to-server event, and
 *   receives the acknowledgement of a server-to-client one;
 * - a removed event, an added or removed acknowledgement, and a new required argument break
 *   (the last one is a narrowing of what the receiver accepts, or a widening of what it gets);
 * - an added event is compatible; descriptions, summaries and examples are documentation.
 */
import type { ArgumentTuple, CatalogueEvent, EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { tupleSchema } from "../catalogue/compile.js";
import { argsOf, argumentName, type EventGroup } from "../catalogue/events.js";
import { childPointer, parsePointer, pointer } from "../catalogue/pointer.js";
import { equal } from "../runtime/ajv-helpers.js";
import { compareSchemas, type Effect, type SchemaChange } from "./schema-compare.js";

/** How much a change matters. */
export type Level = "breaking" | "compatible" | "docs";

/** The side assumed to run the new catalogue while the other still runs the old one. */
export type Provider = "server" | "client";

/** One change between two catalogues. */
export interface CatalogueChange {
  level: Level;
  /** What kind of change: `event-removed`, `args-narrowed`, `ack-added`... */
  kind: string;
  /** JSON pointer to where it is (in the new catalogue, or the old one for a removal). */
  pointer: string;
  namespace?: string;
  group?: EventGroup;
  event?: string;
  part?: "args" | "ack";
  effect?: Effect;
  /** Who receives this part on the wire. */
  receiver?: "server" | "client" | "both";
  message: string;
}

const GROUP_TEXT: Record<EventGroup, string> = {
  clientToServer: "client → server",
  serverToClient: "server → client",
  interServer: "server ↔ server",
};

/** Who receives a part of an event. */
function receiverOf(group: EventGroup, part: "args" | "ack"): "server" | "client" | "both" {
  if (group === "interServer") return "both";
  const serverReceives = (group === "clientToServer") === (part === "args");
  return serverReceives ? "server" : "client";
}

/** The level of a value change, seen from the provider. */
function levelOf(effect: Effect, receiver: "server" | "client" | "both", provider: Provider): Level {
  if (effect === "changed" || receiver === "both") return "breaking";
  const providerReceives = receiver === provider;
  return (effect === "widened") === providerReceives ? "compatible" : "breaking";
}

function why(effect: Effect, receiver: "server" | "client" | "both", provider: Provider, level: Level): string {
  if (receiver === "both") return "servers of both versions talk to each other during a rolling deploy";
  if (effect === "changed") return "neither wider nor narrower: one side will refuse what the other sends";
  const other = provider === "server" ? "client" : "server";
  const deployed = `deployed ${other}s`;
  if (level === "compatible")
    return effect === "widened"
      ? `the ${provider} receives it: what ${deployed} send is still accepted`
      : `the ${other} receives it: ${deployed} still accept everything the ${provider} now sends`;
  return effect === "narrowed"
    ? `the ${provider} receives it: ${deployed} may still send what it now refuses`
    : `the ${other} receives it: ${deployed} may get what they refuse`;
}

/** Says where a change sits in an argument tuple: `argument 0 (text) maxLength 1000 → 500`. */
function describeTuplePath(change: SchemaChange, tuple: ArgumentTuple | undefined): string {
  const tokens = parsePointer(change.path);
  if (tokens[0] === "prefixItems" && tokens[1] !== undefined) {
    const index = Number(tokens[1]);
    // The last token is the keyword, which the detail names already.
    const inside = tokens.slice(2, -1);
    const name = tuple && index < tuple.prefixItems.length ? argumentName(tuple, index) : `arg${index}`;
    return `argument ${index} (${name})${inside.length ? ` at ${pointer(...inside)}` : ""}: ${change.detail}`;
  }
  if (change.path === "/minItems") return `required arguments: ${change.detail.replace("minItems ", "")}`;
  if (change.path === "/maxItems") return `at most: ${change.detail.replace("maxItems ", "")} arguments`;
  return `${change.path || "the argument list"}: ${change.detail}`;
}

function compareParts(
  changes: CatalogueChange[],
  ctx: { old: EventCatalogue; new: EventCatalogue; provider: Provider },
  where: { namespace: string; group: EventGroup; event: string; pointer: string },
  oldEvent: CatalogueEvent,
  newEvent: CatalogueEvent,
): void {
  for (const part of ["args", "ack"] as const) {
    const oldTuple = part === "args" ? argsOf(oldEvent) : oldEvent.ack;
    const newTuple = part === "args" ? argsOf(newEvent) : newEvent.ack;
    const at = childPointer(where.pointer, part);
    const base = { namespace: where.namespace, group: where.group, event: where.event, part };
    if (part === "ack" && !oldTuple !== !newTuple) {
      const added = newTuple !== undefined;
      changes.push({
        ...base,
        level: "breaking",
        kind: added ? "ack-added" : "ack-removed",
        pointer: at,
        message: added
          ? "now acknowledged: senders on the old catalogue do not ask for the acknowledgement"
          : "no longer acknowledged: senders on the old catalogue wait for an acknowledgement that never comes",
      });
      continue;
    }
    if (!oldTuple || !newTuple) continue;
    const receiver = receiverOf(where.group, part);
    const found = compareSchemas(tupleSchema(oldTuple), tupleSchema(newTuple), { oldRoot: ctx.old, newRoot: ctx.new });
    for (const change of found) {
      const level = levelOf(change.effect, receiver, ctx.provider);
      changes.push({
        ...base,
        level,
        kind: `${part}-${change.effect}`,
        pointer: at + change.path,
        effect: change.effect,
        receiver,
        message: `${describeTuplePath(change, newTuple)} (${change.effect}; ${why(change.effect, receiver, ctx.provider, level)})`,
      });
    }
    if (found.length === 0 && !equal(oldTuple, newTuple)) {
      changes.push({
        ...base,
        level: "docs",
        kind: `${part}-documented`,
        pointer: at,
        message: "descriptions or titles of the arguments changed",
      });
    }
  }
  for (const key of ["summary", "description", "examples"] as const) {
    if (!equal(oldEvent[key], newEvent[key]))
      changes.push({
        ...where,
        level: "docs",
        kind: `event-${key}`,
        pointer: childPointer(where.pointer, key),
        message: `${key} changed`,
      });
  }
  if (Boolean(oldEvent.deprecated) !== Boolean(newEvent.deprecated)) {
    changes.push({
      ...where,
      level: "compatible",
      kind: newEvent.deprecated ? "event-deprecated" : "event-undeprecated",
      pointer: childPointer(where.pointer, "deprecated"),
      message: newEvent.deprecated ? "deprecated" : "no longer deprecated",
    });
  }
}

/** Every change from `old` to `new`, classified from the provider's point of view. */
export function classifyChanges(
  old: EventCatalogue,
  next: EventCatalogue,
  provider: Provider = "server",
): CatalogueChange[] {
  const changes: CatalogueChange[] = [];
  const ctx = { old, new: next, provider };
  for (const key of ["title", "description"] as const) {
    if (!equal(old[key], next[key]))
      changes.push({ level: "docs", kind: `catalogue-${key}`, pointer: pointer(key), message: `${key} changed` });
  }
  const namespaces = new Set([...Object.keys(old.namespaces), ...Object.keys(next.namespaces)]);
  for (const namespace of namespaces) {
    const before = old.namespaces[namespace];
    const after = next.namespaces[namespace];
    const nsPointer = pointer("namespaces", namespace);
    if (!after) {
      changes.push({
        level: "breaking",
        kind: "namespace-removed",
        pointer: nsPointer,
        namespace,
        message: `namespace ${namespace} removed: clients on the old catalogue still connect to it`,
      });
      continue;
    }
    if (!before) {
      changes.push({
        level: "compatible",
        kind: "namespace-added",
        pointer: nsPointer,
        namespace,
        message: `namespace ${namespace} added`,
      });
      continue;
    }
    if (!equal(before.description, after.description))
      changes.push({
        level: "docs",
        kind: "namespace-description",
        pointer: childPointer(nsPointer, "description"),
        namespace,
        message: "description changed",
      });
    if (!equal(before.socketData, after.socketData)) {
      changes.push({
        level: "compatible",
        kind: "socket-data",
        pointer: childPointer(nsPointer, "socketData"),
        namespace,
        message: "the type of socket.data changed (server code only, not the wire)",
      });
    }
    for (const group of ["clientToServer", "serverToClient", "interServer"] as const) {
      const oldEvents = before[group] ?? {};
      const newEvents = after[group] ?? {};
      for (const event of new Set([...Object.keys(oldEvents), ...Object.keys(newEvents)])) {
        const at = pointer("namespaces", namespace, group, event);
        const where = { namespace, group, event, pointer: at };
        const o = oldEvents[event];
        const n = newEvents[event];
        if (!n) {
          changes.push({
            ...where,
            level: "breaking",
            kind: "event-removed",
            message: `removed: peers on the old catalogue still send or expect it`,
          });
        } else if (!o) {
          changes.push({ ...where, level: "compatible", kind: "event-added", message: "added" });
        } else {
          compareParts(changes, ctx, where, o, n);
        }
      }
    }
  }
  const oldDefs = Object.keys(old.$defs ?? {});
  const newDefs = Object.keys(next.$defs ?? {});
  for (const name of oldDefs.filter((d) => !newDefs.includes(d))) {
    changes.push({
      level: "compatible",
      kind: "type-removed",
      pointer: pointer("$defs", name),
      message: `shared schema ${name} removed: code that imports the generated type ${name} must change`,
    });
  }
  for (const name of newDefs.filter((d) => !oldDefs.includes(d))) {
    changes.push({
      level: "compatible",
      kind: "type-added",
      pointer: pointer("$defs", name),
      message: `shared schema ${name} added`,
    });
  }
  return changes;
}

/** The group of an event in words, for reports. */
export function groupText(group: EventGroup): string {
  return GROUP_TEXT[group];
}
