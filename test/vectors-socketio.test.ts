/**
 * Runs conformance/vectors/socket.io-v5.json and socket.io-v4.json through our codecs and
 * through the official parsers (socket.io-parser@4 for v5, socket.io-parser@3 for v4). Every
 * disagreement with an official parser must be recorded in the vector's `official` field, and
 * every recorded one must really happen, so the notes cannot go stale.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { Decoder as OfficialV5Decoder } from "socket.io-parser";
import { DecodeError } from "../protocol/errors.js";
import { describeErrors, validator } from "../protocol/validators.js";
import * as v5 from "../protocol/socket.io/v5.js";
import * as v4 from "../protocol/socket.io/v4.js";
import { SIO4_RULES, SIO5_RULES } from "../protocol/socket.io/rules.js";

const require = createRequire(import.meta.url);
const officialV3 = require("socket.io-parser-v3") as {
  Decoder: new () => { on(event: "decoded", fn: (packet: OfficialPacket) => void): void; add(message: unknown): void };
};

type Message = { text: string } | { base64: string };
interface Vector {
  description: string;
  rule: string;
  input: { text: string } | { base64: string } | { messages: Message[] };
  valid: boolean;
  output?: Record<string, unknown>[];
  error?: { rule: string; offset?: number };
  canonical?: boolean;
  official?: { verdict: "accepts" | "rejects" | "differs"; note: string };
}
interface VectorFile {
  version: string;
  groups: { description: string; kind: string; tests: Vector[] }[];
}
interface OfficialPacket {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
  attachments?: number;
}

const TYPE_NAMES = ["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"];

function load(name: string): VectorFile {
  return JSON.parse(readFileSync(new URL(`../conformance/vectors/${name}`, import.meta.url), "utf8")) as VectorFile;
}

function messagesOf(vector: Vector): (string | Uint8Array)[] {
  const input = vector.input;
  const list: Message[] = "messages" in input ? input.messages : [input];
  return list.map((m) => ("text" in m ? m.text : new Uint8Array(Buffer.from(m.base64, "base64"))));
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

/** The packet minus what the official parsers report differently by design (binary type, count). */
function comparable(packet: Record<string, unknown>): Record<string, unknown> {
  const { attachments: _attachments, ...rest } = packet;
  const type = String(rest.type).replace("BINARY_", "");
  return toJson({ ...rest, type }) as Record<string, unknown>;
}

type Verdict = { accepted: true; packet: Record<string, unknown> } | { accepted: false; why: string };

function runOfficial(version: string, messages: (string | Uint8Array)[]): Verdict {
  const decoder = version === "socket.io/v5" ? new OfficialV5Decoder() : new officialV3.Decoder();
  const decoded: OfficialPacket[] = [];
  decoder.on("decoded", (p: OfficialPacket) => decoded.push(p));
  try {
    for (const m of messages) decoder.add(typeof m === "string" ? m : Buffer.from(m));
  } catch (error) {
    return { accepted: false, why: (error as Error).message };
  }
  const first = decoded[0];
  if (decoded.length !== 1 || first === undefined) return { accepted: false, why: `${decoded.length} packets decoded` };
  const text = messages[0];
  // The v4-era parser reports an unknown type as an ERROR packet instead of throwing.
  if (
    first.type === 4 &&
    typeof first.data === "string" &&
    first.data.startsWith("parser error") &&
    !(typeof text === "string" && text.startsWith("4"))
  ) {
    return { accepted: false, why: first.data };
  }
  return { accepted: true, packet: { ...first, type: TYPE_NAMES[first.type] } };
}

function officialVerdict(vector: Vector, official: Verdict): string | undefined {
  if (!vector.valid) return official.accepted ? "accepts" : undefined;
  if (!official.accepted) return "rejects";
  const expected = comparable(vector.output?.[0] ?? {});
  return JSON.stringify(sortKeys(comparable(official.packet))) === JSON.stringify(sortKeys(expected))
    ? undefined
    : "differs";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

interface Codec {
  encode(packet: never): [string, ...Uint8Array[]];
  decodeText(text: string): unknown;
  Decoder: new () => { add(message: string | Uint8Array): unknown };
}

const specs: [string, string, Codec, number, string, Record<string, string>][] = [
  ["socket.io-v5.json", "socket.io/v5", v5 as unknown as Codec, 90, "socket.io-v5.md", { ...SIO5_RULES }],
  ["socket.io-v4.json", "socket.io/v4", v4 as unknown as Codec, 50, "socket.io-v4.md", { ...SIO4_RULES }],
];

/** The rule IDs a spec chapter defines (its anchors). */
function specRules(file: string): Set<string> {
  const text = readFileSync(new URL(`../spec/${file}`, import.meta.url), "utf8");
  return new Set(Array.from(text.matchAll(/<a id="([A-Z0-9]+-[A-Z]+-\d{2})"><\/a>/g), (m) => m[1] as string));
}

for (const [file, version, codec, minimum, specFile, rules] of specs) {
  const doc = load(file);
  const all = doc.groups.flatMap((g) => g.tests.map((t) => [g, t] as const));

  describe(`${file}`, () => {
    it("fits schemas/conformance/vectors.json and has enough vectors of both verdicts", () => {
      // Compiled here, not at load time, so a broken schema fails this test alone.
      const fileValidator = validator("conformance/vectors.json");
      const ok = fileValidator(doc);
      expect(ok, describeErrors(fileValidator.errors)).toBe(true);
      expect(doc.version).toBe(version);
      expect(all.length).toBeGreaterThanOrEqual(minimum);
      expect(all.filter(([, t]) => t.valid).length).toBeGreaterThan(20);
      expect(all.filter(([, t]) => !t.valid).length).toBeGreaterThan(20);
      const prefix = version === "socket.io/v5" ? "SIO5-" : "SIO4-";
      for (const [, t] of all) expect(t.rule.startsWith(prefix), t.description).toBe(true);
    });

    it(`cites only rules that ${specFile} defines`, () => {
      const defined = specRules(specFile);
      expect(defined.size).toBeGreaterThan(10);
      const cited = new Set([...Object.values(rules), ...all.flatMap(([, t]) => [t.rule, t.error?.rule ?? t.rule])]);
      expect([...cited].filter((id) => !defined.has(id))).toEqual([]);
    });

    for (const [group, vector] of all) {
      const name = `${group.description} / ${vector.description}`;
      const messages = messagesOf(vector);

      it(`ours: ${name}`, () => {
        if (group.kind === "messages") expect("messages" in vector.input).toBe(true);
        const decoder = new codec.Decoder();
        if (vector.valid) {
          const results = messages.map((m) => decoder.add(m));
          expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
          const packet = results.at(-1) as Record<string, unknown>;
          expect(toJson(packet)).toEqual(vector.output?.[0]);
          expect(vector.output).toHaveLength(1);
          if (group.kind === "packet")
            expect(toJson(codec.decodeText(messages[0] as string))).toEqual(vector.output?.[0]);
          if (vector.canonical !== false) {
            const encoded = codec.encode(packet as never);
            expect(encoded.map(toJson)).toEqual(messages.map(toJson));
          } else {
            const encoded = codec.encode(packet as never);
            expect(encoded.map(toJson)).not.toEqual(messages.map(toJson));
          }
          return;
        }
        let thrown: unknown;
        try {
          for (const m of messages) decoder.add(m);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(DecodeError);
        const error = thrown as DecodeError;
        expect(error.rule, error.message).toBe(vector.error?.rule);
        if (vector.error?.offset !== undefined) expect(error.offset, error.message).toBe(vector.error.offset);
        if (group.kind === "packet") expect(() => codec.decodeText(messages[0] as string)).toThrow(DecodeError);
      });

      it(`official: ${name}`, () => {
        const official = runOfficial(version, messages);
        const verdict = officialVerdict(vector, official);
        const detail = official.accepted ? JSON.stringify(toJson(official.packet)) : official.why;
        expect(verdict, `official ${official.accepted ? "accepts" : "rejects"}: ${detail}`).toBe(
          vector.official?.verdict,
        );
      });
    }
  });
}
