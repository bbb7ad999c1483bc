/**
 * The faulty codec: the reference codec of the session's protocol, with the write faults on
 * the way out and the read faults on the way in. It reaches the server through the `codec` seam.
 */
import type { EngineConnection } from "../../engine/connection.js";
import { codecFor, type SessionCodec } from "../../socket.io/codec.js";
import type { SocketFault } from "./catalogue.js";
import { FaultyReader, READ_FAULTS } from "./codec-reads.js";
import { FaultyWriter, WRITE_FAULTS } from "./codec-writes.js";

/** The faults the faulty codec handles. */
export const CODEC_FAULTS: ReadonlySet<SocketFault> = new Set([...READ_FAULTS, ...WRITE_FAULTS]);

/** The codec of one session with `faults` on. */
export function faultyCodec(
  conn: EngineConnection,
  maxAttachments: number,
  faults: ReadonlySet<SocketFault>,
): SessionCodec {
  const inner = codecFor(conn.protocol, maxAttachments);
  const writer = new FaultyWriter(inner, conn, faults);
  const reader = new FaultyReader(inner, conn.protocol, maxAttachments, faults);
  return { encode: (packet) => writer.encode(packet), add: (message) => reader.add(message) };
}
