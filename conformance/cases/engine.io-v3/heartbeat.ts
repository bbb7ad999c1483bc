/**
 * Engine.IO v3, chapter HEARTBEAT, which runs the other way from version 4: the client pings,
 * the server answers each ping with a pong, never pings itself, and ends a session that has sent
 * nothing (no ping) for pingInterval + pingTimeout. Every bound is read from the handshake.
 */
import { performance } from "node:perf_hooks";
import { defineChapter, fail, needs } from "../../case.js";
import { expectV3SocketAlive, expectV3SocketGone, v3SocketPing } from "../../checks/v3-session.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { beat } from "../../runner/bounds.js";
import { guardStalls } from "../../runner/stall-watch.js";

export const eio3HeartbeatCases = defineChapter(
  "engine.io v3 / heartbeat",
  guardStalls([
    {
      id: "eio3.heartbeat.ping-answered-polling",
      title: "Over polling, the client's ping `1:2` is answered with a pong `3`",
      rules: ["EIO3-HEARTBEAT-01"],
      level: "MUST",
      requires: ["eio3", "polling"],
      async run(ctx) {
        const session = await ctx.eio3().openPolling();
        await session.send("1:2");
        const { packets } = await session.get();
        ctx.deepEqual(
          packets.map((p) => p.type),
          ["pong"],
          "the packets of the poll after the ping",
        );
      },
    },
    {
      id: "eio3.heartbeat.ping-answered-websocket",
      title: "Over WebSocket, the client's ping `2` is answered with a pong `3`",
      rules: ["EIO3-HEARTBEAT-01"],
      level: "MUST",
      requires: ["eio3", "websocket"],
      async run(ctx) {
        const socket = await ctx.eio3().openWebSocket();
        socket.send({ type: "ping" });
        const answer = await socket.nextPacket({ what: "the pong" });
        ctx.equal(answer.type, "pong", "the answer to the ping");
      },
    },
    {
      id: "eio3.heartbeat.pong-data",
      title: "The pong carries the data of the ping it answers (`2x` is answered `3x`)",
      rules: ["EIO3-HEARTBEAT-02"],
      level: "SHOULD",
      requires: ["eio3", "websocket"],
      async run(ctx) {
        const socket = await ctx.eio3().openWebSocket();
        socket.send({ type: "ping", data: "x" });
        const answer = await needs(P.v3PingAnswered, () => socket.nextPacket({ what: "the pong" }));
        ctx.deepEqual(answer, { type: "pong", data: "x" }, "the answer to 2x");
      },
    },
    {
      id: "eio3.heartbeat.no-server-ping",
      title: "The server never pings a v3 session (while the client pings on time)",
      rules: ["EIO3-HEARTBEAT-04"],
      level: "MUST",
      requires: ["eio3", "websocket"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.eio3().openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        const until = performance.now() + ctx.scale(I + T);
        while (performance.now() < until) {
          socket.send({ type: "ping" });
          const frames = await socket.ws.collect(Math.round(I / 2));
          const pings = frames.filter((f) => typeof f === "string" && f.startsWith("2"));
          if (pings.length)
            fail("the server sent a ping on a v3 session", { expected: "no ping", observed: String(pings[0]) });
          if (socket.ws.isClosed) fail("the session closed although the client pinged every pingInterval / 2");
        }
      },
    },
    {
      id: "eio3.heartbeat.pong-from-client-ends",
      title: "A pong from the client is a protocol error that ends the session",
      rules: ["EIO3-HEARTBEAT-04"],
      level: "MUST",
      requires: ["eio3", "websocket"],
      async run(ctx) {
        const socket = await ctx.eio3().openWebSocket();
        socket.send({ type: "pong" });
        await expectV3SocketGone(ctx, socket, "the client sent a pong");
      },
    },
    {
      id: "eio3.heartbeat.timeout",
      title: "A session that sends nothing is closed pingInterval + pingTimeout after the handshake",
      rules: ["EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "websocket"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.eio3().openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        const opened = socket.lastArrival || performance.now();
        await ctx.within((timeoutMs) => Promise.race([socket.ws.closed, ctx.sleep(timeoutMs)]), {
          earliest: I + T,
          latest: I + T,
          what: "the end of the silent session",
          since: opened,
        });
        if (!socket.ws.isClosed) fail("the silent session was not closed", { expected: "closed", observed: "open" });
      },
    },
    {
      id: "eio3.heartbeat.pings-keep-alive",
      title: "A session whose client pings every pingInterval stays open well past pingInterval + pingTimeout",
      rules: ["EIO3-HEARTBEAT-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "websocket"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.eio3().openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        const until = performance.now() + ctx.scale(2 * (I + T));
        while (performance.now() < until) {
          await v3SocketPing(socket);
          await ctx.sleep(Math.round(I * 0.8));
        }
        await expectV3SocketAlive(ctx, socket, `after ${Math.round(2 * (I + T))} ms of pings`);
      },
    },
    {
      id: "eio3.heartbeat.only-pings-count",
      title:
        "Messages without pings do not keep a session alive: it closes pingInterval + pingTimeout after the handshake",
      rules: ["EIO3-HEARTBEAT-06"],
      level: "SHOULD",
      requires: ["eio3", "websocket"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.eio3().openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        const until = performance.now() + ctx.scale(I + T) + ctx.grace(I + T);
        while (performance.now() < until && !socket.ws.isClosed) {
          socket.ws.send("4tick");
          await ctx.sleep(Math.round(I / 3));
        }
        if (!socket.ws.isClosed)
          fail("the session was kept alive by messages alone", {
            expected: `closed pingInterval + pingTimeout (${I + T} ms) after the handshake, without a ping`,
            observed: "still open",
          });
      },
    },
    {
      id: "eio3.heartbeat.held-get-at-timeout",
      title: "A GET held with nothing to send is answered `1:1` no later than the session's timeout",
      rules: ["EIO3-HEARTBEAT-05"],
      level: "SHOULD",
      requires: ["eio3", "polling"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.eio3().openPolling();
        const { I, T } = beat(ctx, session.handshake);
        const opened = performance.now();
        const { value } = await ctx.within((timeoutMs) => session.raw({ timeoutMs: Math.ceil(timeoutMs) + 50 }), {
          latest: I + T,
          what: "the answer to the held GET",
          since: opened,
        });
        ctx.equal(`${value.status} ${value.text}`, "200 1:1", "the answer to the held GET");
      },
    },
  ]),
);
