/**
 * Engine.IO v4, chapter LIMIT: maxPayload as the server applies it. Inclusive, counted in bytes
 * as they arrive (UTF-8, base64), 413 for a POST over it with the session kept, close 1009 for a
 * WebSocket message over it with the session ended.
 */
import { assert, defineChapter, fail, skip, type CaseDefinition } from "../../case.js";
import { encodeBase64 } from "../../../protocol/base64.js";
import { performance } from "node:perf_hooks";
import type { CaseContext } from "../../runner/context.js";
import { ALIVE } from "../../checks/alive.js";
import { errorCode } from "../../checks/error.js";
import { expectWsSessionGone } from "../../checks/gone.js";
import { nextFrame, pollMessages, pollUntil, postTolerant } from "../../client/reading.js";

/** The advertised maxPayload, or a skip when it is unknown or too large to send in a test. */
function maxPayload(ctx: CaseContext): number {
  const max = ctx.handshake.maxPayload;
  if (max === undefined) skip("the handshake advertised no maxPayload");
  if (max > 64 * 1024 * 1024) skip(`maxPayload ${max} is too large to test`);
  return max;
}

/**
 * A POST over the limit: 413, nothing of it delivered, the session still open (closing it is
 * warned). A session found gone only after its heartbeat could have timed out (a slow run: no
 * pong was sent) proves nothing, so the check is repeated on a new session, at most three times.
 */
async function refusedButAlive(ctx: CaseContext, body: string, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const session = await ctx.engine.openPolling();
    const openedAt = performance.now();
    const res = await postTolerant(session, body);
    if (res === "dropped") fail(`${what} got no answer`, { expected: "413", observed: "connection dropped" });
    ctx.equal(res.status, 413, `status of ${what}`);
    const alive = await postTolerant(session, `4${ALIVE}`);
    const gone = alive !== "dropped" && alive.status === 400 && errorCode(alive) === 1;
    const slow = performance.now() - openedAt > ctx.handshake.pingInterval;
    if (gone && slow && attempt < 3) {
      ctx.note(`the session was gone ${Math.round(performance.now() - openedAt)} ms after it opened, when its heartbeat may have timed out; trying again`);
      continue;
    }
    if (gone) {
      // Note to EIO4-LIMIT-02: a server that closes the session instead is only warned.
      ctx.softFail(`the session was closed after ${what}`, { expected: "the session stays open", observed: `400 {"code":1,...}` });
      return;
    }
    if (alive === "dropped" || alive.status !== 200) fail(`a POST after ${what} was not accepted`, { expected: "200 ok", observed: alive === "dropped" ? "connection dropped" : `${alive.status} ${alive.text.slice(0, 120)}` });
    let polled;
    try {
      polled = await pollUntil(ctx, session, (m) => m.some((p) => p.data === ALIVE), `the echo of ${ALIVE}`);
    } catch (err) {
      if (attempt < 3 && performance.now() - openedAt > ctx.handshake.pingInterval) {
        ctx.note("the session ended while the runner was slow to poll (its heartbeat may have timed out); trying again");
        continue;
      }
      throw err;
    }
    ctx.equal(polled.messages.filter((m) => m.data !== ALIVE).length, 0, `messages delivered from ${what}`);
    return;
  }
}

/**
 * POSTs `body` (at the limit), expects `200 ok` and the echo of `data`. A session that ends
 * before its echo is polled, when the heartbeat may have timed out during a slow upload (no
 * pong can be sent while the POST is in flight), is retried on a new session, at most three times.
 */
async function echoedAtLimit(ctx: CaseContext, body: string, data: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const session = await ctx.engine.openPolling();
    const openedAt = performance.now();
    const res = await session.post(body);
    ctx.equal(`${res.status} ${res.text}`, "200 ok", `answer to a POST of exactly maxPayload (${Buffer.byteLength(body)}) bytes`);
    let polled;
    try {
      polled = await pollMessages(ctx, session, 1, "the echo");
    } catch (err) {
      if (attempt < 3 && performance.now() - openedAt > ctx.handshake.pingInterval) {
        ctx.note("the session ended while the upload was slow (its heartbeat may have timed out); trying again");
        continue;
      }
      throw err;
    }
    const echoed = polled.messages[0]?.data;
    ctx.assert(echoed === data, "the echoed message differs from the one sent", { expected: `${data.length} characters`, observed: typeof echoed === "string" ? `${echoed.length} characters` : String(echoed) });
    return;
  }
}

/** A WebSocket message over the limit: close 1009 and the session gone. */
function wsOver(id: string, title: string, rules: string[], frame: (max: number) => string | Uint8Array): CaseDefinition {
  return {
    id,
    title,
    rules,
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const data = frame(maxPayload(ctx));
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send(data);
      const { value: closed } = await ctx.within(socket.ws.closed, { latest: ctx.handshake.pingInterval, what: "the close of the WebSocket" });
      ctx.equal(closed.code, 1009, "the close code");
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "a message over maxPayload");
    },
  };
}

export const limitCases = defineChapter("engine.io v4 / limit", [
  {
    id: "eio4.limit.post-exact",
    title: "A POST body of exactly maxPayload bytes is accepted and delivered",
    rules: ["EIO4-LIMIT-01", "EIO4-HANDSHAKE-08"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      await echoedAtLimit(ctx, "4" + "x".repeat(max - 1), "x".repeat(max - 1));
    },
  },
  {
    id: "eio4.limit.post-over",
    title: "A POST of maxPayload + 1 bytes gets 413, is not delivered, and the session stays open",
    rules: ["EIO4-LIMIT-02", "EIO4-HANDSHAKE-08"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      const head = "4first\x1e4";
      await refusedButAlive(ctx, head + "x".repeat(max + 1 - head.length), "a POST of maxPayload + 1 bytes");
    },
  },
  {
    id: "eio4.limit.post-multibyte-over",
    title: "The limit counts bytes: fewer than maxPayload characters but more bytes gets 413",
    rules: ["EIO4-LIMIT-01", "EIO4-LIMIT-02"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      const body = "4" + "€".repeat(Math.ceil(max / 3));
      assert(body.length <= max && Buffer.byteLength(body) > max, "body sizing");
      await refusedButAlive(ctx, body, `a POST of ${body.length} characters in ${Buffer.byteLength(body)} bytes`);
    },
  },
  {
    id: "eio4.limit.post-multibyte-exact",
    title: "A POST of exactly maxPayload bytes of multi-byte characters is accepted intact",
    rules: ["EIO4-LIMIT-01", "EIO4-PACKET-08"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      const n = Math.floor((max - 1) / 3);
      const data = "€".repeat(n) + "x".repeat(max - 1 - 3 * n);
      await echoedAtLimit(ctx, "4" + data, data);
    },
  },
  {
    id: "eio4.limit.post-base64-counted",
    title: "A binary message counts with its base64: data under maxPayload, encoded over it, gets 413",
    rules: ["EIO4-LIMIT-01", "EIO4-LIMIT-02", "EIO4-LIMIT-05"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      const body = "b" + encodeBase64(new Uint8Array(3 * Math.ceil(max / 4)).fill(7));
      assert(Buffer.byteLength(body) > max, "body sizing");
      await refusedButAlive(ctx, body, `a b record of ${Buffer.byteLength(body)} bytes`);
    },
  },
  {
    id: "eio4.limit.ws-exact",
    title: "A WebSocket message of exactly maxPayload bytes is accepted and echoed",
    rules: ["EIO4-LIMIT-01", "EIO4-HANDSHAKE-08"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4" + "y".repeat(max - 1));
      const echo = await nextFrame(socket, "the echo");
      ctx.equal(typeof echo === "string" ? echo.length : -1, max, "length of the echoed text frame");
    },
  },
  {
    id: "eio4.limit.ws-binary-exact",
    title: "A binary WebSocket message of exactly maxPayload bytes is accepted and echoed",
    rules: ["EIO4-LIMIT-01"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send(new Uint8Array(max).fill(9));
      const echo = await nextFrame(socket, "the echo");
      ctx.equal(typeof echo === "string" ? -1 : echo.byteLength, max, "length of the echoed binary frame");
    },
  },
  wsOver("eio4.limit.ws-over", "A text WebSocket message of maxPayload + 1 bytes closes with 1009 and ends the session", ["EIO4-LIMIT-03", "EIO4-HANDSHAKE-08"], (max) => "4" + "z".repeat(max)),
  wsOver("eio4.limit.ws-binary-over", "A binary WebSocket message of maxPayload + 1 bytes closes with 1009", ["EIO4-LIMIT-03"], (max) => new Uint8Array(max + 1)),
  wsOver("eio4.limit.ws-multibyte-over", "The WebSocket limit counts bytes: fewer characters than maxPayload but more bytes closes with 1009", ["EIO4-LIMIT-03", "EIO4-LIMIT-01"], (max) => "4" + "€".repeat(Math.ceil(max / 3))),
]);
