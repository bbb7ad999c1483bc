/**
 * Engine.IO v4, chapter HANDSHAKE (and the refusals of chapter ERROR that a handshake can
 * meet): opening a session over polling and over WebSocket, the open packet, and every error
 * code a bad handshake request earns.
 */
import { assert, defineChapter, fail, show, skip } from "../../case.js";
import { decodeBody, parseHandshake } from "../../client/engine.js";
import type { HttpResponse } from "../../client/http.js";
import type { CaseContext } from "../../runner/context.js";
import { expectEngineError, expectWebSocketRefusal } from "../../checks/error.js";

/** The query of a well-formed polling handshake. */
const OPEN = { EIO: "4", transport: "polling" } as const;

/** A polling handshake whose answer must be 200 with a body that starts with `0`. */
async function pollingOpen(ctx: CaseContext, query: Record<string, string> = OPEN): Promise<{ res: HttpResponse; json: string }> {
  const res = await ctx.http.request({ query });
  ctx.equal(res.status, 200, "status of the polling handshake");
  ctx.assert(res.text.startsWith("0"), "the handshake body does not start with the open packet type 0", { expected: "0{...}", observed: show(res.text.slice(0, 120)) });
  return { res, json: res.text.slice(1) };
}

/** The open packet's JSON object, parsed, failing the case if it is not an object. */
function openObject(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    fail("the open packet's data is not JSON", { expected: "a JSON object", observed: show(json.slice(0, 200)) });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("the open packet's data is not a JSON object", { observed: show(json) });
  return value as Record<string, unknown>;
}

const KEYS = ["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"];
const MAX_INT32 = 2147483647;

/** Refusal of a polling-handshake-shaped request with a given query and method. */
function refusal(id: string, title: string, rules: string[], code: number, query: Record<string, string>, method = "GET") {
  return {
    id,
    title,
    rules,
    level: "MUST" as const,
    async run(ctx: CaseContext) {
      expectEngineError(ctx, await ctx.http.request({ method, query }), code);
    },
  };
}

export const handshakeCases = defineChapter("engine.io v4 / handshake", [
  {
    id: "eio4.handshake.polling-status",
    title: "A polling handshake is accepted with status 200",
    rules: ["EIO4-HANDSHAKE-01", "EIO4-HANDSHAKE-09"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      await pollingOpen(ctx);
    },
  },
  {
    id: "eio4.handshake.polling-content-type",
    title: "The polling handshake response is text/plain; charset=UTF-8",
    rules: ["EIO4-HANDSHAKE-09"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { res } = await pollingOpen(ctx);
      const type = (res.headers["content-type"] ?? "").toLowerCase().replace(/\s+/g, "");
      if (type !== "text/plain;charset=utf-8") fail(`the content type is ${show(res.headers["content-type"] ?? "(none)")}`, { expected: "text/plain; charset=UTF-8", observed: res.headers["content-type"] ?? "(none)" });
    },
  },
  {
    id: "eio4.handshake.polling-open-packet",
    title: "The polling handshake body is an open packet: 0 and a JSON object",
    rules: ["EIO4-HANDSHAKE-02"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      openObject((await pollingOpen(ctx)).json);
    },
  },
  {
    id: "eio4.handshake.open-alone",
    title: "The first polling response holds the open packet alone",
    rules: ["EIO4-HANDSHAKE-09"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { res } = await pollingOpen(ctx);
      ctx.assert(!res.text.includes("\x1e"), "the handshake response batches other packets with the open packet", { expected: "one record", observed: show(res.text) });
      const packets = decodeBody(res);
      ctx.equal(packets.length, 1, "number of packets in the handshake response");
    },
  },
  {
    id: "eio4.handshake.keys-exact",
    title: "The open packet has exactly the keys sid, upgrades, pingInterval, pingTimeout, maxPayload",
    rules: ["EIO4-HANDSHAKE-02"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const keys = Object.keys(openObject((await pollingOpen(ctx)).json));
      const extra = keys.filter((k) => !KEYS.includes(k));
      const absent = KEYS.filter((k) => !keys.includes(k));
      if (extra.length || absent.length) fail(`the open packet ${absent.length ? `lacks ${absent.join(", ")}` : ""}${absent.length && extra.length ? " and " : ""}${extra.length ? `has extra keys ${extra.join(", ")}` : ""}`, { expected: KEYS.join(","), observed: keys.join(",") });
    },
  },
  {
    id: "eio4.handshake.key-order",
    title: "The open packet writes its keys in the usual order with no whitespace",
    rules: ["EIO4-HANDSHAKE-03"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const { json } = await pollingOpen(ctx);
      const obj = openObject(json);
      ctx.deepEqual(Object.keys(obj), KEYS, "key order of the open packet");
      ctx.equal(json, JSON.stringify(obj), "the open packet's JSON (compact form)");
    },
  },
  {
    id: "eio4.handshake.key-types",
    title: "The open packet's values have the right types and ranges",
    rules: ["EIO4-HANDSHAKE-04"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const o = openObject((await pollingOpen(ctx)).json);
      ctx.assert(typeof o.sid === "string", "sid is not a string", { expected: "string", observed: show(o.sid) });
      const up = o.upgrades;
      ctx.assert(Array.isArray(up) && up.every((u) => typeof u === "string") && new Set(up).size === up.length, "upgrades is not an array of distinct strings", { observed: show(up) });
      for (const k of ["pingInterval", "pingTimeout", "maxPayload"]) {
        const v = o[k];
        ctx.assert(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_INT32, `${k} is not an integer in 1..${MAX_INT32}`, { expected: "integer 1..2147483647", observed: show(v) });
      }
    },
  },
  {
    id: "eio4.handshake.sid-shape",
    title: "The sid is at least 16 characters of the URL-safe base64 alphabet",
    rules: ["EIO4-HANDSHAKE-06"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const sid = openObject((await pollingOpen(ctx)).json).sid;
      assert(typeof sid === "string", "sid is not a string", { observed: show(sid) });
      ctx.match(sid, /^[A-Za-z0-9_-]{16,}$/, "the sid");
    },
  },
  {
    id: "eio4.handshake.sid-distinct",
    title: "Every handshake gets a different sid",
    rules: ["EIO4-HANDSHAKE-07"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const sids = new Set<string>();
      for (let i = 0; i < 5; i++) sids.add(String(openObject((await pollingOpen(ctx)).json).sid));
      ctx.equal(sids.size, 5, "distinct sids among 5 handshakes");
    },
  },
  {
    id: "eio4.handshake.polling-upgrades",
    title: "Over polling, upgrades lists websocket exactly when the server offers it",
    rules: ["EIO4-HANDSHAKE-05"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const up = openObject((await pollingOpen(ctx)).json).upgrades;
      ctx.deepEqual(up, ctx.features.has("websocket") ? ["websocket"] : [], "upgrades over polling");
    },
  },
  {
    id: "eio4.handshake.advertised-timings",
    title: "The server advertises its heartbeat timings and payload limit",
    rules: ["EIO4-HANDSHAKE-08"],
    level: "MAY",
    requires: ["polling"],
    async run(ctx) {
      const o = openObject((await pollingOpen(ctx)).json);
      ctx.info(`pingInterval ${show(o.pingInterval)} ms, pingTimeout ${show(o.pingTimeout)} ms, maxPayload ${show(o.maxPayload)} bytes`);
    },
  },
  {
    id: "eio4.handshake.no-store",
    title: "The handshake response carries Cache-Control: no-store",
    rules: ["EIO4-TRANSPORT-10"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const { res } = await pollingOpen(ctx);
      ctx.match(res.headers["cache-control"] ?? "", /(^|,)\s*no-store\s*(,|$)/i, "the Cache-Control header");
    },
  },
  {
    id: "eio4.handshake.unknown-params-ignored",
    title: "Unknown query parameters do not change the handshake",
    rules: ["EIO4-TRANSPORT-08"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const o = openObject((await pollingOpen(ctx, { ...OPEN, foo: "bar", sockspec: "1" })).json);
      ctx.deepEqual(Object.keys(o), Object.keys(openObject((await pollingOpen(ctx)).json)), "keys of the open packet with and without unknown parameters");
    },
  },
  {
    id: "eio4.handshake.t-param-ignored",
    title: "The cache-busting t parameter is ignored",
    rules: ["EIO4-TRANSPORT-07"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { res } = await pollingOpen(ctx, { ...OPEN, t: "OkR2yRa" });
      const sid = String(openObject(res.text.slice(1)).sid);
      // A request of the session with t must be treated as one without it: a POST of a message is accepted.
      const post = await ctx.http.request({ method: "POST", query: { ...OPEN, sid, t: "Ok3" }, body: "4sockspec" });
      ctx.equal(post.status, 200, "status of a POST carrying t");
    },
  },
  {
    id: "eio4.handshake.websocket-open",
    title: "A WebSocket handshake is accepted and its first frame is a text open packet",
    rules: ["EIO4-HANDSHAKE-01", "EIO4-HANDSHAKE-10", "EIO4-HANDSHAKE-02"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const ws = ctx.engine.rawWebSocket();
      const opened = await ws.opened;
      if (!opened.ok) fail(`the WebSocket handshake was refused (${opened.status ?? opened.error})`, { expected: "101", observed: String(opened.status ?? opened.error) });
      const frame = await ws.next({ what: "the open packet" });
      assert(typeof frame === "string", "the first frame is binary", { expected: "a text frame 0{...}", observed: show(frame) });
      ctx.assert(frame.startsWith("0"), "the first frame is not an open packet", { expected: "0{...}", observed: show(frame.slice(0, 120)) });
      const keys = Object.keys(openObject(frame.slice(1)));
      ctx.deepEqual([...keys].sort(), [...KEYS].sort(), "keys of the WebSocket open packet");
    },
  },
  {
    id: "eio4.handshake.websocket-upgrades",
    title: "Over WebSocket, upgrades is empty",
    rules: ["EIO4-HANDSHAKE-05"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      ctx.deepEqual(socket.handshake?.upgrades, [], "upgrades over websocket");
    },
  },
  refusal("eio4.handshake.error-transport-unknown", "An unknown transport is refused with code 0", ["EIO4-ERROR-03", "EIO4-ERROR-01", "EIO4-ERROR-02"], 0, { EIO: "4", transport: "abc" }),
  refusal("eio4.handshake.error-transport-missing", "A handshake without transport is refused with code 0", ["EIO4-ERROR-03", "EIO4-TRANSPORT-05"], 0, { EIO: "4" }),
  refusal("eio4.handshake.error-webtransport-over-http", "transport=webtransport over HTTP is refused with code 0", ["EIO4-ERROR-03"], 0, { EIO: "4", transport: "webtransport" }),
  refusal("eio4.handshake.error-sid-unknown", "A poll with an unknown sid is refused with code 1", ["EIO4-ERROR-05", "EIO4-HANDSHAKE-12", "EIO4-ERROR-01"], 1, { ...OPEN, sid: "sockspec-unknown-sid" }),
  {
    id: "eio4.handshake.error-bad-method",
    title: "A handshake with POST or PUT is refused with code 2",
    rules: ["EIO4-HANDSHAKE-11", "EIO4-ERROR-02"],
    level: "MUST",
    async run(ctx) {
      for (const method of ["POST", "PUT"]) expectEngineError(ctx, await ctx.http.request({ method, query: OPEN, body: "4hello" }), 2);
    },
  },
  refusal("eio4.handshake.error-websocket-without-upgrade", "transport=websocket over a plain GET is refused with code 3", ["EIO4-ERROR-06"], 3, { EIO: "4", transport: "websocket" }),
  {
    id: "eio4.handshake.error-version",
    title: "A missing or unknown EIO version is refused with code 5",
    rules: ["EIO4-ERROR-04", "EIO4-TRANSPORT-04"],
    level: "MUST",
    async run(ctx) {
      for (const EIO of [undefined, "5", "abc", "04"]) {
        expectEngineError(ctx, await ctx.http.request({ query: { EIO, transport: "polling" } }), 5);
      }
    },
  },
  {
    id: "eio4.handshake.eio3-refused",
    title: "EIO=3 is refused with code 5 by a server that does not speak version 3",
    rules: ["EIO4-ERROR-04", "EIO3-TRANSPORT-01"],
    level: "MUST",
    async run(ctx) {
      if (ctx.features.has("eio3")) skip("the server speaks Engine.IO v3");
      expectEngineError(ctx, await ctx.http.request({ query: { EIO: "3", transport: "polling" } }), 5);
    },
  },
  {
    id: "eio4.handshake.error-order",
    title: "With several faults, the first in the spec's order is reported",
    rules: ["EIO4-ERROR-07"],
    level: "MUST",
    async run(ctx) {
      // transport before version; sid before version; method before version.
      expectEngineError(ctx, await ctx.http.request({ query: { EIO: "5", transport: "abc" } }), 0);
      expectEngineError(ctx, await ctx.http.request({ query: { transport: "abc" } }), 0);
      expectEngineError(ctx, await ctx.http.request({ query: { EIO: "4", transport: "abc", sid: "sockspec-unknown-sid" } }), 0);
      expectEngineError(ctx, await ctx.http.request({ query: { EIO: "5", transport: "polling", sid: "sockspec-unknown-sid" } }), 1);
      expectEngineError(ctx, await ctx.http.request({ method: "POST", query: { EIO: "5", transport: "polling" }, body: "4x" }), 2);
    },
  },
  {
    id: "eio4.handshake.ws-error-sid-unknown",
    title: "A WebSocket with an unknown sid is refused before 101",
    rules: ["EIO4-ERROR-09", "EIO4-ERROR-10", "EIO4-ERROR-05"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      await expectWebSocketRefusal(ctx, ctx.engine.rawWebSocket({ query: { sid: "sockspec-unknown-sid" } }), 1);
    },
  },
  {
    id: "eio4.handshake.ws-error-transport",
    title: "A WebSocket request naming an unknown transport is refused before 101",
    rules: ["EIO4-ERROR-09", "EIO4-ERROR-10", "EIO4-ERROR-03"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      await expectWebSocketRefusal(ctx, ctx.engine.rawWebSocket({ query: { transport: "abc" } }), 0);
    },
  },
  {
    id: "eio4.handshake.ws-error-version",
    title: "A WebSocket request with an unknown EIO version is refused before 101",
    rules: ["EIO4-ERROR-09", "EIO4-ERROR-10", "EIO4-ERROR-04"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      await expectWebSocketRefusal(ctx, ctx.engine.rawWebSocket({ query: { EIO: "5" } }), 5);
    },
  },
  {
    id: "eio4.handshake.parse-open-packet",
    title: "The open packet parses as a handshake the runner can use",
    rules: ["EIO4-HANDSHAKE-02", "EIO4-HANDSHAKE-04"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const hs = parseHandshake((await pollingOpen(ctx)).json, "of the polling handshake");
      ctx.note(`sid ${hs.sid}`);
    },
  },
]);
