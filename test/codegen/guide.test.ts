/**
 * The TypeScript in docs/guides/codegen.md is code a reader copies: every ```ts block must compile under
 * `tsc --strict` against the package generated from the chat demo's catalogue (the guide's
 * `./chat-events/`) and the official socket.io packages.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { repoRoot } from "../support/repo-root.js";
import { artifactDir, generateInto } from "./support.js";

const run = promisify(execFile);

it("compiles every TypeScript block of docs/guides/codegen.md against the generated chat package", async () => {
  const guide = readFileSync(join(repoRoot(), "docs", "guides", "codegen.md"), "utf8");
  const blocks = [...guide.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(5);
  const dir = artifactDir("guide");
  await generateInto(join(repoRoot(), "reference", "apps", "chat", "catalogue.json"), join(dir, "chat-events"), "js");
  const files = blocks.map((code, i) => {
    writeFileSync(join(dir, `block-${i + 1}.ts`), `${code}\nexport {};\n`);
    return `block-${i + 1}.ts`;
  });
  const compilerOptions = {
    noEmit: true,
    strict: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2022", "dom"],
    types: ["node"],
    skipLibCheck: true,
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  let output = "";
  try {
    await run(process.execPath, [
      join(repoRoot(), "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(dir, "tsconfig.json"),
    ]);
  } catch (err) {
    output = (err as { stdout: string }).stdout;
  }
  expect(output).toBe("");
}, 120000);
