import { readFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM script without type declarations
import { generate } from "../scripts/gen.mjs";

const root = join(import.meta.dirname, "..");

describe("generated files", () => {
  it("are exactly what `npm run gen` makes from schemas/ and spec/ today", async () => {
    const files: Map<string, string> = await generate();
    expect(files.size).toBeGreaterThan(0);
    const stale: string[] = [];
    for (const [path, content] of files) {
      const full = join(root, path);
      if (!existsSync(full) || readFileSync(full, "utf8") !== content) stale.push(path);
    }
    expect(stale, "stale generated files: run `npm run gen`").toEqual([]);
  });

  it("include nothing that the generator no longer makes", async () => {
    const made = new Set((await generate()).keys());
    const onDisk = readdirSync(join(root, "schemas/generated"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1));
    expect(
      onDisk.filter((path) => !made.has(path)),
      "leftover generated files: run `npm run gen`",
    ).toEqual([]);
  });
});
