/**
 * Engine.IO v4, chapter CLOSE: a close by the client (`1` over POST or WebSocket) and by the
 * server (the echo contract's `sockspec:close`), what a pending GET receives in each case, what
 * is still delivered and what is not, and that the sid is unknown afterwards.
 */
import { performance } from "node:perf_hooks";
import { defineChapter, fail, show } from "../../case.js";
import { closeOverWebSocket, drainToClose, serverCloseOverWebSocket } from "../../checks/close.js";
import { refused } from "../../checks/gone.js";
import { expectSequence } from "../../checks/sequence.js";
import { expectNewSession, expectSidGone, expectWebSocketRefused } from "../../checks/sid.js";
import { decodeBody } from "../../client/engine.js";
import { heldGet, postAccepted, rawGet } from "../../client/held-get.js";
import { burstOf, closedWithin, texts } from "../../client/messages.js";
import { startProbe, upgradeKeepingHeartbeat } from "../../client/upgrade-steps.js";
import { soon } from "../../runner/bounds.js";
import { guardStalls } from "../../runner/stall-watch.js";

export const closeCases = defineChapter(
  "engine.io v4 / close",
  guardStalls([
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
      title: "After the client's close, GET, POST and WebSocket requests with the sid are refused",
      rules: ["EIO4-CLOSE-01", "EIO4-CLOSE-07", "EIO4-WS-08"],
      level: "MUST",
      requires: ["polling"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        await postAccepted(ctx, session, "1");
        await expectSidGone(ctx, session.sid, "the client's close");
        if (ctx.features.has("websocket")) await expectWebSocketRefused(ctx, session.sid, "the client's close");
        await expectNewSession(ctx, session.sid);
      },
    },
    {
      id: "eio4.close.records-after-close",
      title:
        "A POST of 4before, 1, 4after ends the session; the record after the close packet is not delivered (a SHOULD)",
      rules: ["EIO4-CLOSE-01", "EIO4-CLOSE-11"],
      level: "MUST",
      requires: ["polling", "engine-echo"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const held = (await heldGet(ctx, session)).response;
        await postAccepted(ctx, session, "4before\x1e1\x1e4after");
        const got = [await held];
        for (let n = 0; n < 3 && got[got.length - 1]!.status === 200; n++) got.push(await rawGet(ctx, session));
        const last = got[got.length - 1]!;
        ctx.assert(refused(last), `a GET after the close got ${last.status}`, {
          expected: "a 4xx: the session is gone",
          observed: `${last.status} ${last.text.slice(0, 120)}`,
        });
        const messages = got.filter((r) => r.status === 200).flatMap((r) => texts(decodeBody(r)));
        if (messages.includes("after"))
          ctx.softFail("the record after the close packet was delivered and echoed", {
            expected: "no echo of after",
            observed: show(messages),
          });
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
      title:
        "When the server closes the session, a pending GET gets exactly the close packet 1, and a new handshake works",
      rules: ["EIO4-CLOSE-04", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["polling", "control"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const held = (await heldGet(ctx, session)).response;
        await session.post("4sockspec:close");
        const { value: res } = await ctx.within(held, { latest: soon(ctx), what: "the answer to the pending GET" });
        ctx.equal(`${res.status} ${res.text}`, "200 1", "the pending GET after the server's close");
        await expectSidGone(ctx, session.sid, "the server's close");
        await expectNewSession(ctx, session.sid);
      },
    },
    {
      id: "eio4.close.server-close-no-get",
      title:
        "When the server closes with no GET pending and nothing buffered, the next GET gets the close packet (6\\x1e1 as the official server sends it), the one after is refused",
      rules: ["EIO4-CLOSE-05", "EIO4-CLOSE-07"],
      level: "MUST",
      requires: ["polling", "control"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        await postAccepted(ctx, session, "4sockspec:close");
        const res = await rawGet(ctx, session);
        ctx.equal(res.status, 200, "status of the first GET after the server's close");
        const types = decodeBody(res).map((p) => p.type);
        // The close packet, last, after nothing but noops: how many noops precede it is a detail.
        ctx.assert(
          types[types.length - 1] === "close" && types.slice(0, -1).every((t) => t === "noop"),
          "the first GET after the server's close did not carry the close packet",
          { expected: "1 (6\x1e1)", observed: JSON.stringify(res.text.slice(0, 120)) },
        );
        if (res.text !== "6\x1e1")
          ctx.info(
            `the first GET after the server's close is ${JSON.stringify(res.text)} (the official server sends 6\\x1e1)`,
          );
        const after = await rawGet(ctx, session);
        ctx.assert(refused(after), `a GET after the close packet got ${after.status}`, {
          expected: "a 4xx: the session is gone",
          observed: `${after.status} ${after.text.slice(0, 120)}`,
        });
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
        await postAccepted(ctx, session, "4sockspec:burst:3\x1e4sockspec:close");
        const packets = await drainToClose(ctx, session);
        await expectSequence(ctx, texts(packets), burstOf(3), "the messages before the close packet");
      },
    },
    {
      id: "eio4.close.nothing-after-server-close",
      title:
        "After sockspec:close the messages before it are delivered, then the close packet; a message after it in the same POST is not (a SHOULD)",
      rules: ["EIO4-CLOSE-11", "EIO4-CLOSE-05"],
      level: "MUST",
      requires: ["polling", "control"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        await postAccepted(ctx, session, "4first\x1e4sockspec:close\x1e4late");
        const got = texts(await drainToClose(ctx, session));
        if (got.includes("late"))
          ctx.softFail("the message after sockspec:close was delivered and echoed", {
            expected: "no echo of late",
            observed: show(got),
          });
        await expectSequence(
          ctx,
          got.filter((m) => m !== "late"),
          ["first"],
          "the messages before the close packet",
        );
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
      title:
        "When the server closes an upgraded session, buffered packets go first on the WebSocket, then the close frame",
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
        if (!closed)
          fail("the probe WebSocket stayed open after the session was closed", {
            expected: "the probe closed",
            observed: "still open",
          });
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
        if (!closed)
          fail("the probe WebSocket stayed open after the session ended", {
            expected: "the probe closed",
            observed: "still open",
          });
        ctx.deepEqual(probe.ws.inbox.items, [], "frames on the probe after 3probe");
      },
    },
    {
      id: "eio4.close.sid-gone-everywhere",
      title: "After a server close is delivered, every request with the sid is refused and a WebSocket with it too",
      rules: ["EIO4-CLOSE-07", "EIO4-WS-08"],
      level: "MUST",
      requires: ["polling", "control"],
      async run(ctx) {
        const session = await ctx.engine.openPolling();
        const held = (await heldGet(ctx, session)).response;
        await postAccepted(ctx, session, "4sockspec:close");
        // What the pending GET gets is EIO4-CLOSE-04's matter (server-close-pending-get): here it only has to come back.
        const delivered = await held;
        ctx.note(`the pending GET got ${delivered.status} ${JSON.stringify(delivered.text.slice(0, 40))}`);
        const since = performance.now();
        await expectSidGone(ctx, session.sid, "the server's close");
        if (ctx.features.has("websocket")) await expectWebSocketRefused(ctx, session.sid, "the server's close");
        ctx.note(`checked within ${Math.round(performance.now() - since)} ms of the close`);
      },
    },
  ]),
);
