/**
 * Engine.IO v4, chapter LIMIT: maxPayload as the server applies it. Inclusive, counted in bytes
 * as they arrive (UTF-8, base64), 413 for a POST over it with the session kept, close 1009 for a
 * WebSocket message over it with the session ended.
 */
import { assert, CaseOutcome, defineChapter, fail, show, skip, unmet, type CaseDefinition } from "../../case.js";
import { encodeBase64 } from "../../../protocol/base64.js";
import { performance } from "node:perf_hooks";
import type { CaseContext } from "../../runner/context.js";
import { ALIVE } from "../../checks/alive.js";
import { expectEchoed, pollMessages, pollUntil } from "../../checks/echo.js";
import { expectWsSessionGone, refused } from "../../checks/gone.js";
import { nextFrame, postTolerant } from "../../client/reading.js";
import { PRECONDITIONS as P } from "../../preconditions.js";

/** The advertised maxPayload, or a skip when it is unknown or too large to send in a test. */
function maxPayload(ctx: CaseContext): number {
  const max = ctx.handshake.maxPayload;
  if (max === undefined) skip("the handshake advertised no maxPayload");
  if (max > 64 * 1024 * 1024) skip(`maxPayload ${max} is too large to test`);
  return max;
}

/**
 * A POST over the limit. A MUST (EIO4-HANDSHAKE-08: the advertised maxPayload is the one
 * applied): it is refused, with a `4xx`, and nothing of it is delivered. SHOULDs (EIO4-LIMIT-02),
 * reported as warnings: the status `413`, and the session kept open. A session found gone only
 * after its heartbeat could have timed out (a slow run: no pong was sent) proves nothing, so the
 * check is repeated on a new session, at most three times.
 */
async function refusedButAlive(ctx: CaseContext, body: string, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const session = await ctx.engine.openPolling();
    const openedAt = performance.now();
    const res = await postTolerant(session, body);
    if (res !== "dropped") {
      if (!refused(res))
        fail(`${what} was not refused: ${res.status}`, {
          expected: "413",
          observed: `${res.status} ${res.text.slice(0, 120)}`,
        });
      if (res.status !== 413)
        ctx.softFail(`${what} was refused with ${res.status}, not 413 (EIO4-LIMIT-02)`, {
          expected: "413",
          observed: `${res.status} ${res.text.slice(0, 120)}`,
        });
    } else
      ctx.softFail(`${what} got no answer, not 413 (EIO4-LIMIT-02)`, {
        expected: "413",
        observed: "connection dropped",
      });
    const alive = await postTolerant(session, `4${ALIVE}`);
    const gone = alive !== "dropped" && refused(alive);
    const slow = performance.now() - openedAt > ctx.handshake.pingInterval;
    if (gone && slow && attempt < 3) {
      ctx.note(
        `the session was gone ${Math.round(performance.now() - openedAt)} ms after it opened, when its heartbeat may have timed out; trying again`,
      );
      continue;
    }
    if (gone) {
      // Note to EIO4-LIMIT-02: a server that closes the session instead is only warned.
      ctx.softFail(`the session was closed after ${what} (EIO4-LIMIT-02)`, {
        expected: "the session stays open",
        observed: `${alive.status} ${alive.text.slice(0, 80)}`,
      });
      return;
    }
    if (alive === "dropped" || alive.status !== 200 || alive.text !== "ok")
      unmet(P.postOk, `a POST after ${what} was not answered 200 ok`, {
        expected: "200 ok",
        observed: alive === "dropped" ? "connection dropped" : `${alive.status} ${alive.text.slice(0, 120)}`,
      });
    let polled;
    try {
      polled = await pollUntil(ctx, session, (m) => m.some((p) => p.data === ALIVE), `the echo of ${ALIVE}`);
    } catch (err) {
      if (attempt < 3 && performance.now() - openedAt > ctx.handshake.pingInterval) {
        ctx.note(
          "the session ended while the runner was slow to poll (its heartbeat may have timed out); trying again",
        );
        continue;
      }
      throw err;
    }
    ctx.equal(polled.messages.filter((m) => m.data !== ALIVE).length, 0, `messages delivered from ${what}`);
    return;
  }
}

/**
 * POSTs `body` (at the limit), expects it accepted (`200`; the body `ok` is a precondition) and
 * the echo of `data`. A session that ends before its echo is polled, when the heartbeat may have
 * timed out during a slow upload (no pong can be sent while the POST is in flight), is retried on
 * a new session, at most three times.
 */
async function echoedAtLimit(ctx: CaseContext, body: string, data: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const session = await ctx.engine.openPolling();
    const openedAt = performance.now();
    const res = await session.post(body);
    ctx.equal(res.status, 200, `status of a POST of exactly maxPayload (${Buffer.byteLength(body)}) bytes`);
    if (res.text !== "ok")
      unmet(
        P.postOk,
        `the POST of exactly maxPayload bytes was answered 200 ${JSON.stringify(res.text.slice(0, 60))}`,
        { expected: "200 ok", observed: `200 ${res.text.slice(0, 120)}` },
      );
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
    const summary = (v: unknown) =>
      typeof v === "string"
        ? `${v.length} characters${v === data ? "" : `, starting ${show(v.slice(0, 20))}`}`
        : String(v);
    await expectEchoed(ctx, summary(echoed), summary(data), "the echoed message");
    return;
  }
}

/**
 * A WebSocket message over the limit. A MUST (EIO4-HANDSHAKE-08): it is not accepted — the
 * WebSocket closes and nothing comes back. SHOULDs (EIO4-LIMIT-03), warned: the close code 1009,
 * and the session ended.
 */
function wsOver(
  id: string,
  title: string,
  rules: string[],
  level: "MUST" | "SHOULD",
  frame: (max: number) => string | Uint8Array,
): CaseDefinition {
  return {
    id,
    title,
    rules,
    level,
    requires: ["websocket"],
    async run(ctx) {
      const data = frame(maxPayload(ctx));
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send(data);
      const closed = await Promise.race([
        socket.ws.closed,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), ctx.answerTimeoutMs)),
      ]);
      const size = (f: string | Uint8Array) => (typeof f === "string" ? f.length : f.byteLength);
      const echoes = socket.ws.inbox.items.filter((f) => size(f) >= size(data));
      ctx.equal(echoes.length, 0, "echoes of the message over maxPayload");
      if (!closed) {
        ctx.softFail("the WebSocket stayed open after a message over maxPayload (EIO4-LIMIT-03)", {
          expected: "closed with 1009",
          observed: "still open",
        });
        return;
      }
      if (closed.code !== 1009)
        ctx.softFail(`the close code is ${closed.code}, not 1009 (EIO4-LIMIT-03)`, {
          expected: "1009",
          observed: String(closed.code),
        });
      try {
        await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "a message over maxPayload");
      } catch (err) {
        if (!(err instanceof CaseOutcome) || err.verdict !== "fail" || err.precondition) throw err;
        ctx.softFail(`${err.reason} (EIO4-LIMIT-03, EIO4-WS-09)`, err.details);
      }
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
    title: "A POST over maxPayload is refused and not delivered (with 413, the session kept open)",
    rules: ["EIO4-LIMIT-02", "EIO4-HANDSHAKE-08"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      // Over the limit however a server counts it: its second message alone is maxPayload + 1 bytes.
      await refusedButAlive(ctx, "4first\x1e4" + "x".repeat(max + 1), "a POST of more than maxPayload bytes");
    },
  },
  {
    id: "eio4.limit.post-multibyte-over",
    title: "The limit counts bytes: fewer than maxPayload characters but more bytes is refused (with 413)",
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
    rules: ["EIO4-LIMIT-01", "EIO4-PACKET-08", "EIO4-HANDSHAKE-08"],
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
    title: "A binary message counts with its base64: data under maxPayload, encoded over it, is refused (with 413)",
    rules: ["EIO4-LIMIT-01", "EIO4-LIMIT-02"],
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
      await expectEchoed(
        ctx,
        typeof echo === "string" ? echo.length : -1,
        max,
        "length of the echoed text frame",
        "websocket",
      );
    },
  },
  {
    id: "eio4.limit.ws-binary-exact",
    title: "A binary WebSocket message of exactly maxPayload bytes is accepted and echoed",
    rules: ["EIO4-LIMIT-01", "EIO4-HANDSHAKE-08"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const max = maxPayload(ctx);
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send(new Uint8Array(max).fill(9));
      const echo = await nextFrame(socket, "the echo");
      await expectEchoed(
        ctx,
        typeof echo === "string" ? -1 : echo.byteLength,
        max,
        "length of the echoed binary frame",
        "websocket",
        true,
      );
    },
  },
  wsOver(
    "eio4.limit.ws-over",
    "A text WebSocket message of maxPayload + 1 bytes is not accepted (closed with 1009, the session ended)",
    ["EIO4-HANDSHAKE-08", "EIO4-LIMIT-03", "EIO4-WS-09"],
    "MUST",
    (max) => "4" + "z".repeat(max),
  ),
  wsOver(
    "eio4.limit.ws-binary-over",
    "A binary WebSocket message of maxPayload + 1 bytes is not accepted (closed with 1009)",
    ["EIO4-LIMIT-03", "EIO4-WS-09"],
    "SHOULD",
    (max) => new Uint8Array(max + 1),
  ),
  wsOver(
    "eio4.limit.ws-multibyte-over",
    "The WebSocket limit counts bytes: fewer characters than maxPayload but more bytes is not accepted",
    ["EIO4-LIMIT-01", "EIO4-LIMIT-03", "EIO4-WS-09"],
    "MUST",
    (max) => "4" + "€".repeat(Math.ceil(max / 3)),
  ),
]);
