/**
 * Socket.IO v5, chapter NAMESPACE: refusal of an unknown namespace with a CONNECT_ERROR,
 * refusal by middleware, packets for namespaces the client has not joined, exact name
 * comparison, and several namespaces over one Engine.IO session.
 */
import { defineChapter, fail, unmet } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { expectNotAdmitted, expectRefusal, expectStillOpen, judgeReply, takeAnswer } from "../../checks/sio-connect.js";
import { expectEchoesInOrder } from "../../checks/sio-packet.js";
import { expectClosed, violation, violationBeforeJoin } from "../../checks/sio-violation.js";
import { expectAuth, join, onJoined, onOpen, refused, sendFirst } from "../../client/socketio-steps.js";

export const sio5NamespaceCases = defineChapter("socket.io v5 / namespace", [
  {
    id: "sio5.namespace.unknown-refused",
    title:
      'CONNECT to /random is refused with a CONNECT_ERROR carrying a message, and the session stays open (not exactly {"message":"Invalid namespace"}: warning)',
    rules: ["SIO5-NAMESPACE-02", "SIO5-NAMESPACE-09", "SIO5-CONNECT-10", "SIO5-ERROR-01"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40/random,");
      await expectRefusal(ctx, s, "/random", { invalidNamespace: true });
      await expectStillOpen(s, "the refusal of /random");
    }),
  },
  {
    id: "sio5.namespace.unknown-refused-polling",
    title: "Over polling, CONNECT to /random is refused with a CONNECT_ERROR and the session stays open",
    rules: ["SIO5-NAMESPACE-02", "SIO5-CONNECT-10"],
    level: "MUST",
    requires: ["socketio", "polling"],
    run: onOpen("polling", async (ctx, s) => {
      await sendFirst(s, "40/random,");
      await expectRefusal(ctx, s, "/random");
      await expectStillOpen(s, "the refusal of /random");
    }),
  },
  {
    id: "sio5.namespace.exact-name",
    title: "Namespace names are compared exactly: /Custom and /custom/ are not admitted",
    rules: ["SIO5-NAMESPACE-03"],
    level: "SHOULD",
    requires: ["socketio"],
    run: onOpen("websocket", async (ctx, s) => {
      await expectNotAdmitted(ctx, s, "40/Custom,", "/Custom");
      await expectNotAdmitted(ctx, s, "40/custom/,", "/custom/");
    }),
  },
  {
    id: "sio5.namespace.query-is-name",
    title: "In v5 a ? is part of the name: 40/custom?x=1, asks for a namespace the server does not serve",
    rules: ["SIO5-NAMESPACE-03"],
    level: "SHOULD",
    requires: ["socketio"],
    run: onOpen("websocket", (ctx, s) => expectNotAdmitted(ctx, s, "40/custom?x=1,", "/custom?x=1")),
  },
  {
    id: "sio5.namespace.private-refused",
    title: "Middleware refuses /private with its message and data, and the session stays open (other keys: warning)",
    rules: ["SIO5-CONNECT-10", "SIO5-ERROR-01", "SIO5-ERROR-06"],
    level: "MUST",
    requires: ["private-namespace"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, '40/private,{"token":"nope"}');
      await expectRefusal(ctx, s, "/private", {
        payload: { message: "not authorized", data: { reason: "token required" } },
      });
      await expectStillOpen(s, "the refusal of /private");
    }),
  },
  {
    id: "sio5.namespace.retry-after-refusal",
    title: "After a refusal, a new CONNECT for the same namespace is handled as a first one",
    rules: ["SIO5-NAMESPACE-07", "SIO5-CONNECT-10"],
    level: "MUST",
    requires: ["private-namespace"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40/private,");
      const first = await takeAnswer(s, "/private");
      if (first.text.head !== "44/private,")
        fail("CONNECT /private without a token was not refused", {
          expected: '44/private,{"message":"..."}',
          observed: first.text.text,
        });
      const auth = { token: "sockspec" };
      s.send(`40/private,${JSON.stringify(auth)}`);
      const second = await takeAnswer(s, "/private", "the answer to the second CONNECT /private");
      // Refused again, with the token: the middleware never saw it (the auth object was lost on the way).
      if (second.text.type === 4)
        unmet(P.authDelivered, "the CONNECT with the token was refused too", {
          expected: '40/private,{"sid":"..."}',
          observed: second.text.text,
        });
      judgeReply(ctx, second, "/private", { reply: P.namespaceConnects });
      if (ctx.features.has("socketio-echo")) await expectAuth(s, "/private", auth);
    }),
  },
  {
    id: "sio5.namespace.no-slash",
    title: "A namespace without its leading slash (40custom) closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violationBeforeJoin(["40custom"], "40custom"),
  },
  {
    id: "sio5.namespace.unjoined-event",
    title: "An EVENT for a namespace the client has not joined closes the session",
    rules: ["SIO5-NAMESPACE-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['42/custom,["message","x"]'], '42/custom,["message","x"] with only / joined'),
  },
  {
    id: "sio5.namespace.refused-then-event",
    title: "An EVENT for a namespace that was refused closes the session",
    rules: ["SIO5-NAMESPACE-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: onJoined("websocket", async (_ctx, s) => {
      await refused(s, "40/random,", "/random");
      s.send('42/random,["message","x"]');
      await expectClosed(s, '42/random,["message","x"] after the refusal');
    }),
  },
  {
    id: "sio5.namespace.multiplex",
    title: "/ and /custom on one session: each event is answered on its own namespace, in order",
    rules: ["SIO5-NAMESPACE-06", "SIO5-CONNECT-09", "SIO5-EVENT-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (_ctx, s) => {
      await join(s, "/custom");
      const sent = [
        { nsp: "/", args: [1] },
        { nsp: "/custom", args: [2] },
        { nsp: "/", args: [3] },
        { nsp: "/custom", args: [4] },
      ];
      s.send(...sent.map((e) => `42${e.nsp === "/" ? "" : `${e.nsp},`}${JSON.stringify(["message", ...e.args])}`));
      await expectEchoesInOrder(s, sent, "the echoes on / and /custom");
    }),
  },
]);
