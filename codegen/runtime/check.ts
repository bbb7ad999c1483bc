/**
 * The table the generated validators fill in, and the checks the server guard and the client
 * wrapper run with it: an event's arguments against their closed tuple, the presence of the
 * acknowledgement callback, an acknowledgement's arguments. Failures come back as a pointer,
 * a keyword and a sentence that speaks of arguments rather than array items.
 *
 * This file is copied into every generated package: it imports nothing but its siblings.
 */
import type { FailureDetail } from "./errors.js";

/** One error of an ajv validator (the fields the checks read). */
export interface ValidatorError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** A standalone ajv validator: true when valid, else `errors` says why. */
export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: ValidatorError[] | null;
}

/** How a request resolves with an acknowledgement's arguments: nothing, its only argument, or the whole tuple. */
export type AckShape = "none" | "value" | "tuple";

/** The compiled checks of one event. */
export interface EventEntry {
  /** Checks the argument list (a closed tuple). */
  readonly args: ValidateFunction;
  /** Names of the arguments, in order, for messages. */
  readonly argNames: readonly string[];
  /** Checks the acknowledgement's argument list; undefined when the event has no acknowledgement. */
  readonly ack: ValidateFunction | undefined;
  /** How `request` resolves (see AckShape). */
  readonly ackShape: AckShape;
}

/** The events of one namespace, by direction. */
export interface NamespaceEntry {
  readonly clientToServer: Readonly<Record<string, EventEntry>>;
  readonly serverToClient: Readonly<Record<string, EventEntry>>;
}

/** Every namespace of a catalogue. */
export type ValidationTable = Readonly<Record<string, NamespaceEntry>>;

/** The events one side receives or sends on one namespace, by name (a Map: event names are data, not code). */
export type EventLookup = ReadonlyMap<string, EventEntry>;

/** A table's events for one namespace and direction, as a lookup; throws for a namespace the catalogue lacks. */
export function lookup(table: ValidationTable, namespace: string, direction: keyof NamespaceEntry): EventLookup {
  const entry = Object.hasOwn(table, namespace) ? table[namespace] : undefined;
  if (!entry) throw new Error(`namespace ${JSON.stringify(namespace)} is not in the catalogue`);
  return new Map(Object.entries(entry[direction]));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Turns the first ajv error into a pointer and a sentence about arguments. */
function describe(
  validate: ValidateFunction,
  list: readonly unknown[],
  what: "argument" | "acknowledgement argument",
  names: readonly string[],
): FailureDetail {
  const first = validate.errors?.[0];
  if (!first) return { pointer: "", keyword: "schema", message: "does not match the catalogue" };
  const { instancePath: pointer, keyword, params } = first;
  if (pointer === "") {
    const limit = typeof params["limit"] === "number" ? params["limit"] : undefined;
    if (keyword === "minItems" && limit !== undefined)
      return { pointer, keyword, message: `expects at least ${plural(limit, what)}, got ${list.length}` };
    if ((keyword === "items" || keyword === "maxItems") && limit !== undefined)
      return { pointer, keyword, message: `expects at most ${plural(limit, what)}, got ${list.length}` };
  }
  const index = Number(pointer.split("/")[1]);
  const name = Number.isInteger(index) ? names[index] : undefined;
  const where = name === undefined ? pointer || "the arguments" : `${pointer} (${name})`;
  return { pointer, keyword, message: `${where} ${first.message ?? "is invalid"}` };
}

/** Checks a received event: its arguments, and that an ack callback came exactly when the catalogue has one. */
export function checkEvent(entry: EventEntry, args: readonly unknown[], hasAck: boolean): FailureDetail | undefined {
  if (!entry.args(args)) return describe(entry.args, args, "argument", entry.argNames);
  if (entry.ack && !hasAck)
    return { pointer: "", keyword: "ack", message: "expects an acknowledgement callback, and none was given" };
  if (!entry.ack && hasAck)
    return { pointer: "", keyword: "ack", message: "has no acknowledgement, yet one was asked for" };
  return undefined;
}

/** Checks an event's arguments alone (what we are about to send). */
export function checkArgs(entry: EventEntry, args: readonly unknown[]): FailureDetail | undefined {
  return entry.args(args) ? undefined : describe(entry.args, args, "argument", entry.argNames);
}

/** Checks an acknowledgement's arguments. */
export function checkAck(entry: EventEntry, args: readonly unknown[]): FailureDetail | undefined {
  const validate = entry.ack;
  if (!validate) return undefined;
  return validate(args) ? undefined : describe(validate, args, "acknowledgement argument", []);
}

/** The failure for an event the catalogue does not list for this direction. */
export function unknownEvent(): FailureDetail {
  return { pointer: "", keyword: "event", message: "is not an event the catalogue lists for this direction" };
}

/** What `request` resolves with, from the acknowledgement's arguments. */
export function ackValue(entry: EventEntry, args: unknown[]): unknown {
  return entry.ackShape === "none" ? undefined : entry.ackShape === "value" ? args[0] : args;
}
