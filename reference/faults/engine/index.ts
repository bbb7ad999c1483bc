/**
 * The Engine.IO layer's faults: the catalogue (catalogue.ts) and the seams that switch a set of
 * them on. Each kind of fault lives with the part of the server it replaces: the codec
 * (wire.ts), the request checks (checks.ts), the session core (session.ts, heartbeat.ts,
 * probe.ts), the session table (sessions.ts) and the node:http side (router.ts, answers.ts,
 * polling.ts).
 */
import type { EngineSeams } from "../../engine/seams.js";
import type { FaultInfo } from "../fault-info.js";
import { ENGINE_FAULT_TABLE, type EngineFault } from "./catalogue.js";
import { faultyChecks } from "./checks.js";
import { FaultyRouter } from "./router.js";
import { FaultySession } from "./session.js";
import { TableKeepingTimedOut } from "./sessions.js";
import { faultyWire } from "./wire.js";

export type { EngineFault };

/** Every Engine.IO fault, in the matrix's order. */
export const ENGINE_FAULTS: Readonly<Record<EngineFault, FaultInfo>> = ENGINE_FAULT_TABLE;

/** The Engine.IO seams of a server with `faults` switched on; none: the reference's own parts. */
export function engineSeams(faults: ReadonlySet<EngineFault>): EngineSeams {
  if (faults.size === 0) return {};
  const set = new Set(faults);
  const seams: EngineSeams = {
    session: (cfg, request) => new FaultySession({ ...cfg, faults: set }, request),
    router: (server) => new FaultyRouter(server, set),
  };
  const wire = faultyWire(set);
  if (wire) seams.wire = wire;
  const checkRequest = faultyChecks(set);
  if (checkRequest) seams.checkRequest = checkRequest;
  if (set.has("session-not-freed-after-timeout")) seams.sessions = () => new TableKeepingTimedOut();
  return seams;
}
