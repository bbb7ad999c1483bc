/**
 * Socket.IO v5, chapter ACK: the ACK for a client's EVENT (ids 0 and 2^53-1, on `/` and
 * `/custom`), acknowledgements the server asks for and the client's ACK reaching the application,
 * unknown and repeated ACKs, and the ack ids and ACK payloads that close the session.
 */
import { defineChapter } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { expectPacket } from "../../checks/sio-packet.js";
import { closesOrWarn, expectClosed, expectSilence, violation } from "../../checks/sio-violation.js";
import { echo, expectAckBack, join, onJoined, serverAsks } from "../../client/socketio-steps.js";

export const sio5AckCases = defineChapter("socket.io v5 / ack", [
  {
    id: "sio5.ack.reply-exact",
    title: '42456["message-with-ack",...] is answered 43456[...] with the same arguments (spelled otherwise: warning)',
    rules: ["SIO5-ACK-04", "SIO5-ACK-03", "SIO5-EVENT-06", "SIO5-PACKET-07", "SIO5-PACKET-09"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send('42456["message-with-ack",1,"2",{"3":[false]}]');
      await expectPacket(ctx, s, '43456[1,"2",{"3":[false]}]', "the ACK", { payload: P.eventEchoed, spelling: true });
    }),
  },
  {
    id: "sio5.ack.id-zero",
    title: "Ack id 0 is valid and answered 430[...]",
    rules: ["SIO5-ACK-01", "SIO5-ACK-04"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send('420["message-with-ack","zero"]');
      await expectPacket(ctx, s, '430["zero"]', "the ACK for id 0", { payload: P.eventEchoed });
    }),
  },
  {
    id: "sio5.ack.id-max",
    title: "Ack id 9007199254740991 (2^53-1) is valid and answered with the same digits",
    rules: ["SIO5-ACK-01", "SIO5-ACK-04", "SIO5-ACK-03"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send('429007199254740991["message-with-ack"]');
      await expectPacket(ctx, s, "439007199254740991[]", "the ACK for id 2^53-1", { payload: P.eventEchoed });
    }),
  },
  {
    id: "sio5.ack.custom-namespace",
    title: "An ACK answers on the namespace of its EVENT: 43/custom,12[...]",
    rules: ["SIO5-ACK-04", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("polling", async (ctx, s) => {
      await join(s, "/custom");
      s.send('42/custom,12["message-with-ack","x"]');
      await expectPacket(ctx, s, '43/custom,12["x"]', "the ACK on /custom", { payload: P.eventEchoed });
    }),
  },
  {
    id: "sio5.ack.none-without-id",
    title: "An EVENT without an ack id gets no ACK",
    rules: ["SIO5-ACK-05"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send('42["message-with-ack",1]');
      await expectSilence(s, ctx.scale(300), '42["message-with-ack",1] (no ack id)');
    }),
  },
  {
    id: "sio5.ack.server-asks",
    title: "The server asks for an ack with an id of its choosing; the client's ACK reaches the application unchanged",
    rules: ["SIO5-ACK-07", "SIO5-ACK-10", "SIO5-EVENT-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      const id = await serverAsks(s, ["a", 1]);
      s.send(`43${id}["r",{"n":2}]`);
      await expectAckBack(s, ["r", { n: 2 }]);
    }),
  },
  {
    id: "sio5.ack.server-asks-twice",
    title: "Two acks asked at once carry different ids, and each ACK is handed over once",
    rules: ["SIO5-ACK-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const first = await serverAsks(s, ["one"]);
      const second = await serverAsks(s, ["two"]);
      ctx.assert(first !== second, "the server asked two acks with the same id", {
        expected: "two ids",
        observed: `${first} and ${second}`,
      });
      s.send(`43${second}["for-two"]`, `43${first}["for-one"]`);
      await expectAckBack(s, ["for-two"], "/", "the ack-back of the second request");
      await expectAckBack(s, ["for-one"], "/", "the ack-back of the first request");
    }),
  },
  {
    id: "sio5.ack.unknown-id-ignored",
    title: "An ACK with an id nobody waits for is ignored and the session stays open",
    rules: ["SIO5-ACK-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('43987654["x"]');
      await echo(s, ["after"], "/", "the echo of the event after the unknown ACK");
    }),
  },
  {
    id: "sio5.ack.duplicate-ignored",
    title: "A second ACK for an answered id is ignored: one ack-back, the session stays open",
    rules: ["SIO5-ACK-06", "SIO5-ACK-05"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(s, []);
      s.send(`43${id}["first"]`, `43${id}["second"]`);
      // The application answers the ACK and the event in an order of its own: each is taken by name.
      await echo(s, ["after"], "/", "the echo of the event after the repeated ACK");
      await expectAckBack(s, ["first"]);
      await expectSilence(s, ctx.scale(200), "a repeated ACK");
    }),
  },
  {
    id: "sio5.ack.other-namespace",
    title: "An ACK on /custom does not answer a request made on /",
    rules: ["SIO5-ACK-08", "SIO5-ACK-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      await join(s, "/custom");
      const id = await serverAsks(s, ["x"]);
      s.send(`43/custom,${id}["wrong"]`);
      await echo(s, ["after"], "/custom", "the echo on /custom after the ACK on the wrong namespace");
      await expectSilence(s, ctx.scale(200), "an ACK on /custom for a request made on /");
    }),
  },
  {
    id: "sio5.ack.object-payload",
    title: "An ACK whose payload is not an array (43<id>{}) closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      const id = await serverAsks(s, []);
      s.send(`43${id}{}`);
      await expectClosed(s, `43${id}{}`);
    }),
  },
  {
    id: "sio5.ack.no-payload",
    title: "An ACK without payload closes the session (the official server accepts it: warning)",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(s, []);
      await closesOrWarn(ctx, s, [`43${id}`], `43${id} (an ACK with no payload)`);
    }),
  },
  {
    id: "sio5.ack.negative-id",
    title: "A signed ack id (42-1[...]) leaves no JSON array as payload and closes the session",
    rules: ["SIO5-EVENT-01", "SIO5-ACK-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42-1["message-with-ack"]'], '42-1["message-with-ack"]'),
  },
  {
    id: "sio5.ack.leading-zero",
    title: "An ack id with a leading zero closes the session (the official server reads 012 as 12: warning)",
    rules: ["SIO5-ACK-11", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['42012["message-with-ack","z"]'], '42012["message-with-ack","z"]'),
  },
  {
    id: "sio5.ack.id-too-large",
    title: "An ack id above 2^53-1 closes the session (the official server has no limit: warning)",
    rules: ["SIO5-ACK-11", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['429007199254740992["message-with-ack"]'], '429007199254740992["message-with-ack"]'),
  },
  {
    id: "sio5.ack.on-disconnect",
    title: "A DISCONNECT with an ack id (412) closes the session (the official server ignores the id: warning)",
    rules: ["SIO5-ACK-02", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(["412"], "412 (a DISCONNECT with an ack id)"),
  },
]);
