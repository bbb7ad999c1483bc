/**
 * Socket.IO v5, chapter DISCONNECT: leaving a namespace from either side, what the session does
 * afterwards (stays open, accepts a new CONNECT, refuses packets for the left namespace), the
 * application closing the whole session, and the DISCONNECTs that close the session.
 */
import { defineChapter, fail, show } from "../../case.js";
import { expectReply } from "../../checks/sio-connect.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { expectPacket } from "../../checks/sio-packet.js";
import { expectClosed, expectPingNext, violation } from "../../checks/sio-violation.js";
import { echo, expectAuth, join, onJoined, serverAsks, serverLeaves } from "../../client/socketio-steps.js";
import { readPacketText } from "../../client/socketio-text.js";

export const sio5DisconnectCases = defineChapter("socket.io v5 / disconnect", [
  {
    id: "sio5.disconnect.client-leaves",
    title: "After the client's 41 the server answers nothing: the next packet is a ping (the session closed: warning)",
    rules: ["SIO5-DISCONNECT-03", "SIO5-DISCONNECT-02"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", (ctx, s) => {
      s.send("41");
      return expectPingNext(ctx, s, "41", { close: "warn" });
    }),
  },
  {
    id: "sio5.disconnect.client-leaves-polling",
    title: "Over polling, after 41 the session stays open and the next GET brings a ping",
    rules: ["SIO5-DISCONNECT-02", "SIO5-DISCONNECT-03"],
    level: "SHOULD",
    requires: ["socketio", "polling"],
    run: onJoined("polling", (ctx, s) => {
      s.send("41");
      return expectPingNext(ctx, s, "41");
    }),
  },
  {
    id: "sio5.disconnect.rejoin",
    title: "After 41 a new CONNECT on the same session is admitted as a first one (/custom keeps the session open)",
    rules: ["SIO5-DISCONNECT-04"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      await join(s, "/custom");
      s.send("41");
      await ctx.sleep(ctx.scale(50));
      s.send("40");
      await expectReply(ctx, s, "/", { reply: P.namespaceConnects });
      await expectAuth(s, "/", undefined);
      await echo(s, ["again"], "/", "the echo after joining again");
    }),
  },
  {
    id: "sio5.disconnect.rejoin-at-once",
    title: "A CONNECT sent right behind the 41 (same read) is admitted too",
    rules: ["SIO5-DISCONNECT-04", "SIO5-NAMESPACE-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      await join(s, "/custom");
      s.send("41", "40");
      await expectReply(ctx, s, "/", { reply: P.namespaceConnects });
      await expectAuth(s, "/", undefined);
      await echo(s, ["again"], "/", "the echo after joining again");
    }),
  },
  {
    id: "sio5.disconnect.event-after-leave",
    title: "An EVENT on /custom right behind 41/custom, closes the session",
    rules: ["SIO5-NAMESPACE-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: onJoined("websocket", async (_ctx, s) => {
      await join(s, "/custom");
      s.send("41/custom,", '42/custom,["message","x"]');
      await expectClosed(s, '42/custom,["message","x"] after leaving /custom');
    }),
  },
  {
    id: "sio5.disconnect.other-namespace-stays",
    title: "Leaving /custom leaves / joined and working",
    rules: ["SIO5-NAMESPACE-06", "SIO5-DISCONNECT-03"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      await join(s, "/custom");
      s.send("41/custom,");
      await echo(s, ["still here"], "/", "the echo on / after leaving /custom");
    }),
  },
  {
    id: "sio5.disconnect.server-root",
    title: "disconnect-me on / is answered with exactly 41, then nothing but pings (the session closed: warning)",
    rules: ["SIO5-DISCONNECT-05", "SIO5-DISCONNECT-01", "SIO5-PACKET-07", "SIO5-DISCONNECT-02"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send('42["disconnect-me"]');
      await expectPacket(ctx, s, "41", "the server's DISCONNECT");
      await expectPingNext(ctx, s, "the server's DISCONNECT", { close: "warn" });
    }),
  },
  {
    id: "sio5.disconnect.server-custom",
    title: "disconnect-me on /custom is answered with exactly 41/custom, and / stays joined",
    rules: ["SIO5-DISCONNECT-05", "SIO5-PACKET-07", "SIO5-NAMESPACE-06", "SIO5-NAMESPACE-01", "SIO5-DISCONNECT-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("polling", async (ctx, s) => {
      await join(s, "/custom");
      s.send('42/custom,["disconnect-me"]');
      await expectPacket(ctx, s, "41/custom,", "the server's DISCONNECT for /custom");
      await echo(s, ["root"], "/", "the echo on / after /custom was left");
    }),
  },
  {
    id: "sio5.disconnect.server-then-event",
    title: "After the server's 41, an EVENT on that namespace closes the session",
    rules: ["SIO5-NAMESPACE-04"],
    level: "SHOULD",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      await serverLeaves(s, "/");
      s.send('42["message","x"]');
      await expectClosed(s, "an EVENT on / after the server's 41");
    }),
  },
  {
    id: "sio5.disconnect.close-me",
    title:
      "close-me closes the whole Engine.IO session with a WebSocket close frame, sending at most a DISCONNECT per joined namespace first",
    rules: ["SIO5-DISCONNECT-05", "SIO5-ERROR-03", "SIO5-DISCONNECT-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      await join(s, "/custom");
      s.send('42["close-me"]');
      const { ending, said } = await expectClosed(s, "close-me");
      // The application may leave each namespace first (DISCONNECT-05); nothing else may come.
      const left = new Set<string>();
      for (const text of said) {
        const p = readPacketText(text);
        if (p.type !== 1 || !["/", "/custom"].includes(p.nsp) || left.has(p.nsp) || p.payload !== "") {
          fail(`the server sent ${show(text)} while closing the session`, {
            expected: "nothing, or one DISCONNECT (41, 41/custom,) per joined namespace",
            observed: said.join(" "),
          });
        }
        left.add(p.nsp);
      }
      // A server-initiated close ends the WebSocket with a close frame (ERROR-03, by the engine's rules).
      if (ending.how !== "ws-closed" || /code 1006/.test(ending.detail))
        fail(`the session ended without a WebSocket close frame: ${ending.detail}`, {
          expected: "a close frame",
          observed: ending.detail,
        });
    }),
  },
  {
    id: "sio5.disconnect.with-payload",
    title: "A DISCONNECT with a payload (41{}) closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(["41{}"], "41{}"),
  },
  {
    id: "sio5.disconnect.ack-after-leave",
    title: "An ACK for a request made before 41 is a packet for an unjoined namespace: the session closes",
    rules: ["SIO5-DISCONNECT-06", "SIO5-NAMESPACE-04"],
    level: "SHOULD",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(s, ["late"]);
      s.send("41");
      await ctx.sleep(ctx.scale(50));
      s.send(`43${id}["too late"]`);
      await expectClosed(s, "an ACK on / after leaving /");
    }),
  },
]);
