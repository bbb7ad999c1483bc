/**
 * The codec faults of the version 3 path: a v3 wire that writes records, payloads and frames
 * the way a broken (or a v4-minded) server does, and reads them too leniently or too strictly.
 * A v3 session of a mutant server takes its wire from here (the `wire` seam, index.ts).
 */
import * as v3 from "../../../protocol/engine.io/v3.js";
import * as v4 from "../../../protocol/engine.io/v4.js";
import { encodeBase64 } from "../../../protocol/base64.js";
import { DecodeError } from "../../../protocol/errors.js";
import { EIO3 } from "../../../protocol/engine.io/rules.js";
import { BINARY_PAYLOAD, TEXT_PAYLOAD, type Packet, type Wire } from "../../engine/wire.js";
import type { FaultSet } from "./catalogue.js";
import type { V3EngineFault } from "./v3-catalogue.js";

/** The faults this wire carries (any other leaves the reference v3 wire in place). */
const V3_WIRE_FAULTS: readonly V3EngineFault[] = [
  "v3-b64-ignored-on-websocket",
  "v3-binary-frame-untyped",
  "v3-binary-frame-type-unchecked",
  "v3-binary-record-untyped",
  "v3-b4-frame-as-text",
  "v3-records-unprefixed",
  "v3-length-in-bytes",
  "v3-bad-payload-accepted",
  "v3-leading-zero-accepted",
  "v3-empty-payload-refused",
  "v3-binary-lengths-ascii",
  "v3-binary-poll-as-text",
  "v3-text-poll-no-charset",
  "v3-binary-post-as-text",
  "v3-binary-payload-lenient",
  "v3-binary-record-miscounted",
  "v3-record-separator-splits",
  "v3-close-body-v4-framing",
];

const isBinary = (p: Packet): p is Packet & { data: Uint8Array } =>
  p.type === "message" && p.data instanceof Uint8Array;

/** An XHR2 binary payload whose lengths are, under v3-binary-lengths-ascii, ASCII digits instead of digit bytes. */
function binaryPayload(packets: readonly Packet[], asciiDigits: boolean): Uint8Array {
  const out: number[] = [];
  for (const p of packets) {
    const data = isBinary(p) ? [4, ...p.data] : [...Buffer.from(v3.encodeRecord(p), "utf8")];
    const digits = [...String(data.length)].map((d) => (asciiDigits ? d.charCodeAt(0) : Number(d)));
    out.push(isBinary(p) ? 1 : 0, ...digits, 0xff, ...data);
  }
  return new Uint8Array(out);
}

/** The text payload's records, lengths counted as the faults on say. */
function textPayload(packets: readonly Packet[], faults: FaultSet): string {
  const records = packets.map((p) =>
    isBinary(p) && faults.has("v3-binary-record-untyped") ? `b${encodeBase64(p.data)}` : v3.encodeRecord(p),
  );
  // v3-records-unprefixed: a long payload written the v4 way.
  if (records.length >= 3 && faults.has("v3-records-unprefixed")) return records.join("\x1e");
  return records
    .map((record, i) => {
      const p = packets[i]!;
      let length = faults.has("v3-length-in-bytes") ? Buffer.byteLength(record, "utf8") : record.length;
      if (isBinary(p) && faults.has("v3-binary-record-miscounted")) length = p.data.byteLength;
      return `${length}:${record}`;
    })
    .join("");
}

/** v3-leading-zero-accepted: a text payload read with lengths that may have leading zeros, zero-length records skipped. */
function lenientLengths(body: string): Packet[] {
  const out: Packet[] = [];
  let at = 0;
  while (at < body.length) {
    const colon = body.indexOf(":", at);
    const digits = body.slice(at, colon);
    if (colon === -1 || !/^\d+$/.test(digits)) throw new DecodeError(EIO3.textPayload, at, "bad length");
    const size = Number(digits);
    if (colon + 1 + size > body.length) throw new DecodeError(EIO3.textPayload, at, "length past the end");
    if (size > 0) out.push(v3.decodeFrame(body.slice(colon + 1, colon + 1 + size)));
    at = colon + 1 + size;
  }
  return out;
}

/** v3-record-separator-splits: each text message holding 0x1E becomes one message per part. */
function splitAtSeparator(packets: Packet[]): Packet[] {
  return packets.flatMap((p) =>
    p.type === "message" && typeof p.data === "string" && p.data.includes("\x1e")
      ? p.data.split("\x1e").map((data): Packet => ({ type: "message", data }))
      : [p],
  );
}

function faultyV3Wire(faults: FaultSet, supportsBinary: boolean): Wire {
  const on = (f: V3EngineFault) => faults.has(f);
  const decodeText = (body: string): Packet[] => {
    if (body === "0:" && on("v3-empty-payload-refused"))
      throw new DecodeError(EIO3.textPayload, 0, "the empty payload taken for a zero-length record");
    if (on("v3-leading-zero-accepted")) return lenientLengths(body);
    try {
      return v3.decodePayload(body);
    } catch (e) {
      // v3-bad-payload-accepted: the bad payload delivers nothing and the session lives on.
      if (e instanceof DecodeError && on("v3-bad-payload-accepted")) return [];
      throw e;
    }
  };
  const decodeBinary = (body: Uint8Array): Packet[] => {
    if (on("v3-binary-post-as-text")) return decodeText(Buffer.from(body).toString("utf8"));
    try {
      return v3.decodePayload(body);
    } catch (e) {
      if (e instanceof DecodeError && on("v3-binary-payload-lenient")) return [];
      throw e;
    }
  };
  return {
    encodePayload(packets) {
      // v3-close-body-v4-framing: the noop and close after a server close, written as a v4 payload.
      const closing = packets.length >= 2 && packets.at(-1)?.type === "close" && packets.at(-2)?.type === "noop";
      if (closing && on("v3-close-body-v4-framing"))
        return { body: v4.encodePayload(packets), contentType: TEXT_PAYLOAD };
      const binary = supportsBinary && !on("v3-binary-poll-as-text") && packets.some(isBinary);
      if (binary) return { body: binaryPayload(packets, on("v3-binary-lengths-ascii")), contentType: BINARY_PAYLOAD };
      const body = packets.length === 0 ? "0:" : textPayload(packets, faults);
      return { body, contentType: on("v3-text-poll-no-charset") ? "text/plain" : TEXT_PAYLOAD };
    },
    decodePayload(body) {
      const packets = typeof body === "string" ? decodeText(body) : decodeBinary(body);
      return on("v3-record-separator-splits") ? splitAtSeparator(packets) : packets;
    },
    encodeFrame(p) {
      if (isBinary(p)) {
        if (!supportsBinary && !on("v3-b64-ignored-on-websocket")) return `b4${encodeBase64(p.data)}`;
        // v3-binary-frame-untyped: the data alone, without the type byte 0x04.
        if (on("v3-binary-frame-untyped")) return new Uint8Array(p.data);
      }
      return v3.encodeFrame(p);
    },
    decodeFrame(frame) {
      if (typeof frame === "string" && frame.startsWith("b4") && on("v3-b4-frame-as-text"))
        return { type: "message", data: frame };
      if (typeof frame !== "string" && frame.length > 0 && frame[0] !== 4 && on("v3-binary-frame-type-unchecked"))
        return { type: "message", data: frame.subarray(1) };
      return v3.decodeFrame(frame);
    },
  };
}

/** The wire of a v3 session of a server with `faults` on (the reference v3 wire when none of them is a codec fault). */
export function faultyV3WireFor(faults: FaultSet): ((supportsBinary: boolean) => Wire) | undefined {
  if (!V3_WIRE_FAULTS.some((f) => faults.has(f))) return undefined;
  const wires = { binary: faultyV3Wire(faults, true), base64: faultyV3Wire(faults, false) };
  return (supportsBinary) => (supportsBinary ? wires.binary : wires.base64);
}
