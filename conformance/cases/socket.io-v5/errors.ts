/**
 * Socket.IO v5, chapter ERROR: how a protocol violation ends the session. The whole Engine.IO
 * session closes, with all its namespaces, as any server-initiated close does (over WebSocket a
 * close frame, over polling the close packet, then a refusal of later requests), with no
 * Socket.IO packet about it (a SHOULD); and nothing that followed the violation reaches the
 * application.
 */
import { defineChapter, fail, show, unmet } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { refused } from "../../checks/gone.js";
import { closesOrWarn, expectSilentClose, violation } from "../../checks/sio-violation.js";
import { join, onJoined } from "../../client/socketio-steps.js";
import { readPacketText } from "../../client/socketio-text.js";

export const sio5ErrorCases = defineChapter("socket.io v5 / error", [
  {
    id: "sio5.error.close-websocket",
    title:
      "A violation closes the whole session (both namespaces) with a WebSocket close frame (a packet about it: warning)",
    rules: ["SIO5-ERROR-02", "SIO5-ERROR-03", "SIO5-ERROR-07", "SIO5-EVENT-01"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", async (ctx, s) => {
      await join(s, "/custom");
      s.send("42/custom,{}");
      const ending = await expectSilentClose(ctx, s, "42/custom,{} with / and /custom joined");
      if (ending.how !== "ws-closed" || /code 1006/.test(ending.detail))
        fail(`the session ended without a WebSocket close frame: ${ending.detail}`, {
          expected: "a close frame",
          observed: ending.detail,
        });
    }),
  },
  {
    id: "sio5.error.close-polling",
    title: "Over polling, a violation completes the pending GET with the close packet and later requests are refused",
    rules: ["SIO5-ERROR-03", "SIO5-ERROR-02", "SIO5-EVENT-01"],
    level: "MUST",
    requires: ["socketio", "polling"],
    run: onJoined("polling", async (ctx, s) => {
      s.send("42{}");
      const ending = await expectSilentClose(ctx, s, "42{} over polling");
      if (ending.how !== "close-packet")
        fail(`the polling session did not end with the close packet: ${ending.detail}`, {
          expected: "a GET answered 1",
          observed: ending.detail,
        });
      const res = await ctx.http.request({ path: ctx.config.path, query: s.polling!.query() });
      if (!refused(res))
        fail(`a poll after the close got ${res.status}`, {
          expected: "a 4xx: the session is gone",
          observed: `${res.status} ${res.text.slice(0, 120)}`,
        });
    }),
  },
  {
    id: "sio5.error.nothing-after-violation",
    title: "Packets behind a violation in the same polling payload are not delivered",
    rules: ["SIO5-ERROR-05"],
    level: "MUST",
    requires: ["socketio-echo", "polling"],
    run: onJoined("polling", async (ctx, s) => {
      s.send("42{}", '42["message","after"]');
      if (!(await s.waitEnd(ctx.scale(2000))))
        unmet(P.badEventCloses, "the session stayed open after 42{}", {
          expected: "the session closed",
          observed: s.pending || "open, no answer",
        });
      const delivered = s.messages.items.filter(
        (m): m is string => typeof m === "string" && readPacketText(m).payload.includes('"after"'),
      );
      if (delivered.length)
        fail(`the event behind 42{} reached the application: the server sent ${show(delivered[0])}`, {
          expected: "the session closed, the event not delivered",
          observed: delivered.join(" "),
        });
    }),
  },
  {
    id: "sio5.error.unknown-type",
    title: "An unknown packet type (4abc) closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(["4abc"], "4abc"),
  },
  {
    id: "sio5.error.type-seven",
    title: 'The type digit 7 is no packet type (47["x"]) and closes the session',
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['47["x"]'], '47["x"]'),
  },
  {
    id: "sio5.error.empty-packet",
    title: "An empty Engine.IO message (4) is no packet and closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(["4"], "the empty message 4"),
  },
  {
    id: "sio5.error.bad-ack-id",
    title: "Letters where an ack id stands (42abc[...]) leave no JSON array as payload and close the session",
    rules: ["SIO5-EVENT-01", "SIO5-ACK-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42abc["message","x"]'], '42abc["message","x"]'),
  },
  {
    id: "sio5.error.connect-error-from-client",
    title: "A CONNECT_ERROR sent by a client is not answered with one, and closes the session (open: warning)",
    rules: ["SIO5-ERROR-04", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", async (ctx, s) => {
      await closesOrWarn(ctx, s, ['44{"message":"x"}'], '44{"message":"x"} from the client');
      const answered = s.messages.items.filter(
        (m): m is string => typeof m === "string" && readPacketText(m).type === 4,
      );
      if (answered.length)
        fail(`the server answered the client's CONNECT_ERROR with ${show(answered[0])}`, {
          expected: "no CONNECT_ERROR: the server sends one only to refuse a CONNECT",
          observed: answered.join(" "),
        });
    }),
  },
]);
