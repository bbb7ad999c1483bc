/**
 * Engine.IO v3, chapters CLOSE and LIMIT: the close rules of version 4 with every polling body
 * written as a v3 payload (`1:6`, `1:1`, `1:61:1`), and the server's own size limit, which a v3
 * client may not know.
 */
import { defineChapter, needs, show } from "../../case.js";
import { expectV3Gone, expectV3SocketGone } from "../../checks/v3-session.js";
import { heldGet } from "../../client/held-get.js";
import { PRECONDITIONS as P } from "../../preconditions.js";

export const eio3CloseCases = defineChapter("engine.io v3 / close and limits", [
  {
    id: "eio3.close.client-close-polling",
    title: "The client's close `1:1` completes the pending GET with a v3 payload and ends the session",
    rules: ["EIO3-CLOSE-01"],
    level: "MUST",
    requires: ["eio3", "polling"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      // Sent on a connection opened beforehand, so that it is surely pending when the next request goes.
      const pending = (await heldGet(ctx, session)).response;
      const post = await session.post("1:1");
      ctx.note(`the close POST: ${post.status} ${show(post.text)}`);
      const released = await pending;
      ctx.equal(released.status, 200, "status of the pending GET");
      ctx.assert(/^(?:1:[16])+$/.test(released.text), "the pending GET gets a v3 payload of noop or close (1:6, 1:1)", {
        expected: "1:6",
        observed: show(released.text),
      });
      await expectV3Gone(ctx, session, "the client sent its close packet");
    },
  },
  {
    id: "eio3.close.server-close-polling",
    title: "A server close over polling reaches the client as `1:1` (or `1:61:1`) and ends the session",
    rules: ["EIO3-CLOSE-01"],
    level: "MUST",
    requires: ["eio3", "control"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      await session.send("15:4sockspec:close");
      const seen: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await session.raw();
        if (res.status !== 200) break;
        seen.push(res.text);
        // Not decoded: a close body in the wrong framing is this rule's failure, not a precondition's.
        if (res.text.endsWith("1")) break;
      }
      ctx.assert(
        seen.some((t) => /^(?:1:6)*1:1$/.test(t)),
        "a poll brings the close packet as a v3 payload",
        { expected: "1:1 or 1:61:1", observed: show(seen) },
      );
      await expectV3Gone(ctx, session, "the server closed the session");
    },
  },
  {
    id: "eio3.close.server-close-websocket",
    title: "A server close over WebSocket closes the WebSocket",
    rules: ["EIO3-CLOSE-01"],
    level: "MUST",
    requires: ["eio3", "websocket", "control"],
    async run(ctx) {
      const socket = await ctx.eio3().openWebSocket();
      socket.ws.send("4sockspec:close");
      await expectV3SocketGone(ctx, socket, "the server was told to close the session");
    },
  },
  {
    id: "eio3.close.client-close-websocket",
    title: "After the client's close on an upgraded session, the sid is refused over polling",
    rules: ["EIO3-CLOSE-01"],
    level: "MUST",
    requires: ["eio3", "polling", "websocket"],
    async run(ctx) {
      const engine = ctx.eio3();
      const session = await engine.openPolling();
      const socket = await engine.upgrade(session);
      await socket.close();
      await needs(P.v3ClientCloseEnds, () => expectV3Gone(ctx, session, "the client closed the WebSocket"));
    },
  },
  {
    id: "eio3.limit.server-limit",
    title: "A v3 session is held to the server's own size limit: a POST over it is refused (413) or ends the session",
    rules: ["EIO3-LIMIT-01"],
    level: "MAY",
    requires: ["eio3", "polling"],
    async run(ctx) {
      const session = await ctx.eio3().openPolling();
      const limit = session.handshake.maxPayload ?? ctx.handshake.maxPayload ?? 1e6;
      const data = "x".repeat(limit + 16);
      // EIO4-LIMIT-02 (SHOULD): 413. A connection cut before the answer still refuses the body.
      const res = await session.post(`${data.length + 1}:4${data}`).catch((err: unknown) => err as Error);
      const answer = res instanceof Error ? "a cut connection" : String(res.status);
      ctx.accept(answer, { 413: "pass", "a cut connection": "warn" }, "the answer to a POST over the server's limit");
    },
  },
]);
