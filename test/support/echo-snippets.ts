/**
 * The server snippets of docs/echo-contract.md, started as written. The docs page holds the one
 * copy of that code: its own test (test/conformance-core/echo-doc.test.ts) and
 * `npm run implementations` both extract and run it from there, so what readers copy is what
 * gets judged.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot } from "./repo-root.js";

/** The language tag of a fenced block in docs/echo-contract.md. */
export type SnippetLanguage = "js" | "python";

/** The Python modules the python-socketio snippet imports. */
export const PYTHON_MODULES = ["socketio", "engineio", "uvicorn", "websockets"] as const;

/** What to do when {@link findPython} finds nothing. */
export const PYTHON_MISSING =
  "python3 with socketio, engineio, uvicorn and websockets not found: apt-get install -y python3-socketio python3-uvicorn python3-websockets (as .ci/run does)";

/** The first fenced block of the given language in docs/echo-contract.md. */
export function echoSnippet(lang: SnippetLanguage): string {
  const doc = readFileSync(join(repoRoot(), "docs", "echo-contract.md"), "utf8");
  const block = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(doc)?.[1];
  if (block === undefined) throw new Error(`docs/echo-contract.md has no \`\`\`${lang} block`);
  return block;
}

/**
 * A python3 that can import every module of {@link PYTHON_MODULES}, or undefined. Debian's
 * /usr/bin/python3 comes first: a pyenv or venv python3 on the PATH usually lacks the
 * Debian packages.
 */
export function findPython(): string | undefined {
  return ["/usr/bin/python3", "python3"].find(
    (p) => spawnSync(p, ["-c", `import ${PYTHON_MODULES.join(", ")}`]).status === 0,
  );
}

/** A running snippet. */
export interface SnippetServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The last few KB the process wrote to stderr, for a failure message. */
  stderr(): string;
  /** Kill the process (SIGKILL) and remove its file. Safe to call twice. */
  close(): Promise<void>;
}

/** Children not yet closed, with their snippet file; killed when this process exits, however it exits. */
const live = new Map<ChildProcess, string>();
let exitHookInstalled = false;

function track(child: ChildProcess, file: string): void {
  live.set(child, file);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // "exit" handlers run on a normal end, process.exit() and an uncaught error alike; kill and
  // rm are synchronous, so a server never outlives the run that started it.
  process.on("exit", () => {
    for (const [c, f] of live) {
      c.kill("SIGKILL");
      rmSync(f, { force: true });
    }
  });
}

/** A port that was free a moment ago: the snippets read theirs from PORT, they cannot report one. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

let serial = 0;

/**
 * Starts the snippet of `lang` (with `interpreter`, default: this Node, or {@link findPython})
 * on 127.0.0.1 and waits until its bare Engine.IO endpoint answers a handshake (10 s at most).
 * Rejects, with the process's stderr, when it exits or never answers; the process is gone then.
 */
export async function startSnippet(lang: SnippetLanguage, interpreter?: string): Promise<SnippetServer> {
  const command = interpreter ?? (lang === "js" ? process.execPath : findPython());
  if (!command) throw new Error(PYTHON_MISSING);
  const root = repoRoot();
  // In the repository root, so that the Node snippet's imports resolve from its node_modules.
  serial++;
  const file = join(
    root,
    lang === "js" ? `.echo-doc-${process.pid}-${serial}.mjs` : `.echo_doc_${process.pid}_${serial}.py`,
  );
  writeFileSync(file, echoSnippet(lang));
  const port = await freePort();
  const child = spawn(command, [file], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  track(child, file);

  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let ended: string | undefined;
  const gone = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      ended ??= signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    // A command that cannot be spawned emits "error" and never "exit".
    child.once("error", (err) => {
      ended ??= err.message;
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (ended === undefined) child.kill("SIGKILL");
      await gone;
      rmSync(file, { force: true });
      live.delete(child);
    })());

  const url = `http://127.0.0.1:${port}`;
  const server: SnippetServer = { url, port, stderr: () => stderr, close };
  const withLog = (message: string) => new Error(stderr.trim() ? `${message}; its stderr:\n${stderr.trim()}` : message);
  try {
    for (let i = 0; i < 100; i++) {
      if (ended !== undefined)
        throw withLog(`the ${lang} snippet of docs/echo-contract.md ended (${ended}) before it answered`);
      const answered = await fetch(`${url}/engine.io/?EIO=4&transport=polling`).then(
        async (r) => {
          await r.arrayBuffer(); // read to the end, so the connection is free again
          return r.ok;
        },
        () => false,
      );
      if (answered) return server;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw withLog(`the ${lang} snippet of docs/echo-contract.md did not answer on ${url} within 10 s`);
  } catch (err) {
    await close();
    throw err;
  }
}
