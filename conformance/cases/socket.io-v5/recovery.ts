/**
 * Socket.IO v5, chapter RECOVERY (only for servers that offer connection state recovery): the
 * pid in the CONNECT reply, the offset carried by every event that asks for no ack, restoring a
 * lost namespace socket with the events it missed, and CONNECTs with unusable pid/offset.
 */
import { assert, defineChapter, fail, show } from "../../case.js";
import type { CaseContext } from "../../runner/context.js";
import { serverAsks } from "./ack.js";
import { bytes, connectReply, onJoined, onOpen, openRaw, withSessions, type RawSession } from "./helpers.js";

/** Splits a server event `42[...,"<offset>"]` into its arguments and its offset. */
function withOffset(text: string, prefix: string, what: string): { args: unknown[]; offset: string } {
  if (!text.startsWith(prefix + "[")) fail(`${what} is ${show(text)}`, { expected: `${prefix}[...,"<offset>"]`, observed: text });
  const data = JSON.parse(text.slice(prefix.length)) as unknown[];
  const offset = data[data.length - 1];
  if (typeof offset !== "string") fail(`${what} carries no offset as its last argument`, { expected: `${prefix}[...,"<offset>"]`, observed: text });
  return { args: data.slice(0, -1), offset };
}

/** Sends a CONNECT for / with `auth`, and returns the reply's sid and pid (the pid must be there). */
async function connectFresh(s: RawSession, auth: unknown): Promise<{ sid: string; pid: string }> {
  s.send(`40${JSON.stringify(auth)}`);
  const reply = connectReply(await s.nextText(`the answer to 40${JSON.stringify(auth)}`), "/");
  assert(reply.pid !== undefined, "the CONNECT reply carries no pid", { expected: '40{"sid":"...","pid":"..."}' });
  return { sid: reply.sid, pid: reply.pid };
}

/**
 * A namespace socket that loses its connection with an event still owed to it: over polling,
 * join /, read the auth event (and its offset), ask for an echo and stop polling, so that the
 * echo is emitted but never fetched and the heartbeat ends the session.
 */
async function loseWithMissedEvent(ctx: CaseContext): Promise<{ sid: string; pid: string; offset: string }> {
  const engine = ctx.engineAt(ctx.config.path);
  const session = await engine.openPolling();
  await session.post([{ type: "message", data: "0" }]);
  const texts: string[] = [];
  for (let i = 0; i < 10 && !texts.some((t) => t.startsWith('42["auth"')); i++) {
    const { packets } = await session.get();
    for (const p of packets) {
      if (p.type === "ping") await session.post([{ type: "pong" }]);
      if (p.type === "message" && typeof p.data === "string") texts.push(`4${p.data}`);
    }
  }
  const reply = texts.find((t) => t.startsWith("40"));
  const auth = texts.find((t) => t.startsWith('42["auth"'));
  if (!reply || !auth) fail("the CONNECT reply and the auth event did not arrive by polling", { observed: texts.join(" ") });
  const { sid, pid } = connectReply(reply, "/");
  if (pid === undefined) fail("the CONNECT reply carries no pid", { observed: reply });
  const { offset } = withOffset(auth, "42", "the auth event");
  await session.post([{ type: "message", data: '2["message","missed"]' }]);
  ctx.note("no more polls: the echo stays undelivered and the heartbeat ends the session");
  await ctx.sleep(ctx.scale(2 * (ctx.handshake.pingInterval + ctx.handshake.pingTimeout)) + ctx.scale(200));
  return { sid, pid, offset };
}

export const sio5RecoveryCases = defineChapter("socket.io v5 / recovery", [
  {
    id: "sio5.recovery.pid",
    title: "With recovery on, the CONNECT reply carries exactly sid and pid, two distinct strings",
    rules: ["SIO5-RECOVERY-01", "SIO5-CONNECT-03"],
    level: "MUST",
    requires: ["recovery"],
    run: onOpen("websocket", async (ctx, s) => {
      s.send("40");
      const text = await s.nextText("the answer to 40");
      const { sid, pid } = connectReply(text, "/");
      ctx.deepEqual(Object.keys(JSON.parse(text.slice(2)) as object).sort(), ["pid", "sid"], "the keys of the CONNECT reply");
      ctx.assert(pid !== sid && pid !== s.sid, "the pid equals the sid or the Engine.IO sid", { expected: "a distinct private ID", observed: text });
    }),
  },
  {
    id: "sio5.recovery.offsets",
    title: "Events without ack carry a distinct offset as last argument; an event asking for an ack carries none",
    rules: ["SIO5-RECOVERY-02"],
    level: "MUST",
    requires: ["recovery", "socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await connectFresh(s, {});
      const auth = withOffset(await s.nextText("the auth event"), "42", "the auth event");
      s.send('42["message","x"]');
      const echo = withOffset(await s.nextText("the echo"), "42", "the echo");
      ctx.deepEqual(echo.args, ["message-back", "x"], "the echo without its offset");
      ctx.assert(echo.offset !== auth.offset, "two events carry the same offset", { observed: echo.offset });
      await serverAsks(ctx, s, ["no-offset"]);
    }),
  },
  {
    id: "sio5.recovery.binary-offset",
    title: "A binary event carries its offset too, after the placeholders",
    rules: ["SIO5-RECOVERY-02"],
    level: "MUST",
    requires: ["recovery", "socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send('451-["message",{"_placeholder":true,"num":0}]', bytes(7, 8));
      const echo = withOffset(await s.nextText("the header of the binary echo"), "451-", "the binary echo");
      ctx.deepEqual(echo.args, ["message-back", { _placeholder: true, num: 0 }], "the binary echo without its offset");
      await s.expectBinary(bytes(7, 8), "the attachment of the echo");
    }),
  },
  {
    id: "sio5.recovery.restore",
    title: "CONNECT with pid and offset restores the socket: same sid and pid, then the missed event",
    rules: ["SIO5-RECOVERY-03", "SIO5-RECOVERY-04", "SIO5-CONNECT-07"],
    level: "MUST",
    requires: ["recovery", "socketio-echo", "polling"],
    timing: "waits",
    run: (ctx) =>
      withSessions(ctx, async () => {
        const lost = await loseWithMissedEvent(ctx);
        // Opened only now: a session waiting all along would meet the connect deadline.
        const s = await openRaw(ctx);
        s.send(`40${JSON.stringify({ pid: lost.pid, offset: lost.offset })}`);
        const seen: string[] = [];
        while (!seen.some((t) => t.startsWith("40")) || !seen.some((t) => t.includes('"message-back","missed"'))) {
          seen.push(await s.nextText("the CONNECT reply and the missed event"));
          if (seen.length > 5) break;
        }
        const replyAt = seen.findIndex((t) => t.startsWith("40"));
        const missedAt = seen.findIndex((t) => t.includes('"message-back","missed"'));
        if (replyAt < 0) fail("no CONNECT reply", { observed: seen.join(" ") });
        const reply = connectReply(seen[replyAt]!, "/");
        ctx.deepEqual({ sid: reply.sid, pid: reply.pid }, { sid: lost.sid, pid: lost.pid }, "the sid and pid of the restored socket");
        if (missedAt < 0) fail("the missed event was not replayed", { expected: '42["message-back","missed","<offset>"]', observed: seen.join(" ") });
        withOffset(seen[missedAt]!, "42", "the replayed event");
        // The official server replays before its reply; the spec reports that order as a warning.
        if (missedAt < replyAt) ctx.softFail("the missed event was replayed before the CONNECT reply", { expected: "40{...} then the missed event", observed: seen.join(" ") });
      }),
  },
  {
    id: "sio5.recovery.unknown-pid",
    title: "A CONNECT with an unknown pid is handled as a new one (fresh sid and pid), not as a violation",
    rules: ["SIO5-RECOVERY-05"],
    level: "MUST",
    requires: ["recovery", "socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      const first = await connectFresh(s, { pid: "sockspec-unknown-pid", offset: "sockspec-unknown-offset" });
      ctx.assert(first.pid !== "sockspec-unknown-pid", "the server took over the unknown pid", { observed: first.pid });
      withOffset(await s.nextText("the auth event"), "42", "the auth event");
      s.send('42["message","fresh"]');
      ctx.deepEqual(withOffset(await s.nextText("the echo"), "42", "the echo").args, ["message-back", "fresh"], "the echo on the new socket");
    }),
  },
  {
    id: "sio5.recovery.bad-types",
    title: "A pid and offset that are not strings are ignored: a new socket, the session stays open",
    rules: ["SIO5-RECOVERY-05"],
    level: "MUST",
    requires: ["recovery", "socketio-echo"],
    run: onOpen("websocket", async (ctx, s) => {
      await connectFresh(s, { pid: 1, offset: true });
      withOffset(await s.nextText("the auth event"), "42", "the auth event");
      s.send('42["message","fresh"]');
      ctx.deepEqual(withOffset(await s.nextText("the echo"), "42", "the echo").args, ["message-back", "fresh"], "the echo on the new socket");
    }),
  },
]);
