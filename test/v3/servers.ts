/**
 * The three servers the version 3 chapters are judged against: socket.io 2.x running the
 * snippet of docs/echo-contract.md as written (only the package name is the npm alias
 * `socket.io-v2`), the official socket.io 4 / engine.io 6 with `allowEIO3`, and the reference
 * server with `allowEIO3`. Each speaks the echo contract at /socket.io/ and /engine.io/.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { startEmbeddedServer } from "../../conformance/runner/embedded.js";
import { repoRoot } from "../support/repo-root.js";
import { startOfficialServers } from "../support/official-servers.js";

/** A running server under test. */
export interface V3Server {
  url: string;
  close(): Promise<void>;
}

/** The timings of every server here (docs/echo-contract.md § Timings). */
export const V3_TIMINGS = { pingInterval: 300, pingTimeout: 200, connectTimeout: 1000, upgradeTimeout: 1000 } as const;

/** The socket.io 2.x snippet of docs/echo-contract.md (the ```js block that names echo-server-v2.mjs). */
export function v2Snippet(): string {
  const doc = readFileSync(join(repoRoot(), "docs", "echo-contract.md"), "utf8");
  const block = /```js\n(\/\/ echo-server-v2\.mjs[\s\S]*?)```/.exec(doc)?.[1];
  if (block === undefined) throw new Error("docs/echo-contract.md has no echo-server-v2.mjs block");
  return block;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

let serial = 0;

/** Starts the socket.io 2.x snippet in a child process and waits until it answers EIO=3 (10 s at most). */
export async function startSocketIOv2(): Promise<V3Server> {
  const root = repoRoot();
  const file = join(root, `.echo-v2-${process.pid}-${++serial}.mjs`);
  // The only change: this repository installs socket.io 2.x under the alias socket.io-v2.
  writeFileSync(file, v2Snippet().replaceAll('"socket.io"', '"socket.io-v2"'));
  const port = await freePort();
  const child = spawn(process.execPath, [file], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr = (stderr + c).slice(-4000)));
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  const close = async () => {
    process.off("exit", onExit);
    child.kill("SIGKILL");
    await gone;
    rmSync(file, { force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/engine.io/?EIO=3&transport=polling`).then(
      async (r) => (await r.arrayBuffer(), r.ok),
      () => false,
    );
    if (ok) return { url, close };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await close();
  throw new Error(`the socket.io 2.x snippet did not answer on ${url}; its stderr:\n${stderr}`);
}

/** The official socket.io 4 and engine.io 6 with allowEIO3 (both endpoints). */
export async function startOfficialEIO3(): Promise<V3Server> {
  const servers = await startOfficialServers({ ...V3_TIMINGS, allowEIO3: true });
  return { url: servers.url, close: () => servers.close() };
}

/** The reference server with allowEIO3 (both endpoints). */
export async function startReferenceEIO3(): Promise<V3Server> {
  return startEmbeddedServer({ allowEIO3: true });
}

/** The servers by name, for tests that judge each. */
export const V3_SERVERS = {
  "socket.io 2.x": startSocketIOv2,
  "socket.io 4 (allowEIO3)": startOfficialEIO3,
  "reference (allowEIO3)": startReferenceEIO3,
} as const;
