/**
 * Unit tests of the Engine.IO codecs beyond the shared vectors: error details (rule, offset,
 * partial packets), encoder refusals, and round trips over seeded random packets, checked
 * against the official parsers in both directions.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import * as officialV4 from "engine.io-parser";
import { decodeBase64, encodeBase64 } from "../protocol/base64.js";
import { DecodeError } from "../protocol/errors.js";
import * as v4 from "../protocol/engine.io/v4.js";
import * as v3 from "../protocol/engine.io/v3.js";

const require = createRequire(import.meta.url);
type OfficialPacket = { type: string; data?: unknown };
const officialV3 = require("engine.io-parser-v3") as {
  encodePayload(packets: OfficialPacket[], supportsBinary: boolean, cb: (out: string | Buffer) => void): void;
  decodePayload(data: string | Buffer, cb: (packet: OfficialPacket) => unknown): void;
};

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error("no error thrown");
}

const bytes = (...values: number[]) => new Uint8Array(values);
const hex = (data: unknown) => Buffer.from(data as Uint8Array).toString("hex");

/** mulberry32: a small seeded generator, so every run draws the same "random" inputs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = ["a", "Z", "0", "4", ":", " ", "\n", "é", "€", "😀", "\u2028", '"', "{", "b", "\u0000"];

function randomText(next: () => number, max: number): string {
  let text = "";
  const length = Math.floor(next() * max);
  for (let i = 0; i < length; i++) text += CHARS[Math.floor(next() * CHARS.length)];
  return text;
}

function randomBytes(next: () => number, max: number): Uint8Array {
  const out = new Uint8Array(Math.floor(next() * max));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

type Packet = v4.EngineIOv4Packet;

function randomPacket(next: () => number): Packet {
  const pick = Math.floor(next() * 10);
  switch (pick) {
    case 0:
      return { type: "open", data: '{"sid":"' + randomText(next, 8) + '"}' };
    case 1:
      return { type: "close" };
    case 2:
      return next() < 0.5 ? { type: "ping" } : { type: "ping", data: "probe" };
    case 3:
      return next() < 0.5 ? { type: "pong" } : { type: "pong", data: randomText(next, 6) || "x" };
    case 4:
      return { type: "upgrade" };
    case 5:
      return { type: "noop" };
    case 6:
    case 7:
      return { type: "message", data: randomBytes(next, 40) };
    default:
      return { type: "message", data: randomText(next, 40) };
  }
}

/** A packet as the decoders give it back: bytes as hex, pong data "" dropped. */
function normal(packet: { type: string; data?: unknown }): unknown {
  if (packet.data instanceof Uint8Array) return { type: packet.type, bin: hex(packet.data) };
  if (packet.type === "message") return { type: "message", data: packet.data ?? "" };
  return packet.data === undefined || packet.data === "" ? { type: packet.type } : packet;
}

describe("base64", () => {
  it("encodes and decodes every length of a byte run", () => {
    for (let n = 0; n < 20; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      const text = encodeBase64(data);
      expect(text).toBe(Buffer.from(data).toString("base64"));
      expect(hex(decodeBase64(text))).toBe(hex(data));
    }
  });

  it("encodes a view into a larger buffer by its own bytes only", () => {
    const backing = bytes(9, 9, 1, 2, 3, 9);
    expect(encodeBase64(backing.subarray(2, 5))).toBe("AQID");
  });

  it("reports offsets shifted by offsetForErrors and the rule it is given", () => {
    const error = decodeError(() => decodeBase64("AQ!D", 10, "EIO3-PACKET-03"));
    expect(error.rule).toBe("EIO3-PACKET-03");
    expect(error.offset).toBe(12);
    expect(decodeError(() => decodeBase64("AQ")).rule).toBe("EIO4-PAYLOAD-03");
  });

  it("accepts exactly the canonical texts, and names the fault of every other one", () => {
    const next = random(99);
    const pool = ["A", "Q", "g", "/", "+", "=", "-", " ", "é"];
    for (let round = 0; round < 5000; round++) {
      let text = "";
      const length = Math.floor(next() * 10);
      for (let i = 0; i < length; i++) text += pool[Math.floor(next() * pool.length)];
      const canonical = Buffer.from(Buffer.from(text, "base64").toString("base64")).toString() === text;
      try {
        decodeBase64(text);
        expect(canonical, text).toBe(true);
      } catch (err) {
        expect(canonical, text).toBe(false);
        expect((err as DecodeError).reason, text).not.toBe("not canonical base64");
      }
    }
  });

  it("rejects padding in every wrong place", () => {
    for (const bad of ["=AAA", "A=AA", "AA=A", "A===", "AAA", "AAAAA=", "AA==AA==", "AB=="]) {
      expect(() => decodeBase64(bad), bad).toThrow(DecodeError);
    }
  });
});

describe("Engine.IO v4 codec", () => {
  it("returns the binary frame's own bytes, without copying", () => {
    const frame = bytes(1, 2, 3);
    const packet = v4.decodeFrame(frame);
    expect(packet.type === "message" && packet.data).toBe(frame);
    expect(v4.encodeFrame(packet)).toBe(frame);
  });

  it("encodes a binary message as `b` + base64 in polling and raw bytes over WebSocket", () => {
    const packet: Packet = { type: "message", data: bytes(1, 2, 3, 4) };
    expect(v4.encodeRecord(packet)).toBe("bAQIDBA==");
    expect(v4.encodePayload([{ type: "message", data: "hello" }, packet])).toBe("4hello\x1ebAQIDBA==");
    expect(hex(v4.encodeFrame(packet))).toBe("01020304");
  });

  it("keeps the packets before a bad record in the error's partial list", () => {
    const error = decodeError(() => v4.decodePayload("4hello\x1e2\x1eabc\x1e4world"));
    expect(error.rule).toBe("EIO4-PACKET-05");
    expect(error.offset).toBe(9);
    expect(error.partial).toEqual([{ type: "message", data: "hello" }, { type: "ping" }]);
    expect(decodeError(() => v4.decodePayload("abc")).partial).toEqual([]);
  });

  it("points base64 errors at the character in the payload", () => {
    const error = decodeError(() => v4.decodePayload("4ab\x1ebAQ!D"));
    expect(error.rule).toBe("EIO4-PAYLOAD-03");
    expect(error.offset).toBe(7);
    expect(error.partial).toEqual([{ type: "message", data: "ab" }]);
    expect(error.message).toContain("offset 7");
  });

  it("refuses to put 0x1E in a polling payload, but sends it over WebSocket", () => {
    const packet: Packet = { type: "message", data: "a\x1eb" };
    expect(() => v4.encodePayload([packet])).toThrow(/0x1E.*EIO4-PAYLOAD-05/);
    expect(() => v4.encodePayload([{ type: "pong", data: "\x1e" }])).toThrow(RangeError);
    expect(v4.encodeFrame(packet)).toBe("4a\x1eb");
  });

  it("refuses an empty payload and a packet of no known type", () => {
    expect(() => v4.encodePayload([])).toThrow(RangeError);
    expect(() => v4.encodeRecord({ type: "bogus" } as unknown as Packet)).toThrow(TypeError);
  });

  it("round-trips seeded random payloads, and the official parser agrees both ways", () => {
    const next = random(0x5eed);
    for (let round = 0; round < 300; round++) {
      const packets = Array.from({ length: 1 + Math.floor(next() * 8) }, () => randomPacket(next));
      const body = v4.encodePayload(packets);
      expect(v4.decodePayload(body).map(normal)).toEqual(packets.map(normal));
      expect(officialV4.decodePayload(body).map(normal)).toEqual(packets.map(normal));
      let theirs = "";
      officialV4.encodePayload(packets as never, (out: string) => (theirs = out));
      expect(theirs).toBe(body);
      for (const packet of packets) expect(normal(v4.decodeFrame(v4.encodeFrame(packet)))).toEqual(normal(packet));
    }
  });

  it("throws only DecodeError on random text and never loops", () => {
    const next = random(42);
    const alphabet = ["0", "1", "2", "4", "6", "7", "b", "A", "=", "\x1e", "/", "+", "é", ""];
    for (let round = 0; round < 2000; round++) {
      let body = "";
      const length = Math.floor(next() * 12);
      for (let i = 0; i < length; i++) body += alphabet[Math.floor(next() * alphabet.length)];
      try {
        v4.decodePayload(body);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
        expect((err as DecodeError).offset).toBeGreaterThanOrEqual(0);
        expect((err as DecodeError).offset).toBeLessThanOrEqual(body.length);
      }
    }
  });
});

describe("Engine.IO v3 codec", () => {
  it("frames a binary message with the type byte 0x04 and strips it on decode", () => {
    const frame = v3.encodeFrame({ type: "message", data: bytes(1, 2, 3) });
    expect(hex(frame)).toBe("04010203");
    const packet = v3.decodeFrame(frame);
    expect(packet.type === "message" && hex(packet.data)).toBe("010203");
  });

  it("writes the empty payload as `0:` and reads it back as no packets", () => {
    expect(v3.encodePayload([], { binary: true })).toBe("0:");
    expect(v3.decodePayload("0:")).toEqual([]);
  });

  it("counts UTF-16 code units in text payloads", () => {
    expect(
      v3.encodePayload(
        [
          { type: "message", data: "😀" },
          { type: "message", data: "€" },
        ],
        { binary: false },
      ),
    ).toBe("3:4😀2:4€");
  });

  it("writes the XHR2 form only when the session takes binary and a packet is binary", () => {
    const packets: v3.EngineIOv3Packet[] = [
      { type: "message", data: "hello" },
      { type: "message", data: bytes(1, 2, 3, 4) },
    ];
    expect(hex(v3.encodePayload(packets, { binary: true }))).toBe("0006ff3468656c6c6f0105ff0401020304");
    expect(v3.encodePayload(packets, { binary: false })).toBe("6:4hello10:b4AQIDBA==");
    expect(v3.encodePayload([{ type: "ping" }], { binary: true })).toBe("1:2");
  });

  it("writes long lengths as one byte per decimal digit", () => {
    const data = new Uint8Array(1233).fill(7);
    const body = v3.encodePayload([{ type: "message", data }], { binary: true }) as Uint8Array;
    expect(hex(body.subarray(0, 7))).toBe("0101020304ff04");
    expect(body.length).toBe(6 + 1234);
  });

  it("drops the whole payload on error: partial is empty, unlike v4", () => {
    const error = decodeError(() => v3.decodePayload("6:4hello1:9"));
    expect(error.rule).toBe("EIO3-PACKET-01");
    expect(error.offset).toBe(10);
    expect(error.partial).toEqual([]);
  });

  it("gives byte offsets into an XHR2 payload, after earlier packets", () => {
    const body = Buffer.from("0002ff34690002ff3178", "hex");
    const error = decodeError(() => v3.decodePayload(new Uint8Array(body)));
    expect(error.rule).toBe("EIO3-PACKET-01");
    expect(error.offset).toBe(9);
  });

  it("round-trips seeded random payloads in both forms, and the official parser agrees both ways", () => {
    const next = random(0x3eed);
    for (let round = 0; round < 300; round++) {
      const packets = Array.from({ length: 1 + Math.floor(next() * 8) }, () =>
        randomPacket(next),
      ) as v3.EngineIOv3Packet[];
      const official = packets.map((p) =>
        p.type === "message" && p.data instanceof Uint8Array ? { type: p.type, data: Buffer.from(p.data) } : p,
      );
      for (const binary of [false, true]) {
        const body = v3.encodePayload(packets, { binary });
        expect(v3.decodePayload(body).map(normal)).toEqual(packets.map(normal));
        const decoded: OfficialPacket[] = [];
        officialV3.decodePayload(typeof body === "string" ? body : Buffer.from(body), (p) => void decoded.push(p));
        expect(decoded.map(normal)).toEqual(packets.map(normal));
        let theirs: string | Buffer = "";
        officialV3.encodePayload(official as OfficialPacket[], binary, (out) => (theirs = out));
        expect(typeof theirs === "string" ? theirs : hex(theirs)).toEqual(typeof body === "string" ? body : hex(body));
      }
    }
  });

  it("throws only DecodeError on random bytes", () => {
    const next = random(7);
    const pool = [0x00, 0x01, 0x02, 0x04, 0x05, 0x09, 0x0a, 0xff, 0x34, 0x31, 0x62, 0xe2, 0x82, 0xac];
    for (let round = 0; round < 2000; round++) {
      const body = Uint8Array.from({ length: Math.floor(next() * 14) }, () => pool[Math.floor(next() * pool.length)]!);
      for (const input of [body, Buffer.from(body).toString("latin1")]) {
        try {
          v3.decodePayload(input);
        } catch (err) {
          expect(err).toBeInstanceOf(DecodeError);
        }
      }
    }
  });
});
