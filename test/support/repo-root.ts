/**
 * The repository root, found from this module's own location, so that the same code works from
 * its source (test/support/) and from a tools build (dist-bench/test/support/), whose depths differ.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The nearest folder above this module whose package.json is sockspec's. */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "sockspec")
      return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`no sockspec package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}
