/**
 * Socket.IO v5, chapter TIMEOUT: a session on which no namespace is joined is closed after
 * connectTimeout. The suite cannot know the server's connectTimeout, so it answers pings (the
 * heartbeat must not close the session first), accepts a close anywhere up to a bound, reports
 * the observed time, and compares sessions of one run with each other.
 */
import { defineChapter, fail, skip } from "../../case.js";
import type { CaseContext } from "../../runner/context.js";
import { caseWatchdog } from "../../runner/timing.js";
import { openRaw, withSessions, type RawSession } from "./helpers.js";

/** The official default connectTimeout: no conforming server waits longer unless configured to. */
const DEFAULT_CONNECT_TIMEOUT = 45_000;

/**
 * The latest close the case waits for: the default connectTimeout, or less when the case's
 * watchdog (which depends on the server's timings) would stop the case before that.
 */
function deadlineBound(ctx: CaseContext): number {
  const room = caseWatchdog(ctx.timing) - ctx.scale(2000);
  let latest = DEFAULT_CONNECT_TIMEOUT;
  while (latest > 100 && ctx.scale(latest) + ctx.grace(ctx.scale(latest)) > room) latest = Math.floor(latest * 0.9);
  return latest;
}

/** Waits for `s` to close within the bound; returns the time from its handshake to the close. */
async function closesAlone(ctx: CaseContext, s: RawSession, what: string): Promise<number> {
  const latest = deadlineBound(ctx);
  const { elapsedMs } = await ctx.within(
    async (timeoutMs) => {
      if (!(await s.waitEnd(timeoutMs))) fail(`${what} did not close within ${timeoutMs} ms`, { expected: `closed after connectTimeout (at most ${latest} ms)`, observed: "open" });
    },
    { latest, what, since: s.openedAt, at: () => s.ending!.at },
  );
  await s.expectClosed(what, 0);
  return elapsedMs;
}

export const sio5TimeoutCases = defineChapter("socket.io v5 / timeout", [
  {
    id: "sio5.timeout.no-connect",
    title: "A session that joins no namespace is closed after connectTimeout (pings answered meanwhile)",
    rules: ["SIO5-TIMEOUT-01"],
    level: "MUST",
    requires: ["socketio"],
    timing: "waits",
    run: (ctx) =>
      withSessions(ctx, async () => {
        const s = await openRaw(ctx);
        const ms = await closesAlone(ctx, s, "the close of a session with no CONNECT");
        ctx.info(`closed ${ms} ms after the handshake with no CONNECT (connectTimeout), ${s.pings} ping(s) answered meanwhile`);
      }),
  },
  {
    id: "sio5.timeout.no-connect-polling",
    title: "Over polling too, a session with no CONNECT is closed, with the close packet",
    rules: ["SIO5-TIMEOUT-01", "SIO5-ERROR-03"],
    level: "MUST",
    requires: ["socketio", "polling"],
    timing: "waits",
    run: (ctx) =>
      withSessions(ctx, async () => {
        const s = await openRaw(ctx, "polling");
        const ms = await closesAlone(ctx, s, "the close of a polling session with no CONNECT");
        if (s.ending!.how !== "close-packet") fail(`the session ended without the close packet: ${s.ending!.detail}`, { expected: "a GET answered 1", observed: s.ending!.detail });
        ctx.info(`closed ${ms} ms after the handshake`);
      }),
  },
  {
    id: "sio5.timeout.refused-connect",
    title: "A refused CONNECT does not stop the deadline: the session still closes",
    rules: ["SIO5-TIMEOUT-02", "SIO5-TIMEOUT-01"],
    level: "MUST",
    requires: ["socketio"],
    timing: "waits",
    run: (ctx) =>
      withSessions(ctx, async () => {
        const [idle, refused] = await Promise.all([openRaw(ctx), openRaw(ctx)]);
        refused.send("40/random,");
        await refused.expectText('44/random,{"message":"Invalid namespace"}', "the refusal of /random");
        const [idleMs, refusedMs] = await Promise.all([
          closesAlone(ctx, idle, "the close of a session with no CONNECT"),
          closesAlone(ctx, refused, "the close of a session whose only CONNECT was refused"),
        ]);
        const slack = ctx.grace(idleMs);
        if (refusedMs > idleMs + slack) fail(`the session with a refused CONNECT closed ${refusedMs} ms after its handshake, the idle one after ${idleMs} ms`, { expected: `about ${idleMs} ms (± ${slack})`, observed: `${refusedMs} ms` });
        ctx.note(`idle session closed after ${idleMs} ms, the refused one after ${refusedMs} ms`);
      }),
  },
  {
    id: "sio5.timeout.joined-no-deadline",
    title: "Once a namespace is joined no deadline applies, even after the client leaves it",
    rules: ["SIO5-TIMEOUT-02", "SIO5-DISCONNECT-02"],
    level: "MUST",
    requires: ["socketio-echo"],
    timing: "waits",
    run: (ctx) =>
      withSessions(ctx, async () => {
        const [idle, joined, left] = await Promise.all([openRaw(ctx), openRaw(ctx), openRaw(ctx)]);
        await joined.join("/");
        await left.join("/");
        left.send("41");
        const latest = deadlineBound(ctx);
        if (!(await idle.waitEnd(ctx.scale(latest)))) skip("a session with no CONNECT was never closed, so there is no deadline to outlive (see sio5.timeout.no-connect)");
        const idleMs = Math.round(idle.ending!.at - idle.openedAt);
        await ctx.sleep(Math.round(ctx.grace(idleMs)) + ctx.scale(100));
        for (const [s, what] of [[joined, "a joined session"], [left, "a session that joined and left /"]] as const) {
          if (s.ending) fail(`${what} was closed ${Math.round(s.ending.at - s.openedAt)} ms after its handshake (the idle one after ${idleMs} ms)`, { expected: "open", observed: s.ending.detail });
        }
        joined.send('42["message","alive"]');
        await joined.expectText('42["message-back","alive"]', "the echo on the joined session after the deadline");
        ctx.note(`both sessions outlived the ${idleMs} ms deadline`);
      }),
  },
]);
