/**
 * Socket.IO v5, chapter CONNECT: joining `/` and `/custom` over WebSocket and polling, the CONNECT
 * reply, the auth object handed to the application, and the CONNECTs that close the session (a
 * payload that is not an object, a second CONNECT, a first packet that is not one).
 */
import { defineChapter, fail } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { expectReply, expectReplyThenAuth } from "../../checks/sio-connect.js";
import { expectPingNext, violation, violationBeforeJoin } from "../../checks/sio-violation.js";
import { echo, join, onOpen, sendFirst } from "../../client/socketio-steps.js";
import { readPacketText } from "../../client/socketio-text.js";

/** The shape SIO5-CONNECT-14 recommends for a sid: URL-safe base64, at least 16 characters. */
const SID = /^[A-Za-z0-9_-]{16,}$/;

export const sio5ConnectCases = defineChapter("socket.io v5 / connect", [
  {
    id: "sio5.connect.root-reply",
    title:
      'CONNECT / is answered 40{"sid":...} with a non-empty string sid (other keys than sid, and pid with recovery: warning)',
    rules: ["SIO5-CONNECT-03", "SIO5-CONNECT-13", "SIO5-PACKET-01", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40");
      await expectReply(ctx, s, "/", { keys: true });
    }),
  },
  {
    id: "sio5.connect.sid-distinct",
    title:
      "The CONNECT sid differs from the Engine.IO sid and from other namespaces' sids (a sid not shaped like an Engine.IO sid: warning)",
    rules: ["SIO5-CONNECT-04", "SIO5-CONNECT-14"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", async (ctx, s) => {
      // join() fails this case when a namespace sid is the Engine.IO sid.
      const root = await join(s, "/");
      const custom = await join(s, "/custom");
      ctx.assert(custom.sid !== root.sid, "/ and /custom got the same sid", {
        expected: "two different sids",
        observed: `${root.sid} ${custom.sid}`,
      });
      for (const [nsp, sid] of [
        ["/", root.sid],
        ["/custom", custom.sid],
      ] as const) {
        if (!SID.test(sid))
          ctx.softFail(`the sid of ${nsp} is not shaped like an Engine.IO sid (SIO5-CONNECT-14)`, {
            expected: String(SID),
            observed: sid,
          });
      }
    }),
  },
  {
    id: "sio5.connect.auth-event-follows",
    title: "On /custom the CONNECT reply comes first, then the application's auth event with {}",
    rules: ["SIO5-CONNECT-07", "SIO5-CONNECT-15"],
    level: "SHOULD",
    requires: ["socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40/custom,");
      await expectReplyThenAuth(ctx, s, "/custom", undefined, { reply: P.namespaceConnects });
    }),
  },
  {
    id: "sio5.connect.auth-echoed",
    title: "The auth object of CONNECT reaches the application unchanged (as a JSON value)",
    rules: ["SIO5-CONNECT-06", "SIO5-CONNECT-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      const auth = { token: "abc", n: [1, 2.5, null], nested: { é: true } };
      await sendFirst(s, `40${JSON.stringify(auth)}`);
      await expectReplyThenAuth(ctx, s, "/", auth, { reply: P.namespaceConnects, order: false });
    }),
  },
  {
    id: "sio5.connect.custom-with-payload",
    title:
      '40/custom,{"token":"abc"} is answered 40/custom,{"sid":...}, with the comma, then the auth event on /custom',
    rules: ["SIO5-CONNECT-03", "SIO5-CONNECT-06", "SIO5-NAMESPACE-01", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, '40/custom,{"token":"abc"}');
      await expectReplyThenAuth(ctx, s, "/custom", { token: "abc" }, { order: false });
    }),
  },
  {
    id: "sio5.connect.custom-without-comma",
    title: "40/custom (no trailing comma) joins /custom",
    rules: ["SIO5-NAMESPACE-08"],
    level: "SHOULD",
    requires: ["socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40/custom");
      await expectReplyThenAuth(ctx, s, "/custom", undefined, { reply: P.namespaceConnects, order: false });
    }),
  },
  {
    id: "sio5.connect.polling",
    title: "CONNECT over polling: the reply, then the auth event, arrive by GET",
    rules: ["SIO5-CONNECT-03", "SIO5-CONNECT-07", "SIO5-PACKET-03"],
    level: "MUST",
    requires: ["socketio-echo", "polling"],
    run: onOpen("polling", async (ctx, s) => {
      await sendFirst(s, '40/custom,{"a":1}');
      await expectReplyThenAuth(ctx, s, "/custom", { a: 1 }, { auth: P.authDelivered });
    }),
  },
  {
    id: "sio5.connect.nothing-before-connect",
    title: "After the Engine.IO handshake the server sends no Socket.IO packet, only pings",
    rules: ["SIO5-CONNECT-02"],
    level: "MUST",
    requires: ["socketio"],
    // A close (the connect deadline may come first) is no packet: only a packet breaks the rule.
    run: onOpen("websocket", (ctx, s) =>
      expectPingNext(ctx, s, "the Engine.IO handshake, with no CONNECT", { close: "allowed" }),
    ),
  },
  {
    id: "sio5.connect.repeat-before-reply",
    title: "A CONNECT repeated before its reply does not close the session and is answered once (twice: warning)",
    rules: ["SIO5-CONNECT-11", "SIO5-CONNECT-12"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40", "40");
      await s.waitEnd(ctx.scale(300));
      const texts = s.messages.items.filter((m): m is string => typeof m === "string");
      // Replies are counted by type and namespace: how they are spelled is sio5.connect.root-reply's to judge.
      const replies = texts.filter((t) => {
        const p = readPacketText(t);
        return p.type === 0 && p.nsp === "/";
      }).length;
      if (s.ending) {
        if (replies === 0)
          fail("the session closed without answering the CONNECT", {
            expected: "one CONNECT reply, the session open",
            observed: `${texts.join(" ") || "nothing"}, then ${s.ending.detail}`,
          });
        // The server may have answered before it read the repeat: then it is a duplicate (SIO5-CONNECT-05).
        ctx.note(
          "the server answered, then closed the session: it read the repeat after its reply, as a duplicate CONNECT",
        );
        return;
      }
      if (replies === 0)
        fail("the CONNECT was not answered", { expected: '40{"sid":"..."}', observed: texts.join(" ") || "nothing" });
      if (replies > 1)
        ctx.softFail(`the repeated CONNECT was answered ${replies} times`, {
          expected: "one CONNECT reply",
          observed: texts.join(" "),
        });
      await echo(s, ["once"], "/", "the echo after the repeated CONNECT");
    }),
  },
  {
    id: "sio5.connect.payload-array",
    title: "CONNECT with an array payload (40[]) closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violationBeforeJoin(["40[]"], "40[]"),
  },
  {
    id: "sio5.connect.payload-string",
    title: 'CONNECT with a string payload (40"x") closes the session',
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violationBeforeJoin(['40"x"'], '40"x"'),
  },
  {
    id: "sio5.connect.payload-null",
    title: "CONNECT with a null payload (40null) closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violationBeforeJoin(["40null"], "40null", "polling"),
  },
  {
    id: "sio5.connect.duplicate",
    title: "A second CONNECT for a joined namespace closes the session unanswered",
    rules: ["SIO5-CONNECT-05"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(["40"], "a second 40"),
  },
  {
    id: "sio5.connect.event-first",
    title: "An EVENT as the first packet closes the session",
    rules: ["SIO5-CONNECT-08", "SIO5-NAMESPACE-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violationBeforeJoin(['42["message","x"]'], '42["message","x"] before any CONNECT'),
  },
  {
    id: "sio5.connect.second-namespace-early",
    title: "CONNECTs for / and /custom sent together are both admitted",
    rules: ["SIO5-CONNECT-09"],
    level: "MAY",
    requires: ["socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40", "40/custom,");
      await expectReply(ctx, s, "/", { reply: P.namespaceConnects });
      await expectReply(ctx, s, "/custom", { reply: P.namespaceConnects });
    }),
  },
]);
