/**
 * Raw Socket.IO v5 sessions for the conformance cases: the Engine.IO session under the
 * Socket.IO endpoint, with every Engine.IO message kept as it came (text as text, attachments
 * as bytes) so a case can compare exact bytes and send malformed text. A background pump
 * answers pings, so only the rule under test can end the session, and records how the
 * session ended (close packet over polling, WebSocket close) for the chapter ERROR cases.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, fail, show } from "../../case.js";
import type { EngineIOv4Packet, PollingSession } from "../../client/engine.js";
import { Inbox } from "../../client/inbox.js";
import { pollingLink, webSocketLink, type EngineLink } from "../../client/socketio.js";
import type { CaseContext } from "../../runner/context.js";
import { encode, type SocketIOv5Packet } from "../../../protocol/socket.io/v5.js";

/** One Engine.IO message: text, or the bytes of a binary message. */
export type Message = string | Uint8Array;

/** How a session ended, as the client saw it. */
export interface Ending {
  /** `close-packet`: a poll brought `1`; `ws-closed`: the WebSocket closed; `poll-failed`: a poll was refused. */
  how: "close-packet" | "ws-closed" | "poll-failed" | "bad-frame";
  detail: string;
  /** performance.now() when it was seen. */
  at: number;
}

export type Transport = "websocket" | "polling";

/** A raw Socket.IO session (see the module comment). */
export class RawSession {
  /** Every Engine.IO message received and not yet taken. */
  readonly messages: Inbox<Message>;
  /** How many pings the server sent (each was answered). */
  pings = 0;
  /** performance.now() of the last ping. */
  lastPingAt = 0;
  /** performance.now() when the Engine.IO open packet was read. */
  readonly openedAt: number;
  ending: Ending | undefined;
  private readonly endWaiters: Array<() => void> = [];
  private readonly pingWaiters: Array<() => void> = [];

  constructor(
    private readonly ctx: CaseContext,
    readonly transport: Transport,
    readonly link: EngineLink,
    /** The Engine.IO session ID. */
    readonly sid: string,
    /** The polling session, when the transport is polling. */
    readonly polling: PollingSession | undefined,
  ) {
    this.openedAt = performance.now();
    this.messages = new Inbox(`the Socket.IO session ${link.label}`, ctx.answerTimeoutMs);
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const p = await this.link.next({ timeoutMs: 2 ** 31 - 1, what: "the next packet" });
        if (p.type === "ping") {
          this.pings++;
          this.lastPingAt = performance.now();
          this.link.send([{ type: "pong", ...(p.data !== undefined ? { data: p.data } : {}) }]);
          this.pingWaiters.splice(0).forEach((f) => f());
        } else if (p.type === "message") {
          // Texts are kept in the spec's notation, with the Engine.IO message type in front.
          const data = p.data ?? "";
          this.messages.push(typeof data === "string" ? `4${data}` : data);
        } else if (p.type === "close") {
          this.finish({ how: "close-packet", detail: "a poll brought the close packet 1", at: performance.now() });
          return;
        }
      }
    } catch (err) {
      const reason = err instanceof CaseOutcome ? err.reason : (err as Error).message;
      const how = this.transport === "websocket" ? (/does not decode/.test(reason) ? "bad-frame" : "ws-closed") : "poll-failed";
      this.finish({ how, detail: reason, at: performance.now() });
    }
  }

  private finish(ending: Ending): void {
    if (this.ending) return;
    this.ending = ending;
    this.ctx.note(`session ${this.sid} ended: ${ending.detail}`);
    this.messages.end(`ended (${ending.detail})`);
    this.endWaiters.splice(0).forEach((f) => f());
    this.pingWaiters.splice(0).forEach((f) => f());
  }

  /**
   * Sends Engine.IO messages in order (WebSocket: a frame each; polling: one POST for all).
   * Texts are written as in the spec, with the message type: `42["a"]` sends the Socket.IO
   * packet `2["a"]`; bytes are binary messages.
   */
  send(...messages: Message[]): void {
    this.link.send(
      messages.map((m): EngineIOv4Packet => {
        if (typeof m !== "string") return { type: "message", data: m };
        if (!m.startsWith("4")) throw new Error(`a case sends ${JSON.stringify(m)}: texts start with the message type 4`);
        return { type: "message", data: m.slice(1) };
      }),
    );
  }

  /** Sends one packet through the codec (text, then its attachments). */
  sendPacket(packet: SocketIOv5Packet): void {
    const [text, ...attachments] = encode(packet);
    this.send(`4${text}`, ...attachments);
  }

  /** The next message, whatever it is; fails the case if the session ends first or nothing comes. */
  next(what: string, timeoutMs?: number): Promise<Message> {
    return this.messages.take(() => true, { what, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  }

  /** The next message, which must be text. */
  async nextText(what: string, timeoutMs?: number): Promise<string> {
    const m = await this.next(what, timeoutMs);
    if (typeof m !== "string") fail(`${what} is a binary message`, { expected: "a text message", observed: show(m) });
    return m;
  }

  /** The next message, which must be binary. */
  async nextBinary(what: string): Promise<Uint8Array> {
    const m = await this.next(what);
    if (typeof m === "string") fail(`${what} is the text ${show(m)}, expected a binary attachment`, { expected: "a binary message", observed: show(m) });
    return m;
  }

  /**
   * The next message must be exactly `expected` (an event's offset, when the server offers
   * recovery, is taken off first: see {@link stripOffset}).
   */
  async expectText(expected: string, what: string): Promise<string> {
    const text = await this.nextText(what);
    const seen = stripOffset(this.ctx, text);
    if (seen !== expected) fail(`${what} is ${show(text)}`, { expected, observed: text });
    return text;
  }

  /** The next message must be these bytes. */
  async expectBinary(expected: Uint8Array, what: string): Promise<void> {
    const bytes = await this.nextBinary(what);
    this.ctx.deepEqual(bytes, expected, what);
  }

  /** Resolves when the session has ended, or after `ms`; true when it ended. */
  async waitEnd(ms: number): Promise<boolean> {
    if (this.ending) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.endWaiters.push(() => (clearTimeout(timer), resolve()));
    });
    return this.ending !== undefined;
  }

  /**
   * The session must end (within `ms`, default 2 s scaled) with no Socket.IO packet before the
   * end (SIO5-ERROR-02): the server answers a violation by closing, silently.
   */
  async expectClosed(what: string, ms = this.ctx.scale(2000)): Promise<Ending> {
    this.ctx.note(`expecting the session to close: ${what}`);
    const ended = await this.waitEnd(ms);
    if (!ended) {
      const got = this.messages.items.map((m) => show(m)).join(" ");
      fail(`the session stayed open after ${what}`, { expected: "the Engine.IO session closed", observed: `open after ${ms} ms${got ? `; received ${got}` : ""}` });
    }
    const said = this.messages.items.filter((m) => typeof m === "string") as string[];
    if (said.length) fail(`the server sent ${show(said.join(" "))} before closing the session after ${what}`, { expected: "the session closed with no Socket.IO packet", observed: said.join(" ") });
    return this.ending!;
  }

  /** The session must still be open after `ms` with no message sent meanwhile. */
  async expectSilence(ms: number, what: string): Promise<void> {
    const got = await this.messages.collect(ms);
    if (got.length) fail(`the server sent ${got.map((m) => show(m)).join(" ")} after ${what}`, { expected: "no packet", observed: got.map((m) => show(m)).join(" ") });
    if (this.ending) fail(`the session closed after ${what}`, { expected: "the session stays open", observed: this.ending.detail });
  }

  /**
   * Waits for the server's next ping (up to one heartbeat plus slack): it must come before any
   * message and before the session ends. Checks that a session left alone stays alive.
   */
  async expectPingNext(what: string): Promise<void> {
    const before = this.pings;
    const ms = this.ctx.answerTimeoutMs;
    if (!this.ending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.pingWaiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    const got = this.messages.items.map((m) => show(m));
    if (got.length) fail(`the server sent ${got.join(" ")} after ${what}`, { expected: "the next packet is a ping", observed: got.join(" ") });
    if (this.ending) fail(`the session closed after ${what}`, { expected: "the session stays open (next packet: ping 2)", observed: this.ending.detail });
    if (this.pings === before) fail(`no ping within ${ms} ms after ${what}`, { expected: "a ping 2", observed: "nothing" });
  }

  /**
   * Joins a namespace: sends `40<nsp>,<auth>` and expects the CONNECT reply (its payload is
   * returned) and then the echo app's `auth` event. Nothing is judged beyond the shape.
   */
  async join(nsp = "/", auth?: Record<string, unknown>): Promise<{ sid: string; pid?: string; reply: string }> {
    const prefix = nsp === "/" ? "" : `${nsp},`;
    this.send(`40${prefix}${auth === undefined ? "" : JSON.stringify(auth)}`);
    const reply = await this.nextText(`the CONNECT reply for ${nsp}`);
    const data = connectReply(reply, nsp);
    await this.expectText(`42${prefix}["auth",${JSON.stringify(auth ?? {})}]`, `the auth event on ${nsp}`);
    return { ...data, reply };
  }

  /** Drops the transport without a word (WebSocket terminated, polling abandoned). */
  async drop(): Promise<void> {
    await this.link.close();
  }
}

/**
 * Parses a CONNECT reply `40<nsp,>{...}` and returns its sid (and pid); fails the case when the
 * text is not a CONNECT on `nsp` with a string sid.
 */
export function connectReply(text: string, nsp: string): { sid: string; pid?: string } {
  const prefix = `40${nsp === "/" ? "" : `${nsp},`}`;
  if (!text.startsWith(prefix + "{")) fail(`the answer to CONNECT ${nsp} is ${show(text)}`, { expected: `${prefix}{"sid":"..."}`, observed: text });
  let data: unknown;
  try {
    data = JSON.parse(text.slice(prefix.length));
  } catch {
    fail(`the CONNECT reply's payload is not JSON`, { observed: text });
  }
  const o = data as { sid?: unknown; pid?: unknown };
  if (typeof o !== "object" || o === null || typeof o.sid !== "string") fail("the CONNECT reply has no string sid", { expected: `${prefix}{"sid":"..."}`, observed: text });
  return { sid: o.sid, ...(typeof o.pid === "string" ? { pid: o.pid } : {}) };
}

/**
 * With recovery offered, every EVENT the server sends without an ack carries its offset as the
 * last argument (SIO5-RECOVERY-02); cases of other chapters compare the text without it.
 * Returns the text unchanged when the server offers no recovery or the text is no event.
 */
export function stripOffset(ctx: CaseContext, text: string): string {
  if (!ctx.features.has("recovery")) return text;
  // Only events that ask for no ack: type 2 or 5, count, namespace, then the array at once.
  if (!/^4(?:2|5[1-9][0-9]*-)(?:\/[^,]*,)?\[/.test(text) || !text.endsWith('"]')) return text;
  const i = text.lastIndexOf(',"');
  return i < 0 ? text : text.slice(0, i) + "]";
}

/**
 * Opens an Engine.IO session at the Socket.IO path over `transport` (no namespace joined).
 * Over polling a GET is kept pending; the session is closed when the case ends.
 */
export async function openRaw(ctx: CaseContext, transport: Transport = "websocket"): Promise<RawSession> {
  const engine = ctx.engineAt(ctx.config.path);
  if (transport === "polling") {
    const session = await engine.openPolling();
    const link = pollingLink(session, ctx.answerTimeoutMs);
    const raw = new RawSession(ctx, transport, link, session.sid, session);
    track(ctx, raw);
    return raw;
  }
  const socket = await engine.openWebSocket();
  return new RawSession(ctx, transport, webSocketLink(socket), socket.handshake!.sid, undefined);
}

/** Polling links are not closed by the context itself: remember them and close them at the end. */
const open = new WeakMap<CaseContext, RawSession[]>();
function track(ctx: CaseContext, raw: RawSession): void {
  const list = open.get(ctx) ?? [];
  list.push(raw);
  open.set(ctx, list);
}

/** Closes the polling sessions a case opened (the WebSockets are closed by the context). */
export async function closeAll(ctx: CaseContext): Promise<void> {
  await Promise.allSettled((open.get(ctx) ?? []).map((r) => r.link.close()));
  open.delete(ctx);
}

/** Opens a session and joins `/`; the usual start of a case. */
export async function joined(ctx: CaseContext, transport: Transport = "websocket"): Promise<RawSession> {
  const s = await openRaw(ctx, transport);
  await s.join("/");
  return s;
}

/**
 * Runs `body` and closes the polling sessions it opened, however it ends.
 * @example `run: (ctx) => withSessions(ctx, async () => { ... })`
 */
export async function withSessions(ctx: CaseContext, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await closeAll(ctx);
  }
}

/** A case body that gets its own raw session joined to `/` and cleans up after itself. */
export function onJoined(transport: Transport, body: (ctx: CaseContext, s: RawSession) => Promise<void>): (ctx: CaseContext) => Promise<void> {
  return (ctx) => withSessions(ctx, async () => body(ctx, await joined(ctx, transport)));
}

/** A case body with a raw session (no namespace joined). */
export function onOpen(transport: Transport, body: (ctx: CaseContext, s: RawSession) => Promise<void>): (ctx: CaseContext) => Promise<void> {
  return (ctx) => withSessions(ctx, async () => body(ctx, await openRaw(ctx, transport)));
}

/**
 * The usual violation case: join `/`, send `texts` (one message each, in one POST over
 * polling), and expect the session to close with no packet before the close.
 */
export function violation(texts: Message[], what: string, transport: Transport = "websocket"): (ctx: CaseContext) => Promise<void> {
  return onJoined(transport, async (_ctx, s) => {
    s.send(...texts);
    await s.expectClosed(what);
  });
}

/** An attachment made of the given byte values. */
export function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

/**
 * A violation that the official server accepts, which the spec reports as a warning: the
 * session must close (pass, checked like {@link RawSession.expectClosed}); if it stays open
 * the case warns, showing what the server did instead.
 */
export async function closesOrWarn(ctx: CaseContext, s: RawSession, texts: Message[], what: string): Promise<void> {
  s.send(...texts);
  if (await s.waitEnd(ctx.scale(1000))) {
    await s.expectClosed(what, 0);
    return;
  }
  const got = s.messages.items.map((m) => show(m)).join(" ");
  ctx.softFail(`the session stayed open after ${what}`, { expected: "the Engine.IO session closed", observed: got ? `open; the server answered ${got}` : "open, no answer" });
}

/**
 * A violation sent before any namespace is joined. The connect deadline would close such a
 * session anyway, so an idle session opened at the same moment serves as the yardstick: the
 * violating session must close first, well before the idle one.
 */
export function violationBeforeJoin(texts: Message[], what: string, transport: Transport = "websocket"): (ctx: CaseContext) => Promise<void> {
  return (ctx) =>
    withSessions(ctx, async () => {
      const [s, idle] = await Promise.all([openRaw(ctx, transport), openRaw(ctx, transport)]);
      s.send(...texts);
      const ending = await s.expectClosed(what);
      const settled = await idle.waitEnd(ctx.scale(50));
      if (settled && idle.ending!.at - idle.openedAt <= ending.at - s.openedAt + ctx.scale(50)) {
        fail(`the session closed only when an idle session did too (the connect deadline), not for ${what}`, { expected: "closed at once", observed: `closed ${Math.round(ending.at - s.openedAt)} ms after its handshake, the idle one after ${Math.round(idle.ending!.at - idle.openedAt)} ms` });
      }
    });
}
