/**
 * The faults of the mutant servers: one catalogue of both layers, keyed by mutant ID
 * (`eio:<fault>`, `sio:<fault>`), and the seams that build a server with some of them on.
 * Each fault breaks one rule of spec/ at the one spot that enforces it, so that every
 * conformance case can be shown to fail against a server that breaks its rule. Nothing here is
 * part of the reference server a reader studies: it reaches the server through the seams of
 * attach() alone.
 * @example
 * ```ts
 * const attached = attach(http, options, seamsFor(["eio:no-413"]));
 * ```
 */
import type { Seams } from "../seams.js";
import { ENGINE_FAULTS, engineSeams, type EngineFault } from "./engine/index.js";
import type { FaultInfo } from "./fault-info.js";
import { SOCKET_FAULTS, socketSeams, type SocketFault } from "./socket.io/index.js";

export type { FaultInfo, EngineFault, SocketFault };
export { ENGINE_FAULTS, SOCKET_FAULTS };

/** A mutant ID: a fault of either layer with its layer's prefix. */
export type FaultId = `eio:${EngineFault}` | `sio:${SocketFault}`;

/** A catalogue entry with its layer and its fault's own name. */
export interface CatalogueEntry extends FaultInfo {
  readonly layer: "engine.io" | "socket.io";
  readonly fault: string;
}

function entries(prefix: "eio" | "sio", layer: CatalogueEntry["layer"], table: Readonly<Record<string, FaultInfo>>) {
  return Object.entries(table).map(([fault, info]): [FaultId, CatalogueEntry] => [
    `${prefix}:${fault}` as FaultId,
    { ...info, layer, fault },
  ]);
}

/** The whole catalogue, in the matrix's order: the Engine.IO faults, then the Socket.IO ones. */
export const FAULTS: ReadonlyMap<FaultId, CatalogueEntry> = new Map([
  ...entries("eio", "engine.io", ENGINE_FAULTS),
  ...entries("sio", "socket.io", SOCKET_FAULTS),
]);

/** True for a known mutant ID. */
export function isFaultId(id: string): id is FaultId {
  return FAULTS.has(id as FaultId);
}

/** The seams of a server with the faults `ids` switched on (none: the reference behaviour). */
export function seamsFor(ids: Iterable<FaultId>): Seams {
  const engine = new Set<EngineFault>();
  const socket = new Set<SocketFault>();
  for (const id of ids) {
    if (!isFaultId(id)) throw new Error(`unknown fault ${id}`);
    if (id.startsWith("eio:")) engine.add(id.slice(4) as EngineFault);
    else socket.add(id.slice(4) as SocketFault);
  }
  return { engine: engineSeams(engine), socket: socketSeams(socket) };
}
