/**
 * Socket.IO v5, chapter ERROR: how a protocol violation ends the session. The whole Engine.IO
 * session closes, with all its namespaces, with no Socket.IO packet about it; over WebSocket
 * with a close frame, over polling with the close packet and then error code 1; and nothing
 * that followed the violation reaches the application.
 */
import { defineChapter, fail } from "../../case.js";
import { onJoined, violation } from "./helpers.js";
import { expectEngineError } from "../../checks/error.js";

export const sio5ErrorCases = defineChapter("socket.io v5 / error", [
  {
    id: "sio5.error.close-websocket",
    title: "A violation closes the whole session (both namespaces) with a WebSocket close frame and no packet",
    rules: ["SIO5-ERROR-02", "SIO5-ERROR-03"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", async (_ctx, s) => {
      await s.join("/custom");
      s.send("42/custom,{}");
      const ending = await s.expectClosed("42/custom,{} with / and /custom joined");
      const code = /code (\d+)/.exec(ending.detail)?.[1];
      if (ending.how !== "ws-closed" || code === "1006") fail(`the session ended without a WebSocket close frame: ${ending.detail}`, { expected: "a close frame", observed: ending.detail });
    }),
  },
  {
    id: "sio5.error.close-polling",
    title: "Over polling, a violation completes the pending GET with 1 and later requests get error code 1",
    rules: ["SIO5-ERROR-03", "SIO5-ERROR-02"],
    level: "MUST",
    requires: ["socketio", "polling"],
    run: onJoined("polling", async (ctx, s) => {
      s.send("42{}");
      const ending = await s.expectClosed("42{} over polling");
      if (ending.how !== "close-packet") fail(`the polling session did not end with the close packet: ${ending.detail}`, { expected: "a GET answered 1", observed: ending.detail });
      const res = await ctx.http.request({ path: ctx.config.path, query: s.polling!.query() });
      expectEngineError(ctx, res, 1);
    }),
  },
  {
    id: "sio5.error.nothing-after-violation",
    title: "Packets behind a violation in the same polling payload are not delivered",
    rules: ["SIO5-ERROR-05"],
    level: "MUST",
    requires: ["socketio-echo", "polling"],
    run: violation(["42{}", '42["message","after"]'], "42{} followed by an event in the same payload", "polling"),
  },
  {
    id: "sio5.error.unknown-type",
    title: "An unknown packet type (4abc) closes the session",
    rules: ["SIO5-PACKET-01", "SIO5-ERROR-02"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(["4abc"], "4abc"),
  },
  {
    id: "sio5.error.type-seven",
    title: "The type digit 7 is no packet type (47[\"x\"]) and closes the session",
    rules: ["SIO5-PACKET-01"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['47["x"]'], '47["x"]'),
  },
  {
    id: "sio5.error.empty-packet",
    title: "An empty Engine.IO message (4) is no packet and closes the session",
    rules: ["SIO5-PACKET-01"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(["4"], "the empty message 4"),
  },
  {
    id: "sio5.error.bad-ack-id",
    title: "Letters where an ack id stands (42abc[...]) close the session",
    rules: ["SIO5-ACK-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42abc["message","x"]'], '42abc["message","x"]'),
  },
  {
    id: "sio5.error.connect-error-from-client",
    title: "A CONNECT_ERROR sent by the client closes the session",
    rules: ["SIO5-ERROR-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['44{"message":"x"}'], '44{"message":"x"} from the client'),
  },
]);
