/**
 * Socket.IO v5, chapter RECOVERY (only for servers that offer connection state recovery): the
 * pid in the CONNECT reply, the offset carried by every event that asks for no ack, restoring a
 * lost namespace socket with the events it missed, and CONNECTs with unusable pid/offset.
 */
import { defineChapter, fail, needs, unmet } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { expectReply, judgeReply } from "../../checks/sio-connect.js";
import { expectOffset, loseWithMissedEvent } from "../../checks/sio-recovery.js";
import { argsOf, echo, onOpen, openSession, sendFirst } from "../../client/socketio-steps.js";
import { eventName } from "../../client/socketio.js";
import { sameJson, type Received } from "../../client/socketio-text.js";

export const sio5RecoveryCases = defineChapter("socket.io v5 / recovery", [
  {
    id: "sio5.recovery.pid",
    title:
      "With recovery on, the CONNECT reply carries a pid besides the sid, distinct from both sids (other keys: warning)",
    rules: ["SIO5-RECOVERY-01", "SIO5-CONNECT-13"],
    level: "MUST",
    requires: ["recovery"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40");
      // A reply of another shape is sio5.connect.root-reply's to judge; this case judges the pid.
      const { sid, pid, received } = await needs(P.namespaceConnects, () =>
        expectReply(ctx, s, "/", { keys: true, reply: P.namespaceConnects }),
      );
      if (pid === undefined)
        fail("the CONNECT reply carries no pid", {
          expected: '40{"sid":"...","pid":"..."}',
          observed: received.text.text,
        });
      ctx.assert(pid !== sid && pid !== s.sid, "the pid equals the sid or the Engine.IO sid", {
        expected: "a distinct private ID",
        observed: received.text.text,
      });
    }),
  },
  {
    id: "sio5.recovery.offsets",
    title: "Events without ack carry a distinct offset as last argument; an event asking for an ack carries none",
    rules: ["SIO5-RECOVERY-02"],
    level: "MUST",
    requires: ["recovery", "socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, "40{}");
      const reply = await needs(P.namespaceConnects, () => expectReply(ctx, s, "/"));
      if (reply.pid === undefined)
        unmet(P.recoveryPid, "the CONNECT reply carries no pid", { observed: reply.received.text.text });
      const auth = expectOffset(await s.nextEvent("auth"), "the auth event");
      s.send('42["message","x"]');
      const back = await s.nextEvent("message-back", "/", { what: "the echo" });
      const echoed = expectOffset(back, "the echo");
      if (!sameJson(echoed.args, ["x"]))
        unmet(P.eventEchoed, "the echo without its offset does not carry the argument sent", {
          expected: '["x"]',
          observed: back.text.text,
        });
      ctx.assert(echoed.offset !== auth.offset, "two events carry the same offset", { observed: echoed.offset });
      s.send('42["emit-with-ack","no-offset"]');
      const asked = await s.nextEvent("emit-with-ack", "/", { what: "the server's emit-with-ack event" });
      if (asked.text.id === undefined)
        unmet(P.serverAsksAck, "the server's emit-with-ack event asks for no ack", { observed: asked.text.text });
      const args = argsOf(asked);
      if (!sameJson(args, ["no-offset"]))
        fail(`an event that asks for an ack carries ${JSON.stringify(args)}`, {
          expected: '["no-offset"], with no offset',
          observed: asked.text.text,
        });
    }),
  },
  {
    id: "sio5.recovery.binary-offset",
    title: "A binary event carries its offset too, after the placeholders",
    rules: ["SIO5-RECOVERY-02"],
    level: "MUST",
    requires: ["recovery", "socketio-echo", "binary"],
    run: onOpen("websocket", async (_ctx, s) => {
      await sendFirst(s, "40");
      await s.nextEvent("auth");
      const bytes = new Uint8Array([7, 8]);
      s.send('451-["message",{"_placeholder":true,"num":0}]', bytes);
      const back = await s.nextEvent("message-back", "/", { what: "the binary echo" });
      if (back.error?.rule === "SIO5-BINARY-02")
        unmet(P.placeholdersNumbered, `the binary echo does not decode: ${back.error.reason}`, {
          observed: back.text.text,
        });
      const { args } = expectOffset(back, "the binary echo");
      if (!sameJson(args, [bytes]))
        unmet(P.binaryDelivered, "the binary echo without its offset does not carry the bytes sent", {
          expected: "[<2 bytes 0708>]",
          observed: back.text.text,
        });
    }),
  },
  {
    id: "sio5.recovery.restore",
    title:
      "CONNECT with pid and offset restores the socket: the same pid, then the missed event (a new sid, or the event before the reply: warning)",
    rules: ["SIO5-RECOVERY-04", "SIO5-RECOVERY-06", "SIO5-CONNECT-07"],
    level: "MUST",
    requires: ["recovery", "socketio-echo", "polling"],
    timing: "waits",
    async run(ctx) {
      const lost = await loseWithMissedEvent(ctx);
      // Opened only now: a session waiting all along would meet the connect deadline.
      const s = await openSession(ctx);
      const auth = { pid: lost.pid, offset: lost.offset };
      await sendFirst(s, `40${JSON.stringify(auth)}`);
      // What comes before the reply is kept apart: the official server replays the missed events first.
      const early: Received[] = [];
      let answer: Received;
      for (;;) {
        const r = await s.nextPacket(() => true, { what: "the answer to the restoring CONNECT" });
        if (r.text.type === 0 || r.text.type === 4) {
          answer = r;
          break;
        }
        early.push(r);
      }
      const reply = judgeReply(ctx, answer, "/", { reply: P.namespaceConnects });
      if (reply.sid === s.sid)
        unmet(P.socketSidDistinct, "the CONNECT reply carries the Engine.IO sid", { observed: answer.text.text });
      const find = async (match: (r: Received) => boolean, what: string) =>
        early.find(match) ?? (await s.nextPacket(match, { what }).catch(() => undefined));
      if (reply.pid !== lost.pid) {
        // Did the application get the pid at all? The echo app reports the auth of every socket.
        const authEvent = await find((r) => eventName(r) === "auth", "the auth event of the new socket");
        if (authEvent && !sameJson(argsOf(authEvent)?.[0], auth))
          unmet(P.authDelivered, "the application did not get the pid and offset of the CONNECT", {
            expected: JSON.stringify(auth),
            observed: authEvent.text.text,
          });
        fail("the socket was not restored: the CONNECT reply carries another pid", {
          expected: `40{"sid":"...","pid":"${lost.pid}"}`,
          observed: answer.text.text,
        });
      }
      const missed = await find((r) => eventName(r) === "message-back", "the missed event");
      if (!missed)
        fail("the missed event was not replayed", {
          expected: '42["message-back","missed","<offset>"]',
          observed: [...early.map((r) => r.text.text), ...s.messages.items.map(String)].join(" ") || "nothing",
        });
      const replayed = expectOffset(missed, "the replayed event");
      if (!sameJson(replayed.args, ["missed"]))
        unmet(P.eventEchoed, "the missed echo does not carry the argument sent", {
          expected: '42["message-back","missed","<offset>"]',
          observed: missed.text.text,
        });
      if (reply.sid !== lost.sid)
        ctx.softFail("the restored socket has a new sid (SIO5-RECOVERY-06)", {
          expected: lost.sid,
          observed: reply.sid,
        });
      if (early.includes(missed))
        ctx.softFail("the missed event was replayed before the CONNECT reply (SIO5-CONNECT-07)", {
          expected: "40{...} then the missed event",
          observed: `${missed.text.text} then ${answer.text.text}`,
        });
    },
  },
  {
    id: "sio5.recovery.unknown-pid",
    title: "A CONNECT with an unknown pid is handled as a new one (fresh sid and pid), not as a violation",
    rules: ["SIO5-RECOVERY-05"],
    level: "MUST",
    requires: ["recovery", "socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, `40${JSON.stringify({ pid: "sockspec-unknown-pid", offset: "sockspec-unknown-offset" })}`);
      const { pid, received } = await expectReply(ctx, s, "/", { reply: P.namespaceConnects });
      if (pid === undefined) unmet(P.recoveryPid, "the CONNECT reply carries no pid", { observed: received.text.text });
      ctx.assert(pid !== "sockspec-unknown-pid", "the server took over the unknown pid", { observed: pid });
      await echo(s, ["fresh"], "/", "the echo on the new socket");
    }),
  },
  {
    id: "sio5.recovery.bad-types",
    title: "A pid and offset that are not strings are ignored: a new socket, the session stays open",
    rules: ["SIO5-RECOVERY-05"],
    level: "MUST",
    requires: ["recovery", "socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await sendFirst(s, `40${JSON.stringify({ pid: 1, offset: true })}`);
      const { pid, received } = await expectReply(ctx, s, "/", { reply: P.namespaceConnects });
      if (pid === undefined) unmet(P.recoveryPid, "the CONNECT reply carries no pid", { observed: received.text.text });
      await echo(s, ["fresh"], "/", "the echo on the new socket");
    }),
  },
]);
