/**
 * The TypeScript in the guides (docs/guides/*.md) is code a reader copies: every ```ts block
 * must type-check against the package's real entry points, and the results the guides show in
 * comments must be what the code returns.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { DecodeError, describeErrors, engineIOv4, socketIOv5, validator } from "../../protocol/index.js";
import { repoRoot } from "../support/repo-root.js";

const root = repoRoot();
const guidesDir = join(root, "docs", "guides");

/** Every ```ts block of every guide, with where it comes from. */
function snippets(): { file: string; index: number; code: string }[] {
  // The codegen guide's snippets use the generated chat package: test/codegen/guide.test.ts
  // compiles them against it.
  return readdirSync(guidesDir)
    .filter((n) => n.endsWith(".md") && n !== "codegen.md")
    .flatMap((name) => {
      const text = readFileSync(join(guidesDir, name), "utf8");
      return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m, index) => ({
        file: `docs/guides/${name}`,
        index,
        code: m[1]!,
      }));
    });
}

/** Entry points as the package exports them, mapped to their sources. */
const ENTRY: Record<string, string> = {
  sockspec: "index.js",
  "sockspec/protocol": "protocol/index.js",
  "sockspec/reference": "reference/index.js",
  "sockspec/conformance": "conformance/index.js",
};

// Inside the repository (so its package.json makes the snippets ES modules) but in a build folder.
mkdirSync(join(root, "dist-docs"), { recursive: true });
const dir = mkdtempSync(join(root, "dist-docs", "snippets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("TypeScript in the guides", () => {
  const found = snippets();

  it("has snippets to check", () => {
    expect(found.length).toBeGreaterThanOrEqual(3);
  });

  it("type-checks every snippet against the package's entry points", () => {
    const files = found.map((s, i) => {
      const file = join(dir, `snippet-${i}.ts`);
      const code = s.code.replace(/from "(sockspec(?:\/[a-z]+)?)"/g, (whole, spec: string) => {
        const target = ENTRY[spec];
        return target ? `from "${relative(dir, join(root, target)).split("\\").join("/")}"` : whole;
      });
      writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, "tsconfig.json"),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    )!;
    const program = ts.createProgram(files, { ...config.options, noEmit: true, incremental: false, composite: false });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(d.file.fileName))
      .map((d) => {
        const n = files.indexOf(d.file!.fileName);
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${found[n]!.file} (block ${found[n]!.index + 1}, line ${line + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      });
    expect(problems).toEqual([]);
  }, 120_000);
});

describe("results the typed-packets guide shows", () => {
  it("decodes a payload and a packet as shown", () => {
    const [hello, ping, binary] = engineIOv4.decodePayload("4hello\x1e2\x1ebAQIDBA==");
    expect([hello, ping]).toEqual([{ type: "message", data: "hello" }, { type: "ping" }]);
    expect(binary?.type).toBe("message");
    const bytes = (binary as { data: unknown }).data;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array)]).toEqual([1, 2, 3, 4]);
    expect(socketIOv5.decodeText('2/chat,17["message","hi"]')).toEqual({
      type: "EVENT",
      nsp: "/chat",
      id: 17,
      data: ["message", "hi"],
    });
  });

  it("names the rule an invalid payload breaks", () => {
    expect(() => engineIOv4.decodePayload("4a\x1e\x1e4b")).toThrow(DecodeError);
    try {
      engineIOv4.decodePayload("4a\x1e\x1e4b");
    } catch (err) {
      expect((err as DecodeError).rule).toBe("EIO4-PAYLOAD-04");
    }
  });

  it("explains a schema failure in one line", () => {
    const handshake = validator("engine.io/v4/handshake.json");
    expect(handshake({ sid: "abc", upgrades: [], pingInterval: 25000, pingTimeout: 20000 })).toBe(false);
    expect(describeErrors(handshake.errors)).toBe("value must have required property 'maxPayload'");
    expect(validator("socket.io/v5/packet.json#/$defs/eventArguments")(["message", { text: "hi" }])).toBe(true);
  });
});
