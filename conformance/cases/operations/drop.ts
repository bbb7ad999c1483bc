/**
 * Operations, chapter DROP: clients that go away without saying so. A client that stops
 * answering pings, stops polling, vanishes without FIN or RST (half-open TCP, through the
 * black-holing proxy), resets a request half way, or drops its WebSocket in the middle of an
 * upgrade. The server must notice within the protocol's bounds (the heartbeat bound t₀ + I + T,
 * or at once for what TCP reports), free the sid, discard what it had buffered, and lose no
 * packet of a session that goes on.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, defineChapter, fail, needs, show, unmet } from "../../case.js";
import {
  droppedProbe,
  expectEndAtOnceElseByHeartbeat,
  expectNoOldBuffer,
  judgeGetAfterTimeout,
  halfOpenWebSocket,
  joinForRecovery,
  pollingControl,
  pongOnce,
  restore,
  type Joined,
} from "../../checks/drop.js";
import { refused } from "../../checks/gone.js";
import { pollPing } from "../../checks/heartbeat.js";
import { expectSequence } from "../../checks/sequence.js";
import { expectNewSession, expectSidGone, expectStillOpen, expectTellable, waitSidGone } from "../../checks/sid.js";
import { decodeBody } from "../../client/engine.js";
import { heldGet, partialPost, pollTarget, postAccepted, preparedGet, rawGet } from "../../client/held-get.js";
import { burstOf, pollTexts, texts } from "../../client/messages.js";
import { PollingLoop } from "../../client/polling-loop.js";
import { startProbe, upgradeKeepingHeartbeat } from "../../client/upgrade-steps.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { beat, heartbeatDeadline, IMMEDIATE_MS, sleepUntil } from "../../runner/bounds.js";
import type { CaseContext } from "../../runner/context.js";
import { guardStalls } from "../../runner/stall-watch.js";
import type { RawConnection } from "../../client/tcp.js";
import type { PollingSession } from "../../client/engine.js";

/**
 * The answer to a GET held when a POST was cut (`cut` ends its connection): `200 1` within the
 * immediate bound is the close DROP-13 asks for, and no record of the cut body may be delivered
 * (both SHOULDs); a session that does not close at once must still end by the heartbeat bound.
 */
async function judgeCutPost(
  ctx: CaseContext,
  session: PollingSession,
  tcp: RawConnection,
  cut: (tcp: RawConnection) => void,
  why: string,
): Promise<void> {
  let held = (await heldGet(ctx, session)).response;
  const t0 = performance.now();
  cut(tcp);
  const bound = IMMEDIATE_MS;
  const deadline = ctx.sleep(ctx.scale(bound) + ctx.grace(bound)).then(() => undefined);
  let res = await Promise.race([held, deadline]);
  // The heartbeat may take the held GET (a ping alone) just as the cut goes out, on a slow
  // network: no GET is pending then, so another one asks how the session ended, in the same bound.
  if (res?.status === 200 && decodeBody(res).every((p) => p.type === "ping")) {
    ctx.note("the heartbeat's ping took the held GET; another GET asks about the session");
    held = rawGet(ctx, session);
    res = await Promise.race([held, deadline]);
    if (res && refused(res)) {
      ctx.note(`the session was gone ${Math.round(performance.now() - t0)} ms after ${why}: ${res.status}`);
      return expectSidGone(ctx, session.sid, why);
    }
  }
  if (res === undefined) {
    ctx.softFail(`the session was not closed at once after ${why}`, {
      expected: `the pending GET answered 1 within ${bound} ms`,
      observed: "still pending",
    });
  } else {
    const got = texts(decodeBody(res));
    // Echoes of a delivered record may take the pending GET before the close packet: then only the warning stands.
    if (got.length)
      ctx.softFail(`records of the cut POST were delivered after ${why}`, { expected: "none", observed: show(got) });
    else if (res.status === 200 && decodeBody(res).some((p) => p.type === "close"))
      ctx.note(`the pending GET got ${JSON.stringify(res.text)} ${Math.round(performance.now() - t0)} ms after ${why}`);
    else ctx.equal(`${res.status} ${res.text}`, "200 1", `the GET pending when the session closed after ${why}`);
  }
  const { I, T } = beat(ctx, session.handshake);
  await sleepUntil(ctx, t0, res === undefined ? heartbeatDeadline(ctx, I, T) : 0);
  await expectSidGone(ctx, session.sid, why);
}

export const dropCases = defineChapter(
  "operations / drop",
  guardStalls([
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
        await ctx.within(socket.ws.closed, {
          earliest: I + T,
          latest: I + T,
          what: "the close after the last pong",
          since: t0,
          at: () => performance.now(),
        });
        await expectSidGone(ctx, socket.handshake!.sid, "the heartbeat timeout", "websocket");
        await expectNewSession(ctx, socket.handshake!.sid);
      },
    },
    {
      id: "ops.drop.no-pong-polling",
      title:
        "A polling client that keeps polling but stops ponging is dropped pingInterval + pingTimeout after its last pong",
      rules: ["DROP-01", "EIO4-HEARTBEAT-04", "EIO4-CLOSE-04"],
      level: "MUST",
      requires: ["polling"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { I, T } = beat(ctx, session.handshake);
        const ping = await needs(P.firstPing, () =>
          pollPing(ctx, session, { since: performance.now(), interval: I, what: "the first ping" }),
        );
        const t0 = performance.now();
        const pong = postAccepted(ctx, session, "3");
        pong.catch(() => undefined);
        const next = await preparedGet(ctx, session);
        await pollPing(ctx, session, { since: t0, interval: I, what: "the next ping", previousPing: ping });
        const { value: res } = await ctx.within((t) => next(t + ctx.answerTimeoutMs), {
          earliest: I + T,
          latest: I + T,
          what: "the close packet after the last pong",
          since: t0,
        });
        ctx.equal(`${res.status} ${res.text}`, "200 1", "the GET held at the timeout");
        await pong;
        await expectSidGone(ctx, session.sid, "the heartbeat timeout");
      },
    },
    {
      id: "ops.drop.stops-polling",
      title:
        "A client that stops polling has its ping queued until the ping timeout, then its session is gone when a silent client's is",
      rules: ["DROP-03", "DROP-01", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["polling"],
      timing: "waits",
      async run(ctx) {
        const [session, control] = await Promise.all([ctx.engine.openPolling(), pollingControl(ctx)]);
        const { T } = beat(ctx, session.handshake);
        // Both sessions ping on the same schedule: the control's ping says when this one's was queued.
        const ping = await control.ping;
        await sleepUntil(ctx, ping, T / 2);
        const res = await rawGet(ctx, session);
        ctx.equal(
          `${res.status} ${res.text}`,
          "200 2",
          `a GET ${Math.round(performance.now() - ping)} ms after the ping was due (pingTimeout ${T} ms): the queued ping`,
        );
        await control.end;
        await ctx.sleep(ctx.scale(ctx.grace(T)));
        await expectSidGone(ctx, session.sid, "a silence as long as the one that ended the control session");
      },
    },
    {
      id: "ops.drop.buffer-discarded",
      title:
        "Packets buffered for a client that went silent stay until its ping times out, then go with its session: not to a later request, not to a later session",
      rules: ["DROP-08", "DROP-03", "EIO4-CLOSE-12", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["polling", "control"],
      timing: "waits",
      async run(ctx) {
        const [session, control] = await Promise.all([ctx.engine.openPolling(), pollingControl(ctx)]);
        const { I, T } = beat(ctx, session.handshake);
        const ping = await needs(P.firstPing, () =>
          pollPing(ctx, session, { since: performance.now(), interval: I, what: "the first ping" }),
        );
        // No pong, no GET from now on: the burst stays buffered until the ping times out.
        await postAccepted(ctx, session, "4sockspec:burst:5");
        // Lower bound: the session (and its buffer) is still there halfway to the timeout.
        await sleepUntil(ctx, ping, T / 2);
        await expectStillOpen(
          ctx,
          session.sid,
          `${Math.round(performance.now() - ping)} ms after an unanswered ping (pingTimeout ${T} ms)`,
        );
        await control.end;
        await ctx.sleep(ctx.scale(ctx.grace(T)));
        // The server may still flush the buffer before the close packet (EIO4-CLOSE-05 form) or
        // end the session at once (EIO4-CLOSE-12); once the sid is refused, nothing of it may come.
        judgeGetAfterTimeout(ctx, await rawGet(ctx, session), decodeBody);
        await expectSidGone(ctx, session.sid, "the ping timeout");
        // A later session must not get the old buffer: its first message is its own echo.
        const fresh = await ctx.engine.openPolling();
        await postAccepted(ctx, fresh, "4sockspec-fresh");
        expectNoOldBuffer(ctx, await pollTexts(ctx, fresh, 1, "the echo on a new session"));
      },
    },
    {
      id: "ops.drop.half-open-websocket",
      title:
        "A WebSocket client that vanishes without FIN or RST right after a ping is dropped pingTimeout after that ping",
      rules: ["DROP-02", "DROP-01", "EIO4-HEARTBEAT-04"],
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
      rules: ["DROP-02", "DROP-01", "EIO4-HEARTBEAT-04"],
      level: "MUST",
      requires: ["websocket"],
      timing: "waits",
      async run(ctx) {
        await halfOpenWebSocket(ctx, true);
      },
    },
    {
      id: "ops.drop.half-open-upgraded",
      title:
        "An upgraded client that vanishes without FIN or RST after a pong is dropped pingInterval + pingTimeout after it",
      rules: ["DROP-02", "EIO4-UPGRADE-13", "EIO4-HEARTBEAT-04", "DROP-01"],
      level: "MUST",
      requires: ["polling", "websocket"],
      timing: "waits",
      async run(ctx) {
        const { proxy, engine } = await ctx.proxy();
        const session = await engine.openPolling();
        const opened = performance.now();
        const { I, T } = beat(ctx, session.handshake);
        const upgraded = await upgradeKeepingHeartbeat(ctx, session, engine);
        let t0 = upgraded.pongAt;
        if (t0 === undefined) t0 = await pongOnce(ctx, upgraded.socket, opened, I);
        // Let the upgrade packet and the pong through the proxy before the line goes dead.
        await ctx.sleep(ctx.scale(30));
        await expectTellable(ctx, session.sid);
        proxy.blackhole();
        await waitSidGone(ctx, session.sid, {
          since: t0,
          earliest: I + T,
          latest: I + T,
          what: "the end of the half-open upgraded session",
          on: "websocket",
        });
      },
    },
    {
      id: "ops.drop.half-open-pending-get",
      title:
        "A polling client that vanishes with a GET pending (no FIN, no RST) after its first ping is still open halfway to pingTimeout, and gone when a silent client's session is",
      rules: ["DROP-02", "DROP-03", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["polling"],
      timing: "waits",
      async run(ctx) {
        const { proxy, engine } = await ctx.proxy();
        const [session, control] = await Promise.all([engine.openPolling(), pollingControl(ctx)]);
        const { I, T } = beat(ctx, session.handshake);
        const ping = await needs(P.firstPing, () =>
          ctx.within(
            async (t) => {
              const { packets } = await session.get({ timeoutMs: Math.ceil(t + ctx.answerTimeoutMs) });
              if (!packets.some((p) => p.type === "ping"))
                fail("the first GET brought no ping", { expected: "2", observed: show(packets.map((p) => p.type)) });
              return performance.now();
            },
            { latest: I, what: "the first ping" },
          ),
        );
        const pingAt = ping.value;
        engine.http.request({ query: session.query() }).catch(() => undefined);
        await ctx.sleep(ctx.scale(20));
        proxy.blackhole();
        // Lower bound: the session is still open halfway to its ping timeout.
        await sleepUntil(ctx, pingAt, T / 2);
        await expectStillOpen(
          ctx,
          session.sid,
          `${Math.round(performance.now() - pingAt)} ms after the unanswered ping (pingTimeout ${T} ms)`,
        );
        await control.end;
        await ctx.sleep(ctx.scale(ctx.grace(T)));
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
        await waitSidGone(ctx, session.sid, {
          since: t0,
          latest: IMMEDIATE_MS,
          what: "the end of the session after the reset",
        });
      },
    },
    {
      id: "ops.drop.reset-mid-post",
      title:
        "A POST reset half way ends the session: at once, with 1 to the pending GET and nothing of the cut body delivered (SHOULDs), at the latest by the heartbeat",
      rules: ["DROP-13", "EIO4-POLLING-12", "EIO4-CLOSE-04", "DROP-01"],
      level: "MUST",
      requires: ["polling", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const tcp = await partialPost(ctx, session, "4one\x1e4two\x1e4thr", 60);
        await judgeCutPost(ctx, session, tcp, (c) => c.reset(), "the reset POST");
      },
    },
    {
      id: "ops.drop.closed-mid-post",
      title:
        "A POST whose connection closes half way (FIN, no reset) ends the session: at once, with 1 to the pending GET and nothing of the cut body delivered (SHOULDs), at the latest by the heartbeat",
      rules: ["DROP-13", "EIO4-POLLING-12", "EIO4-CLOSE-04", "DROP-01"],
      level: "MUST",
      requires: ["polling", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const tcp = await partialPost(ctx, session, "4one\x1e4two", 60);
        await judgeCutPost(ctx, session, tcp, (c) => c.endWrite(), "the cut POST");
        await expectNewSession(ctx, session.sid);
      },
    },
    {
      id: "ops.drop.upgraded-websocket-reset",
      title:
        "When the WebSocket of an upgraded session drops, the session ends and does not fall back to polling: at once (a SHOULD), at the latest by the heartbeat",
      rules: ["DROP-06", "EIO4-WS-09", "EIO4-HEARTBEAT-04"],
      level: "MUST",
      requires: ["polling", "websocket"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { I, T } = beat(ctx, session.handshake);
        const socket = await ctx.engine.upgrade(session);
        await ctx.sleep(ctx.scale(20));
        await expectTellable(ctx, session.sid);
        const t0 = performance.now();
        socket.ws.terminate();
        // The heartbeat must end it at the latest: no pong can come any more.
        await expectEndAtOnceElseByHeartbeat(ctx, session.sid, {
          since: t0,
          latest: I + T,
          what: "the end of the session after its WebSocket dropped",
        });
      },
    },
    {
      id: "ops.drop.namespaces-end-with-session",
      title:
        "When an Engine.IO session drops, every namespace socket of it is disconnected with it: with recovery on, each one can be restored right after",
      rules: ["DROP-11"],
      level: "MUST",
      requires: ["polling", "socketio-echo", "recovery"],
      timing: "waits",
      async run(ctx) {
        const { session, joined } = await joinForRecovery(ctx, ["/", "/custom"]);
        // The client drops: its pending GET is reset, which ends the Engine.IO session (DROP-04).
        const tcp = await ctx.tcp();
        tcp.sendRequest("GET", `${ctx.config.path}?${new URLSearchParams(session.query()).toString()}`);
        await ctx.sleep(ctx.scale(30));
        const t0 = performance.now();
        tcp.reset();
        // When the Engine.IO session ends is not this rule's: at the latest its heartbeat ends it.
        const { I, T } = beat(ctx, session.handshake);
        await needs(P.pingTimeoutEnds, () =>
          waitSidGone(ctx, session.sid, {
            since: t0,
            latest: I + T,
            what: "the end of the dropped session",
            path: ctx.config.path,
          }),
        );
        const pids = await restore(ctx, joined);
        const [root, custom] = joined as [Joined, Joined];
        if (pids.get("/") !== root.pid)
          unmet(P.recoveryRestores, "the socket on / was not restored after its session dropped", {
            expected: `pid ${root.pid}`,
            observed: String(pids.get("/")),
          });
        ctx.assert(
          pids.get("/custom") === custom.pid,
          "the socket on /custom was not restored after its session dropped, while the one on / was: it was not disconnected with its session",
          { expected: `pid ${custom.pid}`, observed: String(pids.get("/custom")) },
        );
      },
    },
    {
      id: "ops.drop.probe-dropped-after-3probe",
      title:
        "A probe dropped after 3probe (no close frame) leaves the session on polling with every message delivered once, in order",
      rules: ["DROP-05", "EIO4-UPGRADE-11", "EIO4-UPGRADE-04"],
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
      title:
        "A probe dropped right after 2probe leaves the session on polling with every message delivered once, in order",
      rules: ["DROP-05", "EIO4-UPGRADE-11", "EIO4-UPGRADE-04"],
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
      title:
        "A probe that goes silent after 3probe leaves polling delivering everything; at upgradeTimeout it is dropped and a new upgrade works (a SHOULD)",
      rules: ["DROP-05", "EIO4-UPGRADE-04", "EIO4-UPGRADE-09", "EIO4-UPGRADE-02"],
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
        loop.needHeartbeat();
        if (loop.ended !== "stopped")
          fail(`polling did not go on while the probe was silent: ${loop.ended}`, {
            expected: "GETs answered",
            observed: loop.ended ?? "",
          });
        await expectSequence(
          ctx,
          loop.messages,
          burstOf(5, "mid"),
          "the messages over polling while the probe was silent",
        );
        // A new upgrade works only once the silent probe was dropped (EIO4-UPGRADE-09, a SHOULD).
        let socket;
        try {
          socket = await ctx.engine.upgrade(session);
        } catch (err) {
          if (!(err instanceof CaseOutcome) || err.precondition !== P.probeAnswered) throw err;
          ctx.softFail(
            `a new upgrade failed ${Math.round(performance.now() - opened)} ms after the silent probe opened: the silent probe was not dropped at upgradeTimeout (${U} ms), or it still holds the upgrade`,
            err.details,
          );
          return;
        }
        socket.send({ type: "message", data: "after" });
        const got = texts([
          await socket.nextPacketMatching((p) => p.type === "message", { what: "the echo on the new WebSocket" }),
        ]);
        ctx.deepEqual(
          got,
          ["after"],
          `the echo after a new upgrade, ${Math.round(performance.now() - opened)} ms after the silent probe opened`,
        );
        ctx.note(`the silent probe's client socket is ${show(probe.ws.isClosed ? "closed" : "open")}`);
      },
    },
  ]),
);
