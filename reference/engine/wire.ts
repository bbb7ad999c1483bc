/**
 * The one place where the session core meets the bytes: per protocol version, how packets
 * become a polling payload or a WebSocket frame and back. The codecs in protocol/ do the work;
 * this file only picks the version, the binary mode of the session, and the codec-level
 * fault switches.
 */
import * as v4 from "../../protocol/engine.io/v4.js";
import * as v3 from "../../protocol/engine.io/v3.js";
import { encodeBase64 } from "../../protocol/base64.js";
import { DecodeError } from "../../protocol/errors.js";
import { EIO4 } from "../../protocol/engine.io/rules.js";
import type { EngineIOv4Packet } from "../../schemas/generated/engine.io/v4/packet.js";
import type { FaultSet } from "./faults.js";

/** A packet of either version (both share one shape). */
export type Packet = EngineIOv4Packet;

/** An encoded polling payload and the Content-Type it is served with. */
export interface EncodedPayload {
  body: string | Uint8Array;
  contentType: string;
}

/** Packet <-> bytes for one session. */
export interface Wire {
  encodePayload(packets: readonly Packet[]): EncodedPayload;
  /** Throws DecodeError; its `partial` holds the packets before the bad record. */
  decodePayload(body: string | Uint8Array): Packet[];
  encodeFrame(packet: Packet): string | Uint8Array;
  /** Throws DecodeError. */
  decodeFrame(frame: string | Uint8Array): Packet;
}

const TEXT = "text/plain; charset=UTF-8";
const BINARY = "application/octet-stream";

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
const RECORD_FAULTS = ["base64-lenient", "unknown-type-ignored", "dataless-data-ignored", "empty-record-skipped"] as const;

function v4Wire(faults: FaultSet): Wire {
  const separator = faults.has("wrong-separator") ? "\n" : "\x1e";
  const typeDigit = faults.has("binary-record-with-type-digit");
  const tolerant = RECORD_FAULTS.some((f) => faults.has(f));
  const base64Frames = faults.has("binary-frame-as-base64");
  const rejectBFrames = faults.has("b-text-frame-rejected");
  const encodeRecord = (p: Packet): string =>
    typeDigit && p.type === "message" && p.data instanceof Uint8Array ? "b4" + encodeBase64(p.data) : v4.encodeRecord(p);
  return {
    encodePayload(packets) {
      const body = separator === "\x1e" && !typeDigit ? v4.encodePayload(packets) : packets.map(encodeRecord).join(separator);
      return { body, contentType: TEXT };
    },
    decodePayload(body) {
      if (typeof body !== "string") throw new DecodeError("EIO4-PAYLOAD-09", 0, "binary body in a v4 payload");
      if (!tolerant) return v4.decodePayload(body);
      const out: Packet[] = [];
      let offset = 0;
      for (const record of body.split("\x1e")) {
        if (record === "") {
          if (!faults.has("empty-record-skipped")) throw new DecodeError(EIO4.payloadRecords, offset, "empty record", out);
        } else {
          try {
            out.push(faultyRecord(record, faults));
          } catch (e) {
            if (e instanceof DecodeError) throw new DecodeError(e.rule, offset + e.offset, e.reason, out);
            throw e;
          }
        }
        offset += record.length + 1;
      }
      return out;
    },
    encodeFrame(p) {
      if (base64Frames && p.type === "message" && p.data instanceof Uint8Array) return "b" + encodeBase64(p.data);
      return v4.encodeFrame(p);
    },
    decodeFrame(frame) {
      if (typeof frame !== "string") return v4.decodeFrame(frame);
      if (rejectBFrames && frame.startsWith("b")) throw new DecodeError(EIO4.packetType, 0, "b is no packet type");
      return tolerant ? faultyRecord(frame, faults) : v4.decodeFrame(frame);
    },
  };
}

function v3Wire(supportsBinary: boolean): Wire {
  return {
    encodePayload(packets) {
      const body = v3.encodePayload(packets, { binary: supportsBinary });
      return { body, contentType: typeof body === "string" ? TEXT : BINARY };
    },
    decodePayload: (body) => v3.decodePayload(body),
    encodeFrame(p) {
      // A b64 client cannot take binary frames: its binary messages travel as `b4<base64>` text.
      if (!supportsBinary && p.type === "message" && p.data instanceof Uint8Array) return "b4" + encodeBase64(p.data);
      return v3.encodeFrame(p);
    },
    decodeFrame: (frame) => v3.decodeFrame(frame),
  };
}

// A wire holds no session state, so sessions of the same version, binary mode and fault set share one.
const v3Wires = { binary: v3Wire(true), base64: v3Wire(false) };
const v4Wires = new WeakMap<FaultSet, Wire>();

/**
 * The wire of a session (shared by every session with the same arguments).
 * @param supportsBinary v3 only: false when the client sent `b64=1` (binary goes as base64 text).
 */
export function wireFor(protocol: 3 | 4, supportsBinary: boolean, faults: FaultSet): Wire {
  if (protocol === 3) return supportsBinary ? v3Wires.binary : v3Wires.base64;
  let wire = v4Wires.get(faults);
  if (!wire) {
    wire = v4Wire(faults);
    v4Wires.set(faults, wire);
  }
  return wire;
}
