/**
 * The Engine.IO v3 XHR2 binary payload (`Content-Type: application/octet-stream`), used by a
 * polling session that takes binary. Per packet:
 *
 *   marker   0x00 string packet | 0x01 binary packet
 *   length   its decimal digits, one byte each with the value 0-9 (not ASCII), no leading 0
 *   0xFF     end of the length
 *   packet   string: the text form in UTF-8, length in bytes;
 *            binary: type byte 0x04 then the data, length = 1 + data length
 *
 * `["4hello", <01 02 03 04>]` is `00 06 FF 34 68 65 6C 6C 6F 01 05 FF 04 01 02 03 04`.
 */
import { Buffer, isUtf8 } from "node:buffer";
import type { EngineIOv3Packet } from "../../schemas/generated/engine.io/v3/packet.js";
import { DecodeError } from "../errors.js";
import { EIO3 } from "./rules.js";

const STRING_MARKER = 0x00;
const BINARY_MARKER = 0x01;
const LENGTH_END = 0xff;
const BINARY_MESSAGE_TYPE = 0x04;

type RecordEncoder = (packet: EngineIOv3Packet) => string;
type RecordDecoder = (source: string, start: number, end: number, offsetBase: number) => EngineIOv3Packet;

/** Bytes of an XHR2 binary payload holding `packets` (text packets as UTF-8, binary raw). */
export function encodeBinaryPayload(packets: readonly EngineIOv3Packet[], encodeRecord: RecordEncoder): Uint8Array {
  const count = packets.length;
  const texts: (string | undefined)[] = new Array(count);
  const sizes: number[] = new Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const packet = packets[i]!;
    let size: number;
    if (packet.type === "message" && packet.data instanceof Uint8Array) {
      size = packet.data.length + 1;
    } else {
      const text = encodeRecord(packet);
      texts[i] = text;
      size = Buffer.byteLength(text, "utf8");
    }
    sizes[i] = size;
    total += 2 + digitCount(size) + size;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const size = sizes[i]!;
    const text = texts[i];
    out[at++] = text === undefined ? BINARY_MARKER : STRING_MARKER;
    const digits = digitCount(size);
    for (let d = digits - 1, n = size; d >= 0; d--, n = Math.floor(n / 10)) out[at + d] = n % 10;
    at += digits;
    out[at++] = LENGTH_END;
    if (text === undefined) {
      out[at++] = BINARY_MESSAGE_TYPE;
      const data = (packets[i] as { data: Uint8Array }).data;
      out.set(data, at);
      at += data.length;
    } else {
      at += out.write(text, at, "utf8");
    }
  }
  return out;
}

/**
 * The packets of an XHR2 binary payload.
 * @throws DecodeError (byte offsets) on an empty body, a bad marker, a malformed or
 *   overlong length, a length past the end, invalid UTF-8, or a bad packet.
 */
export function decodeBinaryPayload(body: Uint8Array, decodeRecord: RecordDecoder): EngineIOv3Packet[] {
  const length = body.length;
  const rule = EIO3.binaryPayload;
  if (length === 0) throw new DecodeError(rule, 0, "empty payload");
  const packets: EngineIOv3Packet[] = [];
  let i = 0;
  while (i < length) {
    const marker = body[i]!;
    if (marker !== STRING_MARKER && marker !== BINARY_MARKER) {
      throw new DecodeError(rule, i, `packet marker 0x${hex(marker)} is neither 0x00 (string) nor 0x01 (binary)`);
    }
    const digitsStart = ++i;
    let size = 0;
    for (;;) {
      if (i === length) throw new DecodeError(rule, digitsStart, "length not ended by 0xFF");
      const digit = body[i]!;
      if (digit === LENGTH_END) break;
      if (digit > 9) throw new DecodeError(rule, i, `length byte 0x${hex(digit)} is not a digit 0-9`);
      if (size === 0 && i > digitsStart) throw new DecodeError(rule, digitsStart, "length has a leading zero");
      size = size * 10 + digit;
      // Checked at every digit: a length stops as soon as it outgrows the body, long before the
      // 310-digit cap of EIO3-PAYLOAD-07, and before it grows past exact integers.
      if (size > length) throw new DecodeError(rule, digitsStart, "length runs past the end of the payload");
      i++;
    }
    if (i === digitsStart) throw new DecodeError(rule, i, "empty length before 0xFF");
    const start = ++i;
    if (size === 0) throw new DecodeError(rule, digitsStart, "zero-length packet");
    if (start + size > length) {
      throw new DecodeError(
        rule,
        digitsStart,
        `length ${size} runs past the end of the payload (${length - start} left)`,
      );
    }
    const end = start + size;
    if (marker === BINARY_MARKER) {
      if (body[start] !== BINARY_MESSAGE_TYPE) {
        throw new DecodeError(rule, start, `binary packet type byte 0x${hex(body[start]!)} is not 0x04 (message)`);
      }
      packets.push({ type: "message", data: body.subarray(start + 1, end) });
    } else {
      const bytes = Buffer.from(body.buffer, body.byteOffset + start, size);
      if (!isUtf8(bytes)) throw new DecodeError(rule, start, "string packet is not valid UTF-8");
      // Until the first non-ASCII character, code unit offsets equal byte offsets, so errors
      // found in the type digit or in base64 point at the right byte.
      const text = bytes.toString("utf8");
      packets.push(decodeRecord(text, 0, text.length, start));
    }
    i = end;
  }
  return packets;
}

function digitCount(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
