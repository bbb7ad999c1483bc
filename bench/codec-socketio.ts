/**
 * Socket.IO codec cases for the codec benchmark (bench/codec.ts runs them): ours
 * (protocol/socket.io/v5.ts) against the official socket.io-parser@4, same inputs, same work.
 * Decoding goes through a per-connection Decoder on both sides, as a server would use it.
 */
import { Decoder as OfficialDecoder, Encoder as OfficialEncoder, PacketType } from "socket.io-parser";
import * as v5 from "../protocol/socket.io/v5.js";
import type { SocketIOv5Packet } from "../schemas/generated/socket.io/v5/packet.js";
import type { BenchCase } from "./codec.js";

const nested = {
  user: { id: 12345, name: "Ada Lovelace", roles: ["admin", "editor"], active: true },
  items: Array.from({ length: 8 }, (_, i) => ({
    id: i,
    title: `item ${i}`,
    price: i * 1.25,
    tags: ["a", "b"],
    meta: { w: i, h: i * 2 },
  })),
  note: "h\u00e9llo \u4e16\u754c",
};

const small: SocketIOv5Packet = { type: "EVENT", nsp: "/", data: ["chat", "hello"] };
const big: SocketIOv5Packet = { type: "EVENT", nsp: "/", data: ["update", nested] };
const withAck: SocketIOv5Packet = { type: "EVENT", nsp: "/admin", id: 42, data: ["save", { doc: "x", rev: 7 }] };
const binaryData: [unknown, ...unknown[]] = [
  "upload",
  { name: "a.bin", body: new Uint8Array(256).fill(7) },
  new Uint8Array(64).fill(1),
];
const binary: SocketIOv5Packet = { type: "EVENT", nsp: "/", data: binaryData };

const officialEncoder = new OfficialEncoder();
const officialPacket = (p: { nsp: string; id?: number; data: unknown[] }) => ({
  type: PacketType.EVENT,
  nsp: p.nsp,
  id: p.id,
  data: p.data,
});

const ourDecoder = new v5.Decoder();
const officialDecoder = new OfficialDecoder();
let officialLast: unknown;
officialDecoder.on("decoded", (packet: unknown) => {
  officialLast = packet;
});

/** Feeds one encoded packet (text + attachments) to each side's decoder; returns the packet. */
function decodeOurs(messages: readonly (string | Uint8Array)[]): unknown {
  let out: unknown;
  for (const m of messages) out = ourDecoder.add(m);
  return out;
}
function decodeOfficial(messages: readonly (string | Uint8Array)[]): unknown {
  for (const m of messages) officialDecoder.add(m);
  return officialLast;
}

function pair(name: string, packet: SocketIOv5Packet & { data: unknown[]; id?: number }): BenchCase[] {
  const wire = v5.encode(packet);
  return [
    { name: `socket.io decode ${name}`, ours: () => decodeOurs(wire), official: () => decodeOfficial(wire) },
    {
      name: `socket.io encode ${name}`,
      ours: () => v5.encode(packet),
      official: () => officialEncoder.encode(officialPacket(packet)),
    },
  ];
}

/** decode + encode of: a small event, a ~1 KB nested event, an event with an ack id, a binary event with 2 attachments. */
export const socketioCases: BenchCase[] = [
  ...pair("small event", small as SocketIOv5Packet & { data: unknown[] }),
  ...pair("nested event (~1 KB)", big as SocketIOv5Packet & { data: unknown[] }),
  ...pair("event with ack", withAck as SocketIOv5Packet & { data: unknown[]; id: number }),
  ...pair("binary event, 2 attachments", binary as SocketIOv5Packet & { data: unknown[] }),
];
