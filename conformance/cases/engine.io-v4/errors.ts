/**
 * Engine.IO v4, chapter ERROR, for requests of an existing session (the handshake chapter
 * covers the refusals of a handshake): unknown and ended sids whatever the method, transport
 * mismatch, the order of checks when a sid is present, refusals that leave the session alone,
 * and no 5xx for a client's fault.
 */
import { defineChapter, show } from "../../case.js";
import type { HttpRequest } from "../../client/http.js";
import { expectAlive } from "../../checks/alive.js";
import { expectEngineError } from "../../checks/error.js";
import { frameOf, nextFrame } from "../../client/reading.js";

const UNKNOWN = "sockspec-unknown-sid";
const POLL = { EIO: "4", transport: "polling" } as const;

export const errorCases = defineChapter("engine.io v4 / error", [
  {
    id: "eio4.error.sid-unknown-post",
    title: "A POST with an unknown sid is refused with 400 and exactly the code 1 JSON body",
    rules: ["EIO4-ERROR-05", "EIO4-ERROR-01", "EIO4-ERROR-02"],
    level: "MUST",
    async run(ctx) {
      expectEngineError(ctx, await ctx.http.request({ method: "POST", query: { ...POLL, sid: UNKNOWN }, body: "4hello" }), 1);
    },
  },
  {
    id: "eio4.error.sid-unknown-any-method",
    title: "An unknown sid is code 1 whatever the method (PUT, DELETE, PATCH)",
    rules: ["EIO4-ERROR-05", "EIO4-ERROR-07"],
    level: "MUST",
    async run(ctx) {
      for (const method of ["PUT", "DELETE", "PATCH"]) expectEngineError(ctx, await ctx.http.request({ method, query: { ...POLL, sid: UNKNOWN }, body: "4x" }), 1);
    },
  },
  {
    id: "eio4.error.sid-ended",
    title: "After the client closes the session, its sid gets code 1 on GET and POST",
    rules: ["EIO4-ERROR-05", "EIO4-CLOSE-01", "EIO4-CLOSE-07"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const res = await session.post("1");
      ctx.equal(`${res.status} ${res.text}`, "200 ok", "answer to the POST of the close packet");
      expectEngineError(ctx, await ctx.http.request({ query: session.query() }), 1);
      expectEngineError(ctx, await ctx.http.request({ method: "POST", query: session.query(), body: "4late" }), 1);
    },
  },
  {
    id: "eio4.error.transport-mismatch",
    title: "A polling GET or POST naming a WebSocket session is refused with code 3",
    rules: ["EIO4-ERROR-06"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const query = { ...POLL, sid: socket.handshake!.sid };
      expectEngineError(ctx, await ctx.http.request({ query }), 3);
      expectEngineError(ctx, await ctx.http.request({ method: "POST", query, body: "4x" }), 3);
    },
  },
  {
    id: "eio4.error.mismatch-keeps-session",
    title: "Refused polling requests leave the WebSocket session they named untouched",
    rules: ["EIO4-ERROR-08", "EIO4-ERROR-06"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const query = { ...POLL, sid: socket.handshake!.sid };
      await ctx.http.request({ query });
      await ctx.http.request({ method: "POST", query, body: "4from-polling" });
      socket.ws.send("4still-here");
      ctx.equal(frameOf(await nextFrame(socket, "the echo")), frameOf("4still-here"), "the next frame on the WebSocket");
    },
  },
  {
    id: "eio4.error.order-with-sid",
    title: "With a sid, transport is checked first, then the session, before method, upgrade and version",
    rules: ["EIO4-ERROR-07"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const checks: Array<[HttpRequest, number, string]> = [
        // Without WebSocket offered, transport=websocket is itself unknown (code 0).
        [{ query: { EIO: "4", transport: "websocket", sid: UNKNOWN } }, ctx.features.has("websocket") ? 1 : 0, "websocket without Upgrade and an unknown sid"],
        [{ query: { EIO: "4", transport: "abc", sid: session.sid } }, 0, "an unknown transport and a live sid"],
        [{ method: "POST", query: { EIO: "5", transport: "polling", sid: UNKNOWN }, body: "4x" }, 1, "version 5 and an unknown sid"],
        [{ method: "PUT", query: { EIO: "5", transport: "abc", sid: UNKNOWN }, body: "4x" }, 0, "PUT, version 5, an unknown transport and an unknown sid"],
      ];
      for (const [req, code, what] of checks) {
        ctx.note(`expecting code ${code} for ${what}`);
        expectEngineError(ctx, await ctx.http.request(req), code);
      }
    },
  },
  {
    id: "eio4.error.refusal-keeps-session",
    title: "Refused requests naming a polling session leave it open and deliver nothing",
    rules: ["EIO4-ERROR-08"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      expectEngineError(ctx, await ctx.http.request({ method: "POST", query: { EIO: "4", transport: "abc", sid: session.sid }, body: "4refused-0" }), 0);
      // A server without WebSocket refuses the transport itself (code 0); with it, the mismatch (code 3).
      expectEngineError(ctx, await ctx.http.request({ method: "POST", query: { EIO: "4", transport: "websocket", sid: session.sid }, body: "4refused-3" }), ctx.features.has("websocket") ? 3 : 0);
      const { messages } = await expectAlive(ctx, session, "the refused requests");
      const leaked = messages.filter((m) => typeof m.data === "string" && m.data.startsWith("refused"));
      ctx.equal(show(leaked.map((m) => m.data)), "[]", "messages delivered from refused requests");
    },
  },
  {
    id: "eio4.error.no-5xx",
    title: "Odd requests from a client (repeated parameters, a huge sid, PUT on a session) get no 5xx",
    rules: ["EIO4-ERROR-11"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const url = (q: string) => `${ctx.config.url}${ctx.enginePath}?${q}`;
      // The session's own requests first and none held (a POST, not a GET), so it is still alive.
      const requests: Array<[string, HttpRequest]> = [
        ["PUT on a live session", { method: "PUT", query: session.query(), body: "4x" }],
        ["a repeated sid", { method: "POST", url: url(`EIO=4&transport=polling&sid=${session.sid}&sid=${session.sid}`), body: "3" }],
        ["a repeated transport", { url: url("EIO=4&transport=polling&transport=websocket") }],
        ["a repeated EIO", { url: url("EIO=4&EIO=4&transport=polling") }],
        ["a sid of 8000 characters", { query: { ...POLL, sid: "a".repeat(8000) } }],
        ["a sid with escapes", { url: url("EIO=4&transport=polling&sid=%00%ff%2F") }],
      ];
      for (const [what, req] of requests) {
        const res = await ctx.http.request(req);
        // Note to EIO4-POLLING-15: the official server answers PUT on a session with 500.
        if (res.status >= 500) ctx.softFail(`${what} was answered ${res.status}`, { expected: "a 4xx (or 200)", observed: `${res.status} ${res.text.slice(0, 80)}` });
      }
    },
  },
]);
