/**
 * Socket.IO v4, chapters CONNECT and NAMESPACE: the server joins the client to `/` on its own,
 * a CONNECT carries no payload (a query string in the namespace stands for the auth), and a
 * namespace the server does not serve is refused with an ERROR while `/` stays joined.
 */
import { CaseOutcome, defineChapter, fail, needs, show, unmet } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { expectV4Ended, expectV4Open, joinedV4, openV4 } from "../../checks/v3-socketio.js";

/** The JSON after the first `prefix.length` characters of `text`, or undefined when it does not parse. */
function jsonAfter(text: string, prefix: string): unknown {
  try {
    return JSON.parse(text.slice(prefix.length));
  } catch {
    return undefined;
  }
}

export const sio4ConnectCases = defineChapter("socket.io v4 / connect", [
  {
    id: "sio4.connect.root-implicit",
    title: "Over polling the server sends the CONNECT `40` for `/` unasked",
    rules: ["SIO4-CONNECT-02", "SIO4-PACKET-03"],
    level: "MUST",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await openV4(ctx, "polling");
      const first = await io.nextOn("/", { what: "the CONNECT 40 for /" });
      ctx.equal(first.text, "0", "the first Socket.IO packet on / (after the Engine.IO type 4)");
    },
  },
  {
    id: "sio4.connect.root-implicit-websocket",
    title: "Over WebSocket the server sends the CONNECT `40` for `/` unasked",
    rules: ["SIO4-CONNECT-02"],
    level: "MUST",
    requires: ["eio3", "socketio", "websocket"],
    async run(ctx) {
      const io = await openV4(ctx);
      const first = await io.nextOn("/", { what: "the CONNECT 40 for /" });
      ctx.equal(first.text, "0", "the first Socket.IO packet on /");
    },
  },
  {
    id: "sio4.connect.custom-reply",
    title: "`40/custom,` is answered `40/custom,`: no payload, no ack id, no sid",
    rules: ["SIO4-CONNECT-03", "SIO4-CONNECT-01", "SIO4-ACK-02", "SIO4-PACKET-04"],
    level: "MUST",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      const answer = await io.connect("/custom");
      ctx.equal(answer.text, "0/custom,", "the answer to 40/custom,");
    },
  },
  {
    id: "sio4.connect.query-string",
    title: "`40/custom?token=abc,` joins `/custom` (the query string is not part of the name)",
    rules: ["SIO4-CONNECT-04", "SIO4-NAMESPACE-01", "SIO4-CONNECT-03"],
    level: "MUST",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      const answer = await io.connect("/custom", "token=abc");
      ctx.equal(answer.text, "0/custom,", "the answer to 40/custom?token=abc,");
    },
  },
  {
    id: "sio4.connect.query-as-auth",
    title: "The query string of a CONNECT reaches the application as its auth object (`auth` echoes it)",
    rules: ["SIO4-CONNECT-07"],
    level: "SHOULD",
    requires: ["eio3", "socketio-echo"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      await io.join("/custom", "token=abc");
      // The event itself arriving is the echo's business; what it says is this rule's.
      const auth = await needs(P.v4EventEchoed, () => io.expectEvent("auth", "/custom"));
      ctx.deepEqual(auth.args, [{ token: "abc" }], "the arguments of auth on /custom");
    },
  },
  {
    id: "sio4.connect.repeat-before-reply",
    title: "A CONNECT sent twice before the reply does not close the session",
    rules: ["SIO4-CONNECT-06", "SIO4-CONNECT-03"],
    level: "MUST",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      io.sendRaw("0/custom,", "0/custom,");
      const answer = await io.nextOn("/custom", { what: "an answer to 40/custom," });
      ctx.equal(answer.text, "0/custom,", "the answer to the CONNECT");
      try {
        await expectV4Open(ctx, io, "the CONNECT was sent twice before its reply");
      } catch (err) {
        if (!(err instanceof CaseOutcome) || err.verdict !== "fail" || err.precondition) throw err;
        // The two frames may reach the server in two reads, the second after it answered the
        // first: then the repeat is a CONNECT for a joined namespace (SIO4-CONNECT-05), not this rule's.
        ctx.note(`the server answered, then closed the session: it read the repeat after its reply (${err.reason})`);
      }
    },
  },
  {
    id: "sio4.connect.repeated-root",
    title: "A CONNECT for `/`, which the server joined already, is a violation that closes the session",
    rules: ["SIO4-CONNECT-05"],
    level: "SHOULD",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      io.sendRaw("0");
      await expectV4Ended(ctx, io, "the client sent a CONNECT for / after the server joined it");
    },
  },
  {
    id: "sio4.namespace.unknown-refused",
    title: "`40/random,` is refused with an ERROR for /random (string or object), and the session stays open",
    rules: ["SIO4-NAMESPACE-02", "SIO4-ERROR-01", "SIO4-ACK-02"],
    level: "MUST",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      const answer = await io.connect("/random");
      ctx.equal(answer.packet?.type, "CONNECT_ERROR", `the type of the answer ${show(answer.text)}`);
      ctx.match(answer.text, /^4\/random,(?:"|\{)/, "the ERROR packet");
      await expectV4Open(ctx, io, "the server refused /random");
    },
  },
  {
    id: "sio4.namespace.unknown-message",
    title: 'The refusal of an unknown namespace carries {"message":"Invalid namespace"}',
    rules: ["SIO4-NAMESPACE-03"],
    level: "SHOULD",
    requires: ["eio3", "socketio"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      const answer = await io.connect("/random");
      ctx.equal(answer.text, '4/random,{"message":"Invalid namespace"}', "the ERROR packet");
    },
  },
  {
    id: "sio4.namespace.private-refused",
    title: "A refusal by the application is an ERROR whose payload is a string or an object",
    rules: ["SIO4-ERROR-01"],
    level: "MUST",
    requires: ["eio3", "private-namespace"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      const answer = await io.connect("/private");
      ctx.match(answer.text, /^4\/private,/, "the answer to 40/private,");
      const data = jsonAfter(answer.text, "4/private,");
      ctx.assert(
        typeof data === "string" || (typeof data === "object" && data !== null),
        "the payload is a string or an object",
        {
          observed: show(answer.text),
        },
      );
    },
  },
  {
    id: "sio4.namespace.private-refusal-shape",
    title: "A refusal carries a payload: a string, or an object with a string `message` and at most `data`",
    rules: ["SIO4-ERROR-03"],
    level: "SHOULD",
    requires: ["eio3", "private-namespace"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      const answer = await io.connect("/private");
      const prefix = "4/private,";
      ctx.assert(
        answer.text.startsWith(prefix) && answer.text.length > prefix.length,
        "the ERROR packet has no payload",
        {
          expected: `${prefix}"not authorized", or ${prefix}{"message":"not authorized",...}`,
          observed: show(answer.text),
        },
      );
      const payload = jsonAfter(answer.text, prefix);
      if (typeof payload === "string") return;
      const keys = payload !== null && typeof payload === "object" ? Object.keys(payload) : [];
      ctx.assert(
        typeof (payload as { message?: unknown } | undefined)?.message === "string" &&
          keys.every((k) => k === "message" || k === "data"),
        "the ERROR payload is neither a string nor an object of a string message and data",
        { expected: '"..." or {"message":"...","data":...}', observed: show(answer.text) },
      );
    },
  },
  {
    id: "sio4.namespace.private-admitted",
    title: "`40/private?token=sockspec,` is admitted: the query string is the auth the middleware reads",
    rules: ["SIO4-CONNECT-07"],
    level: "SHOULD",
    requires: ["eio3", "private-namespace"],
    async run(ctx) {
      const io = await joinedV4(ctx);
      const answer = await io.connect("/private", "token=sockspec");
      // A refusal is this rule's failure; a reply of the wrong form is SIO4-CONNECT-03's (a precondition here).
      if (answer.packet?.type === "CONNECT_ERROR")
        fail("the middleware refused the token given in the query string", {
          expected: "0/private,",
          observed: show(answer.text),
        });
      if (answer.packet?.type !== "CONNECT")
        unmet(P.v4NamespaceConnects, `the CONNECT for /private was answered ${show(answer.text)}`, {
          expected: "0/private,",
          observed: show(answer.text),
        });
    },
  },
]);
