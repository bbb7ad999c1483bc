/**
 * Engine.IO v3, chapter UPGRADE: from polling to WebSocket with version 3 payloads on the polling
 * side (`1:6` to the pending GET), the client's pings answered on whichever transport carries
 * the session, and binary messages with their 0x04 type byte once on the WebSocket.
 */
import { defineChapter, needs } from "../../case.js";
import { heldGet } from "../../client/held-get.js";
import { PRECONDITIONS as P } from "../../preconditions.js";

export const eio3UpgradeCases = defineChapter("engine.io v3 / upgrade", [
  {
    id: "eio3.upgrade.probe",
    title: "The probe `2probe` is answered `3probe` and the pending GET is completed with `1:6`",
    rules: ["EIO3-UPGRADE-01"],
    level: "MUST",
    requires: ["eio3", "polling", "websocket"],
    async run(ctx) {
      const engine = ctx.eio3();
      const session = await engine.openPolling();
      // Sent on a connection opened beforehand, so that it is surely pending when the next request goes.
      const pending = (await heldGet(ctx, session)).response;
      const socket = await engine.openWebSocket({ sid: session.sid });
      socket.ws.send("2probe");
      ctx.equal(await socket.ws.next({ what: "the answer to 2probe" }), "3probe", "the answer to the probe");
      const released = await pending;
      ctx.equal(`${released.status} ${released.text}`, "200 1:6", "the answer to the pending GET");
      socket.ws.send("5");
    },
  },
  {
    id: "eio3.upgrade.ping-after",
    title: "After the upgrade, a ping is answered over the WebSocket",
    rules: ["EIO3-UPGRADE-02", "EIO3-UPGRADE-01"],
    level: "MUST",
    requires: ["eio3", "polling", "websocket"],
    async run(ctx) {
      const engine = ctx.eio3();
      const socket = await engine.upgrade(await engine.openPolling());
      socket.send({ type: "ping" });
      const answer = await socket.nextPacketMatching((p) => p.type !== "noop", { what: "the pong over WebSocket" });
      ctx.equal(answer.type, "pong", "the answer to the ping after the upgrade");
    },
  },
  {
    id: "eio3.upgrade.ping-during",
    title: "During the upgrade (probe answered, `5` not yet sent), a ping over polling is answered",
    rules: ["EIO3-UPGRADE-02"],
    level: "MUST",
    requires: ["eio3", "polling", "websocket"],
    async run(ctx) {
      const engine = ctx.eio3();
      const session = await engine.openPolling();
      const socket = await engine.openWebSocket({ sid: session.sid });
      socket.ws.send("2probe");
      await needs(P.v3ProbeAnswered, () => socket.ws.next({ what: "3probe" }));
      await session.send("1:2");
      const { packets } = await session.get();
      ctx.assert(
        packets.some((p) => p.type === "pong"),
        "the ping posted during the upgrade is answered on polling",
        { expected: "a pong", observed: JSON.stringify(packets) },
      );
      socket.ws.send("5");
    },
  },
  {
    id: "eio3.upgrade.binary-after",
    title: "Binary messages on the upgraded WebSocket keep the 0x04 type byte, also those flushed at the upgrade",
    rules: ["EIO3-UPGRADE-03"],
    level: "MUST",
    requires: ["eio3", "polling", "websocket", "engine-echo"],
    async run(ctx) {
      const engine = ctx.eio3();
      const session = await engine.openPolling();
      // The echo waits in the session's buffer, to be flushed to the WebSocket when the upgrade completes.
      await session.send("10:b4AQIDBA==");
      const socket = await engine.upgrade(session, { pendingPoll: false });
      const flushed = await socket.ws.nextMatching((f) => typeof f !== "string" || !/^[36]/.test(f), {
        what: "the binary echo flushed after the upgrade",
      });
      ctx.deepEqual(flushed, new Uint8Array([4, 1, 2, 3, 4]), "the frame flushed at the upgrade");
      socket.ws.send(new Uint8Array([4, 9, 8]));
      const echoed = await socket.ws.nextMatching((f) => typeof f !== "string", { what: "the echo of <04 09 08>" });
      ctx.deepEqual(echoed, new Uint8Array([4, 9, 8]), "the echo on the WebSocket");
    },
  },
]);
