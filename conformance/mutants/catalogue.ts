/**
 * The mutants of the reference server: one per fault switch of the Engine.IO layer
 * (reference/engine/faults.ts) and of the Socket.IO layer (reference/socket.io/faults.ts).
 * Each is the embedded reference server (echo app, short timings) with exactly that one fault
 * on, so a case that a mutant makes fail is shown to check the rule the fault breaks.
 */
import type { AttachOptions } from "../../reference/attach.js";
import { FAULTS, seamsFor, type FaultId } from "../../reference/faults/index.js";
import type { Seams } from "../../reference/seams.js";
import { MUTANT_SERVER_CONFIGS, type MutantServerConfig } from "./timing-fault-config.js";

/** One mutant: a name, the layer of its fault, and the seams that switch it on. */
export interface Mutant {
  /** `eio:<fault>` or `sio:<fault>`; stable, used as the matrix column name. */
  id: FaultId;
  layer: "engine.io" | "socket.io";
  /** The fault switch's own name. */
  fault: string;
  /** The rule the fault breaks, from the fault catalogue. */
  rule: string;
  /** The server options of a configured mutant (see `config`); none for the others. */
  options: AttachOptions;
  /** The seams that switch the fault on (reference/faults/). */
  seams: Seams;
  /**
   * Set when the fault shows only on a differently configured server: the mutant runs the
   * listed cases on that configuration and is judged against the unmodified reference server
   * in the same configuration.
   */
  config?: MutantServerConfig;
}

/** Every mutant: the Engine.IO faults in their catalogue's order, then the Socket.IO ones. */
export function allMutants(): Mutant[] {
  return [...FAULTS].map(([id, entry]) => {
    const config =
      entry.layer === "engine.io"
        ? MUTANT_SERVER_CONFIGS[entry.fault as keyof typeof MUTANT_SERVER_CONFIGS]
        : undefined;
    const base: Mutant = {
      id,
      layer: entry.layer,
      fault: entry.fault,
      rule: entry.rule,
      options: { ...config?.options },
      seams: seamsFor([id]),
    };
    return config ? { ...base, config } : base;
  });
}

/**
 * Mutants whose fault no black-box suite can see, with the reason. They are still run (a
 * kill would make the entry stale, and the test says so) but are not counted as useless.
 */
export const INVISIBLE_MUTANTS: Readonly<Record<string, string>> = {};
