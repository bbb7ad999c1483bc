/**
 * Putting a generated package on disk without ever leaving a half-written one: every file goes
 * into a fresh folder next to the target, which then takes the target's place in two renames.
 * A target that exists and was not made by the generator is left alone unless forced, since it
 * is replaced whole.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { README_MARKER } from "./readme.js";

/** Why the output folder was not written. */
export class OutputError extends Error {
  override name = "OutputError";
}

/** True when `dir` holds a package this generator wrote (its README starts with the marker). */
async function isGenerated(dir: string): Promise<boolean> {
  try {
    return (await readFile(join(dir, "README.md"), "utf8")).startsWith(README_MARKER);
  } catch {
    return false;
  }
}

/** Replaces the folder `out` with exactly `files`. Throws OutputError if `out` is someone else's (unless `force`). */
export async function writePackage(
  out: string,
  files: ReadonlyMap<string, string>,
  options: { force?: boolean } = {},
): Promise<void> {
  const target = resolve(out);
  if (existsSync(target)) {
    const entries = await readdir(target);
    if (entries.length > 0 && !options.force && !(await isGenerated(target))) {
      throw new OutputError(
        `${out} exists and was not written by sockspec codegen; it would be replaced whole (use --force to replace it)`,
      );
    }
  }
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`));
  let old: string | undefined;
  try {
    for (const [path, content] of files) {
      const full = join(staging, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    }
    if (existsSync(target)) {
      old = `${staging}.old`;
      await rename(target, old);
    }
    await rename(staging, target);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    // Put the previous package back if it had already been moved aside.
    if (old && !existsSync(target)) await rename(old, target);
    throw err;
  }
  if (old) await rm(old, { recursive: true, force: true });
}

/** How `out` differs from `files`: paths missing, different, or extra. Empty when it is up to date. */
export async function comparePackage(out: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  const differences: string[] = [];
  const onDisk = new Set<string>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = prefix + entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), `${rel}/`);
      else onDisk.add(rel);
    }
  };
  await walk(resolve(out), "");
  for (const [path, content] of files) {
    if (!onDisk.has(path)) differences.push(`missing: ${path}`);
    else if ((await readFile(join(out, path), "utf8")) !== content) differences.push(`stale: ${path}`);
  }
  for (const path of [...onDisk].sort()) if (!files.has(path)) differences.push(`extra: ${path}`);
  return differences;
}
