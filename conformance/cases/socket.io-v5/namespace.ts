/**
 * Socket.IO v5, chapter NAMESPACE: refusal of an unknown namespace with the exact
 * CONNECT_ERROR, refusal by middleware, packets for namespaces the client has not joined,
 * exact name comparison, and several namespaces over one Engine.IO session.
 */
import { defineChapter, fail } from "../../case.js";
import { connectReply, onJoined, onOpen, violationBeforeJoin, type RawSession } from "./helpers.js";

/** After a refusal the session must still work: CONNECT / is admitted. */
async function stillOpen(s: RawSession, after: string): Promise<void> {
  s.send("40");
  const reply = await s.nextText(`the answer to 40 after ${after} (the session must stay open)`);
  connectReply(reply, "/");
}

/** Sends a CONNECT for a namespace the echo server does not serve and checks the exact refusal. */
function refusedCase(s: RawSession, text: string, nsp: string): Promise<string> {
  s.send(text);
  return s.expectText(`44${nsp},{"message":"Invalid namespace"}`, `the answer to ${text}`);
}

export const sio5NamespaceCases = defineChapter("socket.io v5 / namespace", [
  {
    id: "sio5.namespace.unknown-refused",
    title: "CONNECT to /random is refused with exactly 44/random,{\"message\":\"Invalid namespace\"} and the session stays open",
    rules: ["SIO5-NAMESPACE-02", "SIO5-CONNECT-10", "SIO5-ERROR-01"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", async (_ctx, s) => {
      await refusedCase(s, "40/random,", "/random");
      await stillOpen(s, "the refusal of /random");
    }),
  },
  {
    id: "sio5.namespace.unknown-refused-polling",
    title: "Over polling, 40/random (no comma) is refused exactly and the session stays open",
    rules: ["SIO5-NAMESPACE-02", "SIO5-NAMESPACE-01", "SIO5-CONNECT-10"],
    level: "MUST",
    requires: ["socketio", "polling"],
    run: onOpen("polling", async (_ctx, s) => {
      await refusedCase(s, "40/random", "/random");
      await stillOpen(s, "the refusal of /random");
    }),
  },
  {
    id: "sio5.namespace.exact-name",
    title: "Namespace names are compared exactly: /Custom and /custom/ are unknown",
    rules: ["SIO5-NAMESPACE-03", "SIO5-NAMESPACE-02"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", async (_ctx, s) => {
      await refusedCase(s, "40/Custom,", "/Custom");
      await refusedCase(s, "40/custom/,", "/custom/");
    }),
  },
  {
    id: "sio5.namespace.query-is-name",
    title: "In v5 a ? is part of the name: 40/custom?x=1, asks for an unknown namespace",
    rules: ["SIO5-NAMESPACE-03"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", async (_ctx, s) => {
      await refusedCase(s, "40/custom?x=1,", "/custom?x=1");
    }),
  },
  {
    id: "sio5.namespace.private-refused",
    title: "Middleware refuses /private with its message and data, and the session stays open",
    rules: ["SIO5-CONNECT-10", "SIO5-ERROR-01"],
    level: "MUST",
    requires: ["private-namespace"],
    run: onOpen("websocket", async (_ctx, s) => {
      s.send('40/private,{"token":"nope"}');
      await s.expectText('44/private,{"message":"not authorized","data":{"reason":"token required"}}', "the answer to 40/private,{\"token\":\"nope\"}");
      await stillOpen(s, "the refusal of /private");
    }),
  },
  {
    id: "sio5.namespace.retry-after-refusal",
    title: "After a refusal, a new CONNECT for the same namespace is handled as a first one",
    rules: ["SIO5-NAMESPACE-07", "SIO5-CONNECT-10"],
    level: "MUST",
    requires: ["private-namespace"],
    run: onOpen("websocket", async (_ctx, s) => {
      s.send("40/private,");
      const refusal = await s.nextText("the answer to 40/private,");
      if (!refusal.startsWith("44/private,")) fail("CONNECT /private without a token was not refused", { expected: "44/private,{...}", observed: refusal });
      await s.join("/private", { token: "sockspec" });
    }),
  },
  {
    id: "sio5.namespace.no-slash",
    title: "A namespace without its leading slash (40custom) closes the session",
    rules: ["SIO5-NAMESPACE-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violationBeforeJoin(["40custom"], "40custom"),
  },
  {
    id: "sio5.namespace.unjoined-event",
    title: "An EVENT for a namespace the client has not joined closes the session",
    rules: ["SIO5-NAMESPACE-04", "SIO5-ERROR-02"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", async (_ctx, s) => {
      s.send('42/custom,["message","x"]');
      await s.expectClosed('42/custom,["message","x"] with only / joined');
    }),
  },
  {
    id: "sio5.namespace.refused-then-event",
    title: "An EVENT for a namespace that was refused closes the session",
    rules: ["SIO5-NAMESPACE-04"],
    level: "MUST",
    requires: ["socketio"],
    run: onJoined("websocket", async (_ctx, s) => {
      await refusedCase(s, "40/random,", "/random");
      s.send('42/random,["message","x"]');
      await s.expectClosed('42/random,["message","x"] after the refusal');
    }),
  },
  {
    id: "sio5.namespace.multiplex",
    title: "/ and /custom on one session: each event is answered on its own namespace, in order",
    rules: ["SIO5-NAMESPACE-06", "SIO5-CONNECT-09", "SIO5-EVENT-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      await s.join("/custom");
      s.send('42["message",1]', '42/custom,["message",2]', '42["message",3]', '42/custom,["message",4]');
      await s.expectText('42["message-back",1]', "the echo of event 1 on /");
      await s.expectText('42/custom,["message-back",2]', "the echo of event 2 on /custom");
      await s.expectText('42["message-back",3]', "the echo of event 3 on /");
      await s.expectText('42/custom,["message-back",4]', "the echo of event 4 on /custom");
    }),
  },
]);
