/**
 * Engine.IO v4, chapter WS: one packet per WebSocket message, text and binary frames, `b`
 * text frames accepted as binary, what closes a WebSocket session, and one WebSocket per session.
 */
import { assert, defineChapter, fail, show } from "../../case.js";
import type { EngineSocket } from "../../client/engine.js";
import type { CaseContext } from "../../runner/context.js";
import { expectEchoed } from "../../checks/echo.js";
import { expectWsSessionGone } from "../../checks/gone.js";
import { answerPings, frameOf, nextFrame } from "../../client/reading.js";

/**
 * Opens a second WebSocket naming the session of `first` and tries to probe with it: it must be
 * refused, or closed without answering the probe, while `first` keeps the session.
 */
async function secondSocketRefused(ctx: CaseContext, first: EngineSocket, sid: string): Promise<void> {
  answerPings(first);
  const second = ctx.engine.rawWebSocket({ query: { sid } });
  if ((await second.opened).ok) {
    second.send("2probe");
    const closed = await Promise.race([
      second.closed,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), ctx.scale(ctx.handshake.pingInterval))),
    ]);
    const answers = second.inbox.items.filter((f) => f === "3probe");
    if (answers.length > 0) {
      // Let the hijack complete, so the transcript shows what it does to the first WebSocket.
      second.send("5");
      await Promise.race([first.ws.closed, new Promise((r) => setTimeout(r, ctx.scale(50)))]);
      fail("the server answered the probe of a second WebSocket for a session that already has one", {
        expected: "the second WebSocket refused or closed, no 3probe",
        observed: `3probe on the second WebSocket${first.ws.isClosed ? "; the first WebSocket was then closed" : ""}`,
      });
    }
    if (!closed)
      fail("the second WebSocket of the session was kept open", {
        expected: "refused, or closed right after 101",
        observed: `open after ${ctx.scale(ctx.handshake.pingInterval)} ms`,
      });
  }
  first.ws.send("4still-here");
  await expectEchoed(
    ctx,
    frameOf(await nextFrame(first, "the echo on the first WebSocket")),
    frameOf("4still-here"),
    "the echo on the first WebSocket",
    "websocket",
  );
}

export const websocketCases = defineChapter("engine.io v4 / ws", [
  {
    id: "eio4.ws.text-echo",
    title: "A text packet travels in one text frame, echoed as the same text frame",
    rules: ["EIO4-WS-03", "EIO4-WS-02", "EIO4-PACKET-06"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4hello");
      ctx.equal(frameOf(await nextFrame(socket, "the echo")), frameOf("4hello"), "the echoed frame");
    },
  },
  {
    id: "eio4.ws.binary-echo",
    title: "A binary message is sent back as a binary frame of exactly its bytes, never as `b` text",
    rules: ["EIO4-WS-03", "EIO4-WS-05"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send(new Uint8Array([1, 2, 3, 4]));
      const frame = await nextFrame(socket, "the binary echo");
      assert(typeof frame !== "string", "the binary message came back as a text frame", {
        expected: "binary frame <01020304>",
        observed: show(frame),
      });
      ctx.equal(frameOf(frame), "<01020304>", "the echoed binary frame");
    },
  },
  {
    id: "eio4.ws.base64-text-frame",
    title: "A text frame `bAQID` is accepted as the binary message <01 02 03>",
    rules: ["EIO4-WS-04", "EIO4-WS-05"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("bAQID");
      ctx.equal(frameOf(await nextFrame(socket, "the echo of bAQID")), "<010203>", "the echo of the text frame bAQID");
    },
  },
  {
    id: "eio4.ws.base64-text-frame-invalid",
    title: "A text frame `b` with invalid base64 is a protocol error that closes the session",
    rules: ["EIO4-WS-06", "EIO4-PAYLOAD-13", "EIO4-WS-04"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("bAQ!D");
      const closed = await Promise.race([
        socket.ws.closed,
        socket.ws.collect(ctx.scale(ctx.handshake.pingInterval)).then(() => undefined),
      ]);
      // Note to EIO4-PAYLOAD-13: the official server decodes base64 leniently, a SHOULD broken.
      if (!closed) {
        ctx.softFail("the WebSocket stayed open after the frame bAQ!D (EIO4-PAYLOAD-13)", {
          expected: "the session closed",
          observed: "still open",
        });
        return;
      }
      // Once taken for a protocol error, the frame must end the session, not only its WebSocket.
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "the frame bAQ!D");
    },
  },
  {
    id: "eio4.ws.open-first-only",
    title: "The open packet is the first frame and is never sent again",
    rules: ["EIO4-HANDSHAKE-10", "EIO4-HANDSHAKE-02"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4first");
      socket.ws.send("4second");
      const frames = [await nextFrame(socket, "the first echo"), await nextFrame(socket, "the second echo")];
      await expectEchoed(
        ctx,
        frames.map(frameOf),
        [frameOf("4first"), frameOf("4second")],
        "the frames after the open packet",
        "websocket",
      );
      const later = (await socket.ws.collect(ctx.scale(50))).filter((f) => typeof f === "string" && f.startsWith("0"));
      ctx.deepEqual(later.map(frameOf), [], "open packets after the first frame");
    },
  },
  {
    id: "eio4.ws.burst-frames",
    title: "Five packets the server sends at once travel in five frames",
    rules: ["EIO4-WS-02"],
    level: "MUST",
    requires: ["websocket", "control"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4sockspec:burst:5");
      const frames: string[] = [];
      for (let i = 1; i <= 5; i++) frames.push(frameOf(await nextFrame(socket, `burst frame ${i}`)));
      ctx.deepEqual(
        frames,
        [1, 2, 3, 4, 5].map((n) => frameOf(`4burst:${n}`)),
        "the five frames",
      );
    },
  },
  {
    id: "eio4.ws.separator-is-data",
    title: "0x1E in a text frame is data: `4a\\x1eb` is the one message `a\\x1eb`",
    rules: ["EIO4-WS-02"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4a\x1eb");
      await expectEchoed(
        ctx,
        frameOf(await nextFrame(socket, "the echo")),
        frameOf("4a\x1eb"),
        "the echoed frame",
        "websocket",
      );
      const extra = await socket.ws.collect(ctx.scale(50));
      ctx.deepEqual(extra.filter((f) => f !== "2").map(frameOf), [], "frames after the echo");
    },
  },
  {
    id: "eio4.ws.invalid-frame",
    title: "A text frame that is no packet (`abc`) closes the WebSocket and the session",
    rules: ["EIO4-WS-06", "EIO4-PACKET-05"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("abc");
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "the frame abc");
    },
  },
  {
    id: "eio4.ws.invalid-utf8",
    title: "A text frame that is not UTF-8 fails the WebSocket and ends the session (with close code 1007)",
    rules: ["EIO4-WS-06", "EIO4-WS-11", "EIO4-WS-09"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      ctx.note(`${socket.ws.conn}: a text frame of the bytes 34 ff fe`);
      // ws sends a Buffer given with binary:false as a text frame without checking it.
      (socket.ws as unknown as { socket: { send(d: Buffer, o: { binary: boolean }): void } }).socket.send(
        Buffer.from([0x34, 0xff, 0xfe]),
        { binary: false },
      );
      // The code tells a 1007 from a close for another reason (a ping timeout comes later anyway).
      const { value: closed } = await ctx.within(socket.ws.closed, {
        latest: ctx.handshake.pingInterval,
        what: "the close of the WebSocket",
      });
      if (closed.code !== 1007)
        ctx.softFail(`the close code is ${closed.code} (EIO4-WS-11)`, {
          expected: "1007",
          observed: String(closed.code),
        });
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "invalid UTF-8");
    },
  },
  {
    id: "eio4.ws.frame-after-close",
    title: "A frame that arrives after the server closed the session is not delivered",
    rules: ["EIO4-CLOSE-11", "EIO4-CLOSE-08", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["websocket", "control"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4sockspec:close");
      socket.ws.send("4late");
      const frames: string[] = [];
      await Promise.race([socket.ws.closed, new Promise((r) => setTimeout(r, ctx.answerTimeoutMs))]);
      for (const f of socket.ws.inbox.items.splice(0)) frames.push(frameOf(f));
      ctx.assert(socket.ws.isClosed, "the server did not close the WebSocket after sockspec:close", {
        expected: "a close",
        observed: "still open",
      });
      const late = frames.filter((f) => f.includes("late"));
      if (late.length > 0)
        ctx.softFail("the frame sent after the server's close was still delivered (EIO4-CLOSE-11)", {
          expected: "no echo of 4late",
          observed: late.join(" "),
        });
    },
  },
  {
    id: "eio4.ws.second-session",
    title: "A second WebSocket without sid opens a separate session, with a sid of its own",
    rules: ["EIO4-WS-01", "EIO4-HANDSHAKE-01", "EIO4-HANDSHAKE-15"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const a = await ctx.engine.openWebSocket();
      const b = await ctx.engine.openWebSocket();
      ctx.assert(a.handshake!.sid !== b.handshake!.sid, "both WebSockets got the same sid", {
        observed: a.handshake!.sid,
      });
      a.ws.send("4to-a");
      b.ws.send("4to-b");
      const echoes = [
        frameOf(await nextFrame(a, "the echo on the first")),
        frameOf(await nextFrame(b, "the echo on the second")),
      ];
      await expectEchoed(
        ctx,
        echoes,
        [frameOf("4to-a"), frameOf("4to-b")],
        "the echoes on the first and the second WebSocket",
        "websocket",
      );
    },
  },
  {
    id: "eio4.ws.close-ends-session",
    title: "When the client closes the WebSocket of a WebSocket session, the session ends",
    rules: ["EIO4-WS-09"],
    level: "SHOULD",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      await socket.close();
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "the close frame");
    },
  },
  {
    id: "eio4.ws.reset-ends-session",
    title: "When the TCP connection of a WebSocket session drops, the session ends",
    rules: ["EIO4-WS-09"],
    level: "SHOULD",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.terminate();
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "the dropped connection");
    },
  },
  {
    id: "eio4.ws.second-websocket-same-sid",
    title: "A second WebSocket naming an upgraded session is closed; the first one goes on",
    rules: ["EIO4-WS-07"],
    level: "MUST",
    requires: ["polling", "websocket", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await secondSocketRefused(ctx, await ctx.engine.upgrade(session), session.sid);
    },
  },
  {
    id: "eio4.ws.second-websocket-ws-session",
    title: "A WebSocket naming a session opened over WebSocket is closed; the session and its WebSocket go on",
    rules: ["EIO4-WS-07"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const first = await ctx.engine.openWebSocket();
      await secondSocketRefused(ctx, first, first.handshake!.sid);
    },
  },
]);
