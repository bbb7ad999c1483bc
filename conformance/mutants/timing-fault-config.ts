/**
 * Mutants that need a server configured unlike the embedded one. A fault of this kind changes
 * nothing on the embedded server (both transports offered), so its mutant must run on a server
 * with the options below, and be judged against a baseline of the unmodified reference server
 * with the same options: a case the embedded server skips can pass there, and only then can a
 * mutant kill it.
 */
import type { AttachOptions } from "../../reference/attach.js";
import type { EngineFault } from "../../reference/faults/index.js";

/** The configuration one such mutant runs with. */
export interface MutantServerConfig {
  /** attach() options on top of the embedded server's (and of the fault switch). */
  readonly options: AttachOptions;
  /** The cases to run against this configuration and its baseline (IDs of the suite). */
  readonly cases: readonly string[];
  /** Why the embedded configuration cannot show the fault. */
  readonly why: string;
}

/** Engine.IO faults whose mutants run on a differently configured reference server. */
export const MUTANT_SERVER_CONFIGS: Readonly<Partial<Record<EngineFault, MutantServerConfig>>> = {
  "websocket-accepted-when-disabled": {
    options: { transports: ["polling"] },
    cases: ["eio4.upgrade.unadvertised-refused"],
    why: "the fault accepts WebSocket requests on a server that does not offer websocket; the embedded server offers it, so only a polling-only server refuses them",
  },
};
