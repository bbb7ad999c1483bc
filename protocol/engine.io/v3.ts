/**
 * Engine.IO v3 codec (the protocol of Socket.IO 2.x clients). Pure functions, strict decoding;
 * every failure is a DecodeError citing spec/engine.io-v3.md.
 *
 * Differences from v4 that shape this file: a binary packet keeps its type (byte 0x04 before
 * the data in a WebSocket frame, `b4` + base64 in text); a text polling payload prefixes each
 * packet with its length in UTF-16 code units and a colon (`6:4hello2:4€`); a session that
 * takes binary gets the XHR2 binary payload instead (see ./v3-binary-payload.ts).
 */
import { Buffer } from "node:buffer";
import type { EngineIOv3Packet } from "../../schemas/generated/engine.io/v3/packet.js";
import { decodeBase64Range, describeChar, encodeBase64 } from "../base64.js";
import { DecodeError } from "../errors.js";
import { EIO3 } from "./rules.js";
import { decodeBinaryPayload, encodeBinaryPayload } from "./v3-binary-payload.js";

export type { EngineIOv3Packet };

/** The type byte in front of a binary message's data. */
export const BINARY_MESSAGE_TYPE = 0x04;

/** Options of {@link encodePayload}. */
export interface EncodePayloadOptions {
  /** The session takes binary (it did not ask for `b64`): binary packets go in an XHR2 binary payload. */
  binary: boolean;
}

const TYPE_CHAR = {
  open: "0",
  close: "1",
  ping: "2",
  pong: "3",
  message: "4",
  upgrade: "5",
  noop: "6",
} as const satisfies Record<EngineIOv3Packet["type"], string>;

/** One packet as a WebSocket frame: text, or for a binary message 0x04 followed by the data. */
export function encodeFrame(packet: EngineIOv3Packet): string | Uint8Array {
  if (packet.type === "message" && packet.data instanceof Uint8Array) {
    const frame = Buffer.allocUnsafe(packet.data.length + 1);
    frame[0] = BINARY_MESSAGE_TYPE;
    frame.set(packet.data, 1);
    return frame;
  }
  return encodeRecord(packet);
}

/**
 * The packet carried by one WebSocket frame: a text frame (string), or a binary frame whose
 * first byte is the type 0x04. A text frame `b4<base64>` is a binary message too (the form
 * sent to `b64` sessions).
 * @throws DecodeError naming the broken rule and the offset in the frame.
 */
export function decodeFrame(frame: string | Uint8Array): EngineIOv3Packet {
  if (typeof frame === "string") {
    // Text messages are nearly all the traffic: answered here, small enough to be inlined.
    if (frame.charCodeAt(0) === 0x34) return { type: "message", data: frame.length > 1 ? frame.substring(1) : "" };
    return decodeRecord(frame, 0, frame.length, 0);
  }
  if (frame.length === 0) throw new DecodeError(EIO3.binaryFrame, 0, "empty binary frame: no type byte");
  if (frame[0] !== BINARY_MESSAGE_TYPE) {
    throw new DecodeError(
      EIO3.binaryFrame,
      0,
      `binary packet type byte 0x${frame[0]!.toString(16).padStart(2, "0")} is not 0x04 (message)`,
    );
  }
  return { type: "message", data: frame.subarray(1) };
}

/** One packet's text form; a binary message becomes `b4` + base64. */
export function encodeRecord(packet: EngineIOv3Packet): string {
  switch (packet.type) {
    case "message": {
      const data = packet.data;
      if (data === undefined) return "4";
      if (typeof data === "string") return "4" + data;
      return "b4" + encodeBase64(data);
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
      throw new TypeError(`not an Engine.IO v3 packet type: ${String((packet as { type: unknown }).type)}`);
  }
}

/**
 * A polling body. Text: `<length>:<packet>` for each packet, the length in UTF-16 code units,
 * binary as `b4` + base64; an empty list is `0:`. With `opts.binary` and at least one binary
 * packet: the XHR2 binary payload (bytes).
 */
export function encodePayload(packets: readonly EngineIOv3Packet[], opts: EncodePayloadOptions): string | Uint8Array {
  const count = packets.length;
  if (count === 0) return "0:";
  if (opts.binary) {
    for (let i = 0; i < count; i++) {
      if (packets[i]!.type === "message" && (packets[i] as { data?: unknown }).data instanceof Uint8Array) {
        return encodeBinaryPayload(packets, encodeRecord);
      }
    }
  }
  let body = "";
  for (let i = 0; i < count; i++) {
    const record = encodeRecord(packets[i]!);
    body += record.length + ":" + record;
  }
  return body;
}

/**
 * The packets of a polling body: a string is a text payload, bytes an XHR2 binary payload
 * (`Content-Type: application/octet-stream`). The body `0:` is the empty payload.
 * @throws DecodeError at the first fault. Its `partial` is always empty: a v3 receiver drops the
 *   whole payload (EIO3-PAYLOAD-03), unlike v4.
 */
export function decodePayload(body: string | Uint8Array): EngineIOv3Packet[] {
  if (typeof body !== "string") return decodeBinaryPayload(body, decodeRecord);
  const length = body.length;
  if (length === 0) throw new DecodeError(EIO3.textPayload, 0, "empty payload");
  const packets: EngineIOv3Packet[] = [];
  if (length === 2 && body.charCodeAt(0) === 0x30 && body.charCodeAt(1) === 0x3a) return packets;
  let i = 0;
  while (i < length) {
    const digitsStart = i;
    let size = 0;
    for (;;) {
      if (i === length) {
        throw new DecodeError(EIO3.textPayload, digitsStart, "characters after the last packet: a length without `:`");
      }
      const code = body.charCodeAt(i);
      if (code === 0x3a) break;
      if (code < 0x30 || code > 0x39) {
        throw new DecodeError(EIO3.textPayload, i, `length must be decimal digits, found ${describeChar(code)}`);
      }
      if (size === 0 && i > digitsStart)
        throw new DecodeError(EIO3.textPayload, digitsStart, "length has a leading zero");
      size = size * 10 + (code - 0x30);
      // Stop as soon as it cannot fit, before the number grows past exact integers.
      if (size > length)
        throw new DecodeError(EIO3.textPayload, digitsStart, "length runs past the end of the payload");
      i++;
    }
    if (i === digitsStart) throw new DecodeError(EIO3.textPayload, i, "empty length before `:`");
    i++;
    if (size === 0) throw new DecodeError(EIO3.textPayload, digitsStart, "zero-length packet");
    if (i + size > length) {
      throw new DecodeError(
        EIO3.textPayload,
        digitsStart,
        `length ${size} runs past the end of the payload (${length - i} left)`,
      );
    }
    packets.push(decodeRecord(body, i, i + size, 0));
    i += size;
  }
  return packets;
}

/**
 * The packet in `source[start, end)`; errors are `offsetBase` + the index into `source`.
 * Shared with the XHR2 decoder, whose string packets arrive as text.
 */
export function decodeRecord(source: string, start: number, end: number, offsetBase: number): EngineIOv3Packet {
  if (end === start) throw new DecodeError(EIO3.packet, offsetBase + start, "empty packet: no type");
  const hasData = end - start > 1;
  switch (source.charCodeAt(start)) {
    case 0x34: // "4" message
      return hasData ? { type: "message", data: source.substring(start + 1, end) } : { type: "message", data: "" };
    case 0x62: // "b" + type digit + base64
      if (!hasData || source.charCodeAt(start + 1) !== 0x34) {
        const what = hasData ? `type ${describeChar(source.charCodeAt(start + 1))}` : "no type";
        throw new DecodeError(
          EIO3.base64Packet,
          offsetBase + start + 1,
          `base64 packet with ${what}: only a message (4) is binary`,
        );
      }
      return { type: "message", data: decodeBase64Range(source, start + 2, end, offsetBase, EIO3.base64Packet) };
    case 0x32: // "2" ping
      return hasData ? { type: "ping", data: source.substring(start + 1, end) } : { type: "ping" };
    case 0x33: // "3" pong
      return hasData ? { type: "pong", data: source.substring(start + 1, end) } : { type: "pong" };
    case 0x30: // "0" open
      if (!hasData) throw new DecodeError(EIO3.packet, offsetBase + start + 1, "open packet without handshake data");
      return { type: "open", data: source.substring(start + 1, end) };
    case 0x31: // "1" close
      if (hasData) throw noData("close", offsetBase + start);
      return { type: "close" };
    case 0x35: // "5" upgrade
      if (hasData) throw noData("upgrade", offsetBase + start);
      return { type: "upgrade" };
    case 0x36: // "6" noop
      if (hasData) throw noData("noop", offsetBase + start);
      return { type: "noop" };
    default:
      throw new DecodeError(
        EIO3.packet,
        offsetBase + start,
        `unknown packet type ${describeChar(source.charCodeAt(start))}`,
      );
  }
}

function noData(type: string, at: number): DecodeError {
  return new DecodeError(EIO3.packet, at + 1, `${type} packet carries no data`);
}
