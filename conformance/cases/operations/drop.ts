/**
 * Operations, chapter DROP: clients that go away without saying so. A client that stops
 * answering pings, stops polling, vanishes without FIN or RST (half-open TCP, through the
 * black-holing proxy), resets a request half way, or drops its WebSocket in the middle of an
 * upgrade. The server must notice within the protocol's bounds (the heartbeat bound t₀ + I + T,
 * or at once for what TCP reports), free the sid, and lose no packet of a session that goes on.
 */
import { performance } from "node:perf_hooks";
import { defineChapter, fail, show } from "../../case.js";
import { decodeBody, type EngineSocket, type PollingSession } from "../../client/engine.js";
import type { RawConnection } from "../../client/tcp.js";
import type { CaseContext } from "../../runner/context.js";
import { beat, burstOf, expectNewSession, expectPollingAlive, expectSequence, expectSidGone, heldGet, PollingLoop, pollTarget, pollTexts, preparedGet, rawGet, startProbe, texts, upgradeKeepingHeartbeat, waitSidGone, guardStalls } from "../engine.io-v4/timing-helpers.js";

/** The immediate bound of operations.md: what TCP reports closes the session at once. */
const IMMEDIATE_MS = 100;

/** Sleeps until `ms` after `since`. */
async function sleepUntil(ctx: CaseContext, since: number, ms: number): Promise<void> {
  await ctx.sleep(Math.max(0, Math.round(ms - (performance.now() - since))));
}

/** The latest moment (ms after t₀) at which the heartbeat bound I + T still holds, with grace. */
function heartbeatDeadline(ctx: CaseContext, I: number, T: number): number {
  const to = ctx.scale(I + T);
  return Math.round(to + ctx.grace(to));
}

/** Starts a POST over raw TCP that declares `declared` bytes and sends only `partial`. */
async function partialPost(ctx: CaseContext, session: PollingSession, partial: string, declared: number): Promise<RawConnection> {
  const tcp = await ctx.tcp();
  tcp.write(`POST ${pollTarget(ctx, session)} HTTP/1.1\r\nhost: sockspec\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: ${declared}\r\n\r\n${partial}`);
  await ctx.sleep(ctx.scale(30));
  return tcp;
}

/** Answers one ping on a WebSocket, checking it is due; returns when the pong left. */
async function pongOnce(ctx: CaseContext, socket: EngineSocket, since: number, I: number): Promise<number> {
  const { value } = await ctx.within((t) => socket.ws.next({ timeoutMs: t, what: "a ping" }), { earliest: I, latest: I, what: "the first ping", since, at: () => socket.lastArrival });
  ctx.equal(value, "2", "the frame expected to be the ping");
  socket.send({ type: "pong" });
  return performance.now();
}

/**
 * The polling half of a dropped upgrade: collects every message over polling until `expected`
 * are all in, then checks order and count and that the heartbeat still runs over polling.
 */
async function pollingGoesOn(ctx: CaseContext, session: PollingSession, before: string[], expected: string[]): Promise<void> {
  expectSequence(ctx, await pollTexts(ctx, session, expected.length, "the messages after the dropped probe", before), expected, "the messages over polling around the dropped probe");
  const { I, T } = beat(ctx, session.handshake);
  const loop = new PollingLoop(ctx, session);
  const ok = await loop.until(() => loop.pongs.length > 0, heartbeatDeadline(ctx, I, T));
  await loop.stop();
  if (!ok) fail(`no ping over polling after the dropped probe (${loop.ended ?? "none came"})`, { expected: "the heartbeat goes on over polling", observed: "no ping" });
  await expectPollingAlive(ctx, session, "the dropped probe");
}

/** Black-holed WebSocket session: the sid must be gone at t₀ + I + T, not before. */
async function halfOpenWebSocket(ctx: CaseContext, pongFirst: boolean): Promise<void> {
  const { proxy, engine } = await ctx.proxy();
  const socket = await engine.openWebSocket();
  const { I, T } = beat(ctx, socket.handshake);
  let t0 = socket.lastArrival;
  if (pongFirst) {
    t0 = await pongOnce(ctx, socket, t0, I);
    // Let the pong through the proxy before the line goes dead.
    await ctx.sleep(ctx.scale(30));
  }
  proxy.blackhole();
  ctx.note(`the client vanished ${Math.round(performance.now() - t0)} ms after t0`);
  await waitSidGone(ctx, socket.handshake!.sid, { since: t0, earliest: I + T, latest: I + T, what: "the end of the half-open WebSocket session" });
  await expectNewSession(ctx, socket.handshake!.sid);
}

/** Opens a session, sends a burst before and during a probe that `drop` ends, and checks polling delivers everything. */
async function droppedProbe(ctx: CaseContext, drop: (session: PollingSession) => Promise<void>): Promise<void> {
  const session = await ctx.engine.openPolling();
  await session.post("4pre\x1e4sockspec:burst:5");
  const before = await pollTexts(ctx, session, 6, "the burst before the probe");
  await drop(session);
  await session.post("4post\x1e4sockspec:burst:5");
  await pollingGoesOn(ctx, session, before, [...burstOf(5, "pre"), ...burstOf(5, "mid"), ...burstOf(5, "post")]);
}

export const dropCases = defineChapter("operations / drop", guardStalls([
  {
    id: "ops.drop.no-pong-websocket",
    title: "A WebSocket client that stops ponging is dropped pingInterval + pingTimeout after its last pong",
    rules: ["DROP-01", "EIO4-HEARTBEAT-04"],
    level: "MUST",
    requires: ["websocket"],
    timing: "waits",
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const { I, T } = beat(ctx, socket.handshake);
      const t0 = await pongOnce(ctx, socket, socket.lastArrival, I);
      await ctx.within(socket.ws.closed, { earliest: I + T, latest: I + T, what: "the close after the last pong", since: t0, at: () => performance.now() });
      await expectSidGone(ctx, socket.handshake!.sid, "the heartbeat timeout");
      await expectNewSession(ctx, socket.handshake!.sid);
    },
  },
  {
    id: "ops.drop.no-pong-polling",
    title: "A polling client that keeps polling but stops ponging is dropped pingInterval + pingTimeout after its last pong",
    rules: ["DROP-01", "EIO4-HEARTBEAT-04", "EIO4-CLOSE-04"],
    level: "MUST",
    requires: ["polling"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const { I, T } = beat(ctx, session.handshake);
      const first = await rawGet(ctx, session);
      ctx.equal(first.text, "2", "the first GET (the ping)");
      const t0 = performance.now();
      await session.post("3");
      const next = await preparedGet(ctx, session);
      const second = await rawGet(ctx, session);
      ctx.equal(second.text, "2", "the second GET (the next ping)");
      const { value: res } = await ctx.within((t) => next(t + ctx.answerTimeoutMs), { earliest: I + T, latest: I + T, what: "the close packet after the last pong", since: t0 });
      ctx.equal(`${res.status} ${res.text}`, "200 1", "the GET held at the timeout");
      await expectSidGone(ctx, session.sid, "the heartbeat timeout");
    },
  },
  {
    id: "ops.drop.stops-polling",
    title: "A client that stops polling has its ping queued, then its session freed within pingInterval + pingTimeout",
    rules: ["DROP-03", "DROP-01"],
    level: "MUST",
    requires: ["polling"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const t0 = performance.now();
      const { I, T } = beat(ctx, session.handshake);
      await sleepUntil(ctx, t0, I + T - ctx.grace(I + T));
      const res = await rawGet(ctx, session);
      ctx.equal(`${res.status} ${res.text}`, "200 2", `a GET just before the bound (${Math.round(performance.now() - t0)} ms): the queued ping`);
      await sleepUntil(ctx, t0, heartbeatDeadline(ctx, I, T));
      await expectSidGone(ctx, session.sid, `${heartbeatDeadline(ctx, I, T)} ms of silence`);
    },
  },
  {
    id: "ops.drop.buffer-discarded",
    title: "Packets buffered for a client that went silent are discarded with its session",
    rules: ["DROP-08", "DROP-03", "EIO4-CLOSE-12"],
    level: "MUST",
    requires: ["polling", "control"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const t0 = performance.now();
      const { I, T } = beat(ctx, session.handshake);
      ctx.equal((await session.post("4sockspec:burst:5")).status, 200, "status of the POST");
      await sleepUntil(ctx, t0, heartbeatDeadline(ctx, I, T));
      const res = await rawGet(ctx, session);
      ctx.assert(res.status === 400, `a GET after the bound got ${res.status}`, { expected: `400 {"code":1,...}`, observed: `${res.status} ${res.text.slice(0, 120)}` });
      await expectSidGone(ctx, session.sid, "the drop");
    },
  },
  {
    id: "ops.drop.half-open-websocket",
    title: "A WebSocket client that vanishes without FIN or RST is dropped pingInterval + pingTimeout after the open",
    rules: ["DROP-02", "DROP-01"],
    level: "MUST",
    requires: ["websocket"],
    timing: "waits",
    async run(ctx) {
      await halfOpenWebSocket(ctx, false);
    },
  },
  {
    id: "ops.drop.half-open-websocket-after-pong",
    title: "A WebSocket client that vanishes after a pong is dropped pingInterval + pingTimeout after that pong",
    rules: ["DROP-02", "DROP-01"],
    level: "MUST",
    requires: ["websocket"],
    timing: "waits",
    async run(ctx) {
      await halfOpenWebSocket(ctx, true);
    },
  },
  {
    id: "ops.drop.half-open-upgraded",
    title: "An upgraded client that vanishes without FIN or RST is dropped within the heartbeat bound",
    rules: ["DROP-02", "EIO4-UPGRADE-13"],
    level: "MUST",
    requires: ["polling", "websocket"],
    timing: "waits",
    async run(ctx) {
      const { proxy, engine } = await ctx.proxy();
      const session = await engine.openPolling();
      let t0 = performance.now();
      const { I, T } = beat(ctx, session.handshake);
      t0 = (await upgradeKeepingHeartbeat(ctx, session, engine)).pongAt ?? t0;
      // Let the upgrade packet through the proxy before the line goes dead.
      await ctx.sleep(ctx.scale(30));
      proxy.blackhole();
      await waitSidGone(ctx, session.sid, { since: t0, earliest: I + T, latest: I + T, what: "the end of the half-open upgraded session" });
    },
  },
  {
    id: "ops.drop.half-open-pending-get",
    title: "A polling client that vanishes with a GET pending (no FIN, no RST) is dropped within the heartbeat bound",
    rules: ["DROP-02", "DROP-03"],
    level: "MUST",
    requires: ["polling"],
    timing: "waits",
    async run(ctx) {
      const { proxy, engine } = await ctx.proxy();
      const session = await engine.openPolling();
      const t0 = performance.now();
      const { I, T } = beat(ctx, session.handshake);
      engine.http.request({ query: session.query() }).catch(() => undefined);
      await ctx.sleep(ctx.scale(20));
      proxy.blackhole();
      await sleepUntil(ctx, t0, heartbeatDeadline(ctx, I, T));
      await expectSidGone(ctx, session.sid, "the client vanished with a GET pending");
    },
  },
  {
    id: "ops.drop.reset-pending-get",
    title: "A pending GET reset by the client (RST) ends the session at once",
    rules: ["DROP-04", "EIO4-POLLING-11"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const tcp = await ctx.tcp();
      tcp.sendRequest("GET", pollTarget(ctx, session));
      await ctx.sleep(ctx.scale(30));
      const t0 = performance.now();
      tcp.reset();
      await waitSidGone(ctx, session.sid, { since: t0, latest: IMMEDIATE_MS, what: "the end of the session after the reset" });
    },
  },
  {
    id: "ops.drop.reset-mid-post",
    title: "A POST reset half way ends the session at once: the pending GET gets 1 and no record of the partial body is delivered",
    rules: ["DROP-04", "EIO4-POLLING-12", "EIO4-CLOSE-04"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const held = (await heldGet(ctx, session)).response;
      const tcp = await partialPost(ctx, session, "4one\x1e4two\x1e4thr", 60);
      const t0 = performance.now();
      tcp.reset();
      const { value: res } = await ctx.within(held, { latest: IMMEDIATE_MS, what: "the answer to the pending GET after the reset", since: t0 });
      ctx.equal(`${res.status} ${res.text}`, "200 1", "the pending GET after the reset POST");
      ctx.deepEqual(texts(decodeBody(res)), [], "messages of the partial body");
      await expectSidGone(ctx, session.sid, "the reset POST");
    },
  },
  {
    id: "ops.drop.closed-mid-post",
    title: "A POST whose connection closes half way (FIN, no reset) ends the session at once and delivers nothing of it",
    rules: ["DROP-04", "EIO4-POLLING-12", "EIO4-CLOSE-04"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const held = (await heldGet(ctx, session)).response;
      const tcp = await partialPost(ctx, session, "4one\x1e4two", 60);
      const t0 = performance.now();
      tcp.endWrite();
      const { value: res } = await ctx.within(held, { latest: IMMEDIATE_MS, what: "the answer to the pending GET after the POST was cut", since: t0 });
      ctx.equal(`${res.status} ${res.text}`, "200 1", "the pending GET after the cut POST");
      await expectSidGone(ctx, session.sid, "the cut POST");
      await expectNewSession(ctx, session.sid);
    },
  },
  {
    id: "ops.drop.upgraded-websocket-reset",
    title: "When the WebSocket of an upgraded session drops, the session ends at once and does not fall back to polling",
    rules: ["DROP-06", "EIO4-WS-09"],
    level: "MUST",
    requires: ["polling", "websocket"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const socket = await ctx.engine.upgrade(session);
      await ctx.sleep(ctx.scale(20));
      const t0 = performance.now();
      socket.ws.terminate();
      await waitSidGone(ctx, session.sid, { since: t0, latest: IMMEDIATE_MS, what: "the end of the session after its WebSocket dropped" });
    },
  },
  {
    id: "ops.drop.probe-dropped-after-3probe",
    title: "A probe dropped after 3probe (no close frame) leaves the session on polling with every message delivered once, in order",
    rules: ["DROP-05", "EIO4-UPGRADE-11"],
    level: "MUST",
    requires: ["polling", "websocket", "control"],
    timing: "waits",
    async run(ctx) {
      await droppedProbe(ctx, async (session) => {
        const probe = await startProbe(ctx, session);
        await session.post("4mid\x1e4sockspec:burst:5");
        probe.ws.terminate();
      });
    },
  },
  {
    id: "ops.drop.probe-dropped-before-3probe",
    title: "A probe dropped right after 2probe leaves the session on polling with every message delivered once, in order",
    rules: ["DROP-05", "EIO4-UPGRADE-11"],
    level: "MUST",
    requires: ["polling", "websocket", "control"],
    timing: "waits",
    async run(ctx) {
      await droppedProbe(ctx, async (session) => {
        await session.post("4mid\x1e4sockspec:burst:5");
        const probe = await ctx.engine.openWebSocket({ sid: session.sid });
        probe.send({ type: "ping", data: "probe" });
        probe.ws.terminate();
      });
    },
  },
  {
    id: "ops.drop.probe-half-open",
    title: "A probe that goes silent after 3probe is dropped at upgradeTimeout; polling delivers everything and a new upgrade works",
    rules: ["DROP-05", "EIO4-UPGRADE-09", "EIO4-UPGRADE-10"],
    level: "MUST",
    requires: ["polling", "websocket", "control"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const { proxy, engine } = await ctx.proxy();
      const probe = await startProbe(ctx, session, engine);
      proxy.blackhole();
      const opened = probe.ws.openedAt;
      const loop = new PollingLoop(ctx, session);
      await session.post("4mid\x1e4sockspec:burst:5");
      const U = ctx.timing.upgradeTimeout;
      await sleepUntil(ctx, opened, ctx.scale(U) + ctx.grace(ctx.scale(U)));
      await loop.stop();
      if (loop.ended !== "stopped") fail(`polling did not go on while the probe was silent: ${loop.ended}`, { expected: "GETs answered", observed: loop.ended ?? "" });
      expectSequence(ctx, loop.messages, burstOf(5, "mid"), "the messages over polling while the probe was silent");
      const socket = await ctx.engine.upgrade(session);
      socket.send({ type: "message", data: "after" });
      const got = texts([await socket.nextPacketMatching((p) => p.type === "message", { what: "the echo on the new WebSocket" })]);
      ctx.deepEqual(got, ["after"], `the echo after a new upgrade, ${Math.round(performance.now() - opened)} ms after the silent probe opened`);
      ctx.note(`the silent probe's client socket is ${show(probe.ws.isClosed ? "closed" : "open")}`);
    },
  },
]));
