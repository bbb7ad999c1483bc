/**
 * The codec faults: a v4 wire that reads and writes packets the way a broken server does
 * (lenient base64, skipped records, wrong separators, frames of the wrong kind). Sessions of a
 * mutant server take their wire from here (the `wire` seam); with no codec fault on, they get
 * the reference wire.
 */
import * as v4 from "../../../protocol/engine.io/v4.js";
import { encodeBase64 } from "../../../protocol/base64.js";
import { DecodeError } from "../../../protocol/errors.js";
import { EIO4 } from "../../../protocol/engine.io/rules.js";
import { TEXT_PAYLOAD, type Packet, type Wire } from "../../engine/wire.js";
import type { EngineFault, FaultSet } from "./catalogue.js";

/** Lenient base64 for the base64-lenient fault: whatever Node makes of the text. */
function lenientBase64(record: string): Packet {
  return { type: "message", data: new Uint8Array(Buffer.from(record.slice(1), "base64")) };
}

/**
 * One record or text frame through the decode-level fault switches: packets a conforming
 * server refuses that a mutant lets through.
 */
function faultyRecord(record: string, faults: FaultSet): Packet {
  if (record.startsWith("b") && faults.has("base64-lenient")) return lenientBase64(record);
  // The base64-plus-as-slash fault mixes up the two non-alphanumeric letters of the alphabet.
  if (record.startsWith("b") && faults.has("base64-plus-as-slash")) record = record.replaceAll("+", "/");
  try {
    return v4.decodeFrame(record);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    if (e.rule === EIO4.packetType && faults.has("unknown-type-ignored")) return { type: "noop" };
    if (e.rule === EIO4.noData && faults.has("dataless-data-ignored")) return v4.decodeFrame(record.charAt(0));
    throw e;
  }
}

/** Faults that need the record-by-record decoding path instead of the strict codec. */
const RECORD_FAULTS = [
  "base64-lenient",
  "unknown-type-ignored",
  "dataless-data-ignored",
  "empty-record-skipped",
  "base64-plus-as-slash",
  "bad-record-in-batch-skipped",
  "text-batch-reversed",
  "type-seven-as-message",
  "separator-before-garbage-is-data",
  "batch-astral-mangled",
] as const;

/** The payload-level faults that act on the packets of a whole payload once its records are read. */
function faultyBatch(packets: Packet[], records: number, faults: FaultSet): Packet[] {
  const texts = packets.every((p) => p.type === "message" && typeof p.data === "string");
  if (faults.has("text-batch-reversed") && records >= 3 && records <= 10 && texts) return packets.reverse();
  if (faults.has("batch-astral-mangled") && records > 1) {
    return packets.map((p) =>
      p.type === "message" && typeof p.data === "string"
        ? { ...p, data: p.data.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "\uFFFD") }
        : p,
    );
  }
  return packets;
}

function faultyV4Wire(faults: FaultSet): Wire {
  const separator = faults.has("wrong-separator") ? "\n" : "\x1e";
  const typeDigit = faults.has("binary-record-with-type-digit");
  const tolerant = RECORD_FAULTS.some((f) => faults.has(f));
  const base64Frames = faults.has("binary-frame-as-base64");
  const typeByte = faults.has("binary-frame-type-byte");
  const rejectBFrames = faults.has("b-text-frame-rejected");
  // The base64-like-text-untyped fault writes a text message that reads as a `b` record without its type digit.
  const untyped = faults.has("base64-like-text-untyped");
  const sniffText = faults.has("binary-frame-sniffed-as-text");
  const encodeRecord = (p: Packet): string => {
    if (typeDigit && p.type === "message" && p.data instanceof Uint8Array) return "b4" + encodeBase64(p.data);
    if (untyped && p.type === "message" && typeof p.data === "string" && /^b[A-Za-z0-9+/]*={0,2}$/.test(p.data))
      return p.data;
    return v4.encodeRecord(p);
  };
  return {
    encodePayload(packets) {
      // The separator-before-garbage-is-data fault writes a 0x1E in message data as it is, as the strict codec would refuse to.
      const raw = separator !== "\x1e" || typeDigit || untyped || faults.has("separator-before-garbage-is-data");
      const body = raw ? packets.map(encodeRecord).join(separator) : v4.encodePayload(packets);
      return { body, contentType: TEXT_PAYLOAD };
    },
    decodePayload(body) {
      if (typeof body !== "string") throw new DecodeError("EIO4-PAYLOAD-09", 0, "binary body in a v4 payload");
      if (!tolerant) return v4.decodePayload(body);
      const out: Packet[] = [];
      let offset = 0;
      const records = body.split("\x1e");
      for (const record of records) {
        if (record === "") {
          if (!faults.has("empty-record-skipped"))
            throw new DecodeError(EIO4.payloadRecords, offset, "empty record", out);
        } else {
          try {
            // The type-seven-as-message fault knows an eighth packet type in payloads: `7` is a message too.
            out.push(
              record.startsWith("7") && faults.has("type-seven-as-message")
                ? { type: "message", data: record.slice(1) }
                : faultyRecord(record, faults),
            );
          } catch (e) {
            const last = out[out.length - 1];
            // The separator-before-garbage-is-data fault takes a 0x1E before a record that is no packet for data of the text message before it.
            if (
              e instanceof DecodeError &&
              faults.has("separator-before-garbage-is-data") &&
              last?.type === "message" &&
              typeof last.data === "string"
            ) {
              out[out.length - 1] = { ...last, data: `${last.data}\x1e${record}` };
            } else if (e instanceof DecodeError && faults.has("bad-record-in-batch-skipped") && body.includes("\x1e")) {
              // The bad-record-in-batch-skipped fault passes over a bad record of a payload of several records.
            } else if (e instanceof DecodeError)
              throw new DecodeError(e.rule, offset + e.offset, e.reason, faultyBatch(out, records.length, faults));
            else throw e;
          }
        }
        offset += record.length + 1;
      }
      return faultyBatch(out, records.length, faults);
    },
    encodeFrame(p) {
      if (base64Frames && p.type === "message" && p.data instanceof Uint8Array) return "b" + encodeBase64(p.data);
      // The binary-frame-type-byte fault writes word-sized binary messages with the v3 type byte 0x04 in front.
      if (
        typeByte &&
        p.type === "message" &&
        p.data instanceof Uint8Array &&
        p.data.byteLength > 0 &&
        p.data.byteLength % 4 === 0
      )
        return new Uint8Array([4, ...p.data]);
      return v4.encodeFrame(p);
    },
    decodeFrame(frame) {
      // The binary-frame-sniffed-as-text fault reads a binary frame that starts with a type digit as the text packet it spells.
      if (typeof frame !== "string" && sniffText && frame.byteLength > 0 && frame[0]! >= 0x30 && frame[0]! <= 0x36)
        return v4.decodeFrame(Buffer.from(frame).toString("utf8"));
      if (typeof frame !== "string") return v4.decodeFrame(frame);
      if (rejectBFrames && frame.startsWith("b")) throw new DecodeError(EIO4.packetType, 0, "b is no packet type");
      return tolerant ? faultyRecord(frame, faults) : v4.decodeFrame(frame);
    },
  };
}

/** The faults this wire carries (any other leaves the reference wire in place). */
const WIRE_FAULTS: readonly EngineFault[] = [
  ...RECORD_FAULTS,
  "wrong-separator",
  "binary-record-with-type-digit",
  "binary-frame-as-base64",
  "binary-frame-type-byte",
  "b-text-frame-rejected",
  "base64-like-text-untyped",
  "binary-frame-sniffed-as-text",
];

/** The wire of the v4 sessions of a server with `faults` on (one per server; it holds no session state), or undefined when no codec fault is on. */
export function faultyWire(faults: FaultSet): Wire | undefined {
  return WIRE_FAULTS.some((f) => faults.has(f)) ? faultyV4Wire(faults) : undefined;
}
