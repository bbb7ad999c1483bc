/**
 * Socket.IO v4, chapters PACKET, EVENT and ACK: events and acknowledgements as the echo app
 * answers them, written exactly as version 4 says, and the violations a server should close the
 * session for (an EVENT that is not a non-empty array, a reserved name, an ack id with a leading
 * zero, an unknown type).
 */
import { defineChapter } from "../../case.js";
import { expectV4Ended, joinedV4 } from "../../checks/v3-socketio.js";
import type { CaseContext } from "../../runner/context.js";

/** A case that sends one invalid packet text and expects the session to close (SHOULD). */
function violation(id: string, title: string, rules: string[], text: string) {
  return {
    id,
    title,
    rules,
    level: "SHOULD" as const,
    requires: ["eio3" as const, "socketio" as const],
    async run(ctx: CaseContext) {
      const io = await joinedV4(ctx);
      io.sendRaw(text);
      await expectV4Ended(ctx, io, `the client sent 4${text}`);
    },
  };
}

export const sio4EventCases = defineChapter("socket.io v4 / event and ack", [
  {
    id: "sio4.event.echo",
    title: '`message` comes back as `2["message-back",...]` with the same arguments',
    rules: ["SIO4-EVENT-01", "SIO4-PACKET-01", "SIO4-PACKET-02"],
    level: "MUST",
    requires: ["eio3", "socketio-echo"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      io.emit("message", ["x", 1, { a: [2] }]);
      const back = await io.expectEvent("message-back");
      ctx.equal(back.received.text, '2["message-back","x",1,{"a":[2]}]', "the echoed EVENT");
    },
  },
  {
    id: "sio4.event.custom-namespace",
    title: "On /custom the echo carries the namespace and its comma: `2/custom,[...]`",
    rules: ["SIO4-NAMESPACE-01", "SIO4-EVENT-01"],
    level: "MUST",
    requires: ["eio3", "socketio-echo"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      await io.join("/custom");
      io.emit("message", ["y"], "/custom");
      const back = await io.expectEvent("message-back", "/custom");
      ctx.equal(back.received.text, '2/custom,["message-back","y"]', "the echoed EVENT");
    },
  },
  {
    id: "sio4.ack.reply",
    title: '`20["message-with-ack",1,"a"]` is acknowledged `30[1,"a"]`',
    rules: ["SIO4-ACK-04", "SIO4-ACK-01", "SIO4-ACK-03"],
    level: "MUST",
    requires: ["eio3", "socketio-echo"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      const ack = await io.emitWithAck([1, "a"]);
      ctx.equal(ack.text, '30[1,"a"]', "the ACK");
    },
  },
  {
    id: "sio4.ack.custom-namespace",
    title: "On /custom the ACK carries the namespace and the id of the EVENT",
    rules: ["SIO4-ACK-04", "SIO4-ACK-03"],
    level: "MUST",
    requires: ["eio3", "socketio-echo"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      await io.join("/custom");
      await io.emitWithAck(["first"], "/custom");
      const ack = await io.emitWithAck(["z"], "/custom");
      ctx.equal(ack.text, '3/custom,1["z"]', "the second ACK on /custom");
    },
  },
  {
    id: "sio4.ack.server-asks",
    title: "`emit-with-ack` comes back as an EVENT with an ack id; the client's ACK reaches the app (`ack-back`)",
    rules: ["SIO4-ACK-01", "SIO4-ACK-04"],
    level: "MUST",
    requires: ["eio3", "socketio-echo"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      io.emit("emit-with-ack", ["q"]);
      const asked = await io.expectEvent("emit-with-ack");
      ctx.match(
        asked.received.text,
        /^2(?:0|[1-9]\d*)\["emit-with-ack","q"\]$/,
        "the server's EVENT asking for an ack",
      );
      io.sendRaw(`3${asked.id}["answer"]`);
      ctx.deepEqual((await io.expectEvent("ack-back")).args, ["answer"], "the arguments of ack-back");
    },
  },
  violation(
    "sio4.event.object-payload",
    'An EVENT whose payload is not an array (`2{"a":1}`) closes the session',
    ["SIO4-ERROR-02"],
    '2{"a":1}',
  ),
  violation(
    "sio4.event.reserved-name",
    'An EVENT named with a reserved name (`2["connect"]`) is a violation that closes the session',
    ["SIO4-EVENT-02"],
    '2["connect"]',
  ),
  violation(
    "sio4.ack.leading-zero",
    'An ack id with a leading zero (`2012["message-with-ack"]`) is a violation that closes the session',
    ["SIO4-ACK-05"],
    '2012["message-with-ack"]',
  ),
  violation(
    "sio4.ack.no-payload",
    "An ACK without a payload (`30`) is a violation that closes the session",
    ["SIO4-ACK-06"],
    "30",
  ),
  violation("sio4.packet.unknown-type", "A packet of unknown type (`7`) closes the session", ["SIO4-ERROR-02"], "7"),
  violation(
    "sio4.error.from-client",
    'An ERROR packet from the client (`4"x"`) is a violation that closes the session',
    ["SIO4-ERROR-02"],
    '4"x"',
  ),
]);
