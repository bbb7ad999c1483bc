/**
 * Socket.IO v5 packet texts as the suite reads them: the header (type digit, attachment count,
 * namespace, ack id) is compared byte for byte, the payload as a JSON value. Servers in other
 * languages spell the same value differently (python writes `é` as `\u00e9`, Go sorts object
 * keys); SIO5-PACKET-02 makes those spellings equal, so only SIO5-PACKET-09 (a SHOULD) sees them.
 */
import { show } from "../case.js";
import { DecodeError } from "../../protocol/errors.js";
import { Decoder, type SocketIOv5Packet } from "../../protocol/socket.io/v5.js";

/**
 * One Engine.IO message of a Socket.IO session: text in the spec's notation, with the Engine.IO
 * message type in front (`42["a"]` is the Socket.IO packet `2["a"]`), or the bytes of a binary
 * message (an attachment).
 */
export type Message = string | Uint8Array;

/** A packet text split into its parts, read leniently: a text that breaks the grammar still gives what it can. */
export interface PacketText {
  /** The whole text, e.g. `42/custom,12["a"]`. */
  text: string;
  /** The packet type digit, or undefined when the text has none. */
  type: number | undefined;
  /** The attachment count of types 5 and 6. */
  attachments?: number;
  /** The namespace, `/` when the text names none. */
  nsp: string;
  /** False when a namespace other than `/` is not followed by its `,` (SIO5-NAMESPACE-01). */
  comma: boolean;
  /** The ack id. */
  id?: number;
  /** Everything before the payload, compared byte for byte: `42/custom,12`. */
  head: string;
  /** The payload text, `""` when there is none. */
  payload: string;
  /** The payload as a JSON value; undefined when there is no payload or it is no JSON. */
  data?: unknown;
  /** True when the payload text is one JSON value (leading and trailing whitespace allowed). */
  json: boolean;
}

// type, `N-`, namespace (to the first `,`, or to the end of the text), ack id, payload.
const PACKET = /^4([0-9])(?:([0-9]+)-)?(\/[^,]*,?)?([0-9]*)([\s\S]*)$/;

/**
 * Splits a packet text (with its Engine.IO `4`) into header and payload.
 * @example `readPacketText('43/custom,12["x"]')` gives type 3, nsp `/custom`, id 12, data `["x"]`.
 */
export function readPacketText(text: string): PacketText {
  const m = PACKET.exec(text);
  if (!m)
    return {
      text,
      type: undefined,
      nsp: "/",
      comma: true,
      head: text.slice(0, 2),
      payload: text.slice(2),
      json: false,
    };
  const [, type, count, nspPart, id, payload] = m as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
    string,
    string,
  ];
  const head = text.slice(0, text.length - payload.length);
  const out: PacketText = {
    text,
    type: Number(type),
    nsp: nspPart ? nspPart.replace(/,$/, "") : "/",
    comma: !nspPart || nspPart.endsWith(","),
    head,
    payload,
    json: false,
  };
  if (count !== undefined) out.attachments = Number(count);
  if (id !== "") out.id = Number(id);
  if (payload.trim() !== "") {
    try {
      out.data = JSON.parse(payload);
      out.json = true;
    } catch {
      // Not JSON: `data` stays undefined and `json` false; the caller judges.
    }
  }
  return out;
}

/** Equal JSON values: object keys in any order, numbers by value, bytes by content. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.byteLength !== b.byteLength) return false;
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((v, i) => sameJson(v, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/**
 * True when a server's packet carries a recovery offset as its last argument: with recovery on,
 * every event that asks for no ack does (SIO5-RECOVERY-02).
 */
export function offsetApplies(recovery: boolean, t: PacketText): boolean {
  return recovery && (t.type === 2 || t.type === 5) && t.id === undefined;
}

/**
 * `values` without the offset a server added as the last element, compared with `expected`: a
 * trailing string goes when it is one element too many, or when `expected` does not end with a
 * string (an element lost and an offset added look alike by their length alone).
 */
export function withoutOffset(values: readonly unknown[], expected: readonly unknown[]): unknown[] {
  const last = values[values.length - 1];
  if (typeof last !== "string") return [...values];
  const extra = values.length === expected.length + 1 || typeof expected[expected.length - 1] !== "string";
  return extra ? values.slice(0, -1) : [...values];
}

/** Messages on one line for failures and the transcript. */
export function showMessages(messages: readonly Message[]): string {
  return messages.map((m) => show(m)).join(" ");
}

/** One packet as received: its text, the attachments that followed it, and what they decode to. */
export interface Received {
  text: PacketText;
  attachments: Uint8Array[];
  /** The packet decoded strictly, attachments in place; undefined when it does not decode. */
  packet?: SocketIOv5Packet;
  /** Why it does not decode (the error cites the rule it breaks). */
  error?: DecodeError;
}

/**
 * Reads the packet that starts at `items[i]` (a text) with the attachments its header announces:
 * the packet and how many messages it spans, or undefined while announced attachments are still
 * to come. A text that announces more attachments than binary messages follow it spans itself only.
 */
export function readPacketAt(items: readonly Message[], i: number): { received: Received; count: number } | undefined {
  const text = readPacketText(items[i] as string);
  const wanted = text.type === 5 || text.type === 6 ? (text.attachments ?? 0) : 0;
  const attachments: Uint8Array[] = [];
  for (let k = 1; k <= wanted; k++) {
    const m = items[i + k];
    if (m === undefined) return undefined;
    if (typeof m === "string") break;
    attachments.push(m);
  }
  const received: Received = { text, attachments };
  try {
    const decoder = new Decoder();
    let packet = decoder.add(text.text.slice(1));
    for (const a of attachments) packet = decoder.add(a);
    if (packet) received.packet = packet;
    else
      received.error = new DecodeError(
        "SIO5-BINARY-03",
        0,
        `${attachments.length} of ${wanted} attachments before the next text`,
      );
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    received.error = err;
  }
  return { received, count: 1 + attachments.length };
}

/**
 * `value` with every string in it (object keys too) replaced by its UTF-8 bytes read as Latin-1:
 * what comes back from a server that decodes incoming text with the wrong charset.
 */
export function asLatin1(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("latin1");
  if (Array.isArray(value)) return value.map(asLatin1);
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [asLatin1(k) as string, asLatin1(v)]));
}

/** True when `got` is `want` with its non-ASCII text garbled as {@link asLatin1} does. */
export function garbledAsLatin1(got: unknown, want: unknown): boolean {
  return !sameJson(got, want) && sameJson(got, asLatin1(want));
}

/** True for a placeholder object `{"_placeholder":true,"num":N}` anywhere in `value`. */
export function holdsPlaceholder(value: unknown): boolean {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return false;
  if ((value as { _placeholder?: unknown })._placeholder === true) return true;
  return Object.values(value).some(holdsPlaceholder);
}
