/**
 * The Socket.IO codec of one Engine.IO session, picked by the session's protocol: Socket.IO v5
 * over Engine.IO v4, Socket.IO v4 over Engine.IO v3. The rest of the layer sees one packet
 * shape: binary packets arrive with their attachments in place and leave as plain EVENT/ACK,
 * the codec choosing the BINARY_* form when the arguments hold bytes.
 */
import * as v5 from "../../protocol/socket.io/v5.js";
import * as v4 from "../../protocol/socket.io/v4.js";
import type { SocketIOv5Packet } from "../../schemas/generated/socket.io/v5/packet.js";
import type { SocketIOv4Packet } from "../../schemas/generated/socket.io/v4/packet.js";

/** A packet of either version, as decoded or as about to be encoded. */
export type Packet = SocketIOv5Packet | SocketIOv4Packet;

/** One session's encoder and decoder. */
export interface SessionCodec {
  /** The Engine.IO messages that carry one packet, in order: its text, then one binary message per attachment. */
  encode(packet: Packet): readonly (string | Uint8Array)[];
  /** Feed one Engine.IO message; a complete packet, or undefined while attachments are pending. Throws DecodeError. */
  add(message: string | Uint8Array): Packet | undefined;
}

// Classes rather than object literals of closures: an idle session holds one small object.
class V4Codec implements SessionCodec {
  private readonly decoder: v4.Decoder;

  constructor(maxAttachments: number) {
    this.decoder = new v4.Decoder({ maxAttachments });
  }

  encode(packet: Packet): [string, ...Uint8Array[]] {
    return v4.encode(packet as SocketIOv4Packet);
  }

  add(message: string | Uint8Array): Packet | undefined {
    return this.decoder.add(message);
  }
}

class V5Codec implements SessionCodec {
  private readonly decoder: v5.Decoder;

  constructor(maxAttachments: number) {
    this.decoder = new v5.Decoder({ maxAttachments });
  }

  encode(packet: Packet): [string, ...Uint8Array[]] {
    return v5.encode(packet as SocketIOv5Packet);
  }

  add(message: string | Uint8Array): Packet | undefined {
    return this.decoder.add(message);
  }
}

/** A fresh codec for a session of Engine.IO protocol `protocol`; binary packets may announce at most `maxAttachments`. */
export function codecFor(protocol: 3 | 4, maxAttachments: number): SessionCodec {
  return protocol === 3 ? new V4Codec(maxAttachments) : new V5Codec(maxAttachments);
}
