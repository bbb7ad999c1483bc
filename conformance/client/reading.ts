/**
 * Reading what an Engine.IO server sends, for the cases of every transport chapter: polling until
 * enough messages arrived (answering pings so the session outlives the wait), the next frame or
 * packet of a WebSocket that is not a ping, and one comparable form for text and binary data.
 * Nothing here judges a rule; a poll refused or a body that does not decode is a precondition of
 * the client (conformance/client/engine.ts), and so is an echo that does not work when a poll
 * waits in vain (conformance/checks/echo.ts).
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, fail, show, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
// A cycle, harmless (both sides only call each other at run time): the echo's witnesses poll with this module's plain helpers.
import { decodeBody, type EngineIOv4Packet, type EngineSocket, type PollingSession } from "./engine.js";
import type { HttpRequest, HttpResponse } from "./http.js";

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
 * Polls until `enough(messages)` holds (the echo-aware `pollUntil` of conformance/checks/echo.ts
 * asks the echo's witnesses on a failure; this one does not on a failure (the witnesses use it, with
 * a few polls at most: `maxPolls`).
 */
export async function pollUntilPlain(
  ctx: CaseContext,
  session: PollingSession,
  enough: (messages: MessagePacket[]) => boolean,
  what: string,
  maxPolls = 200,
): Promise<Polled> {
  const out: Polled = { messages: [], packets: [], responses: [] };
  const deadline = performance.now() + ctx.answerTimeoutMs * 2;
  for (let polls = 0; !enough(out.messages); polls++) {
    if (polls >= maxPolls || performance.now() > deadline)
      fail(`${what} did not arrive`, { expected: what, observed: show(out.messages.map((m) => m.data)) });
    const response = await ctx.http.request({ path: ctx.engine.options.path, query: session.query() });
    // A refused poll means the session ended: the wait failed (not a precondition of the poll).
    if (response.status >= 400 && response.status < 500)
      fail(`the session ended (a poll got ${response.status}) before ${what} arrived`, {
        expected: what,
        observed: `${response.status} ${response.text.slice(0, 120)}`,
      });
    if (response.status !== 200)
      unmet(P.pollAnswered, `a poll got status ${response.status} while waiting for ${what}`, {
        expected: "200",
        observed: `${response.status} ${response.text.slice(0, 120)}`,
      });
    const packets = decodeBody(response);
    out.responses.push(response);
    out.packets.push(...packets);
    let ping = false;
    for (const p of packets) {
      if (p.type === "message") out.messages.push(p);
      else if (p.type === "ping") ping = true;
      else if (p.type === "close")
        fail(`the session closed before ${what} arrived`, {
          expected: what,
          observed: show(response.text.slice(0, 200)),
        });
    }
    if (ping) await session.post("3");
  }
  return out;
}

/** Polls until `count` messages have arrived, with `maxPolls` polls at most (see {@link pollUntilPlain}). */
export function pollMessagesPlain(
  ctx: CaseContext,
  session: PollingSession,
  count: number,
  what: string,
  maxPolls?: number,
): Promise<Polled> {
  return pollUntilPlain(ctx, session, (m) => m.length >= count, what, maxPolls);
}

/** Sends a POST, reporting a connection the server dropped as `"dropped"` instead of failing. */
export async function postTolerant(
  session: PollingSession,
  body: string | Uint8Array,
  req: Omit<HttpRequest, "query" | "method" | "body"> = {},
): Promise<HttpResponse | "dropped"> {
  try {
    return await session.post(body, req);
  } catch (err) {
    if (err instanceof CaseOutcome && err.details.observed?.startsWith("connection error")) return "dropped";
    throw err;
  }
}

/** Opens a polling session and POSTs `body`, which must be accepted with `200 ok` (a precondition). */
export async function postOk(ctx: CaseContext, body: string | readonly EngineIOv4Packet[]): Promise<PollingSession> {
  const session = await ctx.engine.openPolling();
  await session.send(body);
  return session;
}

/**
 * Whether this server answers a held GET as soon as it has a packet for it (EIO4-POLLING-19), as
 * far as one try on a fresh session shows: a GET is held, a message is posted to the echo, and
 * the GET must bring its echo within half a pingInterval, and not together with a ping. Asked
 * once per case.
 */
export function wakesHeldGet(ctx: CaseContext): Promise<boolean> {
  let asked = wakes.get(ctx);
  if (!asked) {
    asked = (async () => {
      const session = await ctx.engine.openPolling();
      const pending = session.get();
      pending.catch(() => undefined);
      await new Promise((r) => setTimeout(r, ctx.scale(50)));
      await session.send("4sockspec-wake");
      const timer = new Promise<undefined>((r) => setTimeout(() => r(undefined), ctx.handshake.pingInterval / 2));
      const got = await Promise.race([pending, timer]);
      // A GET that the ping released (it carries one) was not woken by the message.
      return got?.packets.some((p) => p.type === "message") === true && !got.packets.some((p) => p.type === "ping");
    })();
    wakes.set(ctx, asked);
  }
  return asked;
}

const wakes = new WeakMap<CaseContext, Promise<boolean>>();

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

/** A message's data in a form that compares text with text and bytes with bytes: `"text"` or `<hex>`. */
export function dataOf(p: EngineIOv4Packet): string {
  if (p.type !== "message") return `(${p.type} packet)`;
  return typeof p.data === "string" || p.data === undefined
    ? JSON.stringify(p.data ?? "")
    : `<${Buffer.from(p.data).toString("hex")}>`;
}

/** A WebSocket frame as comparable text: a text frame quoted, a binary frame as `<hex>`. */
export function frameOf(f: string | Uint8Array): string {
  return typeof f === "string" ? JSON.stringify(f) : `<${Buffer.from(f).toString("hex")}>`;
}

/**
 * A POST body with no effect a case would have to account for: a message, which the echo endpoint
 * sends back, or, on a server with no bare Engine.IO echo (the engine path is then the Socket.IO
 * one, where a stray message is an invalid Socket.IO packet), a pong. A pong nobody asked for is
 * EIO4-HEARTBEAT-07's matter, so the message is preferred wherever there is an echo.
 */
export function neutralPost(ctx: CaseContext): string {
  return ctx.features.has("engine-echo") ? "4sockspec-post" : "3";
}
