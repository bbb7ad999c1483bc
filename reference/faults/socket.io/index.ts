/**
 * The Socket.IO layer's faults: the catalogue, and the seams that switch a set of them on.
 * Each fault's code lives with the part of the server it breaks: the codec (how packets are
 * written and read), the Client (routing and joining), the namespace and its sockets. A seam
 * is filled only when one of its faults is on, so a mutant runs the reference code everywhere
 * else.
 */
import type { SocketSeams } from "../../socket.io/seams.js";
import type { SocketFault } from "./catalogue.js";
import { CLIENT_FAULTS, FaultyClient } from "./client.js";
import { CODEC_FAULTS, faultyCodec } from "./codec.js";
import { FaultyNamespace, NAMESPACE_FAULTS } from "./namespace.js";

export { SOCKET_FAULTS, type SocketFault } from "./catalogue.js";

/** Which part of the server each fault breaks: every fault is in exactly one. */
export const FAULTS_BY_PART = { codec: CODEC_FAULTS, client: CLIENT_FAULTS, namespace: NAMESPACE_FAULTS } as const;

/** The Socket.IO seams of a server with `faults` switched on (none: the reference server). */
export function socketSeams(faults: ReadonlySet<SocketFault>): SocketSeams {
  const any = (part: ReadonlySet<SocketFault>) => [...faults].some((f) => part.has(f));
  const seams: SocketSeams = {};
  if (any(CODEC_FAULTS)) seams.codec = (conn, maxAttachments) => faultyCodec(conn, maxAttachments, faults);
  if (any(CLIENT_FAULTS)) seams.client = (conn, host, codec) => new FaultyClient(conn, host, codec, faults);
  if (any(NAMESPACE_FAULTS)) seams.namespace = (name, host, parent) => new FaultyNamespace(name, host, parent, faults);
  return seams;
}
