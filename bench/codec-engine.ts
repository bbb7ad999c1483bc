/**
 * Engine.IO codec cases for the codec benchmark (bench/codec.ts runs them): ours
 * (protocol/engine.io/v4.ts, v3.ts) against the official engine.io-parser@5 (v4) and
 * engine.io-parser@2 (v3, installed as engine.io-parser-v3). Same input, same work, and both
 * sides' results are checked equal once before anything is timed.
 */
import { createRequire } from "node:module";
import { deepStrictEqual } from "node:assert";
import * as official from "engine.io-parser";
import * as v4 from "../protocol/engine.io/v4.js";
import * as v3 from "../protocol/engine.io/v3.js";
import type { BenchCase } from "./codec.js";

type OfficialPacket = { type: string; data?: unknown };
const require = createRequire(import.meta.url);
const officialV3 = require("engine.io-parser-v3") as {
  encodePacket(packet: OfficialPacket, supportsBinary: boolean, cb: (out: string | Buffer) => void): void;
  decodePacket(data: string | Buffer): OfficialPacket;
  encodePayload(packets: OfficialPacket[], supportsBinary: boolean, cb: (out: string | Buffer) => void): void;
  decodePayload(data: string | Buffer, cb: (packet: OfficialPacket) => unknown): void;
};

const bytes = (n: number, seed: number) =>
  Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

const small: v4.EngineIOv4Packet = { type: "message", data: "hello" };
const batch: v4.EngineIOv4Packet[] = Array.from({ length: 100 }, (_, i) => ({
  type: "message",
  data: `42["chat","message number ${i} é"]`,
}));
const binaryBody = bytes(1024, 7);
const binaryPolling: v4.EngineIOv4Packet[] = [
  { type: "message", data: "hello" },
  { type: "message", data: binaryBody },
  { type: "message", data: bytes(64, 3) },
];
const wsBinary: v4.EngineIOv4Packet = { type: "message", data: binaryBody };

const batchBody = v4.encodePayload(batch);
const binaryPollingBody = v4.encodePayload(binaryPolling);
const v3Batch = batch as v3.EngineIOv3Packet[];
const v3TextBody = v3.encodePayload(v3Batch, { binary: false }) as string;
const v3Binary = binaryPolling as v3.EngineIOv3Packet[];
const v3XhrBody = Buffer.from(v3.encodePayload(v3Binary, { binary: true }) as Uint8Array);
const v3Base64Body = v3.encodePayload(v3Binary, { binary: false }) as string;
const v3Frame = Buffer.from(v3.encodeFrame(wsBinary) as Uint8Array);

function officialEncode(packet: OfficialPacket, supportsBinary: boolean): unknown {
  let out: unknown;
  official.encodePacket(packet as never, supportsBinary, (encoded: unknown) => (out = encoded));
  return out;
}

function officialEncodePayload(packets: OfficialPacket[]): unknown {
  let out: unknown;
  official.encodePayload(packets as never, (encoded: string) => (out = encoded));
  return out;
}

function officialV3Payload(body: string | Buffer): OfficialPacket[] {
  const packets: OfficialPacket[] = [];
  officialV3.decodePayload(body, (packet) => {
    packets.push(packet);
  });
  return packets;
}

function officialV3EncodePayload(packets: OfficialPacket[], binary: boolean): unknown {
  let out: unknown;
  officialV3.encodePayload(packets, binary, (encoded) => (out = encoded));
  return out;
}

/** Text, and bytes as hex, so a Buffer and a Uint8Array with the same content compare equal. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return "bytes:" + Buffer.from(value).toString("hex");
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

function checked(name: string, ours: () => unknown, theirs: () => unknown): BenchCase {
  deepStrictEqual(plain(ours()), plain(theirs()), `bench case "${name}": the two sides do different work`);
  return { name, ours, official: theirs };
}

/** Decode and encode of a small text packet, a batch of 100 messages, binary in polling and a binary WebSocket frame; v3 payloads too. */
export const engineCases: BenchCase[] = [
  checked(
    "engine.io v4 decode small text packet",
    () => v4.decodeFrame("4hello"),
    () => official.decodePacket("4hello"),
  ),
  checked(
    "engine.io v4 encode small text packet",
    () => v4.encodeFrame(small),
    () => officialEncode(small, true),
  ),
  checked(
    "engine.io v4 decode batch of 100 messages",
    () => v4.decodePayload(batchBody),
    () => official.decodePayload(batchBody),
  ),
  checked(
    "engine.io v4 encode batch of 100 messages",
    () => v4.encodePayload(batch),
    () => officialEncodePayload(batch),
  ),
  checked(
    "engine.io v4 decode binary in polling (1 KiB)",
    () => v4.decodePayload(binaryPollingBody),
    () => official.decodePayload(binaryPollingBody),
  ),
  checked(
    "engine.io v4 encode binary in polling (1 KiB)",
    () => v4.encodePayload(binaryPolling),
    () => officialEncodePayload(binaryPolling),
  ),
  checked(
    "engine.io v4 decode binary ws frame",
    () => v4.decodeFrame(binaryBody),
    () => official.decodePacket(binaryBody),
  ),
  checked(
    "engine.io v4 encode binary ws frame",
    () => v4.encodeFrame(wsBinary),
    () => officialEncode(wsBinary, true),
  ),
  checked(
    "engine.io v3 decode text payload of 100 messages",
    () => v3.decodePayload(v3TextBody),
    () => officialV3Payload(v3TextBody),
  ),
  checked(
    "engine.io v3 encode text payload of 100 messages",
    () => v3.encodePayload(v3Batch, { binary: false }),
    () => officialV3EncodePayload(v3Batch, false),
  ),
  checked(
    "engine.io v3 decode base64 payload (1 KiB)",
    () => v3.decodePayload(v3Base64Body),
    () => officialV3Payload(v3Base64Body),
  ),
  checked(
    "engine.io v3 decode XHR2 binary payload (1 KiB)",
    () => v3.decodePayload(v3XhrBody),
    () => officialV3Payload(v3XhrBody),
  ),
  checked(
    "engine.io v3 encode XHR2 binary payload (1 KiB)",
    () => v3.encodePayload(v3Binary, { binary: true }),
    () => officialV3EncodePayload(v3Binary, true),
  ),
  checked(
    "engine.io v3 decode binary ws frame",
    () => v3.decodeFrame(v3Frame),
    () => officialV3.decodePacket(v3Frame),
  ),
  checked(
    "engine.io v3 encode binary ws frame",
    () => v3.encodeFrame(wsBinary),
    () => officialV3Encode(wsBinary),
  ),
];

function officialV3Encode(packet: OfficialPacket): unknown {
  let out: unknown;
  officialV3.encodePacket(packet, true, (encoded) => (out = encoded));
  return out;
}
