/**
 * Engine.IO v4, chapter HANDSHAKE (and the refusals of chapter ERROR that a handshake can
 * meet): opening a session over polling and over WebSocket, the open packet, and every error
 * code a bad handshake request earns.
 */
import { assert, defineChapter, fail, show, skip } from "../../case.js";
import { openPacketOf } from "../../client/engine.js";
import type { HttpResponse } from "../../client/http.js";
import type { CaseContext } from "../../runner/context.js";
import { errorCode, expectEngineError, expectWebSocketRefusal } from "../../checks/error.js";
import { sidLooksRandom } from "../../checks/sid-entropy.js";

/** The query of a well-formed polling handshake. */
const OPEN = { EIO: "4", transport: "polling" } as const;

/** The open packet's JSON object (its data is a JSON object: a precondition met on the way). */
function openObject(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

/**
 * A handshake that differs from a plain one only by `query`: it must be accepted as the plain
 * one was (its status is the case's judgement); its open packet is read as any other.
 */
async function acceptedLikePlain(
  ctx: CaseContext,
  query: Record<string, string>,
  what: string,
): Promise<{ plain: Opened; odd: Opened }> {
  const plain = await ctx.engine.handshake();
  const response = await ctx.http.request({ query: { ...OPEN, ...query } });
  if (response.status !== 200)
    fail(`${what} was answered ${response.status}, where a plain handshake got 200`, {
      expected: "200 and an open packet",
      observed: `${response.status} ${response.text.slice(0, 120)}`,
    });
  return { plain, odd: { ...openPacketOf(response), response } };
}

/** A handshake as read by the client. */
type Opened = ReturnType<typeof openPacketOf> & { response: HttpResponse };

const KEYS = ["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"];
const MAX_INT32 = 2147483647;

/** Refusal of a polling-handshake-shaped request with a given query and method. */
function refusal(
  id: string,
  title: string,
  rules: string[],
  code: number,
  query: Record<string, string>,
  method = "GET",
) {
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

/** A request with several faults, and each fault alone: the code of the first in the spec's order must win. */
interface Combined {
  what: string;
  query: Record<string, string | undefined>;
  method?: string;
  /** The faults it holds, first in the spec's order first, each as a request with that fault alone. */
  alone: Array<{ fault: string; query: Record<string, string | undefined>; method?: string }>;
}

/**
 * EIO4-ERROR-07 judged on its own: each fault alone is asked first, so the code the server gives
 * it is known whatever the server's codes are (they are EIO4-ERROR-02's business); a request with
 * several faults must then get the code of the first one in the spec's order. When two faults
 * alone get the same code, their order cannot be seen, and is not judged.
 */
async function expectFirstFaultWins(ctx: CaseContext, c: Combined): Promise<void> {
  const codes: Array<{ fault: string; code: number | undefined }> = [];
  for (const a of c.alone) {
    const res = await ctx.http.request({ query: a.query, ...(a.method ? { method: a.method, body: "4x" } : {}) });
    codes.push({ fault: a.fault, code: errorCode(res) });
  }
  const [first, ...rest] = codes;
  if (first?.code === undefined || rest.some((r) => r.code === undefined || r.code === first.code)) {
    ctx.note(
      `${c.what}: the faults alone get the codes ${codes.map((x) => `${x.fault} ${x.code ?? "(none)"}`).join(", ")}, so their order cannot be told`,
    );
    return;
  }
  const res = await ctx.http.request({ query: c.query, ...(c.method ? { method: c.method, body: "4x" } : {}) });
  const got = errorCode(res);
  if (got !== first.code) {
    const winner = codes.find((x) => x.code === got)?.fault ?? "none of them";
    fail(
      `${c.what} got the code of ${winner} (${got ?? "no code"}), not that of ${first.fault} (${first.code}), which comes first`,
      { expected: `code ${first.code} (${first.fault})`, observed: `${res.status} ${res.text.slice(0, 120)}` },
    );
  }
}

export const handshakeCases = defineChapter("engine.io v4 / handshake", [
  {
    id: "eio4.handshake.polling-status",
    title: "A polling handshake at the engine path is accepted with status 200",
    rules: ["EIO4-HANDSHAKE-01", "EIO4-HANDSHAKE-09", "EIO4-TRANSPORT-01"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const res = await ctx.http.request({ query: OPEN });
      ctx.equal(res.status, 200, "status of the polling handshake");
    },
  },
  {
    id: "eio4.handshake.polling-content-type",
    title: "The polling handshake response is text/plain; charset=UTF-8",
    rules: ["EIO4-POLLING-18"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const { response } = await ctx.engine.handshake();
      const type = (response.headers["content-type"] ?? "").toLowerCase().replace(/\s+/g, "");
      if (type !== "text/plain;charset=utf-8")
        fail(`the content type is ${show(response.headers["content-type"] ?? "(none)")}`, {
          expected: "text/plain; charset=UTF-8",
          observed: response.headers["content-type"] ?? "(none)",
        });
    },
  },
  {
    id: "eio4.handshake.polling-open-packet",
    title: "The polling handshake body starts with an open packet: 0 and the handshake JSON object",
    rules: ["EIO4-HANDSHAKE-02", "EIO4-PACKET-12"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { json } = await ctx.engine.handshake();
      const value: unknown = JSON.parse(json);
      ctx.assert(
        typeof value === "object" && value !== null && !Array.isArray(value),
        "the open packet's data is not a JSON object",
        { observed: show(json) },
      );
    },
  },
  {
    id: "eio4.handshake.open-alone",
    title: "The first polling response holds the open packet alone",
    rules: ["EIO4-HANDSHAKE-09"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { response, packets } = await ctx.engine.handshake();
      ctx.assert(!response.text.includes("\x1e"), "the handshake response batches other packets with the open packet", {
        expected: "one record",
        observed: show(response.text),
      });
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
      const keys = Object.keys(openObject((await ctx.engine.handshake()).json));
      const extra = keys.filter((k) => !KEYS.includes(k));
      const absent = KEYS.filter((k) => !keys.includes(k));
      if (extra.length || absent.length)
        fail(
          `the open packet ${absent.length ? `lacks ${absent.join(", ")}` : ""}${absent.length && extra.length ? " and " : ""}${extra.length ? `has extra keys ${extra.join(", ")}` : ""}`,
          { expected: KEYS.join(","), observed: keys.join(",") },
        );
    },
  },
  {
    id: "eio4.handshake.key-order",
    title: "The open packet writes its keys in the usual order with no whitespace",
    rules: ["EIO4-HANDSHAKE-03"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const { json } = await ctx.engine.handshake();
      const obj = openObject(json);
      // The order of the five keys the spec lists (an extra key is EIO4-HANDSHAKE-02's business).
      ctx.deepEqual(
        Object.keys(obj).filter((k) => KEYS.includes(k)),
        KEYS.filter((k) => k in obj),
        "key order of the open packet",
      );
      ctx.equal(json, JSON.stringify(obj), "the open packet's JSON (compact form)");
    },
  },
  {
    id: "eio4.handshake.key-types",
    title: "The open packet's values have the right types: a string, an array of strings, and numbers in range",
    rules: ["EIO4-HANDSHAKE-04"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const o = openObject((await ctx.engine.handshake()).json);
      ctx.assert(typeof o.sid === "string", "sid is not a string", { expected: "string", observed: show(o.sid) });
      const up = o.upgrades;
      ctx.assert(Array.isArray(up) && up.every((u) => typeof u === "string"), "upgrades is not an array of strings", {
        expected: "an array of transport names",
        observed: show(up),
      });
      for (const k of ["pingInterval", "pingTimeout", "maxPayload"])
        ctx.assert(typeof o[k] === "number", `${k} is not a JSON number`, {
          expected: "a number",
          observed: show(o[k]),
        });
      for (const k of ["pingInterval", "pingTimeout"])
        ctx.assert((o[k] as number) <= MAX_INT32, `${k} is over ${MAX_INT32}`, {
          expected: `at most ${MAX_INT32}`,
          observed: show(o[k]),
        });
    },
  },
  {
    id: "eio4.handshake.advertised-timings",
    title:
      "The advertised timings and payload limit are whole numbers of at least 1, and upgrades names no transport twice",
    rules: ["EIO4-HANDSHAKE-13"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const o = openObject((await ctx.engine.handshake()).json);
      ctx.info(
        `pingInterval ${show(o.pingInterval)} ms, pingTimeout ${show(o.pingTimeout)} ms, maxPayload ${show(o.maxPayload)} bytes`,
      );
      for (const k of ["pingInterval", "pingTimeout", "maxPayload"]) {
        const v = o[k];
        ctx.assert(
          Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_INT32,
          `${k} is not an integer in 1..${MAX_INT32}`,
          { expected: `an integer in 1..${MAX_INT32}`, observed: show(v) },
        );
      }
      const up = o.upgrades as unknown[];
      ctx.equal(new Set(up).size, up.length, "distinct transports in upgrades");
    },
  },
  {
    id: "eio4.handshake.sid-shape",
    title: "The sid is made of characters a URL carries unescaped (and is at least 16 characters of URL-safe base64)",
    rules: ["EIO4-HANDSHAKE-06", "EIO4-HANDSHAKE-14"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { sid } = (await ctx.engine.handshake()).handshake;
      ctx.match(sid, /^[A-Za-z0-9._~-]+$/, "the sid (unreserved characters of RFC 3986)");
      if (!/^[A-Za-z0-9_-]{16,}$/.test(sid))
        ctx.softFail(`the sid ${show(sid)} is not 16 or more characters of URL-safe base64 (EIO4-HANDSHAKE-14)`, {
          expected: "/^[A-Za-z0-9_-]{16,}$/",
          observed: sid,
        });
    },
  },
  {
    id: "eio4.handshake.sid-distinct",
    title: "Every handshake opens a new session with a sid of its own",
    rules: ["EIO4-HANDSHAKE-15"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      // The client refuses a sid the run has seen before (a precondition this case owns).
      const sids = new Set<string>();
      for (let i = 0; i < 5; i++) sids.add((await ctx.engine.handshake()).handshake.sid);
      ctx.equal(sids.size, 5, "distinct sids among 5 handshakes");
    },
  },
  {
    id: "eio4.handshake.sid-unpredictable",
    title: "Sids look random: consecutive handshakes differ in enough characters to hold 64 random bits",
    rules: ["EIO4-HANDSHAKE-07"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const sids: string[] = [];
      for (let i = 0; i < 8; i++) sids.push((await ctx.engine.handshake()).handshake.sid);
      const verdict = sidLooksRandom(sids);
      if (verdict !== true)
        fail(`the sids of 8 handshakes in a row look predictable: ${verdict}`, {
          expected: "at least 64 bits that vary from sid to sid",
          observed: sids.join(" "),
        });
    },
  },
  {
    id: "eio4.handshake.polling-upgrades",
    title: "Over polling, upgrades lists websocket exactly when the server offers it",
    rules: ["EIO4-HANDSHAKE-05"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { upgrades } = (await ctx.engine.handshake()).handshake;
      ctx.deepEqual(upgrades, ctx.features.has("websocket") ? ["websocket"] : [], "upgrades over polling");
    },
  },
  {
    id: "eio4.handshake.no-store",
    title: "The handshake response carries Cache-Control: no-store",
    rules: ["EIO4-TRANSPORT-10"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const { response } = await ctx.engine.handshake();
      ctx.match(response.headers["cache-control"] ?? "", /(^|,)\s*no-store\s*(,|$)/i, "the Cache-Control header");
    },
  },
  {
    id: "eio4.handshake.unknown-params-ignored",
    title: "Unknown query parameters do not change the handshake or the session's requests",
    rules: ["EIO4-TRANSPORT-08"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const extra = { foo: "bar", sockspec: "1" };
      const { plain, odd } = await acceptedLikePlain(ctx, extra, "a handshake with unknown parameters");
      ctx.deepEqual(
        Object.keys(openObject(odd.json)),
        Object.keys(openObject(plain.json)),
        "keys of the open packet with unknown parameters, as without them",
      );
      const post = await ctx.http.request({
        method: "POST",
        query: { ...OPEN, sid: odd.handshake.sid, ...extra },
        body: "4sockspec",
      });
      ctx.equal(post.status, 200, "status of a POST of the session carrying unknown parameters");
    },
  },
  {
    id: "eio4.handshake.t-param-ignored",
    title: "The cache-busting t parameter is ignored",
    rules: ["EIO4-TRANSPORT-07"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { odd } = await acceptedLikePlain(ctx, { t: "OkR2yRa" }, "a handshake carrying t");
      // A request of the session with t must be treated as one without it: a POST is accepted.
      const post = await ctx.http.request({
        method: "POST",
        query: { ...OPEN, sid: odd.handshake.sid, t: "Ok3" },
        body: "4sockspec",
      });
      ctx.equal(post.status, 200, "status of a POST carrying t");
    },
  },
  {
    id: "eio4.handshake.websocket-open",
    title: "A WebSocket handshake at the engine path is accepted and its first frame is a text open packet",
    rules: ["EIO4-HANDSHAKE-01", "EIO4-HANDSHAKE-10", "EIO4-HANDSHAKE-02", "EIO4-TRANSPORT-01"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const ws = ctx.engine.rawWebSocket();
      const opened = await ws.opened;
      if (!opened.ok)
        fail(`the WebSocket handshake was refused (${opened.status ?? opened.error})`, {
          expected: "101",
          observed: String(opened.status ?? opened.error),
        });
      const frame = await ws.next({ what: "the open packet" });
      assert(typeof frame === "string", "the first frame is binary", {
        expected: "a text frame 0{...}",
        observed: show(frame),
      });
      ctx.assert(frame.startsWith("0"), "the first frame is not an open packet", {
        expected: "0{...}",
        observed: show(frame.slice(0, 120)),
      });
      let value: unknown;
      try {
        value = JSON.parse(frame.slice(1));
      } catch {
        fail("the open packet's data is not JSON", { expected: "0{...}", observed: show(frame.slice(0, 200)) });
      }
      assert(
        typeof value === "object" && value !== null && !Array.isArray(value),
        "the open packet's data is not a JSON object",
        { observed: show(frame.slice(0, 200)) },
      );
      ctx.deepEqual(Object.keys(value).sort(), [...KEYS].sort(), "keys of the WebSocket open packet");
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
  refusal(
    "eio4.handshake.error-transport-unknown",
    "An unknown transport is refused with 400 (code 0)",
    ["EIO4-ERROR-03", "EIO4-ERROR-01", "EIO4-ERROR-02"],
    0,
    { EIO: "4", transport: "abc" },
  ),
  refusal(
    "eio4.handshake.error-transport-missing",
    "A handshake without transport is refused with 400 (code 0)",
    ["EIO4-ERROR-03", "EIO4-ERROR-02"],
    0,
    { EIO: "4" },
  ),
  refusal(
    "eio4.handshake.error-webtransport-over-http",
    "transport=webtransport over HTTP, a transport not offered, is refused with 400 (code 0)",
    ["EIO4-ERROR-03", "EIO4-TRANSPORT-02", "EIO4-ERROR-02"],
    0,
    { EIO: "4", transport: "webtransport" },
  ),
  refusal(
    "eio4.handshake.error-sid-unknown",
    "A poll with an unknown sid is refused with 400 (code 1)",
    ["EIO4-ERROR-05", "EIO4-HANDSHAKE-12", "EIO4-ERROR-01", "EIO4-ERROR-02"],
    1,
    { ...OPEN, sid: "sockspec-unknown-sid" },
  ),
  {
    id: "eio4.handshake.error-bad-method",
    title: "A handshake with POST or PUT is refused with 400 (code 2)",
    rules: ["EIO4-HANDSHAKE-11", "EIO4-ERROR-02"],
    level: "MUST",
    async run(ctx) {
      for (const method of ["POST", "PUT"])
        expectEngineError(ctx, await ctx.http.request({ method, query: OPEN, body: "4hello" }), 2);
    },
  },
  refusal(
    "eio4.handshake.error-websocket-without-upgrade",
    "transport=websocket over a plain GET is refused with 400 (code 3)",
    ["EIO4-ERROR-06", "EIO4-ERROR-02"],
    3,
    { EIO: "4", transport: "websocket" },
  ),
  {
    id: "eio4.handshake.error-version",
    title: "A missing or unknown EIO version is refused with 400 (code 5)",
    rules: ["EIO4-ERROR-04", "EIO4-TRANSPORT-04", "EIO4-ERROR-02"],
    level: "MUST",
    async run(ctx) {
      for (const EIO of [undefined, "5", "abc", "04"]) {
        expectEngineError(ctx, await ctx.http.request({ query: { EIO, transport: "polling" } }), 5);
      }
    },
  },
  {
    id: "eio4.handshake.eio3-refused",
    title: "EIO=3 is refused with 400 (code 5) by a server that does not speak version 3",
    rules: ["EIO4-ERROR-04", "EIO3-TRANSPORT-01", "EIO4-ERROR-02"],
    level: "MUST",
    async run(ctx) {
      if (ctx.features.has("eio3")) skip("the server speaks Engine.IO v3");
      expectEngineError(ctx, await ctx.http.request({ query: { EIO: "3", transport: "polling" } }), 5);
    },
  },
  {
    id: "eio4.handshake.error-order",
    title: "With several faults, the code of the first in the spec's order is reported",
    rules: ["EIO4-ERROR-07"],
    level: "SHOULD",
    async run(ctx) {
      const sid = "sockspec-unknown-sid";
      const combined: Combined[] = [
        {
          what: "an unknown transport and version 5",
          query: { EIO: "5", transport: "abc" },
          alone: [
            { fault: "the unknown transport", query: { EIO: "4", transport: "abc" } },
            { fault: "version 5", query: { EIO: "5", transport: "polling" } },
          ],
        },
        {
          what: "an unknown transport and no version",
          query: { transport: "abc" },
          alone: [
            { fault: "the unknown transport", query: { EIO: "4", transport: "abc" } },
            { fault: "no version", query: { transport: "polling" } },
          ],
        },
        {
          what: "an unknown transport and an unknown sid",
          query: { EIO: "4", transport: "abc", sid },
          alone: [
            { fault: "the unknown transport", query: { EIO: "4", transport: "abc" } },
            { fault: "the unknown sid", query: { ...OPEN, sid } },
          ],
        },
        {
          what: "an unknown sid and version 5",
          query: { EIO: "5", transport: "polling", sid },
          alone: [
            { fault: "the unknown sid", query: { ...OPEN, sid } },
            { fault: "version 5", query: { EIO: "5", transport: "polling" } },
          ],
        },
        {
          what: "POST and version 5",
          method: "POST",
          query: { EIO: "5", transport: "polling" },
          alone: [
            { fault: "the POST", method: "POST", query: OPEN },
            { fault: "version 5", query: { EIO: "5", transport: "polling" } },
          ],
        },
      ];
      for (const c of combined) await expectFirstFaultWins(ctx, c);
    },
  },
  {
    id: "eio4.handshake.ws-error-sid-unknown",
    title: "A WebSocket with an unknown sid is refused, before 101",
    rules: ["EIO4-WS-08", "EIO4-ERROR-05", "EIO4-ERROR-09", "EIO4-ERROR-10", "EIO4-ERROR-02"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      await expectWebSocketRefusal(ctx, ctx.engine.rawWebSocket({ query: { sid: "sockspec-unknown-sid" } }), 1);
    },
  },
  {
    id: "eio4.handshake.ws-error-transport",
    title: "A WebSocket request naming an unknown transport is refused, before 101",
    rules: ["EIO4-ERROR-03", "EIO4-ERROR-09", "EIO4-ERROR-10", "EIO4-ERROR-02"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      await expectWebSocketRefusal(ctx, ctx.engine.rawWebSocket({ query: { transport: "abc" } }), 0);
    },
  },
  {
    id: "eio4.handshake.ws-error-version",
    title: "A WebSocket request with an unknown EIO version is refused, before 101",
    rules: ["EIO4-ERROR-04", "EIO4-ERROR-09", "EIO4-ERROR-10", "EIO4-ERROR-02"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      await expectWebSocketRefusal(ctx, ctx.engine.rawWebSocket({ query: { EIO: "5" } }), 5);
    },
  },
  {
    id: "eio4.handshake.parse-open-packet",
    title: "The open packet parses as a handshake the runner can use",
    rules: ["EIO4-HANDSHAKE-02", "EIO4-HANDSHAKE-04", "EIO4-PACKET-12"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const { handshake } = await ctx.engine.handshake();
      ctx.note(`sid ${handshake.sid}`);
    },
  },
]);
