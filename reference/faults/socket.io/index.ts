/**
 * The Socket.IO layer's faults: the catalogue and the seams that switch a set of them on.
 * TRANSITIONAL: re-exports the old table (issue 11 moves the fault code here).
 */
import { SOCKET_FAULT_RULES, SOCKET_FAULTS as NAMES, type SocketFault } from "../../socket.io/faults.js";
import type { SocketSeams } from "../../socket.io/seams.js";
import type { FaultInfo } from "../fault-info.js";

export type { SocketFault };

/** Every Socket.IO fault, in the matrix's order. */
export const SOCKET_FAULTS: Readonly<Record<SocketFault, FaultInfo>> = Object.fromEntries(
  NAMES.map((f) => [f, { rule: SOCKET_FAULT_RULES[f], breaks: f }]),
) as Record<SocketFault, FaultInfo>;

/** The Socket.IO seams of a server with `faults` switched on. */
export function socketSeams(faults: ReadonlySet<SocketFault>): SocketSeams {
  return { faults };
}
