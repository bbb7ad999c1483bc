/**
 * The Engine.IO layer's faults: the catalogue (catalogue.ts, then v3-catalogue.ts) and the seams
 * that switch a set of them on. Each kind of fault lives with the part of the server it
 * replaces: the codec (wire.ts, v3-wire.ts), the request checks (checks.ts), the session core
 * (session.ts, heartbeat.ts, probe.ts, and v3-session.ts for `EIO=3` sessions), the session
 * table (sessions.ts) and the node:http side (router.ts, answers.ts, polling.ts).
 *
 * A fault breaks a rule of one protocol version, so a session runs only the faults of its own
 * version: those named `v3-…` on v3 sessions, the others on v4 sessions. A v3 case then fails
 * only for a v3 fault, and the v4 mutants keep the blast they had.
 */
import type { EngineSeams } from "../../engine/seams.js";
import { wireFor } from "../../engine/wire.js";
import type { FaultInfo } from "../fault-info.js";
import { ENGINE_FAULT_TABLE, type EngineFault } from "./catalogue.js";
import { faultyChecks } from "./checks.js";
import { FaultyRouter } from "./router.js";
import { FaultySession } from "./session.js";
import { TableKeepingTimedOut } from "./sessions.js";
import { V3_ENGINE_FAULT_TABLE } from "./v3-catalogue.js";
import { RouterByVersion } from "./v3-router.js";
import { FaultyV3Session } from "./v3-session.js";
import { faultyV3WireFor } from "./v3-wire.js";
import { faultyWire } from "./wire.js";

export type { EngineFault };

/** Every Engine.IO fault, in the matrix's order: the version 4 path's, then the version 3 path's. */
export const ENGINE_FAULTS: Readonly<Record<EngineFault, FaultInfo>> = {
  ...ENGINE_FAULT_TABLE,
  ...V3_ENGINE_FAULT_TABLE,
};

/** True for a fault of the version 3 path. */
function isV3(fault: EngineFault): boolean {
  return fault.startsWith("v3-");
}

/**
 * The v3 faults that break a behaviour both versions share at one spot of the server (drops, the
 * upgrade timeout): on a v3 session they switch on the version 4 fault written there.
 */
const SHARED_WITH_V4: Partial<Record<EngineFault, EngineFault>> = {
  "v3-timeout-waits-for-get": "timeout-waits-for-get",
  "v3-aborted-get-closes-late": "aborted-get-closes-late",
  "v3-aborted-post-delivers": "aborted-post-delivers",
  "v3-probe-drop-duplicates-buffer": "probe-drop-duplicates-buffer",
  "v3-no-upgrade-timeout": "no-upgrade-timeout",
};

/** The Engine.IO seams of a server with `faults` switched on; none: the reference's own parts. */
export function engineSeams(faults: ReadonlySet<EngineFault>): EngineSeams {
  if (faults.size === 0) return {};
  const set = new Set(faults);
  const v3 = new Set([...set].filter(isV3).flatMap((f) => [f, ...(SHARED_WITH_V4[f] ? [SHARED_WITH_V4[f]] : [])]));
  const v4 = new Set([...set].filter((f) => !isV3(f)));
  const seams: EngineSeams = {
    session: (cfg, request) =>
      cfg.protocol === 3
        ? new FaultyV3Session({ ...cfg, faults: v3 }, request)
        : new FaultySession({ ...cfg, faults: v4 }, request),
    router: (server) => new RouterByVersion(server, new FaultyRouter(server, v4), new FaultyRouter(server, v3)),
  };
  const v4Wire = faultyWire(v4);
  const v3Wire = faultyV3WireFor(v3);
  if (v4Wire || v3Wire)
    seams.wire = (protocol, supportsBinary) =>
      (protocol === 3 ? v3Wire?.(supportsBinary) : v4Wire) ?? wireFor(protocol, supportsBinary);
  const checkRequest = faultyChecks(set);
  if (checkRequest) seams.checkRequest = checkRequest;
  if (set.has("session-not-freed-after-timeout")) seams.sessions = () => new TableKeepingTimedOut();
  return seams;
}
