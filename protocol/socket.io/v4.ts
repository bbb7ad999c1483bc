/**
 * Socket.IO protocol v4 (carried by Engine.IO v3): packet text <-> {@link SocketIOv4Packet}.
 * The grammar is v5's (see grammar.ts); the payloads differ: CONNECT has none, and
 * CONNECT_ERROR (named ERROR in v4) carries a string or `{message, data?}`.
 *
 * A client may append a query string to the namespace of its CONNECT (`0/admin?token=1,`).
 * The codec keeps it as part of `nsp` (`"/admin?token=1"`), so that decoding and encoding are
 * exact inverses and the codec stays free of connection semantics; a server splits it with
 * {@link splitNamespaceQuery} and joins the client to the name alone, with the query as its auth
 * (SIO4-CONNECT-04, SIO4-NAMESPACE-01).
 *
 * Attachments are plain bytes here; the Engine.IO v3 codec adds and strips its type byte.
 */
import type { SocketIOv4Packet } from "../../schemas/generated/socket.io/v4/packet.js";
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
import { SIO4_RULES } from "./rules.js";

export type { SocketIOv4Packet } from "../../schemas/generated/socket.io/v4/packet.js";
export type { DecodeOptions } from "./grammar.js";

const eventArguments = validator("socket.io/v4/packet.json#/$defs/eventArguments");
const ackArguments = validator("socket.io/v4/packet.json#/$defs/ackArguments");
const connectErrorData = validator("socket.io/v4/packet.json#/$defs/connectErrorData");

/** Payload rules of v4 per packet type. */
export const v4Profile: Profile = {
  rules: SIO4_RULES,
  checkPayload(type, data, offset) {
    const rules = SIO4_RULES;
    switch (type) {
      case 0:
        if (data !== undefined) {
          throw new DecodeError(
            rules.connect,
            offset,
            "CONNECT carries no payload in v4 (auth goes in the namespace's query string)",
          );
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
        if (data === undefined) throw new DecodeError(rules.connectError, offset, "ERROR needs a payload");
        if (typeof data !== "string" && !connectErrorData(data)) {
          throw new DecodeError(
            rules.connectError,
            offset,
            `ERROR payload must be a string or {message, data?}: ${describeErrors(connectErrorData.errors)}`,
          );
        }
        return;
    }
  },
};

/**
 * Encodes a packet: `[text, ...attachments]` (text without Engine.IO's `4`; attachments as
 * plain bytes). EVENT/ACK data holding binary values goes out as BINARY_EVENT/BINARY_ACK with
 * placeholders in depth-first order. The given packet is not modified.
 */
export function encode(packet: SocketIOv4Packet): [string, ...Uint8Array[]] {
  return encodePacket(packet as RawPacket);
}

/**
 * Decodes one packet's text; a binary packet keeps its (checked) placeholders.
 * @throws DecodeError citing a SIO4 rule.
 */
export function decodeText(text: string, options: DecodeOptions = {}): SocketIOv4Packet {
  return parseText(text, v4Profile, options.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS) as SocketIOv4Packet;
}

/**
 * Per-connection decoder: feed it each Engine.IO message in order (attachments as plain bytes).
 * Returns a complete packet, or undefined while a binary packet waits for attachments.
 * @throws DecodeError citing a SIO4 rule.
 */
export class Decoder extends PacketAssembler<SocketIOv4Packet> {
  constructor(options: DecodeOptions = {}) {
    super(v4Profile, options);
  }
}

/**
 * Splits a v4 CONNECT namespace into its name and its query string (without the `?`):
 * `"/admin?token=1"` -> `{ name: "/admin", query: "token=1" }`; no `?` gives `query: ""`.
 */
export function splitNamespaceQuery(nsp: string): { name: string; query: string } {
  const mark = nsp.indexOf("?");
  return mark < 0 ? { name: nsp, query: "" } : { name: nsp.slice(0, mark), query: nsp.slice(mark + 1) };
}
