// The Engine.IO and Socket.IO helpers against real servers: the official ones and the
// embedded reference server. A helper that misreads a correct server would fail here.
// Timings are longer than the suite's usual 300/200 ms, so a loaded machine cannot push the
// first ping into the middle of an upgrade.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineChapter, type CaseDefinition } from "../../conformance/case.js";
import { runSuite } from "../../conformance/index.js";
import { startEmbeddedServer, type EmbeddedServer } from "../../conformance/runner/embedded.js";
import { startOfficialServers, type OfficialServers } from "../support/official-servers.js";

const cases = defineChapter("helpers", [
  {
    id: "helpers.upgrade",
    title: "polling session upgraded to WebSocket, then echo over it",
    rules: [],
    level: "MUST",
    requires: ["engine-echo", "websocket"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const socket = await ctx.engine.upgrade(session);
      ctx.deepEqual(
        socket.drained.map((p) => p.type),
        ["noop"],
        "the pending poll during the upgrade",
      );
      socket.send({ type: "message", data: "over websocket" });
      socket.send({ type: "message", data: new Uint8Array([1, 2, 3]) });
      ctx.deepEqual(
        await socket.nextPacketMatching((p) => p.type === "message"),
        { type: "message", data: "over websocket" },
        "text echo",
      );
      ctx.deepEqual(
        await socket.nextPacketMatching((p) => p.type === "message"),
        { type: "message", data: new Uint8Array([1, 2, 3]) },
        "binary echo",
      );
    },
  },
  {
    id: "helpers.heartbeat",
    title: "the first ping comes after pingInterval",
    rules: [],
    level: "MUST",
    timing: "waits",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const opened = socket.lastArrival;
      const { pingInterval } = socket.handshake!;
      await ctx.within((timeoutMs) => socket.nextPacket({ timeoutMs, what: "the first ping" }), {
        earliest: pingInterval,
        latest: pingInterval,
        what: "the first ping",
        since: opened,
        at: () => socket.lastArrival,
      });
    },
  },
  {
    id: "helpers.socketio-binary",
    title: "binary arguments round-trip through message-back",
    rules: [],
    level: "MUST",
    requires: ["socketio-echo"],
    async run(ctx) {
      const io = await ctx.socketio();
      ctx.equal((await io.connect("/")).type, "CONNECT", "answer to CONNECT /");
      io.emit("message", [new Uint8Array([9, 8]), { nested: new Uint8Array([7]) }]);
      const { args } = await io.expectEvent("message-back");
      ctx.deepEqual(args, [new Uint8Array([9, 8]), { nested: new Uint8Array([7]) }], "message-back arguments");
      const refused = await io.connect("/random");
      ctx.equal(refused.type, "CONNECT_ERROR", "answer to CONNECT /random");
    },
  },
  {
    id: "helpers.socketio-polling",
    title: "Socket.IO over polling: connect, ack, binary",
    rules: [],
    level: "MUST",
    requires: ["socketio-echo"],
    async run(ctx) {
      const io = await ctx.socketio({ transport: "polling" });
      ctx.equal((await io.connect("/custom", { k: "v" })).type, "CONNECT", "answer to CONNECT /custom");
      ctx.deepEqual((await io.expectEvent("auth", "/custom")).args, [{ k: "v" }], "auth");
      ctx.deepEqual(
        await io.emitWithAck("message-with-ack", [1, new Uint8Array([5])], "/custom"),
        [1, new Uint8Array([5])],
        "ack over polling",
      );
      await ctx.sleep(ctx.scale(ctx.handshake.pingInterval + 100));
      ctx.deepEqual(
        await io.emitWithAck("message-with-ack", ["after a ping"], "/custom"),
        ["after a ping"],
        "ack after a heartbeat",
      );
    },
  },
] satisfies CaseDefinition[]);

describe.each([
  [
    "official servers",
    async () => startOfficialServers({ pingInterval: 1000, pingTimeout: 500, upgradeTimeout: 1000 }),
  ],
  ["reference server", async () => startEmbeddedServer({ pingInterval: 1000, pingTimeout: 500 })],
] as const)("helpers against the %s", (_name, start) => {
  let server: OfficialServers | EmbeddedServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.close();
  });
  it("upgrade, heartbeat timing and Socket.IO binary all work", async () => {
    const report = await runSuite({ url: server.url, cases });
    expect(report.cases.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ["helpers.upgrade", "pass", undefined],
      ["helpers.heartbeat", "pass", undefined],
      ["helpers.socketio-binary", "pass", undefined],
      ["helpers.socketio-polling", "pass", undefined],
    ]);
  }, 20_000);
});
