/**
 * Socket.IO v5, chapter EVENT: exact echo of events, numeric names, arguments of any JSON value
 * and size, ordering, and the payloads that close the session (reserved names, no array, no
 * name, no payload at all).
 */
import { defineChapter, fail, show } from "../../case.js";
import { closesOrWarn, onJoined, openRaw, stripOffset, violation, withSessions } from "./helpers.js";

/** The names a sender must not use (SIO5-EVENT-02). */
const RESERVED = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

export const sio5EventCases = defineChapter("socket.io v5 / event", [
  {
    id: "sio5.event.echo-exact",
    title: "42[\"message\",1,\"2\",{\"3\":[true]}] is answered with exactly 42[\"message-back\",1,\"2\",{\"3\":[true]}]",
    rules: ["SIO5-EVENT-05", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('42["message",1,"2",{"3":[true]}]');
      await s.expectText('42["message-back",1,"2",{"3":[true]}]', "the echo");
    }),
  },
  {
    id: "sio5.event.echo-custom",
    title: "An event on /custom is answered on /custom, with the namespace and its comma",
    rules: ["SIO5-EVENT-05", "SIO5-PACKET-07", "SIO5-NAMESPACE-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("polling", async (_ctx, s) => {
      await s.join("/custom");
      s.send('42/custom,["message",null,false]');
      await s.expectText('42/custom,["message-back",null,false]', "the echo on /custom");
    }),
  },
  {
    id: "sio5.event.numeric-name",
    title: "An event named by a number (42[7]) is valid: the session goes on",
    rules: ["SIO5-EVENT-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send("42[7]", '42[7,"x"]', '42["message","after"]');
      await s.expectText('42["message-back","after"]', "the echo of the event after 42[7]");
    }),
  },
  {
    id: "sio5.event.reserved-disconnect",
    title: "An event named disconnect closes the session",
    rules: ["SIO5-EVENT-03", "SIO5-EVENT-02"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42["disconnect"]'], '42["disconnect"]'),
  },
  {
    id: "sio5.event.reserved-all",
    title: "Every reserved event name closes the session",
    rules: ["SIO5-EVENT-03", "SIO5-EVENT-02"],
    level: "MUST",
    requires: ["socketio"],
    run: (ctx) =>
      withSessions(ctx, async () => {
        const sessions = await Promise.all(RESERVED.map(() => openRaw(ctx)));
        await Promise.all(sessions.map((s) => s.join("/")));
        sessions.forEach((s, i) => s.send(`42${JSON.stringify([RESERVED[i], 1])}`));
        for (const [i, s] of sessions.entries()) await s.expectClosed(`the reserved event ${show(RESERVED[i])}`);
      }),
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
    rules: ["SIO5-EVENT-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(["42[]"], "42[]"),
  },
  {
    id: "sio5.event.null-name",
    title: "An EVENT whose name is null (42[null]) closes the session",
    rules: ["SIO5-EVENT-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violation(['42[null,"x"]'], '42[null,"x"]', "polling"),
  },
  {
    id: "sio5.event.no-payload",
    title: "An EVENT with no payload (42) closes the session (the official server accepts it: warning)",
    rules: ["SIO5-EVENT-04"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", (ctx, s) => closesOrWarn(ctx, s, ["42", '42["message","after"]'], "42 (an EVENT with no payload)")),
  },
  {
    id: "sio5.event.unicode",
    title: "Arguments with non-ASCII text, escapes and astral characters come back unchanged",
    rules: ["SIO5-EVENT-05"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      const args = ["héllo wörld ✓", "😀 \u2028 \u0001 \"q\" \\", { "ключ": ["日本語", -0.5, 1e21] }];
      s.send(`42${JSON.stringify(["message", ...args])}`);
      const text = stripOffset(ctx, await s.nextText("the echo"));
      if (!text.startsWith('42["message-back",')) fail("the echo is not a message-back event on /", { observed: show(text) });
      ctx.deepEqual(JSON.parse(text.slice(2)), ["message-back", ...args], "the echoed event");
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
      const text = stripOffset(ctx, await s.nextText("the echo of the large event"));
      ctx.assert(text === `42${JSON.stringify(["message-back", big, [big.length]])}`, "the large event did not come back unchanged", { expected: `42["message-back","xxx…",[200001]] (${big.length + 33} chars)`, observed: `${show(text.slice(0, 60))} (${text.length} chars)` });
    }),
  },
  {
    id: "sio5.event.order",
    title: "100 events sent at once are echoed in the order they were sent",
    rules: ["SIO5-EVENT-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send(...Array.from({ length: 100 }, (_, i) => `42["message",${i}]`));
      for (let i = 0; i < 100; i++) await s.expectText(`42["message-back",${i}]`, `echo number ${i}`);
    }),
  },
  {
    id: "sio5.event.order-polling",
    title: "Events batched in one polling payload are echoed in order",
    rules: ["SIO5-EVENT-07", "SIO5-PACKET-03"],
    level: "MUST",
    requires: ["socketio-echo", "polling"],
    run: onJoined("polling", async (_ctx, s) => {
      s.send(...Array.from({ length: 20 }, (_, i) => `42["message","p${i}"]`));
      for (let i = 0; i < 20; i++) await s.expectText(`42["message-back","p${i}"]`, `echo number ${i}`);
    }),
  },
]);
