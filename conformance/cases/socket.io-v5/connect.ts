/**
 * Socket.IO v5, chapter CONNECT: joining `/` and `/custom` over WebSocket and polling, the exact
 * CONNECT reply, the auth object handed to the application, and the CONNECTs that close the
 * session (a payload that is not an object, a second CONNECT, a first packet that is not one).
 */
import { defineChapter, fail, show } from "../../case.js";
import type { CaseContext } from "../../runner/context.js";
import { connectReply, onOpen, stripOffset, violation, violationBeforeJoin, type RawSession } from "./helpers.js";

const SID = /^[A-Za-z0-9_-]{16,}$/;

/** The keys a CONNECT reply may carry: sid, and pid when the server offers recovery. */
export function expectReplyKeys(ctx: CaseContext, reply: string, prefix: string): void {
  const data = JSON.parse(reply.slice(prefix.length)) as Record<string, unknown>;
  const wanted = ctx.features.has("recovery") ? ["sid", "pid"] : ["sid"];
  const keys = Object.keys(data);
  if (keys.length !== wanted.length || !wanted.every((k) => typeof data[k] === "string")) {
    fail(`the CONNECT reply carries ${show(data)}`, { expected: `${prefix}{${wanted.map((k) => `"${k}":"..."`).join(",")}}`, observed: reply });
  }
}

/** Sends a CONNECT text and checks the reply and the auth event that follows it. */
async function connectAndCheck(ctx: CaseContext, s: RawSession, text: string, nsp: string, auth: unknown): Promise<void> {
  s.send(text);
  const prefix = nsp === "/" ? "40" : `40${nsp},`;
  const reply = await s.nextText(`the answer to ${text}`);
  connectReply(reply, nsp);
  expectReplyKeys(ctx, reply, prefix);
  await s.expectText(`42${nsp === "/" ? "" : `${nsp},`}["auth",${JSON.stringify(auth)}]`, `the auth event after the CONNECT reply on ${nsp}`);
}

export const sio5ConnectCases = defineChapter("socket.io v5 / connect", [
  {
    id: "sio5.connect.root-reply",
    title: "CONNECT / is answered 40{\"sid\":...} with only the key sid (and pid with recovery)",
    rules: ["SIO5-CONNECT-03", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", async (ctx, s) => {
      s.send("40");
      const reply = await s.nextText("the answer to 40");
      connectReply(reply, "/");
      expectReplyKeys(ctx, reply, "40");
    }),
  },
  {
    id: "sio5.connect.sid-distinct",
    title: "The CONNECT sid is a well-formed ID distinct from the Engine.IO sid and from other namespaces' sids",
    rules: ["SIO5-CONNECT-04"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", async (ctx, s) => {
      s.send("40", "40/custom,");
      const root = connectReply(await s.nextText("the answer to 40"), "/");
      let custom: string | undefined;
      for (let i = 0; i < 3 && custom === undefined; i++) {
        const m = await s.nextText("the answer to 40/custom,");
        if (m.startsWith("40/custom,")) custom = connectReply(m, "/custom").sid;
      }
      ctx.match(root.sid, SID, "the sid of /");
      ctx.assert(root.sid !== s.sid, "the namespace sid is the Engine.IO sid", { expected: "a different ID", observed: root.sid });
      ctx.assert(custom !== undefined && custom !== root.sid, "/ and /custom got the same sid", { expected: "two different sids", observed: `${root.sid} ${custom}` });
    }),
  },
  {
    id: "sio5.connect.auth-event-follows",
    title: "The CONNECT reply comes first, then the application's auth event with {}",
    rules: ["SIO5-CONNECT-07", "SIO5-CONNECT-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onOpen("websocket", (ctx, s) => connectAndCheck(ctx, s, "40", "/", {})),
  },
  {
    id: "sio5.connect.auth-echoed",
    title: "The auth object of CONNECT reaches the application unchanged",
    rules: ["SIO5-CONNECT-06", "SIO5-CONNECT-01"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onOpen("websocket", (ctx, s) => {
      const auth = { token: "abc", n: [1, 2.5, null], nested: { "é": true } };
      return connectAndCheck(ctx, s, `40${JSON.stringify(auth)}`, "/", auth);
    }),
  },
  {
    id: "sio5.connect.custom-with-payload",
    title: "40/custom,{\"token\":\"abc\"} is answered 40/custom,{\"sid\":...} then the auth event on /custom",
    rules: ["SIO5-CONNECT-03", "SIO5-CONNECT-06", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onOpen("websocket", (ctx, s) => connectAndCheck(ctx, s, '40/custom,{"token":"abc"}', "/custom", { token: "abc" })),
  },
  {
    id: "sio5.connect.custom-without-comma",
    title: "40/custom (no trailing comma) joins /custom",
    rules: ["SIO5-NAMESPACE-01", "SIO5-CONNECT-03"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onOpen("websocket", (ctx, s) => connectAndCheck(ctx, s, "40/custom", "/custom", {})),
  },
  {
    id: "sio5.connect.polling",
    title: "CONNECT over polling: the reply and the auth event arrive by GET",
    rules: ["SIO5-CONNECT-03", "SIO5-CONNECT-07", "SIO5-PACKET-03"],
    level: "MUST",
    requires: ["socketio-echo", "polling"],
    run: onOpen("polling", (ctx, s) => connectAndCheck(ctx, s, '40/custom,{"a":1}', "/custom", { a: 1 })),
  },
  {
    id: "sio5.connect.nothing-before-connect",
    title: "After the Engine.IO handshake the server sends no Socket.IO packet, only pings",
    rules: ["SIO5-CONNECT-02"],
    level: "MUST",
    requires: ["socketio"],
    run: onOpen("websocket", (_ctx, s) => s.expectPingNext("the Engine.IO handshake, with no CONNECT")),
  },
  {
    id: "sio5.connect.repeat-before-reply",
    title: "A CONNECT repeated before its reply does not close the session and is answered once (twice: warning)",
    rules: ["SIO5-CONNECT-11", "SIO5-CONNECT-12"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      s.send("40", "40");
      await s.waitEnd(ctx.scale(300));
      const texts = (await s.messages.collect(0)).filter((m): m is string => typeof m === "string");
      const replies = texts.filter((t) => t.startsWith("40{")).length;
      if (s.ending) {
        if (replies === 0) fail("the session closed without answering the CONNECT", { expected: "one CONNECT reply, the session open", observed: `${texts.join(" ") || "nothing"}, then ${s.ending.detail}` });
        // The server may have answered before it read the repeat: then it is a duplicate (SIO5-CONNECT-05).
        ctx.info("the server answered, then closed the session: it read the repeat after its reply, as a duplicate CONNECT");
        return;
      }
      if (replies === 0) fail("the CONNECT was not answered", { expected: '40{"sid":"..."}', observed: texts.join(" ") || "nothing" });
      if (replies > 1) ctx.softFail(`the repeated CONNECT was answered ${replies} times`, { expected: "one CONNECT reply", observed: texts.join(" ") });
      s.send('42["message","once"]');
      const echoes: string[] = [];
      for (let i = 0; i < replies; i++) echoes.push(stripOffset(ctx, await s.nextText("the echo after the repeated CONNECT", ctx.scale(500)).catch(() => "")));
      ctx.assert(echoes.includes('42["message-back","once"]'), "no echo after the repeated CONNECT: the session does not work", { observed: [...texts, ...echoes].join(" ") });
    }),
  },
  {
    id: "sio5.connect.payload-array",
    title: "CONNECT with an array payload (40[]) closes the session",
    rules: ["SIO5-CONNECT-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violationBeforeJoin(["40[]"], "40[]"),
  },
  {
    id: "sio5.connect.payload-string",
    title: "CONNECT with a string payload (40\"x\") closes the session",
    rules: ["SIO5-CONNECT-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violationBeforeJoin(['40"x"'], '40"x"'),
  },
  {
    id: "sio5.connect.payload-null",
    title: "CONNECT with a null payload (40null) closes the session",
    rules: ["SIO5-CONNECT-01", "SIO5-PACKET-04"],
    level: "MUST",
    requires: ["socketio"],
    run: violationBeforeJoin(["40null"], "40null", "polling"),
  },
  {
    id: "sio5.connect.duplicate",
    title: "A second CONNECT for a joined namespace closes the session unanswered",
    rules: ["SIO5-CONNECT-05"],
    level: "MUST",
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
    run: onOpen("websocket", async (_ctx, s) => {
      s.send("40", "40/custom,");
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) seen.push(await s.nextText("the answers to 40 and 40/custom,"));
      const root = seen.filter((m) => m.startsWith("40{")).length;
      const custom = seen.filter((m) => m.startsWith("40/custom,{")).length;
      if (root !== 1 || custom !== 1) fail("the two CONNECTs were not both answered", { expected: "40{...} and 40/custom,{...}", observed: seen.join(" ") });
    }),
  },
]);
