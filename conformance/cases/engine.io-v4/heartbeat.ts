/**
 * Engine.IO v4, chapter HEARTBEAT: when the server pings (pingInterval after the open, then after
 * each pong), that only a pong keeps a session alive, and what a server does with pings and
 * pongs it did not ask for. Every case runs over polling and over WebSocket; every deadline is
 * read from the session's own handshake and checked on both sides. A ping that a case only needs
 * on the way (its timing is not the case's rule) is a precondition, and so is a session that
 * stays open while its pongs come.
 */
import { performance } from "node:perf_hooks";
import { defineChapter, fail, needs, show } from "../../case.js";
import { judgeTrafficClose, pollPing, separable, wsAlive, wsPing } from "../../checks/heartbeat.js";
import { expectSidGone, sidState } from "../../checks/sid.js";
import { expectStillPolling } from "../../checks/upgrade.js";
import { decodeBody } from "../../client/engine.js";
import { heldGet, postAccepted, preparedGet, rawGet } from "../../client/held-get.js";
import { closedWithin } from "../../client/messages.js";
import { upgradeKeepingHeartbeat } from "../../client/upgrade-steps.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { beat, soon } from "../../runner/bounds.js";
import { guardStalls } from "../../runner/stall-watch.js";

export const heartbeatCases = defineChapter(
  "engine.io v4 / heartbeat",
  guardStalls([
    {
      id: "eio4.heartbeat.first-ping-polling",
      title: "Over polling, the first ping comes pingInterval after the open packet",
      rules: ["EIO4-HEARTBEAT-01", "EIO4-HEARTBEAT-09", "EIO4-HEARTBEAT-10"],
      level: "MUST",
      requires: ["polling"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        await pollPing(ctx, session, {
          since: performance.now(),
          interval: beat(ctx, session.handshake).I,
          what: "the first ping",
          early: true,
        });
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
        await wsPing(ctx, socket, {
          since: socket.lastArrival,
          interval: beat(ctx, socket.handshake).I,
          what: "the first ping",
          early: true,
        });
      },
    },
    {
      id: "eio4.heartbeat.next-ping-from-pong-polling",
      title:
        "Over polling, the next ping comes pingInterval after the pong (at the latest), not before pingInterval after the ping",
      rules: ["EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-11", "EIO4-HEARTBEAT-10"],
      level: "MUST",
      requires: ["polling"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { I, T } = beat(ctx, session.handshake);
        const ping = await needs(P.firstPing, () =>
          pollPing(ctx, session, { since: performance.now(), interval: I, what: "the first ping" }),
        );
        // Late enough that a ping counted from the previous ping is told apart, early enough for the pong to count.
        const delay = Math.round(T * 0.6);
        separable(ctx, I, delay);
        await ctx.sleep(Math.max(0, delay - (performance.now() - ping)));
        const pongSent = performance.now();
        // Not awaited before the next GET: a client polls on while its POST is answered.
        const pong = postAccepted(ctx, session, "3");
        pong.catch(() => undefined);
        await pollPing(ctx, session, {
          since: pongSent,
          interval: I,
          what: "the second ping, counted from the pong",
          early: true,
          previousPing: ping,
        });
        await pong;
      },
    },
    {
      id: "eio4.heartbeat.next-ping-from-pong-websocket",
      title:
        "Over WebSocket, the next ping comes pingInterval after the pong (at the latest), not before pingInterval after the ping",
      rules: ["EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-11"],
      level: "MUST",
      requires: ["websocket"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.engine.openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        const ping = await needs(P.firstPing, () =>
          wsPing(ctx, socket, { since: socket.lastArrival, interval: I, what: "the first ping" }),
        );
        // Late enough that a ping counted from the previous ping is told apart, early enough for the pong to count.
        const delay = Math.round(T * 0.6);
        separable(ctx, I, delay);
        await ctx.sleep(Math.max(0, delay - (performance.now() - ping)));
        const pongSent = performance.now();
        socket.send({ type: "pong" });
        await wsPing(ctx, socket, {
          since: pongSent,
          interval: I,
          what: "the second ping, counted from the pong",
          early: true,
          previousPing: ping,
        });
      },
    },
    {
      id: "eio4.heartbeat.cycles-polling",
      title: "Over polling, three ping/pong cycles keep the session alive, each ping in time",
      rules: ["EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-04", "EIO4-HEARTBEAT-10"],
      level: "MUST",
      requires: ["polling", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { I } = beat(ctx, session.handshake);
        let ping = await needs(P.firstPing, () =>
          pollPing(ctx, session, { since: performance.now(), interval: I, what: "ping #1" }),
        );
        for (let n = 2; n <= 3; n++) {
          const pongSent = performance.now();
          const pong = postAccepted(ctx, session, "3");
          pong.catch(() => undefined);
          ping = await pollPing(ctx, session, { since: pongSent, interval: I, what: `ping #${n}`, previousPing: ping });
          await pong;
        }
        await postAccepted(ctx, session, "3");
        await expectStillPolling(ctx, session, "three heartbeat cycles");
      },
    },
    {
      id: "eio4.heartbeat.cycles-websocket",
      title: "Over WebSocket, three ping/pong cycles keep the session alive, each ping in time",
      rules: ["EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-04"],
      level: "MUST",
      requires: ["websocket", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.engine.openWebSocket();
        const { I } = beat(ctx, socket.handshake);
        let ping = await needs(P.firstPing, () =>
          wsPing(ctx, socket, { since: socket.lastArrival, interval: I, what: "ping #1" }),
        );
        for (let n = 2; n <= 3; n++) {
          const pongSent = performance.now();
          socket.send({ type: "pong" });
          ping = await wsPing(ctx, socket, { since: pongSent, interval: I, what: `ping #${n}`, previousPing: ping });
        }
        socket.send({ type: "pong" });
        await wsAlive(ctx, socket, "three heartbeat cycles");
      },
    },
    {
      id: "eio4.heartbeat.no-pong-polling",
      title:
        "Over polling, a session that does not answer its ping ends pingTimeout after that ping, not sooner, and a held GET gets 1",
      rules: ["EIO4-HEARTBEAT-04", "EIO4-CLOSE-04", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["polling"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const opened = performance.now();
        const { I, T } = beat(ctx, session.handshake);
        const next = await preparedGet(ctx, session);
        const ping = await needs(P.firstPing, () =>
          pollPing(ctx, session, { since: opened, interval: I, what: "the first ping" }),
        );
        const { value: res } = await ctx.within((t) => next(t + ctx.answerTimeoutMs), {
          earliest: T,
          latest: T,
          what: "the close packet on the GET held after the ping",
          since: ping,
        });
        ctx.equal(`${res.status} ${res.text}`, "200 1", "the answer to the GET held at the ping timeout");
        await expectSidGone(ctx, session.sid, "the ping timeout");
      },
    },
    {
      id: "eio4.heartbeat.no-pong-websocket",
      title:
        "Over WebSocket, a session that does not answer its ping ends pingTimeout after that ping, with no second ping",
      rules: ["EIO4-HEARTBEAT-04", "EIO4-HEARTBEAT-09", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["websocket"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.engine.openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        const ping = await needs(P.firstPing, () =>
          wsPing(ctx, socket, { since: socket.lastArrival, interval: I, what: "the first ping" }),
        );
        const { value: closed } = await ctx.within(socket.ws.closed, {
          earliest: T,
          latest: T,
          what: "the close of the WebSocket after the unanswered ping",
          since: ping,
          at: () => performance.now(),
        });
        const after = socket.ws.drain().map((f) => (typeof f === "string" ? f : "<binary>"));
        if (after.includes("2"))
          ctx.softFail("the server sent a second ping while the first awaited its pong", {
            expected: "no frame, or 1, before the close",
            observed: show(after),
          });
        if (after.some((f) => f !== "1" && f !== "2")) ctx.note(`frames after the unanswered ping: ${show(after)}`);
        ctx.info(`close code ${closed.code}${after.includes("1") ? " after the close packet 1" : ""}`);
        await expectSidGone(ctx, socket.handshake!.sid, "the ping timeout", "websocket");
      },
    },
    {
      id: "eio4.heartbeat.client-ping-polling",
      title: "Over polling, a ping from the client closes the session, and then a held GET gets 1",
      rules: ["EIO4-HEARTBEAT-06", "EIO4-CLOSE-04", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["polling"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const held = (await heldGet(ctx, session)).response;
        const res = await session.post("2");
        ctx.note(`the POST of 2 got ${res.status} ${res.text.slice(0, 80)}`);
        const bound = soon(ctx);
        const get = await Promise.race([held, ctx.sleep(ctx.scale(bound) + ctx.grace(bound)).then(() => undefined)]);
        const { state } = await sidState(ctx, session.sid);
        if (state !== "gone") {
          ctx.softFail("the session survived a ping from the client", {
            expected: "the session closed",
            observed: get
              ? `the held GET got ${get.status} ${get.text.slice(0, 40)}; the sid still answers`
              : "the held GET still pending; the sid still answers",
          });
          return;
        }
        if (!get)
          fail("the session ended but the GET pending at the client's ping was not answered", {
            expected: "200 1",
            observed: "still pending",
          });
        ctx.equal(`${get.status} ${get.text}`, "200 1", "the GET pending when the client's ping closed the session");
        await expectSidGone(ctx, session.sid, "a ping from the client");
      },
    },
    {
      id: "eio4.heartbeat.client-ping-websocket",
      title: "Over WebSocket, a ping from the client closes the session",
      rules: ["EIO4-HEARTBEAT-06", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["websocket"],
      async run(ctx) {
        const socket = await ctx.engine.openWebSocket();
        socket.send({ type: "ping" });
        const closed = await closedWithin(socket, ctx.scale(soon(ctx)) + ctx.grace(soon(ctx)));
        if (!closed) {
          ctx.softFail("the session survived a ping from the client", {
            expected: "the session closed",
            observed: show(socket.ws.inbox.items.slice(0, 3)),
          });
          return;
        }
        ctx.info(`close code ${closed.code} (1002 recommended for a protocol error)`);
        await expectSidGone(ctx, socket.handshake!.sid, "a ping from the client", "websocket");
      },
    },
    {
      id: "eio4.heartbeat.unsolicited-pong-polling",
      title: "Over polling, a pong nobody asked for is ignored and the heartbeat goes on",
      rules: ["EIO4-HEARTBEAT-07"],
      level: "SHOULD",
      requires: ["polling"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { I, T } = beat(ctx, session.handshake);
        // A GET held from the start says when the session ends, if it ends.
        const held = (await heldGet(ctx, session)).response;
        const pongSent = performance.now();
        const pong = session.post("3");
        pong.catch(() => undefined);
        // The ping's timing after an unsolicited pong is not judged (spec note): wait for it loosely.
        const get = await held;
        const after = Math.round(performance.now() - pongSent);
        const res = await pong;
        const bound = soon(ctx);
        const closedSoon = after <= ctx.scale(bound) + ctx.grace(bound);
        const types = get.status === 200 ? decodeBody(get).map((p) => p.type) : [];
        if (res.status >= 400 && res.status < 500)
          fail(`the POST of an unsolicited pong was refused with ${res.status}`, {
            expected: "200",
            observed: `${res.status} ${res.text.slice(0, 120)}`,
          });
        if (closedSoon && (get.status !== 200 || types.includes("close")))
          fail(`the session ended ${after} ms after an unsolicited pong`, {
            expected: "the session open, then a ping",
            observed: `${get.status} ${get.text.slice(0, 80)}`,
          });
        // Ended later, or no ping at all: the session timed out for want of a ping, which is EIO4-HEARTBEAT-01's matter.
        await needs(P.firstPing, async () =>
          ctx.deepEqual(
            types,
            ["ping"],
            `the GET held across the unsolicited pong (answered after ${after} ms; pingInterval ${I}, pingTimeout ${T})`,
          ),
        );
      },
    },
    {
      id: "eio4.heartbeat.unsolicited-pong-websocket",
      title: "Over WebSocket, a second pong to one ping is ignored and the heartbeat goes on",
      rules: ["EIO4-HEARTBEAT-07"],
      level: "SHOULD",
      requires: ["websocket", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.engine.openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        await needs(P.firstPing, () =>
          wsPing(ctx, socket, { since: socket.lastArrival, interval: I, what: "the first ping" }),
        );
        socket.send({ type: "pong" });
        socket.send({ type: "pong" });
        // Watched for half a pingTimeout only: a close later than that may be the ping timeout of a server that ignored the pongs.
        const closed = await closedWithin(socket, ctx.scale(T / 2) + ctx.grace(T / 2));
        if (closed)
          fail(`the session closed right after a doubled pong (code ${closed.code})`, {
            expected: "the session open",
            observed: "closed",
          });
        // The ping's timing after an unsolicited pong is not judged (spec note): wait for it loosely.
        const next = await needs(P.pongKeepsAlive, () =>
          socket.nextPacket({ what: "the second ping", timeoutMs: ctx.scale(2 * I + T) + ctx.answerTimeoutMs }),
        );
        ctx.equal(next.type, "ping", "the packet after a doubled pong");
        socket.send({ type: "pong" });
        await wsAlive(ctx, socket, "a doubled pong");
      },
    },
    {
      id: "eio4.heartbeat.traffic-not-liveness-polling",
      title:
        "Over polling, messages without pongs do not keep a session alive: it ends pingTimeout after the ping (one more pingTimeout tolerated)",
      rules: ["EIO4-HEARTBEAT-04", "EIO4-HEARTBEAT-05", "DROP-07"],
      level: "MUST",
      requires: ["polling", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const { I, T } = beat(ctx, session.handshake);
        let closedAt = 0;
        let pingAt = 0;
        const posting = (async () => {
          for (let n = 1; closedAt === 0 && n < 200; n++) {
            await ctx.sleep(ctx.scale(I / 3));
            if (closedAt) return;
            const res = await session.post(`4tick-${n}`).catch(() => undefined);
            if (res && res.status !== 200) closedAt ||= performance.now();
          }
        })();
        const polling = (async () => {
          for (let n = 0; closedAt === 0 && n < 500; n++) {
            const res = await rawGet(ctx, session);
            if (res.status === 200 && decodeBody(res).some((p) => p.type === "ping")) pingAt ||= performance.now();
            if (res.status !== 200 || decodeBody(res).some((p) => p.type === "close")) closedAt ||= performance.now();
          }
        })();
        polling.catch(() => undefined);
        await needs(P.firstPing, () =>
          ctx.within(
            async (t) => {
              const until = performance.now() + t;
              while (!pingAt && !closedAt && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
              if (!pingAt) fail("no ping came", { expected: "a ping within pingInterval" });
            },
            { latest: I, what: "the first ping" },
          ),
        );
        const { elapsedMs } = await ctx.within(polling, {
          earliest: T,
          latest: 2 * T,
          what: "the end of a session that sends messages but never pongs",
          since: pingAt,
          at: () => closedAt,
        });
        await posting;
        judgeTrafficClose(ctx, elapsedMs, 0, T);
        await expectSidGone(ctx, session.sid, "the ping timeout");
      },
    },
    {
      id: "eio4.heartbeat.traffic-not-liveness-websocket",
      title:
        "Over WebSocket, messages without pongs do not keep a session alive: it ends pingTimeout after the ping (one more pingTimeout tolerated)",
      rules: ["EIO4-HEARTBEAT-04", "EIO4-HEARTBEAT-05", "DROP-07"],
      level: "MUST",
      requires: ["websocket", "engine-echo"],
      timing: "waits",
      async run(ctx) {
        const socket = await ctx.engine.openWebSocket();
        const { I, T } = beat(ctx, socket.handshake);
        const timer = setInterval(() => socket.send({ type: "message", data: "tick" }), ctx.scale(I / 3));
        try {
          const ping = await needs(P.firstPing, () =>
            ctx.within((t) => socket.ws.nextMatching((f) => f === "2", { timeoutMs: t, what: "the first ping" }), {
              latest: I,
              what: "the first ping",
              at: () => socket.lastArrival,
            }),
          );
          const { elapsedMs } = await ctx.within(socket.ws.closed, {
            earliest: T,
            latest: 2 * T,
            what: "the end of a session that sends messages but never pongs",
            since: ping.value === "2" ? socket.lastArrival : performance.now(),
            at: () => performance.now(),
          });
          judgeTrafficClose(ctx, elapsedMs, 0, T);
        } finally {
          clearInterval(timer);
        }
        await expectSidGone(ctx, socket.handshake!.sid, "the ping timeout", "websocket");
      },
    },
    {
      id: "eio4.heartbeat.upgraded-session",
      title:
        "After an upgrade the heartbeat goes on over WebSocket: pings in time, and the timeout still ends the session",
      rules: ["EIO4-UPGRADE-13", "EIO4-HEARTBEAT-01", "EIO4-HEARTBEAT-03", "EIO4-HEARTBEAT-04", "DROP-01"],
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
        let ping = pongSent;
        if (pongSent === undefined) {
          ping = await wsPing(ctx, socket, { since: opened, interval: I, what: "the first ping, over the WebSocket" });
          pongSent = performance.now();
          socket.send({ type: "pong" });
        }
        const second = await wsPing(ctx, socket, {
          since: pongSent,
          interval: I,
          what: "the next ping, after the pong",
          previousPing: ping!,
        });
        await ctx.within(socket.ws.closed, {
          earliest: T,
          latest: T,
          what: "the close after the unanswered second ping",
          since: second,
          at: () => performance.now(),
        });
        await expectSidGone(ctx, session.sid, "the ping timeout of an upgraded session", "websocket");
      },
    },
  ]),
);
