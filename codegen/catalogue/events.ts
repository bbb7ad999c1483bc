/** The events of a catalogue as a flat list, in document order, with where each one is. */
import type { ArgumentTuple, CatalogueEvent, EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { pointer } from "./pointer.js";

/** The two directions an event travels on the wire. */
export type Direction = "clientToServer" | "serverToClient";

/** Where an event is listed: a wire direction, or `interServer` (server to server, types only). */
export type EventGroup = Direction | "interServer";

/** The wire directions, in the order the generator writes them. */
export const DIRECTIONS: readonly Direction[] = ["clientToServer", "serverToClient"];

/** One event of a catalogue. */
export interface EventRef {
  namespace: string;
  group: EventGroup;
  name: string;
  event: CatalogueEvent;
  /** JSON pointer to the event in the catalogue. */
  pointer: string;
}

/** Every event of `catalogue`; with `interServer`, also the server-to-server ones. */
export function listEvents(catalogue: EventCatalogue, options: { interServer?: boolean } = {}): EventRef[] {
  const found: EventRef[] = [];
  const groups: EventGroup[] = options.interServer ? [...DIRECTIONS, "interServer"] : [...DIRECTIONS];
  for (const [namespace, ns] of Object.entries(catalogue.namespaces)) {
    if (!ns) continue;
    for (const group of groups) {
      for (const [name, event] of Object.entries(ns[group] ?? {})) {
        if (event)
          found.push({ namespace, group, name, event, pointer: pointer("namespaces", namespace, group, name) });
      }
    }
  }
  return found;
}

/** An event's argument tuple; an event without `args` takes none. */
export function argsOf(event: CatalogueEvent): ArgumentTuple {
  return event.args ?? { type: "array", prefixItems: [], items: false, minItems: 0 };
}

/** The name of argument `index` of a tuple: its title, or `arg<index>`. */
export function argumentName(tuple: ArgumentTuple, index: number): string {
  const item = tuple.prefixItems[index];
  const title = typeof item === "object" && item !== null ? item["title"] : undefined;
  return typeof title === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(title) ? title : `arg${index}`;
}
