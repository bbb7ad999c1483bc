/**
 * Socket.IO v5, chapter EVENT: the echo of events (equal JSON values; the spelling only warns),
 * numeric names, arguments of any JSON value and size, ordering, and the payloads that close the
 * session (reserved names, no array, no name, no payload at all).
 */
import { defineChapter, show } from "../../case.js";
import { expectEchoesInOrder, expectPacket } from "../../checks/sio-packet.js";
import { expectClosed, violation } from "../../checks/sio-violation.js";
import { echo, join, onJoined, openSession } from "../../client/socketio-steps.js";

/** The names a sender must not use (SIO5-EVENT-02). */
const RESERVED = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

export const sio5EventCases = defineChapter("socket.io v5 / event", [
  {
    id: "sio5.event.echo-exact",
    title:
      '42["message",1,"2",{"3":[true]}] is answered 42["message-back",1,"2",{"3":[true]}] (same values, spelled otherwise: warning)',
    rules: ["SIO5-EVENT-05", "SIO5-PACKET-07", "SIO5-PACKET-09"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send('42["message",1,"2",{"3":[true]}]');
      await expectPacket(ctx, s, '42["message-back",1,"2",{"3":[true]}]', "the echo", { spelling: true });
    }),
  },
  {
    id: "sio5.event.echo-custom",
    title: "An event on /custom is answered on /custom, with the namespace and its comma",
    rules: ["SIO5-EVENT-05", "SIO5-PACKET-07", "SIO5-NAMESPACE-01", "SIO5-PACKET-09"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("polling", async (ctx, s) => {
      await join(s, "/custom");
      s.send('42/custom,["message",null,false]');
      await expectPacket(ctx, s, '42/custom,["message-back",null,false]', "the echo on /custom", { spelling: true });
    }),
  },
  {
    id: "sio5.event.numeric-name",
    title: "An event named by a number (42[7]) is valid: the session goes on",
    rules: ["SIO5-EVENT-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send("42[7]", '42[7,"x"]');
      await echo(s, ["after"], "/", "the echo of the event after 42[7]");
    }),
  },
  {
    id: "sio5.event.reserved-disconnect",
    title: "An event named disconnect closes the session",
    rules: ["SIO5-EVENT-03", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['42["disconnect"]'], '42["disconnect"]'),
  },
  {
    id: "sio5.event.reserved-all",
    title: "Every reserved event name closes the session",
    rules: ["SIO5-EVENT-03", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    async run(ctx) {
      const sessions = await Promise.all(RESERVED.map(() => openSession(ctx)));
      await Promise.all(sessions.map((s) => join(s, "/")));
      for (const [i, s] of sessions.entries()) s.send(`42${JSON.stringify([RESERVED[i], 1])}`);
      for (const [i, s] of sessions.entries()) await expectClosed(s, `the reserved event ${show(RESERVED[i])}`);
    },
  },
  {
    id: "sio5.event.object-payload",
    title: "An EVENT whose payload is an object (42{}) closes the session",
    rules: ["SIO5-EVENT-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(["42{}"], "42{}"),
  },
  {
    id: "sio5.event.empty-array",
    title: "An EVENT with an empty array (42[]) closes the session",
    rules: ["SIO5-EVENT-01"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(["42[]"], "42[]"),
  },
  {
    id: "sio5.event.null-name",
    title: 'An EVENT whose name is null (42[null,"x"]) closes the session',
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['42[null,"x"]'], '42[null,"x"]', "polling"),
  },
  {
    id: "sio5.event.no-payload",
    title: "An EVENT with no payload (42) closes the session",
    rules: ["SIO5-EVENT-04", "SIO5-EVENT-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    // The official document makes the close a MUST; the official server accepts `42` (a listed deviation).
    run: violation(["42", '42["message","after"]'], "42 (an EVENT with no payload)"),
  },
  {
    id: "sio5.event.unicode",
    title:
      "Arguments with non-ASCII text, escapes and astral characters come back as equal values (spelled otherwise: warning)",
    rules: ["SIO5-EVENT-05", "SIO5-PACKET-09"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const args = ["héllo wörld ✓", '😀 \u2028 \u0001 "q" \\', { ключ: ["日本語", -0.5, 1e21] }];
      s.send(`42${JSON.stringify(["message", ...args])}`);
      await expectPacket(ctx, s, `42${JSON.stringify(["message-back", ...args])}`, "the echo", { spelling: true });
    }),
  },
  {
    id: "sio5.event.large",
    title: "An event with a 200 KB argument is echoed whole",
    rules: ["SIO5-EVENT-05", "SIO5-PACKET-03"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const big = "x".repeat(200_000) + "é";
      s.send(`42${JSON.stringify(["message", big, [big.length]])}`);
      await expectPacket(
        ctx,
        s,
        `42${JSON.stringify(["message-back", big, [big.length]])}`,
        "the echo of the large event",
      );
    }),
  },
  {
    id: "sio5.event.order",
    title: "100 events sent at once are echoed in the order they were sent",
    rules: ["SIO5-EVENT-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      const sent = Array.from({ length: 100 }, (_, i) => ({ nsp: "/", args: [i] }));
      s.send(...sent.map((e) => `42${JSON.stringify(["message", ...e.args])}`));
      await expectEchoesInOrder(s, sent, "the echoes");
    }),
  },
  {
    id: "sio5.event.order-polling",
    title: "Events batched in one polling payload are echoed in order",
    rules: ["SIO5-EVENT-07", "SIO5-PACKET-03"],
    level: "MUST",
    requires: ["socketio-echo", "polling"],
    run: onJoined("polling", async (_ctx, s) => {
      const sent = Array.from({ length: 20 }, (_, i) => ({ nsp: "/", args: [`p${i}`] }));
      s.send(...sent.map((e) => `42${JSON.stringify(["message", ...e.args])}`));
      await expectEchoesInOrder(s, sent, "the echoes");
    }),
  },
]);
