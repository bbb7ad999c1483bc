/**
 * Engine.IO v4, chapter HEARTBEAT: when the server pings (pingInterval after the open, then after
 * each pong), that only a pong keeps a session alive, and what a server does with pings and
 * pongs it did not ask for. Every case runs over polling and over WebSocket; every deadline is
 * read from the session's own handshake and checked on both sides.
 */
import { performance } from "node:perf_hooks";
import { defineChapter, fail, show } from "../../case.js";
import { decodeBody, type EngineSocket, type PollingSession } from "../../client/engine.js";
import type { CaseContext } from "../../runner/context.js";
import { beat, closedWithin, expectPollingAlive, expectSidGone, heldGet, preparedGet, rawGet, upgradeKeepingHeartbeat, guardStalls } from "./timing-helpers.js";
import { nextNonPing } from "../../client/reading.js";

/** Waits for the next GET answer and checks it is the bare ping `2`, `latest` after `since`. */
async function pollPing(ctx: CaseContext, session: PollingSession, since: number, latest: number, what: string): Promise<number> {
  const { value: res } = await ctx.within((t) => rawGet(ctx, session, t + ctx.answerTimeoutMs), { earliest: latest, latest, what, since });
  ctx.equal(res.text, "2", `the body of the GET that carries ${what}`);
  return performance.now();
}

/** Takes the next packet from a WebSocket and checks it is the ping `2`, `latest` after `since`. */
async function wsPing(ctx: CaseContext, socket: EngineSocket, since: number, latest: number, what: string): Promise<number> {
  const { value } = await ctx.within((t) => socket.ws.next({ timeoutMs: t, what }), { earliest: latest, latest, what, since, at: () => socket.lastArrival });
  ctx.equal(value, "2", `the frame of ${what}`);
  return socket.lastArrival;
}

/** The echo of one message over a WebSocket session, answering pings on the way. */
async function wsAlive(ctx: CaseContext, socket: EngineSocket, why: string): Promise<void> {
  socket.send({ type: "message", data: "sockspec-alive" });
  const p = await nextNonPing(socket, `the echo after ${why}`);
  ctx.equal(p.type === "message" ? p.data : p.type, "sockspec-alive", `the echo after ${why}`);
}

/** A note, when the grace cannot tell a ping counted from the pong from one counted from the ping. */
function separable(ctx: CaseContext, I: number, delay: number): void {
  if (delay <= ctx.grace(I)) ctx.note(`the pong delay ${delay} ms is within the grace ${ctx.grace(I)} ms: a ping counted from the previous ping would pass too`);
}

/**
 * Sends messages every pingInterval/3 while never answering a ping, and watches for the close:
 * only a pong is liveness (EIO4-HEARTBEAT-05), with one extension of pingTimeout tolerated.
 */
function judgeTrafficClose(ctx: CaseContext, elapsed: number, I: number, T: number): void {
  const strict = ctx.scale(I + T) + ctx.grace(ctx.scale(I + T));
  if (elapsed <= strict) ctx.note(`closed after ${elapsed} ms: traffic did not move the deadline`);
  else ctx.info(`closed after ${elapsed} ms, past pingInterval + pingTimeout (${I + T} ms): the traffic extended the deadline once, as newer official servers do`);
}

export const heartbeatCases = defineChapter("engine.io v4 / heartbeat", guardStalls([
  {
    id: "eio4.heartbeat.first-ping-polling",
    title: "Over polling, the first ping comes pingInterval after the open packet",
    rules: ["EIO4-HEARTBEAT-01", "EIO4-HEARTBEAT-09", "EIO4-HEARTBEAT-10"],
    level: "MUST",
    requires: ["polling"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await pollPing(ctx, session, performance.now(), beat(ctx, session.handshake).I, "the first ping");
    },
  },
  {
    id: "eio4.heartbeat.first-ping-websocket",
    title: "Over WebSocket, the first ping comes pingInterval after the open packet",
    rules: ["EIO4-HEARTBEAT-01", "EIO4-HEARTBEAT-09"],
    level: "MUST",
    requires: ["websocket"],
    timing: "waits",
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      await wsPing(ctx, socket, socket.lastArrival, beat(ctx, socket.handshake).I, "the first ping");
    },
  },
  {
    id: "eio4.heartbeat.next-ping-from-pong-polling",
    title: "Over polling, the next ping comes pingInterval after the pong, not after the ping",
    rules: ["EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-09", "EIO4-HEARTBEAT-10"],
    level: "MUST",
    requires: ["polling"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const { I, T } = beat(ctx, session.handshake);
      const ping = await pollPing(ctx, session, performance.now(), I, "the first ping");
      const delay = Math.round(T / 2);
      separable(ctx, I, delay);
      await ctx.sleep(Math.max(0, delay - (performance.now() - ping)));
      const pongSent = performance.now();
      ctx.equal((await session.post("3")).status, 200, "status of the late pong's POST");
      await pollPing(ctx, session, pongSent, I, "the second ping, counted from the pong");
    },
  },
  {
    id: "eio4.heartbeat.next-ping-from-pong-websocket",
    title: "Over WebSocket, the next ping comes pingInterval after the pong, not after the ping",
    rules: ["EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-09"],
    level: "MUST",
    requires: ["websocket"],
    timing: "waits",
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const { I, T } = beat(ctx, socket.handshake);
      const ping = await wsPing(ctx, socket, socket.lastArrival, I, "the first ping");
      const delay = Math.round(T / 2);
      separable(ctx, I, delay);
      await ctx.sleep(Math.max(0, delay - (performance.now() - ping)));
      const pongSent = performance.now();
      socket.send({ type: "pong" });
      await wsPing(ctx, socket, pongSent, I, "the second ping, counted from the pong");
    },
  },
  {
    id: "eio4.heartbeat.cycles-polling",
    title: "Over polling, three ping/pong cycles keep the session alive, each ping on time",
    rules: ["EIO4-HEARTBEAT-02", "EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-10"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const { I } = beat(ctx, session.handshake);
      let since = performance.now();
      for (let n = 1; n <= 3; n++) {
        await pollPing(ctx, session, since, I, `ping #${n}`);
        since = performance.now();
        ctx.equal((await session.post("3")).status, 200, `status of pong #${n}`);
      }
      await expectPollingAlive(ctx, session, "three heartbeat cycles");
    },
  },
  {
    id: "eio4.heartbeat.cycles-websocket",
    title: "Over WebSocket, three ping/pong cycles keep the session alive, each ping on time",
    rules: ["EIO4-HEARTBEAT-02", "EIO4-HEARTBEAT-03"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    timing: "waits",
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const { I } = beat(ctx, socket.handshake);
      let since = socket.lastArrival;
      for (let n = 1; n <= 3; n++) {
        await wsPing(ctx, socket, since, I, `ping #${n}`);
        since = performance.now();
        socket.send({ type: "pong" });
      }
      await wsAlive(ctx, socket, "three heartbeat cycles");
    },
  },
  {
    id: "eio4.heartbeat.no-pong-polling",
    title: "Over polling, a session that never pongs ends pingInterval + pingTimeout after the open, not sooner",
    rules: ["EIO4-HEARTBEAT-04", "EIO4-CLOSE-04", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["polling"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const opened = performance.now();
      const { I, T } = beat(ctx, session.handshake);
      const next = await preparedGet(ctx, session);
      await pollPing(ctx, session, opened, I, "the first ping");
      const { value: res } = await ctx.within((t) => next(t + ctx.answerTimeoutMs), { earliest: I + T, latest: I + T, what: "the close packet on the held GET", since: opened });
      ctx.equal(`${res.status} ${res.text}`, "200 1", "the answer to the GET held at the ping timeout");
      await expectSidGone(ctx, session.sid, "the ping timeout");
    },
  },
  {
    id: "eio4.heartbeat.no-pong-websocket",
    title: "Over WebSocket, a session that never pongs ends pingInterval + pingTimeout after the open, with no second ping",
    rules: ["EIO4-HEARTBEAT-04", "EIO4-HEARTBEAT-09", "EIO4-CLOSE-08", "EIO4-CLOSE-09", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["websocket"],
    timing: "waits",
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const opened = socket.lastArrival;
      const { I, T } = beat(ctx, socket.handshake);
      await wsPing(ctx, socket, opened, I, "the first ping");
      const { value: closed } = await ctx.within(socket.ws.closed, { earliest: I + T, latest: I + T, what: "the close of the WebSocket", since: opened, at: () => performance.now() });
      const after = socket.ws.inbox.items.splice(0).map((f) => (typeof f === "string" ? f : "<binary>"));
      ctx.assert(!after.includes("2"), "the server sent a second ping while the first awaited its pong", { expected: "no frame, or 1, before the close", observed: show(after) });
      ctx.assert(after.every((f) => f === "1"), "frames other than the close packet came after the unanswered ping", { expected: "nothing, or 1", observed: show(after) });
      ctx.info(`close code ${closed.code}${after.length ? " after the close packet 1" : ""}`);
      await expectSidGone(ctx, socket.handshake!.sid, "the ping timeout");
    },
  },
  {
    id: "eio4.heartbeat.client-ping-polling",
    title: "Over polling, a ping from the client closes the session",
    rules: ["EIO4-HEARTBEAT-06", "EIO4-CLOSE-04"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const held = (await heldGet(ctx, session)).response;
      const res = await session.post("2");
      ctx.note(`the POST of 2 got ${res.status} ${res.text.slice(0, 80)}`);
      const { value: get } = await ctx.within(held, { latest: beat(ctx).I / 2, what: "the answer to the held GET" });
      ctx.equal(`${get.status} ${get.text}`, "200 1", "the held GET after the client's ping");
      await expectSidGone(ctx, session.sid, "a ping from the client");
    },
  },
  {
    id: "eio4.heartbeat.client-ping-websocket",
    title: "Over WebSocket, a ping from the client closes the session",
    rules: ["EIO4-HEARTBEAT-06", "EIO4-CLOSE-07", "EIO4-CLOSE-09"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.send({ type: "ping" });
      const closed = await closedWithin(socket, ctx.scale(beat(ctx).I / 2));
      if (!closed) fail("the WebSocket stayed open after the client's ping", { expected: "the session closed", observed: show(socket.ws.inbox.items.slice(0, 3)) });
      ctx.info(`close code ${closed.code} (1002 recommended for a protocol error)`);
      await expectSidGone(ctx, socket.handshake!.sid, "a ping from the client");
    },
  },
  {
    id: "eio4.heartbeat.unsolicited-pong-polling",
    title: "Over polling, a pong nobody asked for is ignored and the heartbeat goes on",
    rules: ["EIO4-HEARTBEAT-07", "EIO4-HEARTBEAT-02"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      ctx.equal(`${(await session.post("3")).status}`, "200", "status of the unsolicited pong's POST");
      // The ping's timing after an unsolicited pong is not judged (spec note): wait for it loosely.
      const { I, T } = beat(ctx, session.handshake);
      const { packets } = await session.get({ timeoutMs: ctx.scale(2 * I + T) + ctx.answerTimeoutMs });
      ctx.deepEqual(packets.map((p) => p.type), ["ping"], "the first GET after the unsolicited pong");
      ctx.equal((await session.post("3")).status, 200, "status of the pong");
      await expectPollingAlive(ctx, session, "an unsolicited pong");
    },
  },
  {
    id: "eio4.heartbeat.unsolicited-pong-websocket",
    title: "Over WebSocket, a second pong to one ping is ignored and the heartbeat goes on",
    rules: ["EIO4-HEARTBEAT-07", "EIO4-HEARTBEAT-02"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    timing: "waits",
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const { I, T } = beat(ctx, socket.handshake);
      await wsPing(ctx, socket, socket.lastArrival, I, "the first ping");
      socket.send({ type: "pong" });
      socket.send({ type: "pong" });
      const next = await socket.nextPacket({ what: "the second ping", timeoutMs: ctx.scale(2 * I + T) + ctx.answerTimeoutMs });
      ctx.equal(next.type, "ping", "the packet after a doubled pong");
      socket.send({ type: "pong" });
      await wsAlive(ctx, socket, "a doubled pong");
    },
  },
  {
    id: "eio4.heartbeat.traffic-not-liveness-polling",
    title: "Over polling, messages without pongs do not keep a session alive",
    rules: ["EIO4-HEARTBEAT-05", "EIO4-HEARTBEAT-04", "DROP-07"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const opened = performance.now();
      const { I, T } = beat(ctx, session.handshake);
      let closedAt = 0;
      const posting = (async () => {
        for (let n = 1; closedAt === 0 && n < 200; n++) {
          await ctx.sleep(ctx.scale(I / 3));
          if (closedAt) return;
          const res = await session.post(`4tick-${n}`).catch(() => undefined);
          if (res && res.status !== 200) closedAt ||= performance.now();
        }
      })();
      await ctx.within(async () => {
        for (let n = 0; closedAt === 0 && n < 500; n++) {
          const res = await rawGet(ctx, session);
          if (res.status !== 200 || decodeBody(res).some((p) => p.type === "close")) closedAt ||= performance.now();
        }
      }, { earliest: I + T, latest: I + 2 * T, what: "the end of a session that sends messages but never pongs", since: opened, at: () => closedAt });
      await posting;
      judgeTrafficClose(ctx, Math.round(closedAt - opened), I, T);
      await expectSidGone(ctx, session.sid, "the ping timeout");
    },
  },
  {
    id: "eio4.heartbeat.traffic-not-liveness-websocket",
    title: "Over WebSocket, messages without pongs do not keep a session alive",
    rules: ["EIO4-HEARTBEAT-05", "EIO4-HEARTBEAT-04", "DROP-07"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    timing: "waits",
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const opened = socket.lastArrival;
      const { I, T } = beat(ctx, socket.handshake);
      const timer = setInterval(() => socket.send({ type: "message", data: "tick" }), ctx.scale(I / 3));
      try {
        const { elapsedMs } = await ctx.within(socket.ws.closed, { earliest: I + T, latest: I + 2 * T, what: "the end of a session that sends messages but never pongs", since: opened, at: () => performance.now() });
        judgeTrafficClose(ctx, elapsedMs, I, T);
      } finally {
        clearInterval(timer);
      }
      await expectSidGone(ctx, socket.handshake!.sid, "the ping timeout");
    },
  },
  {
    id: "eio4.heartbeat.upgraded-session",
    title: "After an upgrade the heartbeat goes on over WebSocket: pings on time, and the timeout still ends the session",
    rules: ["EIO4-UPGRADE-13", "EIO4-HEARTBEAT-01", "EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-04"],
    level: "MUST",
    requires: ["polling", "websocket"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const opened = performance.now();
      const { I, T } = beat(ctx, session.handshake);
      const upgraded = await upgradeKeepingHeartbeat(ctx, session);
      const socket = upgraded.socket;
      let pongSent = upgraded.pongAt;
      if (pongSent === undefined) {
        await wsPing(ctx, socket, opened, I, "the first ping, over the WebSocket");
        pongSent = performance.now();
        socket.send({ type: "pong" });
      }
      const second = await wsPing(ctx, socket, pongSent, I, "the next ping, counted from the pong");
      await ctx.within(socket.ws.closed, { earliest: T, latest: T, what: "the close after the unanswered second ping", since: second, at: () => performance.now() });
      await expectSidGone(ctx, session.sid, "the ping timeout of an upgraded session");
    },
  },
]));
