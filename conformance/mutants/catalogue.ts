/**
 * The mutants of the reference server: one per fault switch of the Engine.IO layer
 * (reference/engine/faults.ts) and of the Socket.IO layer (reference/socket.io/faults.ts).
 * Each is the embedded reference server (echo app, short timings) with exactly that one fault
 * on, so a case that a mutant makes fail is shown to check the rule the fault breaks.
 */
import type { AttachOptions } from "../../reference/attach.js";
import { MUTANT_SERVER_CONFIGS, type MutantServerConfig } from "./timing-fault-config.js";
import { engineFaults, type EngineFault } from "../../reference/engine/faults.js";
import { SOCKET_FAULT_RULES, SOCKET_FAULTS, type SocketFault } from "../../reference/socket.io/faults.js";

/** One mutant: a name, the layer of its fault, and the attach() options that switch it on. */
export interface Mutant {
  /** `eio:<fault>` or `sio:<fault>`; stable, used as the matrix column name. */
  id: string;
  layer: "engine.io" | "socket.io";
  /** The fault switch's own name. */
  fault: string;
  /** The rule the fault breaks, from the fault tables of both layers. */
  rule?: string;
  /** The fault (and, for a configured mutant, its server options); timings and echo app come from the embedded server. */
  options: AttachOptions;
  /**
   * Set when the fault shows only on a differently configured server: the mutant runs the
   * listed cases on that configuration and is judged against the unmodified reference server
   * in the same configuration.
   */
  config?: MutantServerConfig;
}

function engineMutant(fault: EngineFault): Mutant {
  const config = MUTANT_SERVER_CONFIGS[fault];
  const base: Mutant = {
    id: `eio:${fault}`,
    layer: "engine.io",
    fault,
    rule: engineFaults[fault].rule,
    options: { ...config?.options, engineFaults: new Set([fault]) },
  };
  return config ? { ...base, config } : base;
}

function socketMutant(fault: SocketFault): Mutant {
  return {
    id: `sio:${fault}`,
    layer: "socket.io",
    fault,
    rule: SOCKET_FAULT_RULES[fault],
    options: { socketFaults: new Set([fault]) },
  };
}

/** Every mutant: the Engine.IO faults in their table's order, then the Socket.IO ones. */
export function allMutants(): Mutant[] {
  return [...(Object.keys(engineFaults) as EngineFault[]).map(engineMutant), ...SOCKET_FAULTS.map(socketMutant)];
}

/**
 * Mutants whose fault no black-box suite can see, with the reason. They are still run (a
 * kill would make the entry stale, and the test says so) but are not counted as useless.
 */
export const INVISIBLE_MUTANTS: Readonly<Record<string, string>> = {};
