/**
 * The seams of the Engine.IO layer: the parts of a server that can be given to its constructor
 * (the second argument of `new EngineServer`, `seams.engine` of attach()) in place of the
 * reference's own, each named by the job it does. A replacement is usually a subclass that
 * overrides the protected hooks of the part it replaces. Not exported from the public entry
 * points; the conformance suite's mutant servers are built through them.
 */
import type { HandshakeRequest } from "./connection.js";
import type { NodeRouter } from "./node/router.js";
import type { EngineServer } from "./server.js";
import type { Session, SessionConfig } from "./session.js";
import type { SessionTable } from "./session-table.js";
import type { verifyRequest } from "./verify.js";
import type { Wire } from "./wire.js";

export interface EngineSeams {
  /** Packet <-> bytes of a new session (reference: wireFor(), the protocol's codecs). */
  wire?(protocol: 3 | 4, supportsBinary: boolean): Wire;
  /** The core of a new session (reference: a Session). */
  session?(cfg: SessionConfig, request: HandshakeRequest): Session<HandshakeRequest>;
  /** The checks of a request, in the spec's order (reference: verifyRequest). */
  checkRequest?: typeof verifyRequest;
  /** The table of live sessions (reference: a SessionTable). */
  sessions?(): SessionTable;
  /** The node:http side: routing, polling, the HTTP envelope of every answer (reference: a NodeRouter). */
  router?(server: EngineServer): NodeRouter;
}
