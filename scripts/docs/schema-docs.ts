/**
 * What the schema reference says about each schema, found in the repository rather than
 * written by hand:
 *
 * - **examples and vectors**: every valid codec test vector (conformance/vectors/*.json) of the
 *   schema's protocol version is decoded data a schema should accept: its packets, its payload,
 *   the JSON document a packet carries (the handshake of an open packet, a CONNECT's auth or
 *   reply), the placeholders of a binary packet. Each such value is validated against each schema of that
 *   version with the project's own ajv validators; a vector whose value a schema accepts
 *   exercises that schema. HTTP answers of the reference run (handshakes, error bodies) count
 *   the same way, so a schema no vector reaches still shows what a real server sends;
 * - **instances**: repository files that are documents of a schema (reports, expectations,
 *   vector files), each validated;
 * - **rules**: the rule IDs the schema's own descriptions cite, the rules of the vectors that
 *   exercise it, and any rule whose text names the schema file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describeErrors, validator } from "../../protocol/validators.js";
import type { ConformanceReport } from "../../schemas/generated/conformance/report.js";
import type { SpecRule } from "./spec.js";

/** A value a schema accepts, and where it was found. */
export interface SchemaExample {
  value: unknown;
  /** Where it came from, in words: `vector "open packet …" (conformance/vectors/engine.io-v4.json)`. */
  source: string;
  /** The wire form it was decoded from, when there is one. */
  wire?: string;
  /** The vector's or case's ID-like key, for de-duplication. */
  key: string;
}

/** A vector that exercises a schema. */
export interface VectorRef {
  /** Vector file relative to the repository root. */
  file: string;
  group: string;
  description: string;
  rule?: string;
  wire: string;
}

/** A repository file that is a document of a schema. */
export interface SchemaInstance {
  file: string;
  valid: boolean;
  problem?: string;
}

/** Everything the reference page of one schema shows. */
export interface SchemaDoc {
  /** Path under schemas/, e.g. `engine.io/v4/handshake.json`. */
  path: string;
  schema: Record<string, unknown>;
  id: string;
  title: string;
  description: string;
  /** The protocol folder, e.g. `engine.io/v4`, or `conformance`. */
  folder: string;
  examples: SchemaExample[];
  vectors: VectorRef[];
  instances: SchemaInstance[];
  /** Rule IDs, by where the citation comes from. */
  rules: { inSchema: string[]; byVectors: string[]; inSpec: string[] };
  /** The generated TypeScript file, relative to the repository root, when there is one. */
  generated?: string;
}

/** Repository files that are documents of a schema, by schema path (globs: one `*` in the file name). */
const INSTANCE_SOURCES: Readonly<Record<string, readonly string[]>> = {
  "conformance/report.json": ["docs/implementations/*.json"],
  "conformance/expectations.json": ["conformance/expectations/*.json"],
  "conformance/vectors.json": ["conformance/vectors/*.json"],
};

/** Every schema file under schemas/ (not the generated folder), as paths relative to schemas/, sorted. */
export function listSchemaPaths(root: string): string[] {
  const base = join(root, "schemas");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (name === "generated" && dir === base) continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".json")) found.push(relative(base, full).split("\\").join("/"));
    }
  };
  walk(base);
  return found;
}

interface VectorTest {
  description: string;
  rule?: string;
  input: { text?: string; base64?: string; messages?: { text?: string; base64?: string }[] };
  valid: boolean;
  output?: unknown[];
  error?: { rule?: string };
}
interface VectorFile {
  version: string;
  groups: { description: string; kind: string; tests: VectorTest[] }[];
}

/** Control characters written as the spec writes them: the record separator is `\x1e`. */
function visibleWire(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** A vector's input as one line of wire text: `4hello\x1e2`, `<binary base64 AQID>`, messages joined by ` + `. */
export function wireOf(input: VectorTest["input"]): string {
  const one = (m: { text?: string; base64?: string }) =>
    m.text !== undefined ? visibleWire(m.text) : `<binary base64 ${m.base64 ?? ""}>`;
  if (input.messages) return input.messages.map(one).join(" + ");
  return one(input);
}

/** The JSON that follows a Socket.IO packet's header (`51-["a",{…}]` → the array), if any. */
function trailingJson(text: string): unknown {
  const at = text.search(/[[{]/);
  if (at === -1) return undefined;
  try {
    return JSON.parse(text.slice(at));
  } catch {
    return undefined;
  }
}

/** Objects anywhere inside a value that have the given key. */
function objectsWithKey(value: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) objectsWithKey(v, key, out);
  else if (value !== null && typeof value === "object") {
    if (Object.hasOwn(value, key)) out.push(value);
    for (const v of Object.values(value)) objectsWithKey(v, key, out);
  }
  return out;
}

/** The decoded values of one valid vector that a schema of its version could describe. */
export function vectorCandidates(group: { kind: string }, test: VectorTest): unknown[] {
  const out: unknown[] = [];
  const packets = test.output ?? [];
  out.push(...packets);
  if (group.kind === "payload") out.push(packets);
  // The JSON documents packets carry: the handshake of an Engine.IO open packet, the auth or
  // the reply of a Socket.IO CONNECT. Other data is application data, which no schema describes.
  for (const p of packets) {
    const { type, data } = p as { type?: unknown; data?: unknown };
    if (type !== "open" && type !== "CONNECT") continue;
    if (typeof data === "string" && data.startsWith("{")) {
      try {
        out.push(JSON.parse(data));
      } catch {
        // Data that merely starts like JSON is a message, not an embedded document.
      }
    } else if (data !== null && typeof data === "object" && !Array.isArray(data) && !Object.hasOwn(data, "base64"))
      out.push(data);
  }
  for (const m of test.input.messages ?? [{ text: test.input.text }])
    if (m.text) out.push(...objectsWithKey(trailingJson(m.text), "_placeholder"));
  return out;
}

/** Candidate values from a report's HTTP answers: handshake JSON (`0{…}`) and JSON error bodies, by protocol folder. */
function reportCandidates(
  report: ConformanceReport,
): { folder: string; value: unknown; caseId: string; wire: string }[] {
  const out: { folder: string; value: unknown; caseId: string; wire: string }[] = [];
  for (const c of report.cases) {
    const lastRequest = new Map<string, string>();
    for (const e of c.transcript) {
      if (e.kind === "http-request") lastRequest.set(e.conn, e.url);
      if (e.kind !== "http-response" || !e.body) continue;
      const eio = /[?&]EIO=(\d)/.exec(lastRequest.get(e.conn) ?? "")?.[1];
      if (!eio) continue;
      const json =
        e.status === 200 && e.body.startsWith("0{")
          ? e.body.slice(1)
          : e.status >= 400 && e.body.startsWith("{")
            ? e.body
            : undefined;
      if (json === undefined) continue;
      try {
        out.push({ folder: `engine.io/v${eio}`, value: JSON.parse(json), caseId: c.id, wire: `${e.status} ${e.body}` });
      } catch {
        // A body that is not JSON is the case's business, not an example.
      }
    }
  }
  return out;
}

/** `engine.io/v4/handshake.json` → `engine.io/v4`. */
function folderOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
}

/** A short signature of a value's shape, so examples show variety rather than ten alike. */
function shapeKey(value: unknown): string {
  if (Array.isArray(value))
    return `array:${value.length > 1 ? "many" : value.length}:${value.map(shapeKey).slice(0, 3).join(",")}`;
  if (value !== null && typeof value === "object") {
    const type = (value as { type?: unknown }).type;
    return typeof type === "string" ? `type:${type}` : `keys:${Object.keys(value).sort().join(",")}`;
  }
  return typeof value;
}

/** Builds the reference model of every schema. `reports` are searched for HTTP answers. */
export function schemaDocs(
  root: string,
  rules: readonly SpecRule[],
  reports: readonly ConformanceReport[],
  maxExamples = 6,
): SchemaDoc[] {
  const paths = listSchemaPaths(root);
  const knownRules = new Set(rules.map((r) => r.id));
  const docs = new Map<string, SchemaDoc>();
  const accepts = new Map<string, (v: unknown) => boolean>();
  for (const path of paths) {
    const schema = JSON.parse(readFileSync(join(root, "schemas", path), "utf8")) as Record<string, unknown>;
    const raw = JSON.stringify(schema);
    const generated = `schemas/generated/${path.replace(/\.json$/, ".ts")}`;
    const fileName = path.slice(path.lastIndexOf("/") + 1);
    docs.set(path, {
      path,
      schema,
      id: String(schema.$id ?? ""),
      title: String(schema.title ?? path),
      description: String(schema.description ?? ""),
      folder: folderOf(path),
      examples: [],
      vectors: [],
      instances: [],
      rules: {
        inSchema: [...new Set(raw.match(/\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b/g) ?? [])].filter((id) =>
          knownRules.has(id),
        ),
        byVectors: [],
        inSpec: rules
          .filter(
            (r) =>
              r.text.includes(path) ||
              (r.text.includes(fileName) && r.file.includes(folderOf(path).replace("/v", "-v"))),
          )
          .map((r) => r.id),
      },
      ...(existsSync(join(root, generated)) ? { generated } : {}),
    });
    let validate: ReturnType<typeof validator>;
    try {
      validate = validator(path);
    } catch {
      continue; // a schema not yet in the generated module (npm run gen not run): no validation
    }
    accepts.set(path, (v) => validate(v) === true);
  }

  const addExample = (doc: SchemaDoc, ex: SchemaExample) => {
    if (doc.examples.some((e) => e.key === ex.key)) return;
    const shape = shapeKey(ex.value);
    const sameShape = doc.examples.filter((e) => shapeKey(e.value) === shape).length;
    // Up to the limit, a new shape always gets in; a repeated shape only fills what is left.
    if (doc.examples.length < maxExamples && (sameShape === 0 || doc.examples.length < maxExamples / 2))
      doc.examples.push(ex);
  };

  const vectorDir = join(root, "conformance", "vectors");
  for (const name of existsSync(vectorDir)
    ? readdirSync(vectorDir)
        .filter((n) => n.endsWith(".json"))
        .sort()
    : []) {
    const file = `conformance/vectors/${name}`;
    const vf = JSON.parse(readFileSync(join(root, file), "utf8")) as VectorFile;
    const inFolder = [...docs.values()].filter((d) => d.folder === vf.version);
    for (const group of vf.groups) {
      for (const test of group.tests) {
        if (!test.valid) continue;
        const candidates = vectorCandidates(group, test);
        for (const doc of inFolder) {
          const ok = accepts.get(doc.path);
          const hit = ok && candidates.find((v) => ok(v));
          if (hit === undefined || hit === false) continue;
          const wire = wireOf(test.input);
          doc.vectors.push({
            file,
            group: group.description,
            description: test.description,
            ...(test.rule ? { rule: test.rule } : {}),
            wire,
          });
          if (test.rule && knownRules.has(test.rule) && !doc.rules.byVectors.includes(test.rule))
            doc.rules.byVectors.push(test.rule);
          addExample(doc, {
            value: hit,
            source: `vector “${test.description}” (${file})`,
            wire,
            key: `${file}#${test.description}`,
          });
        }
      }
    }
  }

  for (const report of reports) {
    for (const cand of reportCandidates(report)) {
      for (const doc of docs.values()) {
        if (doc.folder !== cand.folder || !accepts.get(doc.path)?.(cand.value)) continue;
        addExample(doc, {
          value: cand.value,
          source: `the reference server's answer in case ${cand.caseId}`,
          wire: cand.wire,
          key: `case:${JSON.stringify(cand.value)}`,
        });
      }
    }
  }

  for (const [path, globs] of Object.entries(INSTANCE_SOURCES)) {
    const doc = docs.get(path);
    if (!doc) continue;
    const ok = accepts.get(path);
    for (const glob of globs) {
      const dir = glob.slice(0, glob.lastIndexOf("/"));
      const suffix = glob.slice(glob.lastIndexOf("*") + 1);
      if (!existsSync(join(root, dir))) continue;
      for (const name of readdirSync(join(root, dir))
        .filter((n) => n.endsWith(suffix))
        .sort()) {
        const file = `${dir}/${name}`;
        let value: unknown;
        try {
          value = JSON.parse(readFileSync(join(root, file), "utf8"));
        } catch (err) {
          doc.instances.push({ file, valid: false, problem: `not JSON: ${(err as Error).message}` });
          continue;
        }
        if (!ok) continue;
        const valid = ok(value);
        doc.instances.push({ file, valid, ...(valid ? {} : { problem: describeErrors(validator(path).errors) }) });
      }
    }
  }
  return [...docs.values()];
}
