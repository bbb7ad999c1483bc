// The snippets of docs/echo-contract.md run as written: each starts a server that the runner's
// probe sees as offering the whole echo contract, and the Socket.IO and Engine.IO helpers work
// against it. The python-socketio snippet runs on Debian's python3 with its socketio, uvicorn and
// websockets packages, which .ci/run installs; without them the test fails and says so.
import { afterEach, describe, expect, it } from "vitest";
import { defineChapter, type CaseDefinition } from "../../conformance/case.js";
import { runSuite } from "../../conformance/index.js";
import { findPython, PYTHON_MISSING, startSnippet, type SnippetServer } from "../support/echo-snippets.js";

let server: SnippetServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

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
      while (got.length < 3)
        for (const p of (await session.get()).packets) if (p.type === "message") got.push(String(p.data));
      ctx.deepEqual(got, ["burst:1", "burst:2", "burst:3"], "burst");
    },
  },
];

describe("docs/echo-contract.md snippets", () => {
  it("the official Node server snippet serves the whole contract", async () => {
    server = await startSnippet("js");
    const report = await runSuite({ url: server.url, cases: defineChapter("doc", contract), only: [] });
    expect(report.cases.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ["doc.socketio-echo", "pass", undefined],
      ["doc.engine-echo", "pass", undefined],
    ]);
  }, 30_000);

  const python = findPython();
  it("the python-socketio snippet serves the whole contract", async () => {
    if (!python) throw new Error(PYTHON_MISSING);
    server = await startSnippet("python", python);
    const report = await runSuite({ url: server.url, cases: defineChapter("doc", contract) });
    expect(report.cases.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ["doc.socketio-echo", "pass", undefined],
      ["doc.engine-echo", "pass", undefined],
    ]);
  }, 30_000);
});
