/**
 * Shared by the codegen tests: generate a fixture's package into test-artifacts/ (inside the
 * repository, so that `socket.io` and `socket.io-client` resolve from it for the type checks),
 * and load its modules at run time.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readCatalogue } from "../../codegen/catalogue/load.js";
import { generatePackage } from "../../codegen/emit/generate.js";
import type { Lang } from "../../codegen/emit/module.js";
import { writePackage } from "../../codegen/emit/write.js";
import { repoRoot } from "../support/repo-root.js";

/** The fixtures of test/codegen/fixtures, by name. */
export function fixture(name: string): string {
  return join(repoRoot(), "test", "codegen", "fixtures", `${name}.json`);
}

/** A folder under test-artifacts/codegen/ for one test file's output. */
export function artifactDir(name: string): string {
  const dir = join(repoRoot(), "test-artifacts", "codegen", name);
  mkdirSync(join(dir, ".."), { recursive: true });
  return dir;
}

/** Generates the package of `catalogueFile` into `out` and returns its files. */
export async function generateInto(catalogueFile: string, out: string, lang: Lang): Promise<Map<string, string>> {
  const { catalogue } = await readCatalogue(catalogueFile);
  const files = await generatePackage(catalogue, { lang, source: catalogueFile.split("/").pop()! });
  await writePackage(out, files, { force: true });
  return files;
}

/** Imports `module` (e.g. `server.js`) of a generated JavaScript package. */
export async function importGenerated<T>(dir: string, module: string): Promise<T> {
  return (await import(pathToFileURL(join(dir, module)).href)) as T;
}

/** Loosely typed view of a generated peer, for run-time tests (the types are tested by the type checks). */
export interface LoosePeer {
  on(event: string, listener: (...args: any[]) => unknown): LoosePeer;
  off(event: string, listener: (...args: any[]) => unknown): LoosePeer;
  emit(event: string, ...args: unknown[]): boolean;
  request(event: string, ...args: unknown[]): Promise<unknown>;
}

/** The options `wrap` takes, loosely. */
export interface LooseOptions {
  onInvalid?: (error: any) => void;
  onError?: (error: unknown, context: { namespace: string; event: string }) => void;
  checkOutgoing?: boolean;
}

/** A generated `server.js`, loosely typed. */
export interface LooseServerModule {
  wrap(namespace: string, socket: unknown, options?: LooseOptions): LoosePeer;
  guard(namespace: string, options?: LooseOptions): (packet: unknown[], next: (err?: Error) => void) => void;
  SocketContractError: new (...args: any[]) => Error;
  AckTimeoutError: new (...args: any[]) => Error;
}

/** A generated `client.js`, loosely typed. */
export interface LooseClientModule {
  wrap(namespace: string, socket: unknown, options?: LooseOptions): LoosePeer;
  SocketContractError: new (...args: any[]) => Error;
  AckTimeoutError: new (...args: any[]) => Error;
}

/** Resolves when `check()` holds, polling every 5 ms; rejects after `ms`. */
export async function until(check: () => boolean, ms = 2000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
