/**
 * Socket.IO v5, chapter ACK: the exact ACK for a client's EVENT (ids 0 and 2^53-1, on `/` and
 * `/custom`), acknowledgements the server asks for, unknown and repeated ACKs, and the ack ids
 * and ACK payloads that close the session.
 */
import { defineChapter, fail, show } from "../../case.js";
import type { CaseContext } from "../../runner/context.js";
import { closesOrWarn, onJoined, stripOffset, violation, type RawSession } from "./helpers.js";

/**
 * Makes the server ask for an ack: sends `emit-with-ack` with `args`, expects the server's
 * `42<id>["emit-with-ack",...args]` on `nsp` and returns the id (whatever number it chose).
 */
export async function serverAsks(ctx: CaseContext, s: RawSession, args: unknown[], nsp = "/"): Promise<number> {
  const prefix = nsp === "/" ? "42" : `42${nsp},`;
  s.send(`${prefix}${JSON.stringify(["emit-with-ack", ...args])}`);
  const text = await s.nextText("the server's emit-with-ack event");
  const m = /^([0-9]+)(\[.*)$/s.exec(text.startsWith(prefix) ? text.slice(prefix.length) : "");
  if (!m) fail("the server's emit-with-ack event asks for no ack", { expected: `${prefix}<id>["emit-with-ack",...]`, observed: show(text) });
  ctx.deepEqual(JSON.parse(m[2]!), ["emit-with-ack", ...args], "the arguments of the server's emit-with-ack");
  const id = Number(m[1]);
  ctx.note(`the server asked for ack id ${id}`);
  return id;
}

export const sio5AckCases = defineChapter("socket.io v5 / ack", [
  {
    id: "sio5.ack.reply-exact",
    title: "42456[\"message-with-ack\",...] is answered with exactly 43456[...] and the same arguments",
    rules: ["SIO5-ACK-04", "SIO5-EVENT-06", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('42456["message-with-ack",1,"2",{"3":[false]}]');
      await s.expectText('43456[1,"2",{"3":[false]}]', "the ACK");
    }),
  },
  {
    id: "sio5.ack.id-zero",
    title: "Ack id 0 is valid and answered 430[...]",
    rules: ["SIO5-ACK-01", "SIO5-ACK-04"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('420["message-with-ack","zero"]');
      await s.expectText('430["zero"]', "the ACK for id 0");
    }),
  },
  {
    id: "sio5.ack.id-max",
    title: "Ack id 9007199254740991 (2^53-1) is valid and answered with the same digits",
    rules: ["SIO5-ACK-01", "SIO5-ACK-04"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('429007199254740991["message-with-ack"]');
      await s.expectText("439007199254740991[]", "the ACK for id 2^53-1");
    }),
  },
  {
    id: "sio5.ack.custom-namespace",
    title: "An ACK answers on the namespace of its EVENT: 43/custom,12[...]",
    rules: ["SIO5-ACK-04", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("polling", async (_ctx, s) => {
      await s.join("/custom");
      s.send('42/custom,12["message-with-ack","x"]');
      await s.expectText('43/custom,12["x"]', "the ACK on /custom");
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
      await s.expectSilence(ctx.scale(300), '42["message-with-ack",1] (no ack id)');
    }),
  },
  {
    id: "sio5.ack.server-asks",
    title: "The server asks for an ack with an id of its choosing; the client's ACK reaches the application",
    rules: ["SIO5-ACK-07", "SIO5-ACK-04", "SIO5-EVENT-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(ctx, s, ["a", 1]);
      s.send(`43${id}["r",{"n":2}]`);
      await s.expectText('42["ack-back","r",{"n":2}]', "the ack-back event");
    }),
  },
  {
    id: "sio5.ack.server-asks-twice",
    title: "Two acks asked at once carry different ids, and each ACK goes to its own request",
    rules: ["SIO5-ACK-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const first = await serverAsks(ctx, s, ["one"]);
      const second = await serverAsks(ctx, s, ["two"]);
      ctx.assert(first !== second, "the server asked two acks with the same id", { expected: "two ids", observed: `${first} and ${second}` });
      s.send(`43${second}["for-two"]`, `43${first}["for-one"]`);
      await s.expectText('42["ack-back","for-two"]', "the ack-back of the second request");
      await s.expectText('42["ack-back","for-one"]', "the ack-back of the first request");
    }),
  },
  {
    id: "sio5.ack.unknown-id-ignored",
    title: "An ACK with an id nobody waits for is ignored and the session stays open",
    rules: ["SIO5-ACK-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('43987654["x"]', '42["message","after"]');
      await s.expectText('42["message-back","after"]', "the echo of the event after the unknown ACK");
    }),
  },
  {
    id: "sio5.ack.duplicate-ignored",
    title: "A second ACK for an answered id is ignored: one ack-back, the session stays open",
    rules: ["SIO5-ACK-06", "SIO5-ACK-05"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(ctx, s, []);
      s.send(`43${id}["first"]`, `43${id}["second"]`, '42["message","after"]');
      // The application answers the ACK and the event in an order of its own: take both.
      const got = [stripOffset(ctx, await s.nextText("the ack-back and the echo")), stripOffset(ctx, await s.nextText("the ack-back and the echo"))].sort();
      ctx.deepEqual(got, ['42["ack-back","first"]', '42["message-back","after"]'], "the answers to the first ACK and to the event after the repeated ACK");
      await s.expectSilence(ctx.scale(200), "a repeated ACK");
    }),
  },
  {
    id: "sio5.ack.other-namespace",
    title: "An ACK on /custom does not answer a request made on /",
    rules: ["SIO5-ACK-08", "SIO5-ACK-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      await s.join("/custom");
      const id = await serverAsks(ctx, s, ["x"]);
      s.send(`43/custom,${id}["wrong"]`, '42/custom,["message","after"]');
      await s.expectText('42/custom,["message-back","after"]', "the echo on /custom after the ACK on the wrong namespace");
      await s.expectSilence(ctx.scale(200), "an ACK on /custom for a request made on /");
    }),
  },
  {
    id: "sio5.ack.object-payload",
    title: "An ACK whose payload is not an array (43<id>{}) closes the session",
    rules: ["SIO5-ACK-03", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(ctx, s, []);
      s.send(`43${id}{}`);
      await s.expectClosed(`43${id}{}`);
    }),
  },
  {
    id: "sio5.ack.no-payload",
    title: "An ACK without payload closes the session (the official server accepts it: warning)",
    rules: ["SIO5-ACK-03"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(ctx, s, []);
      await closesOrWarn(ctx, s, [`43${id}`], `43${id} (an ACK with no payload)`);
    }),
  },
  {
    id: "sio5.ack.negative-id",
    title: "A signed ack id (42-1[...]) closes the session",
    rules: ["SIO5-ACK-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42-1["message-with-ack"]'], '42-1["message-with-ack"]'),
  },
  {
    id: "sio5.ack.leading-zero",
    title: "An ack id with a leading zero closes the session (the official server reads 012 as 12: warning)",
    rules: ["SIO5-ACK-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", (ctx, s) => closesOrWarn(ctx, s, ['42012["message-with-ack","z"]'], '42012["message-with-ack","z"]')),
  },
  {
    id: "sio5.ack.id-too-large",
    title: "An ack id above 2^53-1 closes the session (the official server has no limit: warning)",
    rules: ["SIO5-ACK-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", (ctx, s) => closesOrWarn(ctx, s, ['429007199254740992["message-with-ack"]'], '429007199254740992["message-with-ack"]')),
  },
  {
    id: "sio5.ack.on-disconnect",
    title: "A DISCONNECT with an ack id (412) closes the session (the official server ignores the id: warning)",
    rules: ["SIO5-ACK-02", "SIO5-DISCONNECT-01"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", (ctx, s) => closesOrWarn(ctx, s, ["412"], "412 (a DISCONNECT with an ack id)")),
  },
]);
