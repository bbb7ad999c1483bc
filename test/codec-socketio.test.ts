/**
 * Unit tests of the Socket.IO codecs beyond the shared vectors: error offsets, the Decoder's
 * state across messages, binary take-apart and put-back, and seeded random round trips.
 */
import { describe, expect, it } from "vitest";
import { Decoder as OfficialDecoder, Encoder as OfficialEncoder, PacketType } from "socket.io-parser";
import { DecodeError } from "../protocol/errors.js";
import * as v5 from "../protocol/socket.io/v5.js";
import * as v4 from "../protocol/socket.io/v4.js";
import { deconstruct, reconstruct } from "../protocol/socket.io/binary.js";
import type { SocketIOv5Packet } from "../schemas/generated/socket.io/v5/packet.js";

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error("no DecodeError thrown");
}

describe("error rules and offsets", () => {
  const cases: [string, string, number][] = [
    ["", "SIO5-PACKET-01", 0],
    ["8", "SIO5-PACKET-01", 0],
    ["5", "SIO5-BINARY-01", 1],
    ["599999999999999999999-[]", "SIO5-BINARY-09", 1],
    ["501-[]", "SIO5-BINARY-01", 1],
    ["3/x,-4[]", "SIO5-ACK-01", 4],
    ["3/x,[]", "SIO5-PACKET-06", 4],
    ['2/admin,012["a"]', "SIO5-ACK-01", 8],
    ["2/\u4e16,\u00e9", "SIO5-PACKET-02", 4],
    ["4/x,1{}", "SIO5-ACK-02", 4],
    ['2["a",{]', "SIO5-PACKET-02", 7],
    ["2[1,2", "SIO5-PACKET-02", 5],
    ['2/chat,["newListener"]', "SIO5-EVENT-03", 7],
    ['2/chat,[["newListener"]]', "SIO5-EVENT-01", 7],
    ['62-9[{"_placeholder":true,"num":0}]', "SIO5-BINARY-02", 4],
  ];
  for (const [text, rule, offset] of cases) {
    it(`${JSON.stringify(text)} -> ${rule} at ${offset}`, () => {
      const error = decodeError(() => v5.decodeText(text));
      expect(error.rule).toBe(rule);
      expect(error.offset).toBe(offset);
      expect(error.message).toContain(rule);
    });
  }

  it("the v4 codec cites SIO4 rules", () => {
    expect(decodeError(() => v4.decodeText("0{}")).rule).toBe("SIO4-CONNECT-01");
    expect(decodeError(() => v4.decodeText("2")).rule).toBe("SIO4-EVENT-01");
  });

  it("maxAttachments is an option", () => {
    const text = `53-["a",${[0, 1, 2].map((n) => `{"_placeholder":true,"num":${n}}`).join(",")}]`;
    expect(v5.decodeText(text)).toMatchObject({ attachments: 3 });
    expect(decodeError(() => v5.decodeText(text, { maxAttachments: 2 })).rule).toBe("SIO5-BINARY-09");
    expect(() => new v5.Decoder({ maxAttachments: 2 }).add(text)).toThrow(DecodeError);
  });

  it("decodeText leaves checked placeholders in place", () => {
    expect(v5.decodeText('61-4[{"_placeholder":true,"num":0}]')).toEqual({
      type: "BINARY_ACK",
      nsp: "/",
      id: 4,
      attachments: 1,
      data: [{ _placeholder: true, num: 0 }],
    });
  });
});

describe("Decoder across messages", () => {
  it("assembles consecutive binary packets and plain packets in between", () => {
    const d = new v5.Decoder();
    expect(d.add('51-["a",{"_placeholder":true,"num":0}]')).toBeUndefined();
    expect(d.awaitingAttachments).toBe(true);
    const first = d.add(new Uint8Array([1]));
    expect(first).toEqual({ type: "BINARY_EVENT", nsp: "/", attachments: 1, data: ["a", new Uint8Array([1])] });
    expect(d.awaitingAttachments).toBe(false);
    expect(d.add('2["plain"]')).toEqual({ type: "EVENT", nsp: "/", data: ["plain"] });
    expect(d.add('62-/x,3[{"_placeholder":true,"num":1},{"k":{"_placeholder":true,"num":0}}]')).toBeUndefined();
    expect(d.add(new Uint8Array([7]))).toBeUndefined();
    const ack = d.add(new Uint8Array([8]));
    expect(ack).toEqual({
      type: "BINARY_ACK",
      nsp: "/x",
      id: 3,
      attachments: 2,
      data: [new Uint8Array([8]), { k: new Uint8Array([7]) }],
    });
  });

  it("drops the pending packet after an error, so the next packet starts clean", () => {
    const d = new v5.Decoder();
    d.add('51-["a",{"_placeholder":true,"num":0}]');
    expect(decodeError(() => d.add('2["b"]')).rule).toBe("SIO5-BINARY-03");
    expect(d.awaitingAttachments).toBe(false);
    expect(decodeError(() => d.add(new Uint8Array([1]))).rule).toBe("SIO5-BINARY-04");
    expect(d.add("1")).toEqual({ type: "DISCONNECT", nsp: "/" });
  });

  it("reset() forgets a half-received packet", () => {
    const d = new v4.Decoder();
    d.add('52-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    d.add(new Uint8Array([1]));
    d.reset();
    expect(decodeError(() => d.add(new Uint8Array([2]))).rule).toBe("SIO4-BINARY-04");
  });

  it("rejects an empty text message and a message that is neither text nor bytes", () => {
    expect(decodeError(() => new v5.Decoder().add("")).rule).toBe("SIO5-PACKET-01");
    expect(() => new v5.Decoder().add(42 as unknown as string)).toThrow(TypeError);
  });
});

describe("binary take-apart and put-back", () => {
  it("numbers nested binary values depth-first and leaves the input untouched", () => {
    const a = Buffer.from([1]);
    const b = new Uint8Array([2]);
    const c = new Uint8Array([3, 4]).buffer;
    const data = ["up", { files: [a, { thumb: b }], meta: { n: 1 } }, c];
    const snapshot = JSON.stringify(data);
    const [text, ...attachments] = v5.encode({ type: "EVENT", nsp: "/", data: data as [unknown, ...unknown[]] });
    expect(text).toBe(
      '53-["up",{"files":[{"_placeholder":true,"num":0},{"thumb":{"_placeholder":true,"num":1}}],"meta":{"n":1}},{"_placeholder":true,"num":2}]',
    );
    expect(attachments.map((x) => Array.from(x))).toEqual([[1], [2], [3, 4]]);
    expect(attachments.every((x) => x instanceof Uint8Array)).toBe(true);
    expect(attachments[0]).toBe(a); // a Buffer is a Uint8Array: sent without a copy
    expect(JSON.stringify(data)).toBe(snapshot);
    expect((data[1] as { files: unknown[] }).files[0]).toBe(a);
  });

  it("treats Buffer, Uint8Array, ArrayBuffer, DataView and other typed arrays as binary", () => {
    const bytes = new Uint8Array([9, 8, 7, 6]);
    const views: unknown[] = [
      Buffer.from(bytes),
      new Uint8Array(bytes),
      bytes.slice().buffer,
      new DataView(bytes.slice().buffer),
      new Uint16Array(bytes.slice().buffer),
    ];
    for (const view of views) {
      const [text, attachment] = v5.encode({ type: "ACK", nsp: "/", id: 1, data: [view] });
      expect(text).toBe('61-1[{"_placeholder":true,"num":0}]');
      expect(attachment).toBeInstanceOf(Uint8Array);
      expect(Array.from(attachment ?? [])).toEqual([9, 8, 7, 6]);
    }
    const sub = new Uint8Array([0, 1, 2, 3]).subarray(1, 3);
    expect(
      Array.from(v5.encode({ type: "EVENT", nsp: "/", data: ["s", new DataView(sub.buffer, 1, 2)] })[1] ?? []),
    ).toEqual([1, 2]);
  });

  it("returns data without binary as the same reference", () => {
    const data = ["a", { b: [1, { c: "d" }] }];
    const out: Uint8Array[] = [];
    expect(deconstruct(data, out)).toBe(data);
    expect(out).toHaveLength(0);
  });

  it("keeps key order and handles a __proto__ key as a plain key", () => {
    const data = JSON.parse('{"x":1,"__proto__":{"_placeholder":true,"num":0},"y":2}') as Record<string, unknown>;
    const put = reconstruct(data, [new Uint8Array([5])]) as Record<string, unknown>;
    expect(Object.keys(put)).toEqual(["x", "__proto__", "y"]);
    expect(Object.getPrototypeOf(put)).toBe(Object.prototype);
    const d = new v5.Decoder();
    d.add('51-["a",{"__proto__":{"_placeholder":true,"num":0}}]');
    const packet = d.add(new Uint8Array([6])) as unknown as { data: [string, Record<string, unknown>] };
    expect(Object.getPrototypeOf(packet.data[1])).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(packet.data[1], "__proto__")?.value).toEqual(new Uint8Array([6]));
    const source: Record<string, unknown> = JSON.parse('{"a":1,"__proto__":2}') as Record<string, unknown>;
    source.z = new Uint8Array([1]);
    const copy = deconstruct(source, []) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(["a", "__proto__", "z"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it("sends a BINARY_EVENT without binary values as an EVENT, and leaves Dates to toJSON", () => {
    const date = new Date(0);
    expect(v5.encode({ type: "BINARY_EVENT", nsp: "/", attachments: 1, data: ["a", date] })).toEqual([
      '2["a","1970-01-01T00:00:00.000Z"]',
    ]);
  });

  it("refuses to encode what no decoder would read back", () => {
    expect(() => v5.encode({ type: "EVENT", nsp: "/a,b", data: ["x"] })).toThrow(TypeError);
    expect(() => v5.encode({ type: "EVENT", nsp: "admin", data: ["x"] })).toThrow(TypeError);
    expect(() => v5.encode({ type: "EVENT", nsp: "/", id: -1, data: ["x"] })).toThrow(TypeError);
    expect(() => v5.encode({ type: "EVENT", nsp: "/", id: 2 ** 53, data: ["x"] })).toThrow(TypeError);
  });
});

describe("CONNECT helpers", () => {
  it("tell a client's auth from a server's reply", () => {
    expect(v5.isConnectAuth({ token: "1" })).toBe(true);
    expect(v5.isConnectAuth({ pid: "a", offset: "b" })).toBe(true);
    expect(v5.isConnectAuth({ pid: 1 })).toBe(false);
    expect(v5.isConnectReply({ sid: "x" })).toBe(true);
    expect(v5.isConnectReply({ sid: "x", pid: "y" })).toBe(true);
    expect(v5.isConnectReply({ sid: "x", extra: 1 })).toBe(false);
    expect(v5.isConnectReply({})).toBe(false);
  });

  it("v4 keeps a CONNECT query string in nsp and splits it on request", () => {
    const packet = v4.decodeText("0/admin?token=1&x=%2C,");
    expect(packet).toEqual({ type: "CONNECT", nsp: "/admin?token=1&x=%2C" });
    expect(v4.splitNamespaceQuery(packet.nsp)).toEqual({ name: "/admin", query: "token=1&x=%2C" });
    expect(v4.splitNamespaceQuery("/")).toEqual({ name: "/", query: "" });
    expect(v4.encode(packet)).toEqual(["0/admin?token=1&x=%2C,"]);
  });
});

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("random round trips (seed 20261125)", () => {
  const random = rng(20261125);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const strings = [
    "",
    "a",
    "chat",
    "h\u00e9llo",
    "\u4e16\u754c",
    "\ud83c\udf89",
    'quote"s',
    "back\\slash",
    "new\nline",
    "comma,",
  ];

  function value(depth: number, binary: boolean): unknown {
    const roll = random();
    if (binary && roll < 0.15)
      return new Uint8Array(Array.from({ length: Math.floor(random() * 5) }, () => Math.floor(random() * 256)));
    if (depth > 3 || roll < 0.45) return pick<unknown>([null, true, false, 0, -1, 3.5, 1e21, pick(strings)]);
    if (roll < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1, binary));
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 4); i > 0; i--) object[pick(strings) + i] = value(depth + 1, binary);
    return object;
  }

  function packet(): SocketIOv5Packet {
    const nsp = pick(["/", "/admin", "/a/b", "/\u00e9?x=1"]);
    const binary = random() < 0.4;
    const id = random() < 0.5 ? Math.floor(random() * 2 ** 53) : undefined;
    switch (Math.floor(random() * 5)) {
      case 0:
        return random() < 0.5 ? { type: "CONNECT", nsp } : { type: "CONNECT", nsp, data: { token: pick(strings) } };
      case 1:
        return { type: "DISCONNECT", nsp };
      case 2: {
        const data: [unknown, ...unknown[]] = [pick<unknown>([...strings.slice(1), 7])];
        for (let i = Math.floor(random() * 4); i > 0; i--) data.push(value(1, binary));
        return id === undefined ? { type: "EVENT", nsp, data } : { type: "EVENT", nsp, id, data };
      }
      case 3:
        return {
          type: "ACK",
          nsp,
          id: id ?? 0,
          data: Array.from({ length: Math.floor(random() * 3) }, () => value(1, binary)),
        };
      default:
        return {
          type: "CONNECT_ERROR",
          nsp,
          data: random() < 0.5 ? { message: pick(strings) } : { message: "x", data: value(1, false) },
        };
    }
  }

  it("decode(encode(p)) gives p back for 2000 packets, with one Decoder for all", () => {
    const decoder = new v5.Decoder();
    let binaries = 0;
    for (let n = 0; n < 2000; n++) {
      const original = packet();
      const [text, ...attachments] = v5.encode(original);
      let decoded = decoder.add(text);
      for (const attachment of attachments) {
        expect(decoded).toBeUndefined();
        decoded = decoder.add(attachment);
      }
      expect(decoded).toBeDefined();
      if (attachments.length > 0) {
        binaries++;
        expect(decoded?.type).toBe(original.type === "EVENT" ? "BINARY_EVENT" : "BINARY_ACK");
        expect(decoded).toMatchObject({ attachments: attachments.length });
        const { attachments: _count, ...rest } = decoded as { attachments: number };
        expect({ ...rest, type: original.type }).toEqual(original);
      } else {
        expect(decoded).toEqual(original);
      }
      // The canonical text is stable: decoding then encoding again gives the same bytes.
      expect(v5.encode(decoded as SocketIOv5Packet)).toEqual([text, ...attachments]);
    }
    expect(binaries).toBeGreaterThan(100);
  });

  it("the official parser reads what we write, and we read what it writes, for 500 packets", () => {
    const officialDecoder = new OfficialDecoder();
    const officialEncoder = new OfficialEncoder();
    const ours = new v5.Decoder();
    let received: Record<string, unknown> | undefined;
    officialDecoder.on("decoded", (p) => {
      received = p as unknown as Record<string, unknown>;
    });
    const typeNumber: Record<string, number> = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4 };
    const bytes = (value: unknown): unknown => toPlain(value);
    for (let n = 0; n < 500; n++) {
      const original = packet();
      received = undefined;
      for (const message of v5.encode(original))
        officialDecoder.add(typeof message === "string" ? message : Buffer.from(message));
      expect(received).toBeDefined();
      const { type, ...rest } = received as unknown as { type: number };
      expect(bytes({ ...rest, type: PacketType[type] })).toEqual(bytes(original));

      const official = officialEncoder.encode({ ...original, type: typeNumber[original.type] as number } as never) as (
        | string
        | Buffer
      )[];
      let decoded: unknown;
      for (const message of official)
        decoded = ours.add(typeof message === "string" ? message : new Uint8Array(message));
      const { attachments: _count, ...plain } = decoded as Record<string, unknown>;
      expect(bytes({ ...plain, type: String(plain.type).replace("BINARY_", "") })).toEqual(bytes(original));
    }
  });
});

/** Binary values as plain byte arrays, so Buffer and Uint8Array compare equal. */
function toPlain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: Array.from(value) };
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toPlain(v)]),
    );
  }
  return value;
}

describe("mutated input (seed 7)", () => {
  it("only ever throws DecodeError, for 5000 mutations of valid packets", () => {
    const random = rng(7);
    const seeds = [
      '51-["a",{"_placeholder":true,"num":0}]',
      '2/admin,12["chat",{"a":[1,"x"]}]',
      '0/custom,{"token":"1"}',
      '4{"message":"x","data":null}',
      '62-3[{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}]',
      "1/admin,",
    ];
    const alphabet = '0123456789-/,[]{}":_ abcnptrue\u00e9\ud83c';
    for (const version of [v5, v4]) {
      for (let n = 0; n < 2500; n++) {
        const chars = [...(seeds[Math.floor(random() * seeds.length)] as string)];
        for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
          const at = Math.floor(random() * (chars.length + 1));
          const roll = random();
          const c = alphabet[Math.floor(random() * alphabet.length)] as string;
          if (roll < 0.4) chars.splice(at, 1);
          else if (roll < 0.7) chars.splice(at, 0, c);
          else chars[at] = c;
        }
        const decoder = new version.Decoder();
        try {
          if (decoder.add(chars.join("")) === undefined) {
            decoder.add(new Uint8Array([1]));
            decoder.add(new Uint8Array([2]));
            decoder.add("2");
          }
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError);
        }
      }
    }
  });
});
