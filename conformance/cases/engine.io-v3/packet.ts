/**
 * Engine.IO v3, chapter PACKET: the seven types in their text form, and the v3 binary message,
 * which keeps its type: the byte 0x04 in front of the data in a WebSocket frame, `b4` + base64
 * in text. Judged through the bare Engine.IO echo.
 */
import { defineChapter, needs, show } from "../../case.js";
import { expectV3SocketGone } from "../../checks/v3-session.js";
import { PRECONDITIONS as P } from "../../preconditions.js";

const BYTES = new Uint8Array([1, 2, 3]);
const FRAME = new Uint8Array([4, 1, 2, 3]);

export const eio3PacketCases = defineChapter("engine.io v3 / packet", [
  {
    id: "eio3.packet.text-echo-polling",
    title: "A text message posted as `6:4hello` comes back over polling as the message hello",
    rules: ["EIO3-PACKET-01"],
    level: "MUST",
    requires: ["eio3", "engine-echo"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      await session.send("6:4hello");
      const { packets } = await session.get();
      ctx.deepEqual(packets, [{ type: "message", data: "hello" }], "the packets of the next poll");
    },
  },
  {
    id: "eio3.packet.text-echo-websocket",
    title: "The text frame `4hello` comes back over WebSocket as `4hello`",
    rules: ["EIO3-PACKET-01"],
    level: "MUST",
    requires: ["eio3", "websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.eio3().openWebSocket();
      socket.ws.send("4hello");
      ctx.equal(await socket.ws.next({ what: "the echo" }), "4hello", "the echoed frame");
    },
  },
  {
    id: "eio3.packet.binary-websocket",
    title: "A binary message travels over WebSocket as a binary frame starting with the type byte 0x04",
    rules: ["EIO3-PACKET-02"],
    level: "MUST",
    requires: ["eio3", "websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.eio3().openWebSocket();
      socket.ws.send(FRAME);
      const echoed = await socket.ws.next({ what: "the echo of <04 01 02 03>" });
      ctx.deepEqual(echoed, FRAME, "the echoed frame");
    },
  },
  {
    id: "eio3.packet.base64-text-frame",
    title: "A `b4` + base64 text frame is taken as a binary message (echoed as <04 ...>)",
    rules: ["EIO3-PACKET-04", "EIO3-PACKET-03", "EIO3-PACKET-02"],
    level: "MUST",
    requires: ["eio3", "websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.eio3().openWebSocket();
      socket.ws.send(`b4${Buffer.from(BYTES).toString("base64")}`);
      const echoed = await socket.ws.next({ what: "the echo of b4AQID" });
      ctx.deepEqual(echoed, FRAME, "the echoed frame");
    },
  },
  {
    id: "eio3.packet.binary-bad-type",
    title: "A binary frame whose first byte is not 0x04 is a protocol error that ends the session",
    rules: ["EIO3-PACKET-02"],
    level: "MUST",
    requires: ["eio3", "websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.eio3().openWebSocket();
      // The session must work first, so that its end is the bad frame's doing.
      socket.ws.send("4before");
      await needs(P.v3FrameDecodes, () => socket.ws.next({ what: "the echo of 4before" }));
      socket.ws.send(new Uint8Array([5, 1, 2, 3]));
      await expectV3SocketGone(ctx, socket, "the binary frame <05 01 02 03> was sent");
    },
  },
  {
    id: "eio3.packet.base64-record-polling",
    title: "With b64=1 a binary message comes back in a text payload as `b4` + base64",
    rules: ["EIO3-PACKET-03", "EIO3-PAYLOAD-09", "EIO3-TRANSPORT-02"],
    level: "MUST",
    requires: ["eio3", "engine-echo"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling({ b64: true });
      await session.send("10:b4AQIDBA==");
      const res = await session.raw();
      ctx.equal(res.status, 200, "status of the poll");
      ctx.match(res.headers["content-type"] ?? "", /^text\/plain/i, "content type of the poll (b64=1)");
      ctx.equal(res.text, "10:b4AQIDBA==", "the body of the poll");
    },
  },
  {
    id: "eio3.packet.b64-websocket",
    title: "With b64=1 a binary message comes back over WebSocket as a `b4` + base64 text frame",
    rules: ["EIO3-TRANSPORT-02"],
    level: "MUST",
    requires: ["eio3", "websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.eio3().openWebSocket({ query: { b64: "1" } });
      socket.ws.send(FRAME);
      const echoed = await socket.ws.next({ what: "the echo of <04 01 02 03>" });
      ctx.equal(typeof echoed === "string" ? echoed : show(echoed), "b4AQID", "the echoed frame");
    },
  },
]);
