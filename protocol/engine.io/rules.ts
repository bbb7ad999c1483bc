/**
 * The spec rule each Engine.IO decode error cites, in one place, so the codecs, the test
 * vectors and the spec stay in step. Every ID here must exist in spec/engine.io-v4.md or
 * spec/engine.io-v3.md (a test checks it).
 */

/** Rules of Engine.IO v4 (spec/engine.io-v4.md) that the v4 codec enforces. */
export const EIO4 = {
  /** A text packet starts with a type digit 0-6 (or `b`); anything else, or nothing, is no packet. */
  packetType: "EIO4-PACKET-05",
  /** The open packet carries the handshake JSON: a bare `0` is a protocol error. */
  openData: "EIO4-PACKET-12",
  /** Close, upgrade and noop carry no data: exactly `1`, `5`, `6`. */
  noData: "EIO4-PACKET-07",
  /** A `b` record holds padded RFC 4648 §4 base64. */
  base64: "EIO4-PAYLOAD-03",
  /** A payload is one or more non-empty records joined by 0x1E, none before the first or after the last. */
  payloadRecords: "EIO4-PAYLOAD-04",
  /** A sender never puts 0x1E inside the text data of a polling payload. */
  payloadSeparatorInData: "EIO4-PAYLOAD-05",
} as const;

/** Rules of Engine.IO v3 (spec/engine.io-v3.md) that the v3 codec enforces. */
export const EIO3 = {
  /** Packet types and text form as in v4: type digit 0-6, open carries data, close/upgrade/noop none. */
  packet: "EIO3-PACKET-01",
  /** A binary WebSocket frame is the type byte 0x04 then the data. */
  binaryFrame: "EIO3-PACKET-02",
  /** Base64 form of a binary message: `b4` + padded RFC 4648 §4 base64. */
  base64Packet: "EIO3-PACKET-03",
  /** A text payload is `<length>:<packet>` records; any fault rejects the whole payload. */
  textPayload: "EIO3-PAYLOAD-03",
  /** The XHR2 binary payload: marker, 1-310 length digit bytes without a leading zero, 0xFF, packet. */
  binaryPayload: "EIO3-PAYLOAD-07",
} as const;
