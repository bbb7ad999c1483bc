/**
 * What `sockspec codegen` writes: the files of each language, nothing needed at run time but the
 * generated modules themselves (no `require(`, no import of a package from JavaScript), a
 * types-only path with no run-time code, validators that judge like JSON Schema (formats, binary,
 * lengths in code points) and speak Standard Schema, and an output folder that is replaced whole or
 * not at all.
 */
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { codegen } from "../../cli/codegen.js";
import { readCatalogue } from "../../codegen/catalogue/load.js";
import { generatePackage } from "../../codegen/emit/generate.js";
import { runtimeSources } from "../../codegen/emit/runtime-sources.js";
import { writePackage } from "../../codegen/emit/write.js";
import type { StandardSchemaV1 } from "../../codegen/runtime/standard.js";
// @ts-expect-error -- plain ESM script without type declarations
import { embedRuntime } from "../../codegen/embed-runtime.mjs";
import { repoRoot } from "../support/repo-root.js";
import { artifactDir, fixture, generateInto, importGenerated } from "./support.js";

const RUNTIME = ["ajv-helpers", "check", "client", "errors", "peer", "server", "standard"];

let js: Map<string, string>;
let ts: Map<string, string>;

beforeAll(async () => {
  const { catalogue } = await readCatalogue(fixture("orders"));
  js = await generatePackage(catalogue, { lang: "js", source: "orders.json" });
  ts = await generatePackage(catalogue, { lang: "ts", source: "orders.json" });
}, 60000);

/** Module specifiers of the import and export-from statements of a file. */
function specifiers(text: string): { specifier: string; typeOnly: boolean }[] {
  return [...text.matchAll(/^(import|export)(\s+type)?[^;]*?from\s+"([^"]+)";/gms)].map((m) => ({
    specifier: m[3]!,
    typeOnly: Boolean(m[2]),
  }));
}

describe("the generated files", () => {
  it("are a package of JavaScript with declarations, or TypeScript sources", () => {
    const modules = ["catalogue", "client", "index", "server", "types", "validators"];
    expect([...js.keys()].sort()).toEqual(
      [
        "README.md",
        "package.json",
        "validators.raw.js",
        ...modules.flatMap((m) => [`${m}.js`, `${m}.d.ts`]),
        ...RUNTIME.flatMap((m) => [`runtime/${m}.js`, `runtime/${m}.d.ts`]),
      ].sort(),
    );
    expect([...ts.keys()].sort()).toEqual(
      [
        "README.md",
        "validators.raw.ts",
        ...modules.map((m) => `${m}.ts`),
        ...RUNTIME.map((m) => `runtime/${m}.ts`),
      ].sort(),
    );
  });

  it("contain no require( and import nothing at run time but each other", () => {
    for (const [path, text] of [...js, ...ts]) {
      expect(text.includes("require("), path).toBe(false);
      // The README's examples import socket.io, as an app does; the modules are what is checked.
      if (path.endsWith(".md") || path.endsWith(".json")) continue;
      for (const { specifier, typeOnly } of specifiers(text)) {
        const relative = specifier.startsWith("./") || specifier.startsWith("../");
        // Only the socket.io types may come from elsewhere, and only as types.
        if (!relative)
          expect([path, specifier, typeOnly || path.endsWith(".d.ts")], path).toEqual([path, specifier, true]);
        if (!relative) expect(["socket.io", "socket.io-client"]).toContain(specifier);
      }
    }
    for (const [path, text] of js)
      if (path.endsWith(".js"))
        expect(
          specifiers(text).every((s) => s.specifier.startsWith("./") || s.specifier.startsWith("../")),
          path,
        ).toBe(true);
  });

  it("put the types on their own path, with no run-time code", () => {
    expect(js.get("types.js")!.replace(/^\/\/.*\n/gm, "")).toBe("export {};\n");
    for (const types of [js.get("types.d.ts")!, ts.get("types.ts")!]) {
      expect(types).not.toMatch(/^\s*(export\s+)?(declare\s+)?(const|let|var|function|class|enum)\s/m);
      expect(specifiers(types)).toEqual([]);
    }
    expect(JSON.parse(js.get("package.json")!).exports["./types"]).toEqual({
      types: "./types.d.ts",
      default: "./types.js",
    });
  });

  it("are the same every time", async () => {
    const { catalogue } = await readCatalogue(fixture("orders"));
    expect(await generatePackage(catalogue, { lang: "js", source: "orders.json" })).toEqual(js);
  });

  it("name types after the catalogue's keys, with no numbered twins and no index signature unless allowed", () => {
    const types = js.get("types.d.ts")!;
    expect(types).toMatch(/^export interface Order \{$/m);
    expect(types).toMatch(/^export interface CancelOrderReason \{$/m);
    expect(types).toMatch(/^ {2}parts\?: Order\[\];$/m);
    expect(types).not.toMatch(/\b[A-Z][A-Za-z]*\d+\b(?![-:])/);
    // Metadata says additionalProperties: { type: string }; closed objects get no index signature.
    expect(types).toMatch(/export interface Metadata \{\n {2}\[k: string\]: string \| undefined;\n\}/);
    expect(types.match(/\[k: string\]/g)).toHaveLength(1);
  });

  it("carry a README that lists every event", () => {
    const readme = js.get("README.md")!;
    for (const event of [
      "place order",
      "track",
      "upload scan",
      "ping",
      "note",
      "order updated",
      "confirm",
      "legacy notice",
      "cancel order",
      "stats",
      "invalidate",
    ]) {
      expect(readme).toContain(`\`${event}\``);
    }
    expect(readme).toContain("`@acme/order-desk-events/types`");
    expect(readme).toContain("REQUEST_VALIDATION_ERROR");
  });

  it("carry the runtime as embedded from codegen/runtime (npm run gen:codegen keeps it fresh)", () => {
    const embedded = readFileSync(join(repoRoot(), "codegen", "emit", "runtime-sources.ts"), "utf8");
    expect(embedded, "stale: run npm run gen:codegen").toBe(embedRuntime());
    expect(Object.keys(runtimeSources).sort()).toEqual(RUNTIME);
  });
});

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string }[] | null };

describe("the generated validators", () => {
  let table: Record<string, Record<string, Record<string, { args: Validate; ack?: Validate }>>>;
  let validators: {
    schemas: Record<string, Record<string, Record<string, { args: StandardSchemaV1 }>>>;
    defs: Record<string, StandardSchemaV1>;
    isOrderLine: (v: unknown) => boolean;
  };

  beforeAll(async () => {
    const dir = artifactDir("generate-validators");
    await generateInto(fixture("orders"), dir, "js");
    validators = await importGenerated(dir, "validators.js");
    table = (validators as unknown as { table: typeof table }).table;
  }, 60000);

  const args = (event: string) => table["/"]!.clientToServer![event]!.args;

  it("check formats, binary values and closed tuples", () => {
    const placeOrder = args("place order");
    const line = { sku: "MUG-0001", quantity: 1 };
    expect(placeOrder([[line], "ann@example.com"])).toBe(true);
    expect(placeOrder([[line], "not an address"])).toBe(false);
    expect(placeOrder([[line], "ann@example.com", "extra"])).toBe(false);
    expect(placeOrder([[], "ann@example.com"])).toBe(false);
    const scan = args("upload scan");
    const id = "0b0d7f1e-8a6c-4f2a-9d38-3c1f2b9a7e10";
    for (const binary of [Buffer.from("x"), new Uint8Array(1), new ArrayBuffer(1)])
      expect(scan([id, binary])).toBe(true);
    expect(scan([id, "x"])).toBe(false);
    expect(scan([id, [1, 2]])).toBe(false);
    expect(scan(["not-a-uuid", Buffer.from("x")])).toBe(false);
    const updated = table["/"]!.serverToClient!["order updated"]!.args;
    const order = {
      id,
      lines: [line],
      total: { amount: 1, currency: "EUR" },
      placedAt: "2025-01-02T03:04:05.678+01:00",
      status: "paid",
    };
    expect(updated([order])).toBe(true);
    expect(updated([{ ...order, placedAt: "2025-01-02 at noon" }])).toBe(false);
    expect(updated([{ ...order, parts: [{ ...order, status: "lost" }] }])).toBe(false);
  });

  it("count string lengths in code points, as JSON Schema does", () => {
    const note = args("note");
    const emoji = "\u{1F600}";
    expect(note([emoji])).toBe(true); // minLength 1: one code point, two UTF-16 units
    expect(validators.isOrderLine({ sku: "MUG-0001", quantity: 1, note: emoji.repeat(200) })).toBe(true); // maxLength 200, .length 400
    expect(validators.isOrderLine({ sku: "MUG-0001", quantity: 1, note: emoji.repeat(201) })).toBe(false);
    expect(validators.isOrderLine({ sku: "MUG-0001", quantity: 1, note: "x".repeat(201) })).toBe(false);
  });

  it("are Standard Schema objects, with issues that have paths", async () => {
    const track = validators.schemas["/"]!.clientToServer!["track"]!.args;
    expect(track["~standard"]).toMatchObject({ version: 1, vendor: "sockspec" });
    expect(await track["~standard"].validate(["0b0d7f1e-8a6c-4f2a-9d38-3c1f2b9a7e10"])).toEqual({
      value: ["0b0d7f1e-8a6c-4f2a-9d38-3c1f2b9a7e10"],
    });
    const bad = await validators.defs["OrderLine"]!["~standard"].validate({ sku: "mug", quantity: 1 });
    expect(bad).toEqual({ issues: [{ message: 'must match pattern "^[A-Z]{3}-[0-9]{4}$"', path: ["sku"] }] });
  });
});

describe("the output folder", () => {
  const quiet = { write: () => true };

  it("is replaced whole, refused when someone else's, and checked with --check", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sockspec-codegen-out-"));
    const out = join(dir, "events");
    const catalogue = fixture("orders");
    expect(await codegen([catalogue, "--out", out], { stdout: quiet, stderr: quiet })).toBe(0);
    expect(await codegen([catalogue, "--out", out, "--check"], { stdout: quiet, stderr: quiet })).toBe(0);
    writeFileSync(join(out, "types.d.ts"), "// edited by hand\n");
    writeFileSync(join(out, "notes.txt"), "mine\n");
    let stderr = "";
    expect(
      await codegen([catalogue, "--out", out, "--check"], {
        stdout: quiet,
        stderr: { write: (t: string) => (stderr += t) },
      }),
    ).toBe(1);
    expect(stderr).toContain("stale: types.d.ts");
    expect(stderr).toContain("extra: notes.txt");
    // Regenerating replaces the folder whole: the stray file goes too.
    expect(await codegen([catalogue, "--out", out], { stdout: quiet, stderr: quiet })).toBe(0);
    expect(existsSync(join(out, "notes.txt"))).toBe(false);
    // A folder codegen did not write is left alone unless forced.
    const foreign = join(dir, "src");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "app.ts"), "export {};\n");
    stderr = "";
    expect(
      await codegen([catalogue, "--out", foreign], { stdout: quiet, stderr: { write: (t: string) => (stderr += t) } }),
    ).toBe(2);
    expect(stderr).toMatch(/was not written by sockspec codegen/);
    expect(readFileSync(join(foreign, "app.ts"), "utf8")).toBe("export {};\n");
    expect(
      await codegen([catalogue, "--out", foreign, "--force", "--lang", "ts"], { stdout: quiet, stderr: quiet }),
    ).toBe(0);
    expect(existsSync(join(foreign, "server.ts"))).toBe(true);
  }, 60000);

  it("keeps the previous package when writing fails halfway", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sockspec-codegen-fail-"));
    const out = join(dir, "events");
    const { catalogue } = await readCatalogue(fixture("orders"));
    const files = await generatePackage(catalogue, { source: "orders.json" });
    await writePackage(out, files);
    // A path that cannot be written (a file where a folder must go) fails after some files are written.
    const broken = new Map(files);
    broken.set("runtime", "a file named like a folder");
    await expect(writePackage(out, broken)).rejects.toThrow();
    expect(readFileSync(join(out, "types.d.ts"), "utf8")).toBe(files.get("types.d.ts"));
    expect(existsSync(join(out, "runtime", "peer.js"))).toBe(true);
  }, 60000);

  it("usage errors exit 2", async () => {
    expect(await codegen([], { stdout: quiet, stderr: quiet })).toBe(2);
    expect(await codegen([fixture("orders")], { stdout: quiet, stderr: quiet })).toBe(2);
    expect(await codegen([fixture("orders"), "--out", "x", "--lang", "py"], { stdout: quiet, stderr: quiet })).toBe(2);
  });
});
