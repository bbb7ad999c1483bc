/**
 * Socket.IO v4, chapters BINARY and DISCONNECT: binary attachments as Engine.IO v3 binary
 * messages (a frame starting with 0x04 over WebSocket, an XHR2 binary payload over polling),
 * and leaving a namespace in either direction.
 */
import { defineChapter } from "../../case.js";
import { expectV4Open, joinedV4 } from "../../checks/v3-socketio.js";

const PLACEHOLDER = '{"_placeholder":true,"num":0}';

export const sio4BinaryCases = defineChapter("socket.io v4 / binary and disconnect", [
  {
    id: "sio4.binary.one-attachment",
    title: "A binary event with one attachment comes back as `51-[...]` and the frame <04 01 02 03>",
    rules: [
      "SIO4-BINARY-01",
      "SIO4-BINARY-02",
      "SIO4-BINARY-03",
      "SIO4-BINARY-04",
      "SIO4-BINARY-05",
      "SIO4-PACKET-04",
      "EIO3-PACKET-02",
    ],
    level: "MUST",
    requires: ["eio3", "socketio-echo", "websocket"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      io.link.send([
        { type: "message", data: `51-["message",${PLACEHOLDER}]` },
        { type: "message", data: new Uint8Array([1, 2, 3]) },
      ]);
      const back = await io.expectEvent("message-back");
      ctx.equal(back.received.text, `51-["message-back",${PLACEHOLDER}]`, "the echoed BINARY_EVENT");
      ctx.deepEqual(back.args, [new Uint8Array([1, 2, 3])], "the echoed arguments");
    },
  },
  {
    id: "sio4.binary.polling",
    title: "Over polling (no b64) the attachment comes back as a binary packet of an XHR2 payload",
    rules: ["SIO4-BINARY-05", "SIO4-BINARY-03", "EIO3-PAYLOAD-05", "EIO3-PAYLOAD-04"],
    level: "MUST",
    requires: ["eio3", "socketio-echo"],
    async run(ctx) {
      // Raw polling at the Socket.IO endpoint: the bytes of the answer are what is judged.
      const session = await ctx.eio3(ctx.config.path).openPolling();
      let seen = session.response.text;
      for (let i = 0; i < 3 && !seen.includes('"auth"'); i++) seen += (await session.raw()).text;
      const text = `51-["message",${PLACEHOLDER}]`;
      await session.send(`${text.length + 1}:4${text}6:b4AQID`);
      const res = await session.raw();
      ctx.match(
        res.headers["content-type"] ?? "",
        /^application\/octet-stream/i,
        "content type of the poll with the echo",
      );
      const hex = Buffer.from(res.bytes).toString("hex");
      const echoed = Buffer.from(`4${text.replace('"message"', '"message-back"')}`).toString("hex");
      ctx.assert(
        hex.includes(echoed) && hex.endsWith("0104ff04010203"),
        "the payload holds the packet text, then the attachment <04 01 02 03>",
        {
          expected: `...${echoed}0104ff04010203`,
          observed: hex,
        },
      );
    },
  },
  {
    id: "sio4.binary.ack",
    title: "An ack whose arguments hold bytes is a BINARY_ACK `61-0[...]` with its attachment",
    rules: ["SIO4-BINARY-01", "SIO4-ACK-03", "EIO3-PACKET-02"],
    level: "MUST",
    requires: ["eio3", "socketio-echo", "websocket"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      io.link.send([
        { type: "message", data: `51-0["message-with-ack",${PLACEHOLDER}]` },
        { type: "message", data: new Uint8Array([7, 8]) },
      ]);
      const ack = await io.next((r) => r.packet?.type === "BINARY_ACK" || r.packet?.type === "ACK", {
        what: "the ACK 0",
      });
      ctx.equal(ack.text, `61-0[${PLACEHOLDER}]`, "the BINARY_ACK");
      ctx.deepEqual(ack.attachments, [new Uint8Array([7, 8])], "its attachment");
    },
  },
  {
    id: "sio4.disconnect.server",
    title: "`disconnect-me` on /custom makes the server send `1/custom,` (no payload, no ack id)",
    rules: ["SIO4-DISCONNECT-02", "SIO4-DISCONNECT-01"],
    level: "MUST",
    requires: ["eio3", "socketio-echo"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      await io.join("/custom");
      io.emit("disconnect-me", [], "/custom");
      const bye = await io.next((r) => r.packet?.type === "DISCONNECT", { what: "the DISCONNECT for /custom" });
      ctx.equal(bye.text, "1/custom,", "the server's DISCONNECT");
    },
  },
  {
    id: "sio4.disconnect.client-rejoin",
    title: "After the client's `41/custom,` the namespace can be joined again on the same session",
    rules: ["SIO4-DISCONNECT-02"],
    level: "MUST",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      await io.join("/custom");
      io.sendRaw("1/custom,");
      const again = await io.connect("/custom");
      ctx.equal(again.text, "0/custom,", "the answer to the second CONNECT for /custom");
    },
  },
  {
    id: "sio4.disconnect.root-keeps-session",
    title: "Leaving `/` keeps the Engine.IO session open",
    rules: ["SIO4-DISCONNECT-03"],
    level: "SHOULD",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      await io.join("/custom");
      io.sendRaw("1");
      await expectV4Open(ctx, io, "the client left /");
    },
  },
]);
