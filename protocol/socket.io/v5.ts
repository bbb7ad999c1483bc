/**
 * Socket.IO protocol v5 (carried by Engine.IO v4): packet text <-> {@link SocketIOv5Packet}.
 * Pure functions; strict grammar (see grammar.ts), every error a DecodeError citing a rule of
 * spec/socket.io-v5.md.
 *
 * Stricter than the official parser on purpose: EVENT/ACK need a payload, the ack id is plain
 * digits without leading zeros and at most 2^53-1, nothing may follow the JSON payload, and
 * every attachment is referenced by exactly one placeholder.
 */
import type { SocketIOv5Packet } from "../../schemas/generated/socket.io/v5/packet.js";
import { DecodeError } from "../errors.js";
import { describeErrors, validator } from "../validators.js";
import { PacketAssembler } from "./decoder.js";
import {
  DEFAULT_MAX_ATTACHMENTS,
  encodePacket,
  isCommonEventPayload,
  parseText,
  RESERVED_EVENTS,
  type DecodeOptions,
  type Profile,
  type RawPacket,
} from "./grammar.js";
import { SIO5_RULES } from "./rules.js";

export type { SocketIOv5Packet } from "../../schemas/generated/socket.io/v5/packet.js";
export type { DecodeOptions } from "./grammar.js";

const eventArguments = validator("socket.io/v5/packet.json#/$defs/eventArguments");
const ackArguments = validator("socket.io/v5/packet.json#/$defs/ackArguments");
const connectErrorData = validator("socket.io/v5/packet.json#/$defs/connectErrorData");
const connectAuth = validator("socket.io/v5/connect-auth.json");
const connectReply = validator("socket.io/v5/connect-reply.json");

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Payload rules of v5 per packet type. */
export const v5Profile: Profile = {
  rules: SIO5_RULES,
  checkPayload(type, data, offset) {
    const rules = SIO5_RULES;
    switch (type) {
      case 0:
        // Either direction: the client's auth or the server's {sid}. Direction-specific
        // shapes are checked by the caller with isConnectAuth / isConnectReply.
        if (data !== undefined && !isPlainObject(data)) {
          throw new DecodeError(rules.connect, offset, "CONNECT payload must be a JSON object");
        }
        return;
      case 1:
        if (data !== undefined) throw new DecodeError(rules.disconnect, offset, "DISCONNECT carries no payload");
        return;
      case 2:
      case 5:
        if (data === undefined) throw new DecodeError(rules.event, offset, "EVENT needs a payload");
        if (!isCommonEventPayload(data) && !eventArguments(data)) {
          if (Array.isArray(data) && typeof data[0] === "string" && RESERVED_EVENTS.has(data[0])) {
            throw new DecodeError(rules.reservedEvent, offset, `reserved event name ${JSON.stringify(data[0])}`);
          }
          throw new DecodeError(
            rules.event,
            offset,
            `EVENT payload must be [name, ...args] with a non-reserved name: ${describeErrors(eventArguments.errors)}`,
          );
        }
        return;
      case 3:
      case 6:
        if (data === undefined) throw new DecodeError(rules.ack, offset, "ACK needs a payload");
        if (!Array.isArray(data) && !ackArguments(data))
          throw new DecodeError(rules.ack, offset, "ACK payload must be an array");
        return;
      case 4:
        if (data === undefined) throw new DecodeError(rules.connectError, offset, "CONNECT_ERROR needs a payload");
        if (!connectErrorData(data)) {
          throw new DecodeError(
            rules.connectError,
            offset,
            `CONNECT_ERROR payload must be {message, data?}: ${describeErrors(connectErrorData.errors)}`,
          );
        }
        return;
    }
  },
};

/**
 * Encodes a packet: `[text, ...attachments]`. The text is the Engine.IO message data (without
 * Engine.IO's `4`). EVENT/ACK data holding Buffer, Uint8Array, any typed array, DataView or
 * ArrayBuffer values goes out as BINARY_EVENT/BINARY_ACK with placeholders in depth-first
 * order, each attachment as a Uint8Array; BINARY_EVENT/BINARY_ACK without binary values go
 * out as EVENT/ACK. The given packet is not modified.
 */
export function encode(packet: SocketIOv5Packet): [string, ...Uint8Array[]] {
  return encodePacket(packet as RawPacket);
}

/**
 * Decodes one packet's text. A binary packet comes back with its placeholders in place (they
 * are checked against the attachment count). CONNECT accepts any object payload.
 * @throws DecodeError citing a SIO5 rule.
 */
export function decodeText(text: string, options: DecodeOptions = {}): SocketIOv5Packet {
  return parseText(text, v5Profile, options.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS) as SocketIOv5Packet;
}

/**
 * Per-connection decoder: feed it each Engine.IO message in order. Returns a complete packet,
 * or undefined while a binary packet waits for attachments. A completed binary packet keeps
 * its type (BINARY_EVENT/BINARY_ACK) and count, with the attachments (Uint8Array) in place
 * of the placeholders.
 * @throws DecodeError citing a SIO5 rule (text while attachments are pending, binary with
 * nothing pending, any grammar error).
 */
export class Decoder extends PacketAssembler<SocketIOv5Packet> {
  constructor(options: DecodeOptions = {}) {
    super(v5Profile, options);
  }
}

/** True when a CONNECT payload sent by a client fits connect-auth.json (recovery `pid`/`offset` are strings). */
export function isConnectAuth(data: unknown): boolean {
  return connectAuth(data);
}

/** True when a CONNECT payload sent by a server fits connect-reply.json (`{sid, pid?}`). */
export function isConnectReply(data: unknown): boolean {
  return connectReply(data);
}
