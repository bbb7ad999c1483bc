/**
 * Socket.IO v5, chapter TIMEOUT: a session on which no namespace is joined is closed after
 * connectTimeout (a SHOULD), and a joined one never is. The suite cannot know the server's
 * connectTimeout, so it answers pings (the heartbeat must not close the session first), accepts
 * a close anywhere up to a bound, reports the observed time, and compares sessions of one run
 * with each other.
 */
import { defineChapter, fail, skip } from "../../case.js";
import { closesAlone, deadlineBound } from "../../checks/sio-deadline.js";
import { expectHeartbeatKeepsAlive, expectNotHeartbeatClose } from "../../checks/sio-heartbeat.js";
import { echo, join, openSession, refused } from "../../client/socketio-steps.js";
import { checkWait } from "../../runner/timing.js";

export const sio5TimeoutCases = defineChapter("socket.io v5 / timeout", [
  {
    id: "sio5.timeout.no-connect",
    title: "A session that joins no namespace is closed after connectTimeout (pings answered meanwhile)",
    rules: ["SIO5-TIMEOUT-01"],
    level: "SHOULD",
    requires: ["socketio"],
    timing: "waits",
    async run(ctx) {
      const s = await openSession(ctx);
      const ms = await closesAlone(ctx, s, "the close of a session with no CONNECT");
      ctx.info(
        `closed ${ms} ms after the handshake with no CONNECT (connectTimeout), ${s.pings} ping(s) answered meanwhile`,
      );
    },
  },
  {
    id: "sio5.timeout.no-connect-polling",
    title: "Over polling too, a session with no CONNECT is closed",
    rules: ["SIO5-TIMEOUT-01"],
    level: "SHOULD",
    requires: ["socketio", "polling"],
    timing: "waits",
    async run(ctx) {
      const s = await openSession(ctx, "polling");
      const ms = await closesAlone(ctx, s, "the close of a polling session with no CONNECT");
      ctx.info(`closed ${ms} ms after the handshake (${s.ending!.detail})`);
    },
  },
  {
    id: "sio5.timeout.refused-connect",
    title: "A refused CONNECT does not stop the deadline: the session still closes",
    rules: ["SIO5-TIMEOUT-03", "SIO5-TIMEOUT-01"],
    level: "SHOULD",
    requires: ["socketio"],
    timing: "waits",
    async run(ctx) {
      const [idle, refusedOne] = await Promise.all([openSession(ctx), openSession(ctx)]);
      await refused(refusedOne, "40/random,", "/random");
      const [idleMs, refusedMs] = await Promise.all([
        closesAlone(ctx, idle, "the close of a session with no CONNECT"),
        closesAlone(ctx, refusedOne, "the close of a session whose only CONNECT was refused"),
      ]);
      const slack = ctx.grace(idleMs);
      if (refusedMs > idleMs + slack)
        fail(
          `the session with a refused CONNECT closed ${refusedMs} ms after its handshake, the idle one after ${idleMs} ms`,
          { expected: `about ${idleMs} ms (± ${slack})`, observed: `${refusedMs} ms` },
        );
      ctx.note(`idle session closed after ${idleMs} ms, the refused one after ${refusedMs} ms`);
    },
  },
  {
    id: "sio5.timeout.joined-no-deadline",
    title: "Once a namespace is joined no deadline applies (a session whose client left it again closed: warning)",
    rules: ["SIO5-TIMEOUT-02", "SIO5-TIMEOUT-03", "SIO5-DISCONNECT-02"],
    level: "MUST",
    requires: ["socketio-echo"],
    timing: "waits",
    async run(ctx) {
      const [idle, joined, left] = await Promise.all([openSession(ctx), openSession(ctx), openSession(ctx)]);
      await join(joined, "/");
      await join(left, "/");
      left.send("41");
      // Whether the server has a deadline at all is unknown: wait no longer than --connect-timeout allows.
      const bound = ctx.scale(deadlineBound(ctx));
      checkWait(ctx.timing, bound, "the Socket.IO connect deadline");
      if (!(await idle.waitEnd(bound)))
        skip(
          "a session with no CONNECT was never closed, so there is no deadline to outlive (see sio5.timeout.no-connect)",
        );
      const idleMs = Math.round(idle.ending!.at - idle.openedAt);
      await ctx.sleep(Math.round(ctx.grace(idleMs)) + ctx.scale(100));
      expectNotHeartbeatClose(ctx, joined);
      if (joined.ending) await expectHeartbeatKeepsAlive(ctx);
      if (joined.ending)
        fail(
          `a joined session was closed ${Math.round(joined.ending.at - joined.openedAt)} ms after its handshake (the idle one after ${idleMs} ms)`,
          { expected: "open", observed: joined.ending.detail },
        );
      if (left.ending)
        ctx.softFail(
          `a session that joined and left / was closed ${Math.round(left.ending.at - left.openedAt)} ms after its handshake (the idle one after ${idleMs} ms)`,
          { expected: "open", observed: left.ending.detail },
        );
      await echo(joined, ["alive"], "/", "the echo on the joined session after the deadline");
      ctx.note(`the joined session outlived the ${idleMs} ms deadline`);
    },
  },
]);
