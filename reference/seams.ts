/**
 * The seams of both layers, the third argument of attach(): code run at fixed points of the
 * server besides its options. The mutant servers of the conformance suite are built through
 * them (reference/faults/); the public entry points do not export them.
 */
import type { EngineSeams } from "./engine/seams.js";
import type { SocketSeams } from "./socket.io/seams.js";

export interface Seams {
  engine?: EngineSeams;
  socket?: SocketSeams;
}
