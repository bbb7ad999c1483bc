// The snippets of docs/echo-contract.md run as written: each starts a server that the runner's
// probe sees as offering the whole echo contract, and the Socket.IO and Engine.IO helpers work
// against it. The python-socketio snippet runs on Debian's python3 with its socketio, uvicorn and
// websockets packages, which .ci/run installs; without them the test fails and says so.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defineChapter, type CaseDefinition } from "../../conformance/case.js";
import { runSuite } from "../../conformance/index.js";

const root = join(import.meta.dirname, "..", "..");
const doc = readFileSync(join(root, "docs", "echo-contract.md"), "utf8");
const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(doc)![1]!;

let child: ChildProcess | undefined;
const files: string[] = [];
afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
  for (const f of files.splice(0)) rmSync(f, { force: true });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Starts a snippet and waits until its port answers (bounded). */
async function start(command: string, args: string[], port: number): Promise<string> {
  child = spawn(command, args, { cwd: root, env: { ...process.env, PORT: String(port) }, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/engine.io/?EIO=4&transport=polling`).then((r) => r.ok, () => false);
    if (ok) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${command} did not start`);
}

/** Cases that pass only when the whole echo contract works. */
const contract: CaseDefinition[] = [
  {
    id: "doc.socketio-echo",
    title: "auth, message-back, acks, emit-with-ack",
    rules: [],
    level: "MUST",
    requires: ["socketio-echo", "private-namespace"],
    async run(ctx) {
      const io = await ctx.socketio();
      const reply = await io.connect("/custom", { a: 1 });
      ctx.equal(reply.type, "CONNECT", "answer to CONNECT");
      ctx.deepEqual((await io.expectEvent("auth", "/custom")).args, [{ a: 1 }], "auth");
      io.emit("message", ["x", 2], "/custom");
      ctx.deepEqual((await io.expectEvent("message-back", "/custom")).args, ["x", 2], "message-back");
      ctx.deepEqual(await io.emitWithAck("message-with-ack", [3, "y"], "/custom"), [3, "y"], "ack");
      io.emit("emit-with-ack", ["z"], "/custom");
      const asked = await io.expectEvent("emit-with-ack", "/custom");
      ctx.deepEqual(asked.args, ["z"], "emit-with-ack arguments");
      ctx.assert(asked.id !== undefined, "emit-with-ack asks for an ack");
      io.ack(asked.id!, ["back"], "/custom");
      ctx.deepEqual((await io.expectEvent("ack-back", "/custom")).args, ["back"], "ack-back");
    },
  },
  {
    id: "doc.engine-echo",
    title: "echo and burst over polling",
    rules: [],
    level: "MUST",
    requires: ["engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      ctx.equal((await session.post([{ type: "message", data: "sockspec:burst:3" }])).status, 200, "POST status");
      const got: string[] = [];
      while (got.length < 3) for (const p of (await session.get()).packets) if (p.type === "message") got.push(String(p.data));
      ctx.deepEqual(got, ["burst:1", "burst:2", "burst:3"], "burst");
    },
  },
];

describe("docs/echo-contract.md snippets", () => {
  it("the official Node server snippet serves the whole contract", async () => {
    const file = join(root, `.echo-doc-${process.pid}.mjs`);
    files.push(file);
    writeFileSync(file, block("js"));
    const url = await start(process.execPath, [file], await freePort());
    const report = await runSuite({ url, cases: defineChapter("doc", contract), only: [] });
    expect(report.cases.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ["doc.socketio-echo", "pass", undefined],
      ["doc.engine-echo", "pass", undefined],
    ]);
  }, 30_000);

  const python = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import socketio, engineio, uvicorn, websockets"]).status === 0);
  it("the python-socketio snippet serves the whole contract", async () => {
    if (!python) throw new Error("python3 with socketio, uvicorn and websockets not found: apt-get install -y python3-socketio python3-uvicorn python3-websockets (as .ci/run does)");
    const file = join(root, `.echo_doc_${process.pid}.py`);
    files.push(file);
    writeFileSync(file, block("python"));
    const url = await start(python!, [file], await freePort());
    const report = await runSuite({ url, cases: defineChapter("doc", contract) });
    expect(report.cases.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ["doc.socketio-echo", "pass", undefined],
      ["doc.engine-echo", "pass", undefined],
    ]);
  }, 30_000);
});
