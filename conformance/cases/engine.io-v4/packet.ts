/**
 * Engine.IO v4, chapter PACKET: the text form of each packet, binary messages, what a server
 * must refuse (unknown types, data on dataless types) and what it must ignore.
 */
import { assert, defineChapter, show } from "../../case.js";
import type { CaseContext } from "../../runner/context.js";
import { expectAlive } from "../../checks/alive.js";
import { expectEchoed, pollMessages } from "../../checks/echo.js";
import { expectClosed, expectWsSessionGone, sessionState } from "../../checks/gone.js";
import { type Polled, dataOf, frameOf, nextFrame, postOk, postTolerant } from "../../client/reading.js";

/** A fresh polling session for each input: each one must be closed as a protocol error. */
async function eachClosesSession(ctx: CaseContext, bodies: string[]): Promise<void> {
  for (const body of bodies) {
    const session = await ctx.engine.openPolling();
    await postTolerant(session, body);
    await expectClosed(ctx, session, `the invalid payload ${show(body)}`);
  }
}

/**
 * POSTs `body` and checks the echoes come back as sent, in order. `judge`: `own` when what comes
 * back is the case's own rule (the data after the type digit), `echo` when a broken echo blocks
 * the case instead (see conformance/checks/echo.ts).
 */
async function echoesPolling(
  ctx: CaseContext,
  body: string,
  expected: Array<string | Uint8Array>,
  judge: "own" | "echo" = "echo",
): Promise<Polled> {
  const session = await postOk(ctx, body);
  const polled = await pollMessages(ctx, session, expected.length, "the echo");
  const got = polled.messages.map((m) => dataOf(m));
  const want = expected.map((d) => dataOf({ type: "message", data: d }));
  if (judge === "own") ctx.deepEqual(got, want, `echo of ${show(body)}`);
  else await expectEchoed(ctx, got, want, `echo of ${show(body)}`);
  return polled;
}

// ---- the cases --------------------------------------------------------------------------------

export const packetCases = defineChapter("engine.io v4 / packet", [
  {
    id: "eio4.packet.text-echo",
    title: "A text message posted over polling is delivered with its data intact",
    rules: ["EIO4-PACKET-02", "EIO4-PACKET-06", "EIO4-PACKET-09", "EIO4-POLLING-01"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      await echoesPolling(ctx, "4hello", ["hello"], "own");
    },
  },
  {
    id: "eio4.packet.data-after-type",
    title: "Only the first character is the type: `42` is the message `2`, `4 x` the message ` x`",
    rules: ["EIO4-PACKET-06"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      for (const [body, data] of [
        ["42", "2"],
        ["4 x", " x"],
        ["44", "4"],
        ["41", "1"],
      ] as const)
        await echoesPolling(ctx, body, [data], "own");
    },
  },
  {
    id: "eio4.packet.looks-binary-text",
    title: "A text message whose data looks like base64 stays a text message",
    rules: ["EIO4-PACKET-06", "EIO4-PACKET-02"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { responses } = await echoesPolling(ctx, "4bAQIDBA==", ["bAQIDBA=="], "own");
      ctx.assert(
        responses.some((r) => r.text.split("\x1e").includes("4bAQIDBA==")),
        "the echo is not the text record 4bAQIDBA==",
        { expected: "4bAQIDBA==", observed: show(responses.map((r) => r.text)) },
      );
    },
  },
  {
    id: "eio4.packet.empty-message",
    title: "The empty text message `4` is a valid message and comes back as `4`",
    rules: ["EIO4-PACKET-09", "EIO4-PACKET-02", "EIO4-PACKET-06"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { responses } = await echoesPolling(ctx, "4", [""], "own");
      ctx.assert(
        responses.some((r) => r.text.split("\x1e").includes("4")),
        "the empty message was not echoed as the record 4",
        { expected: "4", observed: show(responses.map((r) => r.text)) },
      );
    },
  },
  {
    id: "eio4.packet.utf8-polling",
    title: "Multi-byte UTF-8 (é, €, 😀) crosses polling both ways with every byte intact",
    rules: ["EIO4-PACKET-08", "EIO4-PAYLOAD-09"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const text = "h€llo 😀 é";
      const { responses } = await echoesPolling(ctx, "4" + text, [text]);
      const want = Buffer.from("4" + text, "utf8");
      ctx.assert(
        responses.some((r) => Buffer.from(r.bytes).includes(want)),
        "the echoed bytes differ from the UTF-8 encoding",
        {
          expected: want.toString("hex"),
          observed: responses.map((r) => Buffer.from(r.bytes).toString("hex")).join(" "),
        },
      );
    },
  },
  {
    id: "eio4.packet.utf8-websocket",
    title: "Multi-byte UTF-8 (é, €, 😀) crosses a WebSocket both ways intact",
    rules: ["EIO4-PACKET-08", "EIO4-WS-03"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4h€llo 😀 é");
      await expectEchoed(
        ctx,
        frameOf(await nextFrame(socket, "the echo")),
        frameOf("4h€llo 😀 é"),
        "the echoed frame",
        "websocket",
      );
    },
  },
  {
    id: "eio4.packet.binary-polling",
    title: "A binary message travels over polling as `b` + base64, both ways",
    rules: ["EIO4-PACKET-03", "EIO4-PAYLOAD-02", "EIO4-PACKET-09"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { responses } = await echoesPolling(ctx, "bAQIDBA==", [new Uint8Array([1, 2, 3, 4])]);
      ctx.assert(
        responses.some((r) => r.text.split("\x1e").includes("bAQIDBA==")),
        "the binary echo is not the record bAQIDBA==",
        { expected: "bAQIDBA==", observed: show(responses.map((r) => r.text)) },
      );
    },
  },
  {
    id: "eio4.packet.binary-empty-polling",
    title: "The record `b` is an empty binary message and comes back as `b`",
    rules: ["EIO4-PAYLOAD-02", "EIO4-PACKET-09"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { responses } = await echoesPolling(ctx, "b", [new Uint8Array()]);
      ctx.assert(
        responses.some((r) => r.text.split("\x1e").includes("b")),
        "the empty binary echo is not the record b",
        { expected: "b", observed: show(responses.map((r) => r.text)) },
      );
    },
  },
  {
    id: "eio4.packet.binary-websocket",
    title: "A binary frame is a message of exactly its bytes, echoed as a binary frame",
    rules: ["EIO4-PACKET-04", "EIO4-PACKET-03", "EIO4-WS-03", "EIO4-WS-05"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      // Bytes that would mean something as text: the digit 4, 0x1e, and invalid UTF-8.
      const data = new Uint8Array([0x34, 0x1e, 0xff, 0x00, 0x32]);
      socket.ws.send(data);
      await expectEchoed(
        ctx,
        frameOf(await nextFrame(socket, "the binary echo")),
        frameOf(data),
        "the echoed frame",
        "websocket",
      );
    },
  },
  {
    id: "eio4.packet.binary-empty-websocket",
    title: "An empty binary frame is a valid empty binary message, echoed as an empty binary frame",
    rules: ["EIO4-PACKET-09", "EIO4-PACKET-04", "EIO4-WS-05"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send(new Uint8Array());
      await expectEchoed(
        ctx,
        frameOf(await nextFrame(socket, "the empty binary echo")),
        frameOf(new Uint8Array()),
        "the echoed frame",
        "websocket",
      );
    },
  },
  {
    id: "eio4.packet.unknown-type-polling",
    title: "A record of unknown type (`7`, `abc`, `9hello`) closes the session",
    rules: ["EIO4-PACKET-05", "EIO4-PACKET-01"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      await eachClosesSession(ctx, ["7", "abc", "9hello"]);
    },
  },
  {
    id: "eio4.packet.unknown-type-websocket",
    title: "A text frame of unknown type (`7`) closes the session",
    rules: ["EIO4-PACKET-05", "EIO4-WS-06"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("7");
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "the frame 7");
    },
  },
  {
    id: "eio4.packet.empty-frame-websocket",
    title: "An empty text frame is a packet of no type and closes the session",
    rules: ["EIO4-PACKET-05", "EIO4-WS-06"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("");
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "an empty text frame");
    },
  },
  {
    id: "eio4.packet.dataless-types",
    title: "Close, upgrade and noop with data (`1x`, `5x`, `6x`) are protocol errors",
    rules: ["EIO4-PACKET-07"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      for (const body of ["1x", "5x", "6x"]) {
        const session = await ctx.engine.openPolling();
        await postTolerant(session, body);
        ctx.equal(await sessionState(ctx, session), "gone", `the session after ${body}`);
      }
    },
  },
  {
    id: "eio4.packet.ignored-types",
    title: "A noop or upgrade packet from the client outside an upgrade is ignored",
    rules: ["EIO4-PACKET-11"],
    level: "SHOULD",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      for (const [record, label] of [
        ["6", "noop"],
        ["5", "upgrade"],
      ] as const) {
        const session = await ctx.engine.openPolling();
        const res = await session.post(`${record}\x1e4after-${label}`);
        ctx.equal(res.status, 200, `status of a POST holding a ${label} packet`);
        const { messages } = await pollMessages(ctx, session, 1, `the message after the ${label} packet`);
        await expectEchoed(
          ctx,
          messages.slice(0, 1).map(dataOf),
          [JSON.stringify(`after-${label}`)],
          `the message after the ${label} packet`,
        );
      }
    },
  },
  {
    id: "eio4.packet.pong-with-data",
    title: "A pong with data other than probe is a plain pong: the session goes on",
    rules: ["EIO4-PACKET-13", "EIO4-HEARTBEAT-07"],
    level: "SHOULD",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      ctx.equal((await session.post("3hello")).status, 200, "status of the POST of 3hello");
      await expectAlive(ctx, session, "the pong 3hello");
    },
  },
  {
    id: "eio4.packet.order-websocket",
    title:
      "Twenty messages, text and binary mixed, are echoed over WebSocket in the order sent, each in its kind of frame",
    rules: ["EIO4-PACKET-09", "EIO4-WS-05"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const sent: Array<string | Uint8Array> = [];
      for (let i = 0; i < 20; i++) sent.push(i % 2 ? new Uint8Array([i, 0xff - i]) : `4m${i}`);
      for (const f of sent) socket.ws.send(f);
      const got: Array<string | Uint8Array> = [];
      for (let i = 0; i < sent.length; i++) got.push(await nextFrame(socket, `echo ${i + 1} of ${sent.length}`));
      assert(got.length === sent.length, "echo count");
      await expectEchoed(ctx, got.map(frameOf), sent.map(frameOf), "the echoed frames in order", "websocket");
    },
  },
]);
