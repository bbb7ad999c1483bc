/**
 * The Engine.IO layer's faults: the catalogue and the seams that switch a set of them on.
 * TRANSITIONAL: re-exports the old table (issue 11 moves the fault code here).
 */
import { engineFaults, type EngineFault } from "../../engine/faults.js";
import type { EngineSeams } from "../../engine/seams.js";
import type { FaultInfo } from "../fault-info.js";

export type { EngineFault };

/** Every Engine.IO fault, in the matrix's order. */
export const ENGINE_FAULTS: Readonly<Record<EngineFault, FaultInfo>> = engineFaults;

/** The Engine.IO seams of a server with `faults` switched on. */
export function engineSeams(faults: ReadonlySet<EngineFault>): EngineSeams {
  return { faults };
}
