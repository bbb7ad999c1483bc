/**
 * Engine.IO v4, chapter CLOSE: a close by the client (`1` over POST or WebSocket) and by the
 * server (the echo contract's `sockspec:close`), what a pending GET receives in each case, what
 * is still delivered and what is not, and that the sid is unknown afterwards.
 */
import { performance } from "node:perf_hooks";
import { defineChapter, fail, show } from "../../case.js";
import { decodeBody, type EngineIOv4Packet, type EngineSocket, type PollingSession } from "../../client/engine.js";
import type { CaseContext } from "../../runner/context.js";
import { beat, body, burstOf, closedWithin, expectNewSession, expectSequence, expectSidGone, heldGet, rawGet, startProbe, texts, upgradeKeepingHeartbeat, guardStalls } from "./timing-helpers.js";
import { expectEngineError } from "../../checks/error.js";

/** The bound for an immediate reaction: half a pingInterval, well before any heartbeat timer. */
function soon(ctx: CaseContext): number {
  return Math.max(100, beat(ctx).I / 2);
}

/**
 * Polls after a server close with no GET pending: collects every packet up to and including the
 * close packet (at most 5 GETs), then checks the sid is refused with code 1.
 */
async function drainToClose(ctx: CaseContext, session: PollingSession): Promise<EngineIOv4Packet[]> {
  const all: EngineIOv4Packet[] = [];
  for (let n = 0; n < 5; n++) {
    const res = await rawGet(ctx, session);
    if (res.status !== 200) {
      expectEngineError(ctx, res, 1);
      fail("the session was gone before a GET received the close packet", { expected: "the buffered packets, then 1", observed: show(texts(all)) });
    }
    const packets = decodeBody(res);
    all.push(...packets);
    const i = packets.findIndex((p) => p.type === "close");
    if (i !== -1) {
      ctx.assert(i === packets.length - 1, "packets follow the close packet in the same payload", { expected: "1 last", observed: body(res) });
      expectEngineError(ctx, await rawGet(ctx, session), 1);
      return all;
    }
  }
  fail("no GET received the close packet after the server closed the session", { expected: "1 within 5 GETs", observed: show(all.map((p) => p.type)) });
}

/** Sends `1` on a WebSocket and judges: closed at once (pass), else a warning, as the spec's note says. */
async function closeOverWebSocket(ctx: CaseContext, socket: EngineSocket, sid: string): Promise<void> {
  const { I, T } = beat(ctx);
  socket.send({ type: "close" });
  const closed = await closedWithin(socket, ctx.scale(soon(ctx)) + ctx.grace(soon(ctx)));
  if (closed) {
    ctx.info(`close code ${closed.code}`);
    await expectSidGone(ctx, sid, "the client's close packet");
    return;
  }
  ctx.softFail("the session outlived a close packet sent over WebSocket", { expected: "the WebSocket closed and the sid gone", observed: `still open after ${soon(ctx)} ms` });
  const later = await closedWithin(socket, ctx.scale(I + T) + ctx.grace(I + T));
  ctx.note(later ? `the WebSocket closed later with code ${later.code}, by the heartbeat` : "the WebSocket was still open after a full heartbeat period");
}

/** Sends a burst then `sockspec:close` on a WebSocket and checks the frames and the close. */
async function serverCloseOverWebSocket(ctx: CaseContext, socket: EngineSocket, sid: string): Promise<void> {
  socket.send({ type: "message", data: "sockspec:burst:3" });
  socket.send({ type: "message", data: "sockspec:close" });
  const closed = await closedWithin(socket, ctx.answerTimeoutMs);
  if (!closed) fail("the server did not close the WebSocket after sockspec:close", { expected: "a close frame", observed: "still open" });
  const frames = socket.ws.inbox.items.splice(0).filter((f) => f !== "2");
  const closePacket = frames[frames.length - 1] === "1";
  expectSequence(ctx, closePacket ? frames.slice(0, -1).map(String) : frames.map(String), burstOf(3).map((m) => `4${m}`), "the frames before the close");
  ctx.info(`close code ${closed.code}${closePacket ? ", after the close packet 1" : ", no close packet"}`);
  await expectSidGone(ctx, sid, "the server's close");
}

export const closeCases = defineChapter("engine.io v4 / close", guardStalls([
  {
    id: "eio4.close.client-close-post-ok",
    title: "A POST of the close packet 1 is answered 200 ok",
    rules: ["EIO4-CLOSE-01", "EIO4-POLLING-02"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const res = await session.post("1");
      ctx.equal(`${res.status} ${res.text}`, "200 ok", "the answer to the POST of 1");
    },
  },
  {
    id: "eio4.close.client-close-pending-get",
    title: "When the client closes over POST, its pending GET gets exactly the noop 6",
    rules: ["EIO4-CLOSE-03"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const held = (await heldGet(ctx, session)).response;
      await session.post("1");
      const { value: res } = await ctx.within(held, { latest: soon(ctx), what: "the answer to the pending GET" });
      ctx.equal(`${res.status} ${res.text}`, "200 6", "the pending GET after the client's close");
    },
  },
  {
    id: "eio4.close.client-close-sid-gone",
    title: "After the client's close, GET, POST and WebSocket requests with the sid are refused with code 1",
    rules: ["EIO4-CLOSE-07", "EIO4-ERROR-05", "EIO4-WS-08"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await session.post("1");
      expectEngineError(ctx, await rawGet(ctx, session), 1);
      expectEngineError(ctx, await session.post("4after"), 1);
      if (ctx.features.has("websocket")) {
        const opened = await ctx.engine.rawWebSocket({ query: { sid: session.sid } }).opened;
        ctx.assert(!opened.ok, "a WebSocket naming the closed session was accepted", { expected: "400 before 101", observed: "101" });
        ctx.equal(opened.ok ? 101 : opened.status, 400, "status of a WebSocket naming the closed session");
      }
      await expectNewSession(ctx, session.sid);
    },
  },
  {
    id: "eio4.close.records-after-close",
    title: "Records after the close packet in the same POST are not delivered",
    rules: ["EIO4-CLOSE-01", "EIO4-CLOSE-11"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const held = (await heldGet(ctx, session)).response;
      const res = await session.post("4before\x1e1\x1e4after");
      ctx.equal(`${res.status} ${res.text}`, "200 ok", "the answer to the POST");
      const got = [await held];
      for (let n = 0; n < 3 && got[got.length - 1]!.status === 200; n++) got.push(await rawGet(ctx, session));
      const last = got[got.length - 1]!;
      expectEngineError(ctx, last, 1);
      const messages = got.filter((r) => r.status === 200).flatMap((r) => texts(decodeBody(r)));
      ctx.assert(!messages.includes("after"), "the record after the close packet was delivered and echoed", { expected: "no echo of after", observed: show(messages) });
      ctx.note(`delivered before the close: ${show(messages)}`);
    },
  },
  {
    id: "eio4.close.client-close-websocket",
    title: "A close packet 1 over a WebSocket session ends the session",
    rules: ["EIO4-CLOSE-02", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["websocket"],
    timing: "waits",
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      await closeOverWebSocket(ctx, socket, socket.handshake!.sid);
    },
  },
  {
    id: "eio4.close.client-close-upgraded",
    title: "A close packet 1 over the WebSocket of an upgraded session ends the session",
    rules: ["EIO4-CLOSE-02", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["polling", "websocket"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await closeOverWebSocket(ctx, (await upgradeKeepingHeartbeat(ctx, session)).socket, session.sid);
    },
  },
  {
    id: "eio4.close.server-close-pending-get",
    title: "When the server closes the session, a pending GET gets exactly the close packet 1, and a new handshake works",
    rules: ["EIO4-CLOSE-04", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["polling", "control"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const held = (await heldGet(ctx, session)).response;
      await session.post("4sockspec:close");
      const { value: res } = await ctx.within(held, { latest: soon(ctx), what: "the answer to the pending GET" });
      ctx.equal(`${res.status} ${res.text}`, "200 1", "the pending GET after the server's close");
      expectEngineError(ctx, await rawGet(ctx, session), 1);
      await expectNewSession(ctx, session.sid);
    },
  },
  {
    id: "eio4.close.server-close-no-get",
    title: "When the server closes with no GET pending and nothing buffered, the next GET gets 6\\x1e1, the one after code 1",
    rules: ["EIO4-CLOSE-05", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["polling", "control"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      ctx.equal((await session.post("4sockspec:close")).status, 200, "status of the POST of sockspec:close");
      const res = await rawGet(ctx, session);
      ctx.equal(`${res.status} ${res.text}`, "200 6\x1e1", "the first GET after the server's close");
      expectEngineError(ctx, await rawGet(ctx, session), 1);
    },
  },
  {
    id: "eio4.close.server-close-buffered-first",
    title: "When the server closes with packets buffered, the next GETs deliver them, then the close packet",
    rules: ["EIO4-CLOSE-05", "EIO4-CLOSE-07", "EIO4-POLLING-07"],
    level: "MUST",
    requires: ["polling", "control"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      ctx.equal((await session.post("4sockspec:burst:3\x1e4sockspec:close")).status, 200, "status of the POST");
      const packets = await drainToClose(ctx, session);
      expectSequence(ctx, texts(packets), burstOf(3), "the messages before the close packet");
    },
  },
  {
    id: "eio4.close.nothing-after-server-close",
    title: "A message after sockspec:close in the same POST is not delivered",
    rules: ["EIO4-CLOSE-11", "EIO4-CLOSE-05"],
    level: "MUST",
    requires: ["polling", "control"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await session.post("4first\x1e4sockspec:close\x1e4late");
      const packets = await drainToClose(ctx, session);
      expectSequence(ctx, texts(packets), ["first"], "the messages before the close packet");
    },
  },
  {
    id: "eio4.close.server-close-websocket",
    title: "When the server closes a WebSocket session, buffered packets go first, then the close frame",
    rules: ["EIO4-CLOSE-08", "EIO4-CLOSE-09", "EIO4-CLOSE-10", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["websocket", "control"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      await serverCloseOverWebSocket(ctx, socket, socket.handshake!.sid);
    },
  },
  {
    id: "eio4.close.server-close-upgraded",
    title: "When the server closes an upgraded session, buffered packets go first on the WebSocket, then the close frame",
    rules: ["EIO4-CLOSE-08", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["polling", "websocket", "control"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await serverCloseOverWebSocket(ctx, (await upgradeKeepingHeartbeat(ctx, session)).socket, session.sid);
    },
  },
  {
    id: "eio4.close.client-close-ends-probe",
    title: "A client close over POST during an upgrade also closes the probe WebSocket",
    rules: ["EIO4-CLOSE-07", "EIO4-CLOSE-01"],
    level: "MUST",
    requires: ["polling", "websocket"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const probe = await startProbe(ctx, session);
      await session.post("1");
      const closed = await closedWithin(probe, ctx.scale(soon(ctx)) + ctx.grace(soon(ctx)));
      if (!closed) fail("the probe WebSocket stayed open after the session was closed", { expected: "the probe closed", observed: "still open" });
      await expectSidGone(ctx, session.sid, "the client's close");
    },
  },
  {
    id: "eio4.close.server-close-ends-probe",
    title: "A server close during an upgrade sends the close packet to polling and closes the probe WebSocket",
    rules: ["EIO4-CLOSE-07", "EIO4-CLOSE-05"],
    level: "MUST",
    requires: ["polling", "websocket", "control"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const probe = await startProbe(ctx, session);
      await session.post("4sockspec:close");
      // The close packet owed to a GET goes first (EIO4-CLOSE-07); the probe must be closed by then.
      await drainToClose(ctx, session);
      const closed = await closedWithin(probe, ctx.scale(soon(ctx)) + ctx.grace(soon(ctx)));
      if (!closed) fail("the probe WebSocket stayed open after the session ended", { expected: "the probe closed", observed: "still open" });
      ctx.deepEqual(probe.ws.inbox.items, [], "frames on the probe after 3probe");
    },
  },
  {
    id: "eio4.close.sid-gone-everywhere",
    title: "After a server close is delivered, every request with the sid gets code 1 and a WebSocket with it is refused",
    rules: ["EIO4-CLOSE-07", "EIO4-ERROR-05"],
    level: "MUST",
    requires: ["polling", "control"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const held = (await heldGet(ctx, session)).response;
      await session.post("4sockspec:close");
      ctx.equal((await held).text, "1", "the pending GET");
      const since = performance.now();
      expectEngineError(ctx, await session.post("4x"), 1);
      expectEngineError(ctx, await rawGet(ctx, session), 1);
      if (ctx.features.has("websocket")) {
        const opened = await ctx.engine.rawWebSocket({ query: { sid: session.sid } }).opened;
        ctx.equal(opened.ok ? 101 : opened.status, 400, "status of a WebSocket naming the closed session");
      }
      ctx.note(`checked within ${Math.round(performance.now() - since)} ms of the close`);
    },
  },
]));
