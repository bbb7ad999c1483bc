/**
 * The one place where the session core meets the bytes: per protocol version, how packets
 * become a polling payload or a WebSocket frame and back. The codecs in protocol/ do the work;
 * this file only picks the version and the binary mode of the session.
 */
import * as v4 from "../../protocol/engine.io/v4.js";
import * as v3 from "../../protocol/engine.io/v3.js";
import { encodeBase64 } from "../../protocol/base64.js";
import { DecodeError } from "../../protocol/errors.js";
import type { EngineIOv4Packet } from "../../schemas/generated/engine.io/v4/packet.js";

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

/** The Content-Type of a text payload (every v4 payload, EIO4-POLLING-18). */
export const TEXT_PAYLOAD = "text/plain; charset=UTF-8";
/** The Content-Type of an XHR2 binary payload (v3 only). */
export const BINARY_PAYLOAD = "application/octet-stream";

/** v4: text payloads whatever they hold, binary frames for binary messages. */
const v4Wire: Wire = {
  encodePayload: (packets) => ({ body: v4.encodePayload(packets), contentType: TEXT_PAYLOAD }),
  decodePayload(body) {
    if (typeof body !== "string") throw new DecodeError("EIO4-PAYLOAD-09", 0, "binary body in a v4 payload");
    return v4.decodePayload(body);
  },
  encodeFrame: (p) => v4.encodeFrame(p),
  decodeFrame: (frame) => v4.decodeFrame(frame),
};

function v3Wire(supportsBinary: boolean): Wire {
  return {
    encodePayload(packets) {
      const body = v3.encodePayload(packets, { binary: supportsBinary });
      return { body, contentType: typeof body === "string" ? TEXT_PAYLOAD : BINARY_PAYLOAD };
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

// A wire holds no session state, so sessions of the same version and binary mode share one.
const v3Wires = { binary: v3Wire(true), base64: v3Wire(false) };

/**
 * The wire of a session (shared by every session with the same arguments).
 * @param supportsBinary v3 only: false when the client sent `b64=1` (binary goes as base64 text).
 */
export function wireFor(protocol: 3 | 4, supportsBinary: boolean): Wire {
  if (protocol === 4) return v4Wire;
  return supportsBinary ? v3Wires.binary : v3Wires.base64;
}
