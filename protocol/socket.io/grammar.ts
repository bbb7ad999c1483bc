/**
 * The text grammar both Socket.IO versions share:
 * `<type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]`.
 * Parsing walks the text once by char code (no regular expressions); only the payload goes
 * through JSON.parse. What a payload may hold differs per version, so each version passes a
 * {@link Profile} that checks it.
 */
import { DecodeError } from "../errors.js";
import { checkPlaceholders, deconstruct, type PlaceholderSlot } from "./binary.js";
import type { SocketIORules } from "./rules.js";

/** Packet type names, indexed by their digit. */
export const PACKET_TYPES = [
  "CONNECT",
  "DISCONNECT",
  "EVENT",
  "ACK",
  "CONNECT_ERROR",
  "BINARY_EVENT",
  "BINARY_ACK",
] as const;

/** Event names a sender must not use (they mean something to the libraries on each side). */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

/**
 * True for the common valid EVENT payload: an array whose first element is a non-reserved
 * string or a finite number. It accepts nothing the eventArguments schemas refuse, so a codec
 * runs its schema validator only when this says no (to accept the rare rest, or word the error).
 */
export function isCommonEventPayload(data: unknown): boolean {
  if (!Array.isArray(data) || data.length === 0) return false;
  const name: unknown = data[0];
  return typeof name === "string" ? !RESERVED_EVENTS.has(name) : typeof name === "number" && Number.isFinite(name);
}

/** A packet type name. */
export type PacketTypeName = (typeof PACKET_TYPES)[number];

/** The fields any Socket.IO packet may have; each version narrows it to its generated type. */
export interface RawPacket {
  type: PacketTypeName;
  nsp: string;
  id?: number;
  attachments?: number;
  data?: unknown;
}

/** What differs between protocol versions: rule IDs and the per-type payload check. */
export interface Profile {
  readonly rules: SocketIORules;
  /**
   * Throws a DecodeError when the payload does not fit the packet type. `data` is undefined
   * when the text has no payload; `offset` is where the payload starts (or the text's end).
   */
  checkPayload(type: number, data: unknown, offset: number): void;
}

/** Decoder options. */
export interface DecodeOptions {
  /** Largest attachment count accepted on a binary packet (default 10, as the official parser). */
  maxAttachments?: number;
}

/** Default for {@link DecodeOptions.maxAttachments}. */
export const DEFAULT_MAX_ATTACHMENTS = 10;

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DASH = 0x2d;
const SLASH = 0x2f;
// 2^53-1 has 16 digits; a longer run of digits is always out of range.
const MAX_ID_DIGITS = 16;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

function isLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Where JSON.parse says it failed, if its message says so (`... at position 12`). */
function jsonErrorPosition(error: unknown, length: number): number | undefined {
  const message = error instanceof Error ? error.message : "";
  if (message.indexOf("end of JSON input") >= 0) return length;
  const at = message.indexOf("position ");
  if (at < 0) return undefined;
  const n = parseInt(message.slice(at + 9), 10);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Parses one packet's text. Placeholders of a binary packet stay in place but are checked
 * against the attachment count; when `found` is given, it receives where they sit (undefined
 * for a packet without attachments), so the Decoder can put the attachments back without a
 * second walk. Throws DecodeError citing the broken rule.
 */
export function parseText(
  text: string,
  profile: Profile,
  maxAttachments: number,
  found?: { slots: PlaceholderSlot[] | undefined },
): RawPacket {
  const rules = profile.rules;
  const length = text.length;
  if (length === 0) throw new DecodeError(rules.type, 0, "empty message: no packet type");
  const typeCode = text.charCodeAt(0) - DIGIT_0;
  if (typeCode < 0 || typeCode > 6) {
    throw new DecodeError(rules.type, 0, `packet type must be one digit 0-6, got ${JSON.stringify(text[0])}`);
  }
  const binary = typeCode === 5 || typeCode === 6;
  let i = 1;

  let attachments: number | undefined;
  if (binary) {
    const start = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    if (i === start || i >= length || text.charCodeAt(i) !== DASH) {
      throw new DecodeError(rules.attachments, start, "binary packet needs an attachment count followed by '-'");
    }
    if (text.charCodeAt(start) === DIGIT_0) {
      throw new DecodeError(rules.attachments, start, "attachment count must be at least 1, without leading zeros");
    }
    // Compare digit counts first so a huge count never becomes a lossy number.
    const digits = i - start;
    const count = digits > 15 ? Infinity : Number(text.slice(start, i));
    if (count > maxAttachments) {
      throw new DecodeError(
        rules.attachmentLimit,
        start,
        `attachment count ${text.slice(start, i)} above the limit of ${maxAttachments}`,
      );
    }
    attachments = count;
    i++; // the '-'
  }

  let nsp = "/";
  if (i < length && text.charCodeAt(i) === SLASH) {
    const comma = text.indexOf(",", i);
    const end = comma < 0 ? length : comma;
    nsp = text.slice(i, end);
    i = comma < 0 ? length : comma + 1;
  }

  let id: number | undefined;
  const idStart = i;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  if (i > idStart) {
    if (!binary && i < length && text.charCodeAt(i) === DASH && idStart === 1) {
      throw new DecodeError(
        rules.attachments,
        idStart,
        `an attachment count is allowed only on types 5 and 6, not ${typeCode}`,
      );
    }
    if (typeCode === 0 || typeCode === 1 || typeCode === 4) {
      throw new DecodeError(rules.ackIdNotAllowed, idStart, `${PACKET_TYPES[typeCode]} carries no ack id`);
    }
    if (text.charCodeAt(idStart) === DIGIT_0 && i - idStart > 1) {
      throw new DecodeError(rules.ackId, idStart, "ack id has a leading zero");
    }
    const value = i - idStart > MAX_ID_DIGITS ? Infinity : Number(text.slice(idStart, i));
    if (value > Number.MAX_SAFE_INTEGER) {
      throw new DecodeError(rules.ackId, idStart, "ack id above 2^53-1");
    }
    id = value;
  }

  let data: unknown;
  const payloadStart = i;
  if (i < length) {
    const first = text.charCodeAt(i);
    // `2admin,[...]`: a namespace without its `/` would otherwise read as bad JSON.
    if (i === 1 && isLetter(first) && text.indexOf(",") > 0) {
      throw new DecodeError(rules.namespace, i, "namespace must start with '/'");
    }
    // `2-1[...]`: a sign where an ack id may stand.
    if (first === DASH && i === idStart && typeCode !== 0 && typeCode !== 1 && typeCode !== 4) {
      throw new DecodeError(rules.ackId, i, "ack id has a sign");
    }
    if (isJsonSpace(first) || isJsonSpace(text.charCodeAt(length - 1))) {
      const at = isJsonSpace(first) ? i : length - 1;
      throw new DecodeError(rules.json, at, "whitespace around the JSON payload");
    }
    try {
      data = JSON.parse(text.slice(i));
    } catch (error) {
      const position = jsonErrorPosition(error, length - i);
      throw new DecodeError(
        rules.json,
        position === undefined ? i : i + position,
        "payload is not exactly one JSON value",
      );
    }
  }
  if (id === undefined && (typeCode === 3 || typeCode === 6)) {
    throw new DecodeError(rules.ackIdRequired, payloadStart, "ACK needs the ack id of the event it answers");
  }
  profile.checkPayload(typeCode, data, payloadStart);
  const slots =
    attachments !== undefined ? checkPlaceholders(data, attachments, rules.placeholder, payloadStart) : undefined;

  const packet: RawPacket = { type: PACKET_TYPES[typeCode] as PacketTypeName, nsp };
  if (id !== undefined) packet.id = id;
  if (attachments !== undefined) packet.attachments = attachments;
  if (data !== undefined) packet.data = data;
  if (found !== undefined) found.slots = slots;
  return packet;
}

/** The digit of each packet type name. */
const TYPE_DIGIT: Record<PacketTypeName, string> = {
  CONNECT: "0",
  DISCONNECT: "1",
  EVENT: "2",
  ACK: "3",
  CONNECT_ERROR: "4",
  BINARY_EVENT: "5",
  BINARY_ACK: "6",
};

const scratch: Uint8Array[] = [];

/** Characters JSON.stringify writes as escapes (quote, backslash, controls, surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON text of a payload: by hand for the usual array of plain strings and finite numbers
 * (the same text JSON.stringify writes, at half its cost), JSON.stringify for anything else.
 */
function stringifyPayload(data: unknown): string {
  if (!Array.isArray(data)) return JSON.stringify(data);
  let out = "[";
  for (let i = 0; i < data.length; i++) {
    const item: unknown = data[i];
    if (i > 0) out += ",";
    if (typeof item === "string" && !NEEDS_ESCAPE.test(item)) out += '"' + item + '"';
    else if (typeof item === "number" && Number.isFinite(item)) out += String(item);
    else return JSON.stringify(data);
  }
  return out + "]";
}

/**
 * Encodes a packet: its text, then its attachments. EVENT/ACK (and BINARY_EVENT/BINARY_ACK)
 * data is walked once; when it holds binary values the packet goes out as type 5/6 with
 * placeholders, otherwise as type 2/3. Any other type is written as given. A namespace other
 * than `/` is always followed by `,`. Throws TypeError for a packet no decoder would accept
 * back (a namespace without a leading `/` or with a `,`, a bad ack id).
 */
export function encodePacket(packet: RawPacket): [string, ...Uint8Array[]] {
  const { type, nsp, id } = packet;
  let digit = TYPE_DIGIT[type];
  if (digit === undefined) throw new TypeError(`unknown packet type ${String(type)}`);
  let data = packet.data;
  let attachments: Uint8Array[] | undefined;
  if (digit === "2" || digit === "3" || digit === "5" || digit === "6") {
    // The shared scratch list saves an allocation per packet without binary; encoding is
    // synchronous, so it is never in use twice at once.
    if (scratch.length !== 0) scratch.length = 0; // left over if a walk threw (cyclic data)
    data = deconstruct(data, scratch);
    const event = digit === "2" || digit === "5";
    if (scratch.length > 0) {
      attachments = scratch.slice();
      scratch.length = 0;
      digit = event ? "5" : "6";
    } else {
      digit = event ? "2" : "3";
    }
  }
  let text = attachments !== undefined ? digit + attachments.length + "-" : digit;
  if (nsp !== "/") {
    if (typeof nsp !== "string" || nsp.charCodeAt(0) !== SLASH || nsp.indexOf(",") >= 0) {
      throw new TypeError(`namespace must start with '/' and hold no ',': ${JSON.stringify(nsp)}`);
    }
    text += nsp + ",";
  }
  if (id !== undefined) {
    if (!Number.isSafeInteger(id) || id < 0) throw new TypeError(`ack id must be an integer in 0..2^53-1: ${id}`);
    text += id;
  }
  if (data !== undefined) text += stringifyPayload(data);
  if (attachments === undefined) return [text];
  attachments.unshift(text as unknown as Uint8Array);
  return attachments as unknown as [string, ...Uint8Array[]];
}
