/**
 * Engine.IO v4, chapter PACKET: the text form of each packet, binary messages, what a server
 * must refuse (unknown types, data on dataless types) and what it must ignore. Also home of the
 * small polling and WebSocket helpers the transport chapters share (payload, polling, ws,
 * limits, errors): reading echoes while answering pings, and telling an open session from a
 * closed one.
 */
import { performance } from "node:perf_hooks";
import { assert, CaseOutcome, defineChapter, fail, show } from "../../case.js";
import { decodeBody, type EngineIOv4Packet, type EngineSocket, type PollingSession } from "../../client/engine.js";
import type { HttpRequest, HttpResponse } from "../../client/http.js";
import type { CaseContext } from "../../runner/context.js";

// ---- shared helpers of the transport chapters ------------------------------------------------

/** The text message the liveness checks send and expect back from the echo server. */
export const ALIVE = "sockspec-alive";

/** A message packet (the only kind the echo server sends back). */
export type MessagePacket = Extract<EngineIOv4Packet, { type: "message" }>;

/** The polled packets, with the raw responses that carried them. */
export interface Polled {
  /** Message packets only, in the order they arrived. */
  messages: MessagePacket[];
  /** Every packet, pings included. */
  packets: EngineIOv4Packet[];
  responses: HttpResponse[];
}

/**
 * Polls until `enough(messages)` holds, answering each ping with a pong so the session outlives
 * the wait. Fails when the session closes first, a poll is refused, or time runs out.
 */
export async function pollUntil(ctx: CaseContext, session: PollingSession, enough: (messages: MessagePacket[]) => boolean, what: string): Promise<Polled> {
  const out: Polled = { messages: [], packets: [], responses: [] };
  const deadline = performance.now() + ctx.answerTimeoutMs * 2;
  for (let polls = 0; !enough(out.messages); polls++) {
    if (polls > 200 || performance.now() > deadline) fail(`${what} did not arrive`, { expected: what, observed: show(out.messages.map((m) => m.data)) });
    const { packets, response } = await session.get();
    out.responses.push(response);
    out.packets.push(...packets);
    let ping = false;
    for (const p of packets) {
      if (p.type === "message") out.messages.push(p);
      else if (p.type === "ping") ping = true;
      else if (p.type === "close") fail(`the session closed before ${what} arrived`, { expected: what, observed: show(response.text.slice(0, 200)) });
    }
    if (ping && !enough(out.messages)) await session.post("3");
  }
  return out;
}

/** Polls until `count` messages have arrived (see {@link pollUntil}). */
export function pollMessages(ctx: CaseContext, session: PollingSession, count: number, what: string): Promise<Polled> {
  return pollUntil(ctx, session, (m) => m.length >= count, what);
}

/** Sends a POST, reporting a connection the server dropped as `"dropped"` instead of failing. */
export async function postTolerant(session: PollingSession, body: string | Uint8Array, req: Omit<HttpRequest, "query" | "method" | "body"> = {}): Promise<HttpResponse | "dropped"> {
  try {
    return await session.post(body, req);
  } catch (err) {
    if (err instanceof CaseOutcome && err.details.observed?.startsWith("connection error")) return "dropped";
    throw err;
  }
}

/** The error code of an Engine.IO error body, or undefined when the body is not one. */
export function errorCode(res: HttpResponse): number | undefined {
  try {
    const code = (JSON.parse(res.text) as { code?: unknown }).code;
    return typeof code === "number" ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a polling session still serves polls: `"gone"` once a GET is refused with code 1
 * (after any close packet the server still owed a GET, EIO4-CLOSE-05), `"open"` when a GET is
 * answered with anything but the close packet. Call it with no GET of the session pending.
 */
export async function sessionState(ctx: CaseContext, session: PollingSession): Promise<"open" | "gone"> {
  for (let i = 0; i < 3; i++) {
    const res = await ctx.http.request({ path: ctx.engine.options.path, query: session.query() });
    if (res.status === 400 && errorCode(res) === 1) return "gone";
    if (res.status !== 200) fail(`a poll of the session got ${res.status} instead of 200 or the code 1 refusal`, { expected: `200, or 400 {"code":1,...}`, observed: `${res.status} ${res.text.slice(0, 120)}` });
    if (!decodeBody(res).some((p) => p.type === "close")) return "open";
  }
  fail("the server keeps answering polls after it sent the close packet", { expected: `400 {"code":1,...}`, observed: "200 again" });
}

/** Fails unless the session has been closed (see {@link sessionState}). */
export async function expectClosed(ctx: CaseContext, session: PollingSession, why: string): Promise<void> {
  if ((await sessionState(ctx, session)) === "open") fail(`the session is still open after ${why}`, { expected: "the session closed (a later poll gets code 1)", observed: "a poll was served" });
}

/** Fails unless the session still echoes: a POST of {@link ALIVE} is accepted and echoed back. */
export async function expectAlive(ctx: CaseContext, session: PollingSession, why: string): Promise<Polled> {
  const post = await session.post([{ type: "message", data: ALIVE }]);
  if (post.status !== 200) fail(`the session did not survive ${why}: a POST got ${post.status}`, { expected: "200 ok", observed: `${post.status} ${post.text.slice(0, 120)}` });
  return pollUntil(ctx, session, (m) => m.some((p) => p.data === ALIVE), `the echo of ${ALIVE} after ${why}`);
}

/** Opens a polling session, POSTs `body`, and fails unless the server answers `200 ok`. */
export async function postOk(ctx: CaseContext, body: string | readonly EngineIOv4Packet[]): Promise<PollingSession> {
  const session = await ctx.engine.openPolling();
  const res = await session.post(body);
  ctx.equal(`${res.status} ${res.text}`, "200 ok", "answer to the POST");
  return session;
}

/** The next packet on a WebSocket that is not a ping; pings are answered on the way. */
export async function nextNonPing(socket: EngineSocket, what: string, timeoutMs?: number): Promise<EngineIOv4Packet> {
  for (;;) {
    const p = await socket.nextPacket({ what, ...(timeoutMs ? { timeoutMs } : {}) });
    if (p.type !== "ping") return p;
    socket.send({ type: "pong" });
  }
}

/** The next data frame on a WebSocket that is not the ping `2`; pings are answered on the way. */
export async function nextFrame(socket: EngineSocket, what: string): Promise<string | Uint8Array> {
  for (;;) {
    const f = await socket.ws.next({ what });
    if (f !== "2") return f;
    socket.send({ type: "pong" });
  }
}

/**
 * Answers every ping `2` that arrives on `socket` from now on, in the background, so the session
 * lives while the case watches something else. Other frames stay in the inbox.
 */
export function answerPings(socket: EngineSocket): void {
  void (async () => {
    while (!socket.ws.isClosed) {
      try {
        await socket.ws.nextMatching((f) => f === "2", { timeoutMs: 60_000, what: "a ping" });
      } catch {
        return;
      }
      socket.send({ type: "pong" });
    }
  })();
}

/**
 * Fails unless the WebSocket session `sid` is over: its socket ends within one answer timeout,
 * and a poll naming the sid is refused with code 1 (not code 3, which means it still lives).
 */
export async function expectWsSessionGone(ctx: CaseContext, socket: EngineSocket, sid: string, why: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([socket.ws.closed, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ctx.answerTimeoutMs)))]);
  clearTimeout(timer);
  if (!ended) fail(`the WebSocket stayed open after ${why}`, { expected: "the server closes the WebSocket", observed: "still open" });
  const until = performance.now() + ctx.grace(ctx.handshake.pingInterval);
  for (;;) {
    const res = await ctx.http.request({ query: { EIO: "4", transport: "polling", sid } });
    if (res.status === 400 && errorCode(res) === 1) return;
    if (performance.now() > until) fail(`the session outlived its WebSocket after ${why}`, { expected: `400 {"code":1,...}`, observed: `${res.status} ${res.text.slice(0, 120)}` });
    await ctx.sleep(20);
  }
}

/** A message's data in a form that compares text with text and bytes with bytes: `"text"` or `<hex>`. */
export function dataOf(p: EngineIOv4Packet): string {
  if (p.type !== "message") return `(${p.type} packet)`;
  return typeof p.data === "string" || p.data === undefined ? JSON.stringify(p.data ?? "") : `<${Buffer.from(p.data).toString("hex")}>`;
}

/** A WebSocket frame as comparable text: a text frame quoted, a binary frame as `<hex>`. */
export function frameOf(f: string | Uint8Array): string {
  return typeof f === "string" ? JSON.stringify(f) : `<${Buffer.from(f).toString("hex")}>`;
}

/** A fresh polling session for each input: each one must be closed as a protocol error. */
async function eachClosesSession(ctx: CaseContext, bodies: string[]): Promise<void> {
  for (const body of bodies) {
    const session = await ctx.engine.openPolling();
    await postTolerant(session, body);
    await expectClosed(ctx, session, `the invalid payload ${show(body)}`);
  }
}

/** POSTs each message in its own payload and checks the echoes come back as sent, in order. */
async function echoesPolling(ctx: CaseContext, body: string, expected: Array<string | Uint8Array>): Promise<Polled> {
  const session = await postOk(ctx, body);
  const polled = await pollMessages(ctx, session, expected.length, "the echo");
  ctx.deepEqual(polled.messages.map((m) => dataOf(m)), expected.map((d) => dataOf({ type: "message", data: d })), `echo of ${show(body)}`);
  return polled;
}

// ---- the cases --------------------------------------------------------------------------------

export const packetCases = defineChapter("engine.io v4 / packet", [
  {
    id: "eio4.packet.text-echo",
    title: "A text message posted over polling is delivered with its data intact",
    rules: ["EIO4-PACKET-02", "EIO4-PACKET-09", "EIO4-POLLING-01"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      await echoesPolling(ctx, "4hello", ["hello"]);
    },
  },
  {
    id: "eio4.packet.data-after-type",
    title: "Only the first character is the type: `42` is the message `2`, `4 x` the message ` x`",
    rules: ["EIO4-PACKET-06"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      for (const [body, data] of [["42", "2"], ["4 x", " x"], ["44", "4"], ["41", "1"]] as const) await echoesPolling(ctx, body, [data]);
    },
  },
  {
    id: "eio4.packet.looks-binary-text",
    title: "A text message whose data looks like base64 stays a text message",
    rules: ["EIO4-PACKET-06", "EIO4-PACKET-02"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { responses } = await echoesPolling(ctx, "4bAQIDBA==", ["bAQIDBA=="]);
      ctx.assert(responses.some((r) => r.text.split("\x1e").includes("4bAQIDBA==")), "the echo is not the text record 4bAQIDBA==", { expected: "4bAQIDBA==", observed: show(responses.map((r) => r.text)) });
    },
  },
  {
    id: "eio4.packet.empty-message",
    title: "The empty text message `4` is a valid message and comes back as `4`",
    rules: ["EIO4-PACKET-09", "EIO4-PACKET-02"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { responses } = await echoesPolling(ctx, "4", [""]);
      ctx.assert(responses.some((r) => r.text.split("\x1e").includes("4")), "the empty message was not echoed as the record 4", { expected: "4", observed: show(responses.map((r) => r.text)) });
    },
  },
  {
    id: "eio4.packet.utf8-polling",
    title: "Multi-byte UTF-8 (é, €, 😀) crosses polling both ways with every byte intact",
    rules: ["EIO4-PACKET-08", "EIO4-PAYLOAD-09"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const text = "h€llo 😀 é";
      const { responses } = await echoesPolling(ctx, "4" + text, [text]);
      const want = Buffer.from("4" + text, "utf8");
      ctx.assert(responses.some((r) => Buffer.from(r.bytes).includes(want)), "the echoed bytes differ from the UTF-8 encoding", { expected: want.toString("hex"), observed: responses.map((r) => Buffer.from(r.bytes).toString("hex")).join(" ") });
    },
  },
  {
    id: "eio4.packet.utf8-websocket",
    title: "Multi-byte UTF-8 (é, €, 😀) crosses a WebSocket both ways intact",
    rules: ["EIO4-PACKET-08", "EIO4-WS-03"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("4h€llo 😀 é");
      ctx.equal(await nextFrame(socket, "the echo"), "4h€llo 😀 é", "the echoed frame");
    },
  },
  {
    id: "eio4.packet.binary-polling",
    title: "A binary message travels over polling as `b` + base64, both ways",
    rules: ["EIO4-PACKET-03", "EIO4-PAYLOAD-02", "EIO4-PACKET-09"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { responses } = await echoesPolling(ctx, "bAQIDBA==", [new Uint8Array([1, 2, 3, 4])]);
      ctx.assert(responses.some((r) => r.text.split("\x1e").includes("bAQIDBA==")), "the binary echo is not the record bAQIDBA==", { expected: "bAQIDBA==", observed: show(responses.map((r) => r.text)) });
    },
  },
  {
    id: "eio4.packet.binary-empty-polling",
    title: "The record `b` is an empty binary message and comes back as `b`",
    rules: ["EIO4-PAYLOAD-02", "EIO4-PACKET-09"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { responses } = await echoesPolling(ctx, "b", [new Uint8Array()]);
      ctx.assert(responses.some((r) => r.text.split("\x1e").includes("b")), "the empty binary echo is not the record b", { expected: "b", observed: show(responses.map((r) => r.text)) });
    },
  },
  {
    id: "eio4.packet.binary-websocket",
    title: "A binary frame is a message of exactly its bytes, echoed as a binary frame",
    rules: ["EIO4-PACKET-04", "EIO4-PACKET-03", "EIO4-WS-03"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      // Bytes that would mean something as text: the digit 4, 0x1e, and invalid UTF-8.
      const data = new Uint8Array([0x34, 0x1e, 0xff, 0x00, 0x32]);
      socket.ws.send(data);
      ctx.deepEqual(await nextFrame(socket, "the binary echo"), data, "the echoed frame");
    },
  },
  {
    id: "eio4.packet.binary-empty-websocket",
    title: "An empty binary frame is a valid empty binary message",
    rules: ["EIO4-PACKET-09", "EIO4-PACKET-04"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send(new Uint8Array());
      ctx.deepEqual(await nextFrame(socket, "the empty binary echo"), new Uint8Array(), "the echoed frame");
    },
  },
  {
    id: "eio4.packet.unknown-type-polling",
    title: "A record of unknown type (`7`, `abc`, `9hello`) closes the session",
    rules: ["EIO4-PACKET-05", "EIO4-PACKET-01"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      await eachClosesSession(ctx, ["7", "abc", "9hello"]);
    },
  },
  {
    id: "eio4.packet.unknown-type-websocket",
    title: "A text frame of unknown type (`7`) closes the session",
    rules: ["EIO4-PACKET-05", "EIO4-WS-06"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("7");
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "the frame 7");
    },
  },
  {
    id: "eio4.packet.empty-frame-websocket",
    title: "An empty text frame is a packet of no type and closes the session",
    rules: ["EIO4-PACKET-05", "EIO4-WS-06"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      socket.ws.send("");
      await expectWsSessionGone(ctx, socket, socket.handshake!.sid, "an empty text frame");
    },
  },
  {
    id: "eio4.packet.dataless-types",
    title: "Close, upgrade and noop with data (`1x`, `5x`, `6x`) are protocol errors",
    rules: ["EIO4-PACKET-07"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      for (const body of ["1x", "5x", "6x"]) {
        const session = await ctx.engine.openPolling();
        await postTolerant(session, body);
        // Note to EIO4-PACKET-07: a server that ignores the data is only warned.
        ctx.accept(await sessionState(ctx, session), { gone: "pass", open: "warn" }, `the session after ${body}`);
      }
    },
  },
  {
    id: "eio4.packet.ignored-types",
    title: "A noop or upgrade packet from the client outside an upgrade is ignored",
    rules: ["EIO4-PACKET-11", "EIO4-PACKET-10"],
    level: "SHOULD",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      for (const [record, label] of [["6", "noop"], ["5", "upgrade"]] as const) {
        const session = await ctx.engine.openPolling();
        const res = await session.post(`${record}\x1e4after-${label}`);
        ctx.equal(res.status, 200, `status of a POST holding a ${label} packet`);
        const { messages } = await pollMessages(ctx, session, 1, `the message after the ${label} packet`);
        ctx.equal(messages[0]?.data, `after-${label}`, `the message after the ${label} packet`);
      }
    },
  },
  {
    id: "eio4.packet.pong-with-data",
    title: "A pong with data other than probe is a plain pong: the session goes on",
    rules: ["EIO4-PACKET-13", "EIO4-HEARTBEAT-07"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      ctx.equal((await session.post("3hello")).status, 200, "status of the POST of 3hello");
      await expectAlive(ctx, session, "the pong 3hello");
    },
  },
  {
    id: "eio4.packet.order-websocket",
    title: "Twenty messages, text and binary mixed, are echoed in the order sent",
    rules: ["EIO4-PACKET-09", "EIO4-WS-02"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const sent: Array<string | Uint8Array> = [];
      for (let i = 0; i < 20; i++) sent.push(i % 2 ? new Uint8Array([i, 0xff - i]) : `4m${i}`);
      for (const f of sent) socket.ws.send(f);
      const got: Array<string | Uint8Array> = [];
      for (let i = 0; i < sent.length; i++) got.push(await nextFrame(socket, `echo ${i + 1} of ${sent.length}`));
      assert(got.length === sent.length, "echo count");
      ctx.deepEqual(got.map(frameOf), sent.map(frameOf), "the echoed frames in order");
    },
  },
]);
