/**
 * Runs conformance/vectors/engine.io-v4.json and engine.io-v3.json through our codecs and
 * through the official parsers (engine.io-parser@5 for v4, engine.io-parser@2, installed as
 * engine.io-parser-v3, for v3). Every disagreement with an official parser must be recorded in
 * the vector's `official` field, and every recorded one must really happen, so the notes cannot
 * go stale.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import * as officialV4 from "engine.io-parser";
import { DecodeError } from "../protocol/errors.js";
import { describeErrors, validator } from "../protocol/validators.js";
import * as v4 from "../protocol/engine.io/v4.js";
import * as v3 from "../protocol/engine.io/v3.js";

const require = createRequire(import.meta.url);
interface OfficialV3 {
  decodePacket(data: string | Buffer): { type?: string; data?: unknown };
  decodePayload(data: string | Buffer, callback: (packet: { type?: string; data?: unknown }) => unknown): void;
}
const officialV3 = require("engine.io-parser-v3") as OfficialV3;

type Wire = { text: string } | { base64: string };
interface Vector {
  description: string;
  rule: string;
  input: Wire;
  valid: boolean;
  output?: Record<string, unknown>[];
  error?: { rule: string; offset?: number };
  canonical?: boolean;
  official?: { verdict: "accepts" | "rejects" | "differs"; note: string };
}
interface Group {
  description: string;
  kind: "packet" | "frame" | "payload";
  tests: Vector[];
}
interface VectorFile {
  version: "engine.io/v4" | "engine.io/v3";
  groups: Group[];
}

const PACKET_TYPES = new Set(["open", "close", "ping", "pong", "message", "upgrade", "noop"]);

function load(name: string): VectorFile {
  return JSON.parse(readFileSync(new URL(`../conformance/vectors/${name}`, import.meta.url), "utf8")) as VectorFile;
}

function inputOf(vector: Vector): string | Uint8Array {
  return "text" in vector.input ? vector.input.text : new Uint8Array(Buffer.from(vector.input.base64, "base64"));
}

/** Bytes as {"base64"}, undefined keys dropped: the JSON form vectors use. */
function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    return { base64: Buffer.from(value instanceof ArrayBuffer ? new Uint8Array(value) : value).toString("base64") };
  }
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value;
}

/** Our decoder for a group's kind. */
function decode(version: VectorFile["version"], kind: Group["kind"], input: string | Uint8Array): unknown[] {
  const codec = version === "engine.io/v4" ? v4 : v3;
  if (kind === "payload") {
    if (version === "engine.io/v4") {
      if (typeof input !== "string") throw new Error("a v4 payload is text");
      return v4.decodePayload(input);
    }
    return v3.decodePayload(input);
  }
  if (kind === "packet" && typeof input !== "string") throw new Error("a packet vector is text");
  return [codec.decodeFrame(input)];
}

/** Our encoder for a group's kind, given the decoded packets. */
function encode(
  version: VectorFile["version"],
  kind: Group["kind"],
  packets: unknown[],
  binaryInput: boolean,
): string | Uint8Array {
  if (version === "engine.io/v4") {
    const list = packets as v4.EngineIOv4Packet[];
    if (kind === "payload") return v4.encodePayload(list);
    return kind === "frame" ? v4.encodeFrame(list[0]!) : v4.encodeRecord(list[0]!);
  }
  const list = packets as v3.EngineIOv3Packet[];
  if (kind === "payload") return v3.encodePayload(list, { binary: binaryInput });
  return kind === "frame" ? v3.encodeFrame(list[0]!) : v3.encodeRecord(list[0]!);
}

function sameWire(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}

type Verdict = { accepted: true; packets: unknown[] } | { accepted: false };

/** A packet the official parser hands out that is really its way of saying "error". */
function isOfficialError(packet: { type?: string }): boolean {
  return packet.type === "error" || packet.type === undefined || !PACKET_TYPES.has(packet.type);
}

/**
 * The official parsers leave `data` out of an empty text message where we write "" (as
 * EIO4-PACKET-02 describes `4`): the same packet, so it is compared as such.
 */
function comparable(packet: { type?: string; data?: unknown }): unknown {
  const json = toJson(packet) as Record<string, unknown>;
  if (json.type === "message" && json.data === undefined) json.data = "";
  return json;
}

function runOfficial(version: VectorFile["version"], kind: Group["kind"], input: string | Uint8Array): Verdict {
  const wire = typeof input === "string" ? input : Buffer.from(input);
  let packets: { type?: string; data?: unknown }[] = [];
  try {
    if (version === "engine.io/v4") {
      packets = kind === "payload" ? officialV4.decodePayload(wire as string) : [officialV4.decodePacket(wire)];
    } else if (kind === "payload") {
      officialV3.decodePayload(wire, (packet) => {
        packets.push(packet);
      });
    } else {
      packets = [officialV3.decodePacket(wire)];
    }
  } catch {
    return { accepted: false };
  }
  if (packets.some(isOfficialError)) return { accepted: false };
  return { accepted: true, packets: packets.map(comparable) };
}

const files = [load("engine.io-v4.json"), load("engine.io-v3.json")];
const validateFile = validator("conformance/vectors.json");

describe.each(files)("vectors $version", (file) => {
  it("match the vector-file schema", () => {
    const ok = validateFile(file);
    expect(ok, describeErrors(validateFile.errors)).toBe(true);
  });

  it("have unique descriptions", () => {
    const names = file.groups.flatMap((g) => g.tests.map((t) => `${g.description}: ${t.description}`));
    expect(new Set(names).size).toBe(names.length);
  });

  for (const group of file.groups) {
    describe(group.description, () => {
      for (const vector of group.tests) {
        it(vector.description, () => {
          const input = inputOf(vector);
          if (vector.valid) {
            const packets = decode(file.version, group.kind, input);
            expect(toJson(packets)).toEqual(vector.output);
            // Canonical vectors round-trip; non-canonical ones must really not (or the flag is stale).
            const again = encode(file.version, group.kind, packets, typeof input !== "string");
            expect(sameWire(again, input), "re-encoding gives back the input").toBe(vector.canonical !== false);
          } else {
            let caught: unknown;
            try {
              decode(file.version, group.kind, input);
            } catch (err) {
              caught = err;
            }
            expect(caught).toBeInstanceOf(DecodeError);
            const error = caught as DecodeError;
            expect(error.rule).toBe(vector.error!.rule);
            if (vector.error!.offset !== undefined) expect(error.offset).toBe(vector.error!.offset);
          }
        });
        if (group.kind === "packet") {
          // The same record alone in a polling payload: same packet or same rule, offsets shifted by the framing.
          const text = (vector.input as { text: string }).text;
          if (text === "" || text.includes("\x1e")) continue;
          it(`${vector.description} (alone in a payload)`, () => {
            const [body, shift] =
              file.version === "engine.io/v4" ? [text, 0] : [`${text.length}:${text}`, `${text.length}:`.length];
            if (vector.valid) {
              expect(toJson(decode(file.version, "payload", body))).toEqual(vector.output);
              return;
            }
            let caught: unknown;
            try {
              decode(file.version, "payload", body);
            } catch (err) {
              caught = err;
            }
            expect(caught).toBeInstanceOf(DecodeError);
            expect((caught as DecodeError).rule).toBe(vector.error!.rule);
            if (vector.error!.offset !== undefined)
              expect((caught as DecodeError).offset).toBe(vector.error!.offset + shift);
          });
        }
      }
    });
  }

  describe("against the official parser", () => {
    for (const group of file.groups) {
      for (const vector of group.tests) {
        it(`${group.description}: ${vector.description}`, () => {
          const official = runOfficial(file.version, group.kind, inputOf(vector));
          let verdict: "agrees" | "accepts" | "rejects" | "differs";
          if (!official.accepted) verdict = vector.valid ? "rejects" : "agrees";
          else if (!vector.valid) verdict = "accepts";
          else verdict = JSON.stringify(official.packets) === JSON.stringify(vector.output) ? "agrees" : "differs";
          expect(verdict, JSON.stringify(official)).toBe(vector.official?.verdict ?? "agrees");
        });
      }
    }
  });
});
