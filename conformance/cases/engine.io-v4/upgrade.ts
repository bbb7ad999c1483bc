/**
 * Engine.IO v4, chapter UPGRADE: the probe (`2probe`/`3probe`), the noop that releases the
 * pending GET, the upgrade packet `5`, where packets travel before and after it (none lost, none
 * doubled, order kept across both transports), and what happens to a probe that goes wrong, is
 * doubled, or times out: the session goes on over polling.
 */
import { performance } from "node:perf_hooks";
import { defineChapter, fail, show, skip, unmet } from "../../case.js";
import { wsPing } from "../../checks/heartbeat.js";
import { expectSequence } from "../../checks/sequence.js";
import {
  echoOver,
  expectNoopPoll,
  expectProbeRejected,
  expectStillPolling,
  finishUpgrade,
  heldNoop,
  releasedHeldGet,
} from "../../checks/upgrade.js";
import { decodeBody } from "../../client/engine.js";
import { postAccepted, rawGet } from "../../client/held-get.js";
import { burstOf, pollTexts, texts, wsMessages } from "../../client/messages.js";
import { PollingLoop } from "../../client/polling-loop.js";
import {
  expectProbeAnswer,
  probeWithHeldGet,
  startProbe,
  upgradeKeepingHeartbeat,
} from "../../client/upgrade-steps.js";
import { beat, soon } from "../../runner/bounds.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { guardStalls } from "../../runner/stall-watch.js";

export const upgradeCases = defineChapter(
  "engine.io v4 / upgrade",
  guardStalls([
    {
      id: "eio4.upgrade.probe",
      title: "A probe WebSocket with the sid is accepted and 2probe is answered with the text frame 3probe",
      rules: ["EIO4-UPGRADE-02"],
      level: "MUST",
      requires: ["polling", "websocket"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const socket = await ctx.engine.openWebSocket({ sid: session.sid });
        socket.send({ type: "ping", data: "probe" });
        ctx.equal(
          await socket.ws.next({ what: "the answer to 2probe" }),
          "3probe",
          "the first frame on the probe WebSocket",
        );
      },
    },
    {
      id: "eio4.upgrade.noop-to-pending-get",
      title: "The GET pending at the probe is answered with 6 before the upgrade completes (within 100 ms: a SHOULD)",
      rules: ["EIO4-UPGRADE-03", "EIO4-UPGRADE-15"],
      level: "MUST",
      requires: ["polling", "websocket"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { socket, held, sent } = await probeWithHeldGet(ctx, session);
        await expectProbeAnswer(socket);
        const res = await heldNoop(ctx, session, held, sent);
        if (res.text.split("\x1e").includes("2"))
          await expectNoopPoll(ctx, session, "the noop on a GET after a ping that fell due");
      },
    },
    {
      id: "eio4.upgrade.noop-repeated",
      title: "Every GET sent while the probe is on is answered with 6 (within 100 ms: a SHOULD)",
      rules: ["EIO4-UPGRADE-03", "EIO4-UPGRADE-15"],
      level: "MUST",
      requires: ["polling", "websocket"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { socket, held, sent } = await probeWithHeldGet(ctx, session);
        await expectProbeAnswer(socket);
        await heldNoop(ctx, session, held, sent);
        for (let n = 2; n <= 3; n++) await expectNoopPoll(ctx, session, `the noop on GET #${n} of the probe`);
      },
    },
    {
      id: "eio4.upgrade.complete",
      title: "After 3probe and the noop, the upgrade packet 5 makes the WebSocket the transport",
      rules: ["EIO4-UPGRADE-02", "EIO4-UPGRADE-06"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { socket } = await upgradeKeepingHeartbeat(ctx, session);
        await echoOver(ctx, socket, "upgraded");
      },
    },
    {
      id: "eio4.upgrade.listed-upgrade-works",
      title: "Each upgrade the handshake lists completes, also with no GET pending",
      rules: ["EIO4-UPGRADE-01", "EIO4-UPGRADE-02", "EIO4-HANDSHAKE-05"],
      level: "MUST",
      requires: ["polling", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const upgrades = session.handshake.upgrades ?? [];
        if (!upgrades.includes("websocket")) skip(`the handshake lists no websocket upgrade (${show(upgrades)})`);
        ctx.assert(
          upgrades.every((u) => u === "websocket"),
          "the handshake lists an upgrade other than websocket",
          { expected: `["websocket"]`, observed: show(upgrades) },
        );
        const socket = await ctx.engine.upgrade(session, { pendingPoll: false });
        await echoOver(ctx, socket, "listed");
      },
    },
    {
      id: "eio4.upgrade.unadvertised-refused",
      title: "When the handshake lists no websocket upgrade, a WebSocket with the sid is refused and polling goes on",
      rules: ["EIO4-HANDSHAKE-05", "EIO4-ERROR-03", "EIO4-ERROR-08", "EIO4-ERROR-09"],
      level: "MUST",
      requires: ["polling"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        if ((session.handshake.upgrades ?? []).includes("websocket"))
          skip("the handshake lists websocket: nothing unadvertised to try");
        const opened = await ctx.engine.rawWebSocket({ query: { sid: session.sid } }).opened;
        ctx.assert(!opened.ok, "a WebSocket upgrade the handshake did not list was accepted", {
          expected: "400 before 101",
          observed: "101",
        });
        ctx.equal(opened.ok ? 101 : opened.status, 400, "status of the unadvertised WebSocket");
        ctx.equal((await session.post("6")).status, 200, "status of a POST after the refused WebSocket");
      },
    },
    {
      id: "eio4.upgrade.unknown-sid",
      title: "A probe WebSocket naming no session is refused and joins no session (before 101: a SHOULD)",
      rules: ["EIO4-WS-08", "EIO4-ERROR-09"],
      level: "MUST",
      requires: ["websocket"],
      async run(ctx) {
        const ws = ctx.engine.rawWebSocket({ query: { sid: "sockspecUnknownSid000" } });
        const opened = await ws.opened;
        if (!opened.ok) {
          ctx.note(`refused with ${opened.status ?? opened.error}, body ${show(opened.body ?? "")}`);
          return;
        }
        // Accepted with 101: the refusal may still come as a close (the SHOULD of EIO4-ERROR-09 is broken).
        ws.send("2probe");
        const bound = soon(ctx);
        await Promise.race([ws.closed, ctx.sleep(ctx.scale(bound) + ctx.grace(bound))]);
        ctx.assert(!ws.inbox.items.includes("3probe"), "a probe naming no session was answered 3probe", {
          expected: "refused",
          observed: show(ws.inbox.items),
        });
        // The frame guard holds back an open packet on a WebSocket that named a sid: here it means a session was opened.
        const openPacket = ws.brokenBy?.precondition === P.openPacketOnce;
        ctx.assert(!openPacket, "a WebSocket naming no session was given an open packet: it opened a session", {
          expected: "refused",
          observed: ws.brokenBy?.details.observed ?? "",
        });
        ctx.assert(ws.isClosed, "a WebSocket naming no session was accepted and kept open", {
          expected: "refused before 101, or closed at once",
          observed: `open after ${bound} ms`,
        });
        ctx.softFail("a WebSocket naming no session was accepted with 101 and then closed, not refused before 101", {
          expected: "400 before 101",
          observed: "101, then a close",
        });
      },
    },
    {
      id: "eio4.upgrade.echo-during-probe-over-polling",
      title: "A message posted during the probe is answered over polling, not on the probe WebSocket",
      rules: ["EIO4-UPGRADE-04"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { socket, held, sent } = await probeWithHeldGet(ctx, session);
        await expectProbeAnswer(socket);
        await releasedHeldGet(ctx, session, held, sent);
        await postAccepted(ctx, session, "4during-probe");
        ctx.deepEqual(
          await pollTexts(ctx, session, 1, "the echo during the probe"),
          ["during-probe"],
          "the echo over polling",
        );
        ctx.deepEqual(socket.ws.inbox.items, [], "frames on the probe WebSocket before 5");
        await finishUpgrade(ctx, socket);
      },
    },
    {
      id: "eio4.upgrade.burst-during-probe-over-polling",
      title: "Server messages sent during the probe all arrive over polling, in order",
      rules: ["EIO4-UPGRADE-04", "EIO4-POLLING-07"],
      level: "MUST",
      requires: ["polling", "websocket", "control"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const socket = await startProbe(ctx, session);
        await postAccepted(ctx, session, "4sockspec:burst:30");
        await expectSequence(
          ctx,
          await pollTexts(ctx, session, 30, "the burst during the probe"),
          burstOf(30),
          "the burst over polling",
        );
        ctx.deepEqual(socket.ws.inbox.items, [], "frames on the probe WebSocket before 5");
        await finishUpgrade(ctx, socket);
      },
    },
    {
      id: "eio4.upgrade.flush-buffered",
      title: "Packets buffered when 5 arrives are sent first on the WebSocket, in order",
      rules: ["EIO4-UPGRADE-06"],
      level: "MUST",
      requires: ["polling", "websocket", "control"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { socket, held, sent } = await probeWithHeldGet(ctx, session);
        await expectProbeAnswer(socket);
        await releasedHeldGet(ctx, session, held, sent);
        await postAccepted(ctx, session, "4marker\x1e4sockspec:burst:20");
        socket.send({ type: "upgrade" });
        socket.send({ type: "message", data: "after" });
        await expectSequence(
          ctx,
          await wsMessages(socket, 22, "the buffered packets on the WebSocket", ctx.answerTimeoutMs),
          [...burstOf(20, "marker"), "after"],
          "the messages on the WebSocket after 5",
        );
      },
    },
    {
      id: "eio4.upgrade.no-loss-across",
      title:
        "Across an upgrade every message arrives exactly once and in order: over polling before, over WebSocket after",
      rules: ["EIO4-UPGRADE-06", "EIO4-UPGRADE-04", "EIO4-POLLING-07"],
      level: "MUST",
      requires: ["polling", "websocket", "control"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        await session.post("4pre\x1e4sockspec:burst:10");
        const got = await pollTexts(ctx, session, 11, "the burst before the probe");
        const { socket, held, sent } = await probeWithHeldGet(ctx, session);
        await expectProbeAnswer(socket);
        got.push(...texts(decodeBody(await releasedHeldGet(ctx, session, held, sent))));
        await session.post("4mid\x1e4sockspec:burst:10");
        got.push(...(await pollTexts(ctx, session, 11, "the burst during the probe")).slice(0));
        await session.post("4late\x1e4sockspec:burst:10");
        socket.send({ type: "upgrade" });
        socket.send({ type: "message", data: "final" });
        got.push(
          ...(await wsMessages(socket, 12, "the buffered burst and the echo on the WebSocket", ctx.answerTimeoutMs)),
        );
        await expectSequence(
          ctx,
          got,
          [...burstOf(10, "pre"), ...burstOf(10, "mid"), ...burstOf(10, "late"), "final"],
          "the messages over both transports",
        );
      },
    },
    {
      id: "eio4.upgrade.upgrade-before-noop",
      title: "A client may send 5 before its pending GET returns; that GET still gets 6",
      rules: ["EIO4-UPGRADE-14"],
      level: "MAY",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { socket, held } = await probeWithHeldGet(ctx, session);
        await expectProbeAnswer(socket);
        const sent = performance.now();
        await finishUpgrade(ctx, socket, "early");
        const { value: res } = await ctx.within(held, {
          latest: soon(ctx),
          what: "the answer to the GET pending at 5",
          since: sent,
        });
        if (res.text === "2") {
          ctx.note("a ping fell due and came on the pending GET: answered over the WebSocket");
          socket.send({ type: "pong" });
        } else ctx.equal(`${res.status} ${res.text}`, "200 6", "the GET pending when 5 was sent");
      },
    },
    {
      id: "eio4.upgrade.polling-after-upgrade",
      title: "After the upgrade, GET and POST with the sid are refused with 400 and the WebSocket goes on",
      rules: ["EIO4-UPGRADE-07", "EIO4-ERROR-08"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { socket } = await upgradeKeepingHeartbeat(ctx, session);
        await echoOver(ctx, socket, "first");
        // The status is this rule's; the code-3 body is the ERROR chapter's (eio4.error.transport-mismatch).
        const get = await rawGet(ctx, session);
        ctx.equal(get.status, 400, "status of a GET after the upgrade");
        const post = await session.post("4refused");
        ctx.equal(post.status, 400, "status of a POST after the upgrade");
        await echoOver(ctx, socket, "still");
      },
    },
    {
      id: "eio4.upgrade.websocket-session-stays",
      title:
        "A session opened over WebSocket cannot turn to polling: GET and POST with its sid are refused with 400, and its WebSocket goes on",
      rules: ["EIO4-UPGRADE-12", "EIO4-ERROR-06", "EIO4-ERROR-08"],
      level: "MUST",
      requires: ["websocket", "engine-echo"],
      async run(ctx) {
        const socket = await ctx.engine.openWebSocket();
        const query = { EIO: "4", transport: "polling", sid: socket.handshake!.sid };
        // The status is this rule's; the code-3 body is judged by eio4.error.transport-mismatch.
        ctx.equal(
          (await ctx.http.request({ path: ctx.enginePath, query })).status,
          400,
          "status of a GET naming a WebSocket session",
        );
        ctx.equal(
          (await ctx.http.request({ method: "POST", path: ctx.enginePath, query, body: "4from-polling" })).status,
          400,
          "status of a POST naming a WebSocket session",
        );
        await echoOver(ctx, socket, "websocket-session");
      },
    },
    {
      id: "eio4.upgrade.second-websocket-during-probe",
      title: "A second WebSocket during the probe is closed and the first completes the upgrade",
      rules: ["EIO4-UPGRADE-10", "EIO4-WS-07"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const first = await startProbe(ctx, session);
        const second = ctx.engine.rawWebSocket({ query: { sid: session.sid } });
        if ((await second.opened).ok) {
          second.send("2probe");
          const bound = soon(ctx);
          await Promise.race([second.closed, ctx.sleep(ctx.scale(bound) + ctx.grace(bound))]);
          ctx.assert(!second.inbox.items.includes("3probe"), "the second WebSocket's probe was answered", {
            expected: "no 3probe",
            observed: show(second.inbox.items),
          });
          ctx.assert(second.isClosed, "the second WebSocket of an upgrading session was kept open", {
            expected: "refused or closed",
            observed: "open",
          });
        }
        ctx.assert(!first.ws.isClosed, "the first probe WebSocket was closed by the second", {
          expected: "the first probe intact",
          observed: "closed",
        });
        await finishUpgrade(ctx, first);
      },
    },
    {
      id: "eio4.upgrade.bad-first-frame",
      title: "A probe whose first frame is 4hello is closed (a SHOULD), and then the session goes on over polling",
      rules: ["EIO4-UPGRADE-08", "EIO4-UPGRADE-11"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const probe = await ctx.engine.openWebSocket({ sid: session.sid });
        probe.send({ type: "message", data: "hello" });
        await expectProbeRejected(ctx, probe, session, "a probe that started with 4hello");
      },
    },
    {
      id: "eio4.upgrade.bad-probe-data",
      title:
        "A probe whose first frame is 2notprobe is closed (a SHOULD; a ping on a probe is no protocol error of the session), and then the session goes on over polling",
      rules: ["EIO4-UPGRADE-08", "EIO4-UPGRADE-11"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const probe = await ctx.engine.openWebSocket({ sid: session.sid });
        probe.ws.send("2notprobe");
        await expectProbeRejected(ctx, probe, session, "a probe that started with 2notprobe");
      },
    },
    {
      id: "eio4.upgrade.bad-frame-after-probe",
      title: "A frame other than 5 after 3probe closes the probe (a SHOULD), and then the session goes on over polling",
      rules: ["EIO4-UPGRADE-08", "EIO4-UPGRADE-11"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const probe = await startProbe(ctx, session);
        probe.send({ type: "message", data: "too-early" });
        await expectProbeRejected(ctx, probe, session, "a message on the probe before 5");
      },
    },
    {
      id: "eio4.upgrade.probe-closed-by-client",
      title: "A probe the client closes after 3probe leaves the session on polling",
      rules: ["EIO4-UPGRADE-11"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const probe = await startProbe(ctx, session);
        await probe.close();
        await expectStillPolling(ctx, session, "the client closed its probe");
      },
    },
    {
      id: "eio4.upgrade.retry-after-failed-probe",
      title: "After a failed probe, a new probe completes the upgrade",
      rules: ["EIO4-UPGRADE-08", "EIO4-UPGRADE-02"],
      level: "MUST",
      requires: ["polling", "websocket", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const bad = await ctx.engine.openWebSocket({ sid: session.sid });
        bad.ws.send("2notprobe");
        // How the server ends the bad probe is EIO4-UPGRADE-08's SHOULD; if it ended the whole session there is nothing to retry.
        if (!(await expectProbeRejected(ctx, bad, session, "a probe that started with 2notprobe"))) return;
        await echoOver(ctx, (await upgradeKeepingHeartbeat(ctx, session)).socket, "retried");
      },
    },
    {
      id: "eio4.upgrade.timeout",
      title: "A probe that never sends 5 is closed at upgradeTimeout; the session goes on over polling",
      rules: ["EIO4-UPGRADE-09"],
      level: "SHOULD",
      requires: ["polling", "websocket", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const probe = await startProbe(ctx, session);
        const loop = new PollingLoop(ctx, session);
        const U = ctx.timing.upgradeTimeout;
        // Without --upgrade-timeout the server's value is unknown: the close is watched for up to
        // half again the official default and the time reported, not judged.
        const assumed = ctx.timing.upgradeTimeoutAssumed === true;
        const bounds = assumed
          ? {
              latest: 1.5 * U,
              what: `the close of the probe (upgradeTimeout unknown: give --upgrade-timeout if it is over ${1.5 * U} ms)`,
            }
          : { earliest: U, latest: U, what: "the close of the probe at upgradeTimeout" };
        const { elapsedMs } = await ctx
          .within(probe.ws.closed, { ...bounds, since: probe.ws.openedAt, at: () => performance.now() })
          .catch(async (err: unknown) => {
            // A probe that ended with its session, because the heartbeat failed, is not this rule's failure.
            await loop.stop();
            loop.needHeartbeat();
            throw err;
          });
        ctx.info(
          assumed
            ? `probe closed ${elapsedMs} ms after it opened (the server's upgradeTimeout, observed; --upgrade-timeout not given, so not judged)`
            : `probe closed ${elapsedMs} ms after it opened (upgradeTimeout ${U} ms)`,
        );
        await loop.stop();
        loop.needHeartbeat();
        if (loop.ended !== "stopped")
          fail(`polling did not go on during the probe: ${loop.ended}`, {
            expected: "GETs answered",
            observed: loop.ended ?? "",
          });
        await expectStillPolling(ctx, session, "the probe timed out");
      },
    },
    {
      id: "eio4.upgrade.heartbeat-during-probe",
      title:
        "A ping due during the probe goes over polling, its pong by POST counts, and the next ping comes on the WebSocket",
      rules: ["EIO4-UPGRADE-13", "EIO4-UPGRADE-04", "EIO4-UPGRADE-03", "EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-11"],
      level: "MUST",
      requires: ["polling", "websocket"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const opened = performance.now();
        const { I } = beat(ctx, session.handshake);
        if (ctx.timing.upgradeTimeout <= I + ctx.grace(I))
          skip(`upgradeTimeout ${ctx.timing.upgradeTimeout} ms ends the probe before the first ping`);
        const probe = await startProbe(ctx, session);
        const loop = new PollingLoop(ctx, session);
        // When the first ping comes is EIO4-HEARTBEAT-01's; here it must come, and over polling (EIO4-UPGRADE-04).
        const pinged = await loop.until(() => loop.pongs.length > 0, ctx.scale(I) + ctx.grace(I));
        await loop.stop();
        const onProbe = probe.ws.inbox.items.splice(0);
        ctx.deepEqual(onProbe, [], "frames on the probe WebSocket before 5");
        if (!pinged) {
          loop.needHeartbeat();
          unmet(P.firstPing, `no ping over polling during the probe (${loop.ended ?? "none came"})`, {
            expected: `a ping within ${I} ms`,
            observed: "none",
          });
        }
        ctx.note(`the first ping came over polling ${Math.round(loop.pings[0]! - opened)} ms after the open packet`);
        probe.send({ type: "upgrade" });
        await wsPing(ctx, probe, {
          since: loop.pongs[0]!,
          interval: I,
          what: "the second ping, over the WebSocket",
          early: true,
          previousPing: loop.pings[0]!,
        });
      },
    },
  ]),
);
