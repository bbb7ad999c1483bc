/**
 * Socket.IO v5, chapter DISCONNECT: leaving a namespace from either side, what the session does
 * afterwards (stays open, accepts a new CONNECT, refuses packets for the left namespace), and
 * the DISCONNECTs that close the session.
 */
import { defineChapter } from "../../case.js";
import { serverAsks } from "./ack.js";
import { connectReply, onJoined, violation, type RawSession } from "./helpers.js";

/** Joins / again after leaving it, and checks that it works. */
async function rejoin(s: RawSession): Promise<void> {
  connectReply(await s.nextText("the answer to the second 40"), "/");
  await s.expectText('42["auth",{}]', "the auth event after the second CONNECT");
  s.send('42["message","again"]');
  await s.expectText('42["message-back","again"]', "the echo after joining again");
}

export const sio5DisconnectCases = defineChapter("socket.io v5 / disconnect", [
  {
    id: "sio5.disconnect.client-leaves",
    title: "After the client's 41 the server answers nothing and the session stays open: the next packet is a ping",
    rules: ["SIO5-DISCONNECT-02", "SIO5-DISCONNECT-03"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", (_ctx, s) => {
      s.send("41");
      return s.expectPingNext("41");
    }),
  },
  {
    id: "sio5.disconnect.client-leaves-polling",
    title: "Over polling, after 41 the session stays open and the next GET brings a ping",
    rules: ["SIO5-DISCONNECT-02"],
    level: "MUST",
    requires: ["socketio", "polling"],
    run: onJoined("polling", (_ctx, s) => {
      s.send("41");
      return s.expectPingNext("41");
    }),
  },
  {
    id: "sio5.disconnect.rejoin",
    title: "After 41 a new CONNECT on the same session is admitted as a first one",
    rules: ["SIO5-DISCONNECT-04"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send("41");
      await ctx.sleep(ctx.scale(50));
      s.send("40");
      await rejoin(s);
    }),
  },
  {
    id: "sio5.disconnect.rejoin-at-once",
    title: "A CONNECT sent right behind the 41 (same read) is admitted too",
    rules: ["SIO5-DISCONNECT-04", "SIO5-NAMESPACE-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send("41", "40");
      await rejoin(s);
    }),
  },
  {
    id: "sio5.disconnect.event-after-leave",
    title: "An EVENT on /custom right behind 41/custom, closes the session",
    rules: ["SIO5-NAMESPACE-04", "SIO5-DISCONNECT-03"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", async (_ctx, s) => {
      await s.join("/custom");
      s.send("41/custom,", '42/custom,["message","x"]');
      await s.expectClosed('42/custom,["message","x"] after leaving /custom');
    }),
  },
  {
    id: "sio5.disconnect.other-namespace-stays",
    title: "Leaving /custom leaves / joined and working",
    rules: ["SIO5-NAMESPACE-06", "SIO5-DISCONNECT-03"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      await s.join("/custom");
      s.send("41/custom,", '42["message","still here"]');
      await s.expectText('42["message-back","still here"]', "the echo on / after leaving /custom");
    }),
  },
  {
    id: "sio5.disconnect.server-root",
    title: "disconnect-me on / is answered with exactly 41, then nothing but pings",
    rules: ["SIO5-DISCONNECT-05", "SIO5-PACKET-07", "SIO5-DISCONNECT-02"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('42["disconnect-me"]');
      await s.expectText("41", "the server's DISCONNECT");
      await s.expectPingNext("the server's DISCONNECT");
    }),
  },
  {
    id: "sio5.disconnect.server-custom",
    title: "disconnect-me on /custom is answered with exactly 41/custom, and / stays joined",
    rules: ["SIO5-DISCONNECT-05", "SIO5-PACKET-07", "SIO5-NAMESPACE-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("polling", async (_ctx, s) => {
      await s.join("/custom");
      s.send('42/custom,["disconnect-me"]');
      await s.expectText("41/custom,", "the server's DISCONNECT for /custom");
      s.send('42["message","root"]');
      await s.expectText('42["message-back","root"]', "the echo on / after /custom was left");
    }),
  },
  {
    id: "sio5.disconnect.server-then-event",
    title: "After the server's 41, an EVENT on that namespace closes the session",
    rules: ["SIO5-NAMESPACE-04", "SIO5-DISCONNECT-03"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('42["disconnect-me"]');
      await s.expectText("41", "the server's DISCONNECT");
      s.send('42["message","x"]');
      await s.expectClosed('an EVENT on / after the server\'s 41');
    }),
  },
  {
    id: "sio5.disconnect.close-me",
    title: "close-me makes the server close the whole Engine.IO session",
    rules: ["SIO5-DISCONNECT-05", "SIO5-ERROR-03"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('42["close-me"]');
      // A DISCONNECT before the close is allowed here: the application closed the session.
      const ended = await s.waitEnd(_ctx.scale(2000));
      _ctx.assert(ended, "the session stayed open after close-me", { expected: "the WebSocket closed", observed: "open" });
    }),
  },
  {
    id: "sio5.disconnect.with-payload",
    title: "A DISCONNECT with a payload (41{}) closes the session",
    rules: ["SIO5-DISCONNECT-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(["41{}"], "41{}"),
  },
  {
    id: "sio5.disconnect.ack-after-leave",
    title: "An ACK for a request made before 41 is a packet for an unjoined namespace: the session closes",
    rules: ["SIO5-DISCONNECT-06", "SIO5-NAMESPACE-04"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(ctx, s, ["late"]);
      s.send("41");
      await ctx.sleep(ctx.scale(50));
      s.send(`43${id}["too late"]`);
      await s.expectClosed("an ACK on / after leaving /");
    }),
  },
]);
