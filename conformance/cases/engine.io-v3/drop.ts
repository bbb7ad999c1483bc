/**
 * Operations, chapter DROP, over Engine.IO v3 sessions: clients that stop pinging, stop polling,
 * vanish without FIN or RST, reset a request half way, or lose a WebSocket. The rules are those
 * of operations.md, read with the version 3 heartbeat: the client pings, and the heartbeat bound
 * is the client's last ping (or packet) plus pingInterval + pingTimeout (EIO3-HEARTBEAT-03). A
 * silent session's liveness is told without sending it a packet (a probe WebSocket naming its
 * sid), since under EIO3-HEARTBEAT-03 any packet would move its deadline.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, defineChapter, needs, show } from "../../case.js";
import { expectEndAtOnceElseByHeartbeat, expectNoOldBuffer, judgeGetAfterTimeout } from "../../checks/drop.js";
import { expectSidGone, expectStillOpen, expectTellable, waitSidGone } from "../../checks/sid.js";
import { expectSequence } from "../../checks/sequence.js";
import { v3SocketPing } from "../../checks/v3-session.js";
import {
  judgeV3CutPost,
  v3DroppedProbe,
  v3MessagePayload,
  v3PollPing,
  v3PollTexts,
  v3PollWithPings,
} from "../../checks/v3-drop.js";
import { partialPost, pollTarget } from "../../client/held-get.js";
import { burstOf } from "../../client/messages.js";
import { decodeV3Body, type V3Socket } from "../../client/v3-engine.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { beat, heartbeatDeadline, IMMEDIATE_MS, sleepUntil } from "../../runner/bounds.js";
import type { CaseContext } from "../../runner/context.js";
import { guardStalls } from "../../runner/stall-watch.js";

/**
 * Still open halfway to the heartbeat bound after `t0` (asked without a packet); then waits
 * until that bound has passed.
 */
async function openHalfwayThenBound(ctx: CaseContext, sid: string, t0: number, I: number, T: number): Promise<void> {
  await sleepUntil(ctx, t0, ctx.scale((I + T) / 2));
  await expectStillOpen(
    ctx,
    sid,
    `${Math.round(performance.now() - t0)} ms after the last ping (I + T = ${I + T} ms)`,
    3,
  );
  await sleepUntil(ctx, t0, heartbeatDeadline(ctx, I, T));
}

/**
 * The WebSocket client of session `sid`, which pinged last at `t0`, vanishes behind the proxy
 * (no FIN, no RST): the sid must be gone pingInterval + pingTimeout after `t0`, not before.
 */
async function vanishAfterPing(
  ctx: CaseContext,
  proxy: { blackhole(): void },
  sid: string,
  t0: number,
  I: number,
  T: number,
  what: string,
): Promise<void> {
  await expectTellable(ctx, sid, 3);
  proxy.blackhole();
  await waitSidGone(ctx, sid, { since: t0, earliest: I + T, latest: I + T, what, on: "websocket", eio: 3 });
}

export const eio3DropCases = defineChapter(
  "engine.io v3 / drop",
  guardStalls([
    {
      id: "eio3.drop.no-ping-websocket",
      title:
        "A v3 WebSocket client that stops pinging is dropped pingInterval + pingTimeout after its last ping, not after the handshake",
      rules: ["DROP-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "websocket"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.eio3().openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        // The one ping comes late enough that a deadline counted from the handshake shows.
        await ctx.sleep(ctx.scale(0.8 * I));
        const t0 = await v3SocketPing(socket);
        await ctx.within(socket.ws.closed, {
          earliest: I + T,
          latest: I + T,
          what: "the close after the last ping",
          since: t0,
          at: () => performance.now(),
        });
        await expectSidGone(ctx, socket.handshake!.sid, "the heartbeat timeout", "websocket", 3);
      },
    },
    {
      id: "eio3.drop.stops-polling",
      title:
        "A v3 polling client that stops polling and pinging is still open halfway to the heartbeat bound, and gone after it",
      rules: ["DROP-03", "DROP-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "polling", "websocket"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.eio3().openPolling();
        const { I, T } = beat(ctx, session.handshake);
        const t0 = await v3PollPing(session);
        await openHalfwayThenBound(ctx, session.sid, t0, I, T);
        await expectSidGone(ctx, session.sid, "a silence of pingInterval + pingTimeout", "polling", 3);
      },
    },
    {
      id: "eio3.drop.buffer-discarded",
      title:
        "Packets buffered for a v3 client that went silent stay until its timeout, then go with its session: not to a later request, not to a later session",
      rules: ["DROP-08", "DROP-03", "DROP-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "polling", "websocket", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.eio3().openPolling();
        const { I, T } = beat(ctx, session.handshake);
        // The burst and the ping in one POST, and no GET from now on: the burst and the pong stay buffered.
        const t0 = await v3PollPing(session, { fetchPong: false, alongside: ["sockspec:burst:5"] });
        await openHalfwayThenBound(ctx, session.sid, t0, I, T);
        // The server may still flush the buffer before the close packet, or have ended the session;
        // once the sid is refused, nothing of it may come.
        judgeGetAfterTimeout(ctx, await session.raw(), decodeV3Body);
        await expectSidGone(ctx, session.sid, "the timeout", "polling", 3);
        // A later session must not get the old buffer: its first message is its own echo.
        const fresh = await ctx.eio3().openPolling();
        await fresh.send(v3MessagePayload("sockspec-fresh"));
        expectNoOldBuffer(ctx, await v3PollTexts(ctx, fresh, 1, "the echo on a new session"));
      },
    },
    {
      id: "eio3.drop.half-open-websocket",
      title:
        "A v3 WebSocket client that vanishes without FIN or RST is dropped pingInterval + pingTimeout after its last ping",
      rules: ["DROP-02", "DROP-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "websocket"],
      timing: "waits",
      async run(ctx) {
        const { proxy, eio3 } = await ctx.proxy();
        const socket = await eio3.openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        const t0 = await v3SocketPing(socket);
        await vanishAfterPing(ctx, proxy, socket.handshake!.sid, t0, I, T, "the end of the half-open session");
      },
    },
    {
      id: "eio3.drop.half-open-pending-get",
      title:
        "A v3 polling client that vanishes with a GET pending (no FIN, no RST) is still open halfway to the heartbeat bound, and gone after it",
      rules: ["DROP-02", "DROP-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "polling", "websocket"],
      timing: "waits",
      async run(ctx) {
        const { proxy, eio3 } = await ctx.proxy();
        const session = await eio3.openPolling();
        const { I, T } = beat(ctx, session.handshake);
        const t0 = await v3PollPing(session);
        session.raw().catch(() => undefined);
        await ctx.sleep(ctx.scale(20));
        proxy.blackhole();
        await openHalfwayThenBound(ctx, session.sid, t0, I, T);
        await expectSidGone(ctx, session.sid, "the client vanished with a GET pending", "polling", 3);
      },
    },
    {
      id: "eio3.drop.half-open-upgraded",
      title:
        "An upgraded v3 client that vanishes without FIN or RST after a ping is dropped pingInterval + pingTimeout after it",
      rules: ["DROP-02", "DROP-01", "EIO3-UPGRADE-02", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "polling", "websocket"],
      timing: "waits",
      async run(ctx) {
        const { proxy, eio3 } = await ctx.proxy();
        const session = await eio3.openPolling();
        const { I, T } = beat(ctx, session.handshake);
        const socket = await eio3.upgrade(session);
        const t0 = await v3SocketPing(socket);
        await vanishAfterPing(ctx, proxy, session.sid, t0, I, T, "the end of the half-open upgraded session");
      },
    },
    {
      id: "eio3.drop.reset-pending-get",
      title: "A pending GET of a v3 session reset by the client (RST) ends the session at once",
      rules: ["DROP-04"],
      level: "MUST",
      requires: ["eio3", "polling"],
      async run(ctx) {
        const session = await ctx.eio3().openPolling();
        const tcp = await ctx.tcp();
        tcp.sendRequest("GET", pollTarget(ctx, session));
        await ctx.sleep(ctx.scale(30));
        const t0 = performance.now();
        tcp.reset();
        await waitSidGone(ctx, session.sid, {
          since: t0,
          latest: IMMEDIATE_MS,
          what: "the end of the session after the reset",
          eio: 3,
        });
      },
    },
    {
      id: "eio3.drop.reset-mid-post",
      title:
        "A v3 POST reset half way ends the session: at once, with 1:1 to the pending GET and nothing of the cut body delivered (SHOULDs), at the latest by the heartbeat",
      rules: ["DROP-13", "DROP-01", "EIO3-CLOSE-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "polling", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.eio3().openPolling();
        const tcp = await partialPost(ctx, session, v3MessagePayload("one", "two", "thr"), 60);
        await judgeV3CutPost(ctx, session, tcp, (c) => c.reset(), "the reset POST");
      },
    },
    {
      id: "eio3.drop.closed-mid-post",
      title:
        "A v3 POST whose connection closes half way (FIN, no reset) ends the session: at once, with 1:1 to the pending GET and nothing of the cut body delivered (SHOULDs), at the latest by the heartbeat",
      rules: ["DROP-13", "DROP-01", "EIO3-CLOSE-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "polling", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.eio3().openPolling();
        const tcp = await partialPost(ctx, session, v3MessagePayload("one", "two"), 60);
        await judgeV3CutPost(ctx, session, tcp, (c) => c.endWrite(), "the cut POST");
      },
    },
    {
      id: "eio3.drop.upgraded-websocket-reset",
      title:
        "When the WebSocket of an upgraded v3 session drops, the session ends and does not fall back to polling: at once (a SHOULD), at the latest by the heartbeat",
      rules: ["DROP-06", "DROP-01", "EIO3-HEARTBEAT-03"],
      level: "MUST",
      requires: ["eio3", "polling", "websocket"],
      timing: "waits",
      async run(ctx) {
        const engine = ctx.eio3();
        const session = await engine.openPolling();
        const { I, T } = beat(ctx, session.handshake);
        const socket = await engine.upgrade(session);
        await ctx.sleep(ctx.scale(20));
        await expectTellable(ctx, session.sid, 3);
        const t0 = performance.now();
        socket.ws.terminate();
        // The heartbeat must end it at the latest: no ping can come any more.
        await expectEndAtOnceElseByHeartbeat(ctx, session.sid, {
          since: t0,
          latest: I + T,
          what: "the end of the session after its WebSocket dropped",
          eio: 3,
        });
      },
    },
    {
      id: "eio3.drop.probe-dropped-after-3probe",
      title:
        "A v3 probe dropped after 3probe (no close frame) leaves the session on polling with every message delivered once, in order, and its pings answered",
      rules: ["DROP-05", "EIO3-UPGRADE-01"],
      level: "MUST",
      requires: ["eio3", "polling", "websocket", "engine-echo"],
      async run(ctx) {
        await v3DroppedProbe(ctx, async (session) => {
          const probe = await ctx.eio3().openWebSocket({ sid: session.sid });
          probe.send({ type: "ping", data: "probe" });
          const answer = await probe.nextPacket({ what: "the 3probe answer to 2probe" });
          ctx.note(`the probe was answered ${show(answer)}`);
          await session.send(v3MessagePayload("mid", "sockspec:burst:5"));
          probe.ws.terminate();
        });
      },
    },
    {
      id: "eio3.drop.probe-dropped-before-3probe",
      title:
        "A v3 probe dropped right after 2probe leaves the session on polling with every message delivered once, in order, and its pings answered",
      rules: ["DROP-05", "EIO3-UPGRADE-01"],
      level: "MUST",
      requires: ["eio3", "polling", "websocket", "engine-echo"],
      async run(ctx) {
        await v3DroppedProbe(ctx, async (session) => {
          await session.send(v3MessagePayload("mid", "sockspec:burst:5"));
          const probe = await ctx.eio3().openWebSocket({ sid: session.sid });
          probe.send({ type: "ping", data: "probe" });
          probe.ws.terminate();
        });
      },
    },
    {
      id: "eio3.drop.probe-half-open",
      title:
        "A v3 probe that goes silent after 3probe leaves polling delivering everything and answering pings; at upgradeTimeout it is dropped and a new upgrade works (a SHOULD)",
      rules: ["DROP-05", "EIO3-UPGRADE-01", "EIO3-UPGRADE-02"],
      level: "MUST",
      requires: ["eio3", "polling", "websocket", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.eio3().openPolling();
        // A ping answered before the probe: one unanswered while it is silent is the upgrade's doing.
        await v3PollPing(session);
        const { proxy, eio3 } = await ctx.proxy();
        const probe = await eio3.openWebSocket({ sid: session.sid });
        probe.send({ type: "ping", data: "probe" });
        await needs(P.v3ProbeAnswered, () => probe.nextPacket({ what: "the 3probe answer to 2probe" }));
        proxy.blackhole();
        const opened = probe.ws.openedAt;
        await session.send(v3MessagePayload("mid", "sockspec:burst:5"));
        const U = ctx.timing.upgradeTimeout;
        const got = await v3PollWithPings(ctx, session, opened + ctx.scale(U) + ctx.grace(ctx.scale(U)));
        await expectSequence(ctx, got, burstOf(5, "mid"), "the messages over polling while the probe was silent");
        // A new upgrade works only once the silent probe was dropped (the upgrade timeout of
        // EIO4-UPGRADE-09, a SHOULD, which EIO3-UPGRADE-01 carries over).
        let socket: V3Socket;
        try {
          socket = await ctx.eio3().upgrade(session);
        } catch (err) {
          if (!(err instanceof CaseOutcome) || err.precondition !== P.v3ProbeAnswered) throw err;
          ctx.softFail(
            `a new upgrade failed ${Math.round(performance.now() - opened)} ms after the silent probe opened: the silent probe was not dropped at upgradeTimeout (${U} ms), or it still holds the upgrade`,
            err.details,
          );
          return;
        }
        socket.send({ type: "message", data: "after-the-upgrade" });
        const echo = await socket.nextPacketMatching((p) => p.type === "message", {
          what: "the echo on the new WebSocket",
        });
        ctx.deepEqual(echo, { type: "message", data: "after-the-upgrade" }, "the echo after a new upgrade");
      },
    },
  ]),
);
