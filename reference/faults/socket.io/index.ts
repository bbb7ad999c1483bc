/**
 * The Socket.IO layer's faults: the catalogue, and the seams that switch a set of them on.
 * Each fault's code lives with the part of the server it breaks: the codec (how packets are
 * written and read), the Client (routing and joining), the namespace and its sockets. A seam
 * is filled only when one of its faults is on, so a mutant runs the reference code everywhere
 * else.
 */
import { codecFor } from "../../socket.io/codec.js";
import type { SocketSeams } from "../../socket.io/seams.js";
import type { SocketFault } from "./catalogue.js";
import { CLIENT_FAULTS, FaultyClient } from "./client.js";
import { CODEC_FAULTS, faultyCodec } from "./codec.js";
import { FaultyNamespace, NAMESPACE_FAULTS } from "./namespace.js";
import { FaultyV3Client, V3_CLIENT_FAULTS } from "./v3-client.js";
import { faultyV3Codec, V3_CODEC_FAULTS } from "./v3-codec.js";

export { SOCKET_FAULTS, type SocketFault } from "./catalogue.js";

/** Which part of the server each fault breaks: every fault is in exactly one. */
export const FAULTS_BY_PART = {
  codec: CODEC_FAULTS,
  client: CLIENT_FAULTS,
  namespace: NAMESPACE_FAULTS,
  v3Codec: V3_CODEC_FAULTS,
  v3Client: V3_CLIENT_FAULTS,
} as const;

/** True for a fault of the version 3 path (named `v3-…`, each breaking a rule of socket.io-v4.md). */
function isV3(fault: SocketFault): boolean {
  return fault.startsWith("v3-");
}

/**
 * The Socket.IO seams of a server with `faults` switched on (none: the reference server). A
 * session runs only the faults of its own version: those of a SIO4 rule on v3 (EIO=3) sessions,
 * the others on v4 sessions, so each fault breaks its own version.
 */
export function socketSeams(faults: ReadonlySet<SocketFault>): SocketSeams {
  const v3 = new Set([...faults].filter(isV3));
  const v5 = new Set([...faults].filter((f) => !isV3(f)));
  const any = (set: ReadonlySet<SocketFault>, part: ReadonlySet<SocketFault>) => [...set].some((f) => part.has(f));
  const seams: SocketSeams = {};
  const codecV5 = any(v5, CODEC_FAULTS);
  const codecV3 = any(v3, V3_CODEC_FAULTS);
  if (codecV5 || codecV3)
    seams.codec = (conn, maxAttachments) =>
      conn.protocol === 3
        ? faultyV3Codec(conn, maxAttachments, v3)
        : codecV5
          ? faultyCodec(conn, maxAttachments, v5)
          : codecFor(conn.protocol, maxAttachments);
  const clientV5 = any(v5, CLIENT_FAULTS);
  const clientV3 = any(v3, V3_CLIENT_FAULTS);
  if (clientV5 || clientV3)
    seams.client = (conn, host, codec) =>
      conn.protocol === 3 ? new FaultyV3Client(conn, host, codec, v3) : new FaultyClient(conn, host, codec, v5);
  if (any(v5, NAMESPACE_FAULTS)) seams.namespace = (name, host, parent) => new FaultyNamespace(name, host, parent, v5);
  return seams;
}
