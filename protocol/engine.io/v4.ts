/**
 * Engine.IO v4 codec: packets to and from WebSocket frames and HTTP long-polling payloads.
 * Pure functions over strings and bytes; decoding is strict and every failure is a
 * DecodeError that cites the rule of spec/engine.io-v4.md and the offset it broke at.
 *
 * Text form of a packet: one type digit and its data (`4hello`, `2probe`, `1`). A binary
 * message has no type digit: raw bytes in a WebSocket binary frame, `b` + base64 in polling.
 * A polling payload joins the text forms with the record separator 0x1E.
 */
import type { EngineIOv4Packet } from "../../schemas/generated/engine.io/v4/packet.js";
import { decodeBase64Range, describeChar, encodeBase64 } from "../base64.js";
import { DecodeError } from "../errors.js";
import { EIO4 } from "./rules.js";

export type { EngineIOv4Packet };

/** The record separator between the packets of a polling payload. */
export const RECORD_SEPARATOR = "\x1e";

/** Type digit of each packet type, in text form. */
const TYPE_CHAR = {
  open: "0",
  close: "1",
  ping: "2",
  pong: "3",
  message: "4",
  upgrade: "5",
  noop: "6",
} as const satisfies Record<EngineIOv4Packet["type"], string>;

/**
 * One packet as a WebSocket frame: a text frame (a string) for every packet but a binary
 * message, whose raw bytes are the frame (a binary frame, no type byte).
 */
export function encodeFrame(packet: EngineIOv4Packet): string | Uint8Array {
  if (packet.type === "message" && packet.data instanceof Uint8Array) return packet.data;
  return encodeRecord(packet);
}

/**
 * The packet carried by one WebSocket frame. A string is a text frame, bytes a binary frame
 * (always a message). A text frame `b<base64>` is accepted as a binary message too, the form a
 * server uses towards clients that cannot take binary frames.
 * @throws DecodeError naming the broken rule and the offset in the frame.
 */
export function decodeFrame(frame: string | Uint8Array): EngineIOv4Packet {
  if (typeof frame !== "string") return { type: "message", data: frame };
  // Text messages are nearly all the traffic: answered here, small enough to be inlined.
  if (frame.charCodeAt(0) === 0x34) return { type: "message", data: frame.length > 1 ? frame.substring(1) : "" };
  return decodeRecord(frame, 0, frame.length, NO_PACKETS);
}

/** One packet's text form, as it appears in a polling payload; a binary message becomes `b` + base64. */
export function encodeRecord(packet: EngineIOv4Packet): string {
  switch (packet.type) {
    case "message": {
      const data = packet.data;
      if (data === undefined) return "4";
      if (typeof data === "string") return "4" + data;
      return "b" + encodeBase64(data);
    }
    case "open":
      return "0" + packet.data;
    case "ping":
    case "pong":
      return packet.data === undefined ? TYPE_CHAR[packet.type] : TYPE_CHAR[packet.type] + packet.data;
    case "close":
    case "upgrade":
    case "noop":
      return TYPE_CHAR[packet.type];
    default:
      throw new TypeError(`not an Engine.IO v4 packet type: ${String((packet as { type: unknown }).type)}`);
  }
}

/**
 * A polling body: the packets' text forms joined by 0x1E.
 * @throws RangeError for an empty list (a payload holds at least one packet), and for text
 *   data that contains 0x1E: the protocol has no escape for it, so a receiver would split the
 *   packet in two (EIO4-PAYLOAD rule on the separator in data).
 */
export function encodePayload(packets: readonly EngineIOv4Packet[]): string {
  const count = packets.length;
  if (count === 0) throw new RangeError("an Engine.IO v4 payload holds at least one packet");
  let body = "";
  for (let i = 0; i < count; i++) {
    const packet = packets[i]!;
    const data = (packet as { data?: unknown }).data;
    // Only text data can hold 0x1E (base64 cannot).
    if (typeof data === "string" && data.indexOf(RECORD_SEPARATOR) !== -1) {
      throw new RangeError(
        `packet ${i} (${packet.type}) contains the record separator 0x1E in its text; a polling payload cannot carry it (${EIO4.payloadSeparatorInData})`,
      );
    }
    const record = encodeRecord(packet);
    body = i === 0 ? record : body + RECORD_SEPARATOR + record;
  }
  return body;
}

/**
 * The packets of a polling body, in order.
 * @throws DecodeError at the first bad record; its `partial` holds the packets before it,
 *   which a server still delivers.
 */
export function decodePayload(body: string): EngineIOv4Packet[] {
  const length = body.length;
  if (length === 0) throw new DecodeError(EIO4.payloadRecords, 0, "empty payload");
  const packets: EngineIOv4Packet[] = [];
  let start = 0;
  for (;;) {
    let end = body.indexOf(RECORD_SEPARATOR, start);
    if (end === -1) end = length;
    if (end === start) {
      const where =
        start === 0 ? "leading separator" : end === length ? "trailing separator" : "two separators in a row";
      throw new DecodeError(EIO4.payloadRecords, start, `empty record (${where})`, packets);
    }
    // Text messages inline, as in decodeFrame; every other record goes through the full check.
    packets.push(
      body.charCodeAt(start) === 0x34
        ? { type: "message", data: body.substring(start + 1, end) }
        : decodeRecord(body, start, end, packets),
    );
    if (end === length) return packets;
    start = end + 1;
  }
}

const NO_PACKETS: readonly EngineIOv4Packet[] = Object.freeze([]);

/** The packet in `source[start, end)`; errors are offsets into `source`. */
function decodeRecord(
  source: string,
  start: number,
  end: number,
  partial: readonly EngineIOv4Packet[],
): EngineIOv4Packet {
  if (end === start) throw new DecodeError(EIO4.packetType, start, "empty packet: no type", partial);
  const hasData = end - start > 1;
  switch (source.charCodeAt(start)) {
    case 0x34: // "4" message, the hot path
      return hasData ? { type: "message", data: source.substring(start + 1, end) } : { type: "message", data: "" };
    case 0x62: // "b" binary message
      return { type: "message", data: decodeBase64Range(source, start + 1, end, 0, EIO4.base64, partial) };
    case 0x32: // "2" ping
      return hasData ? { type: "ping", data: source.substring(start + 1, end) } : { type: "ping" };
    case 0x33: // "3" pong
      return hasData ? { type: "pong", data: source.substring(start + 1, end) } : { type: "pong" };
    case 0x30: // "0" open: the handshake is its data
      if (!hasData) throw new DecodeError(EIO4.openData, start + 1, "open packet without handshake data", partial);
      return { type: "open", data: source.substring(start + 1, end) };
    case 0x31: // "1" close
      if (hasData) throw noData("close", start, partial);
      return { type: "close" };
    case 0x35: // "5" upgrade
      if (hasData) throw noData("upgrade", start, partial);
      return { type: "upgrade" };
    case 0x36: // "6" noop
      if (hasData) throw noData("noop", start, partial);
      return { type: "noop" };
    default:
      throw new DecodeError(
        EIO4.packetType,
        start,
        `unknown packet type ${describeChar(source.charCodeAt(start))}`,
        partial,
      );
  }
}

function noData(type: string, start: number, partial: readonly EngineIOv4Packet[]): DecodeError {
  return new DecodeError(EIO4.noData, start + 1, `${type} packet carries no data`, partial);
}
