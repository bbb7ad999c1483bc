/**
 * The seams of the Socket.IO layer: what a server built with attach() can be given besides its
 * options, to run other code at fixed points. Not exported from the public entry points.
 *
 * TRANSITIONAL: the fault set still travels whole; the seams replace it (issue 11).
 */
import type { SocketFault } from "./faults.js";

export interface SocketSeams {
  faults?: ReadonlySet<SocketFault>;
}
