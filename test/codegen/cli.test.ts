/**
 * The commands as a user types them: `sockspec asyncapi export|import` through files (JSON and
 * YAML), and the top-level dispatch and usage of the three codegen commands.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { asyncapi } from "../../cli/asyncapi.js";
import { main } from "../../cli/main.js";
import { fixture } from "./support.js";

function sink() {
  const out = { text: "", write: (t: string) => ((out.text += t), true) };
  return out;
}

describe("sockspec asyncapi", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockspec-asyncapi-"));

  it("exports to a file and imports it back to the same catalogue", async () => {
    const exported = join(dir, "orders.asyncapi.json");
    const imported = join(dir, "orders.json");
    expect(await asyncapi(["export", fixture("orders"), "--out", exported], { stdout: sink(), stderr: sink() })).toBe(
      0,
    );
    expect(JSON.parse(readFileSync(exported, "utf8"))).toMatchObject({
      asyncapi: "3.0.0",
      info: { title: "Order desk", version: "2.1.0" },
    });
    const stderr = sink();
    expect(await asyncapi(["import", exported, "--out", imported], { stdout: sink(), stderr })).toBe(0);
    expect(stderr.text).toBe("");
    expect(JSON.parse(readFileSync(imported, "utf8"))).toEqual(JSON.parse(readFileSync(fixture("orders"), "utf8")));
  });

  it("reads YAML, and writes to standard output without --out", async () => {
    const yaml = join(dir, "notes.yaml");
    writeFileSync(
      yaml,
      [
        "asyncapi: 3.0.0",
        "info: { title: Notes, version: 1.0.0 }",
        "channels:",
        "  root:",
        "    address: /",
        "    messages:",
        "      note:",
        "        name: note",
        "        payload: { type: array, items: [{ type: string }], additionalItems: false, minItems: 1 }",
        "        x-ack: { args: { type: array, items: [{ type: boolean }], additionalItems: false, minItems: 1 } }",
        "operations:",
        "  note: { action: receive, channel: { $ref: '#/channels/root' }, messages: [{ $ref: '#/channels/root/messages/note' }] }",
        "",
      ].join("\n"),
    );
    const out = sink();
    expect(await asyncapi(["import", yaml], { stdout: out, stderr: sink() })).toBe(0);
    expect(JSON.parse(out.text).namespaces["/"].clientToServer.note).toEqual({
      args: { prefixItems: [{ type: "string" }], items: false, minItems: 1 },
      ack: { prefixItems: [{ type: "boolean" }], items: false, minItems: 1 },
    });
  });

  it("exits 2 on a usage error or an invalid document, with the place", async () => {
    expect(await asyncapi(["convert", fixture("orders")], { stdout: sink(), stderr: sink() })).toBe(2);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{ "asyncapi": "3.0.0",\n  "info": }');
    const stderr = sink();
    expect(await asyncapi(["import", broken], { stdout: sink(), stderr })).toBe(2);
    expect(stderr.text).toMatch(/broken\.json:2:\d+ \/: not JSON/);
  });
});

describe("sockspec", () => {
  it("lists and dispatches codegen, asyncapi and diff", async () => {
    const written: string[] = [];
    const spy = vi
      .spyOn(process.stdout, "write")
      .mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      expect(await main(["--help"])).toBe(0);
      expect(await main(["codegen", "--help"])).toBe(0);
      expect(await main(["asyncapi", "--help"])).toBe(0);
      expect(await main(["diff", "--help"])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const [usage, codegenHelp, asyncapiHelp, diffHelp] = written;
    expect(usage).toMatch(/codegen <file>[\s\S]*asyncapi[\s\S]*diff <old> <new>/);
    expect(codegenHelp).toMatch(/^Usage: sockspec codegen <catalogue.json> --out <dir>/);
    expect(asyncapiHelp).toMatch(/^Usage: sockspec asyncapi export/);
    expect(diffHelp).toMatch(/^Usage: sockspec diff <old-catalogue.json> <new-catalogue.json>/);
  });
});
