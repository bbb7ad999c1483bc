/**
 * The suite's one Socket.IO v5 client: a session at the Socket.IO endpoint over WebSocket or
 * polling, with every Engine.IO message kept as it came (text in the spec's notation, bytes as
 * bytes), so a case can compare exact header bytes, send malformed text and see how the session
 * ended. A background pump answers every ping, so only the rule under test ends the session.
 *
 * On top of the raw messages it reads whole packets (a binary packet with its attachments) and
 * offers the steps a case takes on the way to its own rule (socketio-steps.ts): join a namespace,
 * echo an event, answer an ack. A step that the server breaks raises its precondition
 * (conformance/preconditions.ts), so the case is blocked and points at the case of that rule.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, fail, show, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { encode, type SocketIOv5Packet } from "../../protocol/socket.io/v5.js";
import type { EngineIOv4Packet } from "../../protocol/engine.io/v4.js";
import type { CaseContext } from "../runner/context.js";
import type { PollingSession } from "./engine.js";
import type { EngineLink } from "./engine-link.js";
import { Inbox, type TakeOptions } from "./inbox.js";
import { readPacketAt, readPacketText, showMessages, type Message, type Received } from "./socketio-text.js";

export type { Message, Received, SocketIOv5Packet };

/** How a session ended, as the client saw it. */
export interface Ending {
  /** `close-packet`: the server sent `1`; `ws-closed`: the WebSocket closed; `poll-failed`: a poll or POST was refused; `bad-frame`: a frame did not decode. */
  how: "close-packet" | "ws-closed" | "poll-failed" | "bad-frame";
  detail: string;
  /** performance.now() when it was seen. */
  at: number;
  /** Set when what ended it is a broken precondition (a POST refused, a frame that does not decode): not a close at all. */
  cause?: CaseOutcome;
}

export type Transport = "websocket" | "polling";

/** Options of a packet-level take. */
export interface PacketOptions extends TakeOptions {
  /**
   * The namespace the awaited packet is on. A packet on it written without its `,` (SIO5-NAMESPACE-01)
   * is reported as such at once instead of being waited past.
   */
  nsp?: string;
}

/** The namespace in packet form: `/` stays `/`. */
function nspOf(nsp?: string): string {
  return nsp ?? "/";
}

/** A Socket.IO session (see the module comment). */
export class SocketIOSession {
  /** Every Engine.IO message received and not yet taken. */
  readonly messages: Inbox<Message>;
  /** How many pings the server sent (each was answered). */
  pings = 0;
  /** performance.now() of the last ping. */
  lastPingAt = 0;
  /** performance.now() when the session was opened (its open packet read). */
  readonly openedAt: number;
  ending: Ending | undefined;
  /** The first Socket.IO packet the server sent unasked: before any CONNECT, or a CONNECT reply for a namespace nobody asked for. */
  unprompted: string | undefined;
  /** When the client first sent a CONNECT for each namespace (performance.now()). */
  readonly asked = new Map<string, number>();
  /** When the client sent its first Socket.IO packet (performance.now()). */
  firstSentAt: number | undefined;
  private nextAckId = 0;
  private readonly endWaiters: Array<() => void> = [];
  private readonly pingWaiters: Array<() => void> = [];

  constructor(
    readonly ctx: CaseContext,
    readonly transport: Transport,
    readonly link: EngineLink,
    /** The Engine.IO session ID. */
    readonly sid: string,
    /** The polling session, when the transport is polling. */
    readonly polling: PollingSession | undefined,
    /** How long the Engine.IO handshake took (ms): a yardstick for how soon the server answers. */
    readonly handshakeMs = 0,
  ) {
    this.openedAt = performance.now();
    this.messages = new Inbox(`the Socket.IO session ${link.label}`, ctx.answerTimeoutMs, (m) => show(m));
    void this.pump();
  }

  /** Reads Engine.IO packets as they come: pong every ping, queue every message, note the end. */
  private async pump(): Promise<void> {
    try {
      for (;;) {
        const p = await this.link.next({ timeoutMs: 2 ** 31 - 1, what: "the next packet" });
        const at = this.link.lastArrival;
        if (p.type === "ping") {
          this.pings++;
          this.lastPingAt = at;
          this.link.send([{ type: "pong", ...(p.data !== undefined ? { data: p.data } : {}) }]);
          for (const f of this.pingWaiters.splice(0)) f();
        } else if (p.type === "message") {
          const m: Message = typeof p.data === "string" ? `4${p.data}` : (p.data ?? "4");
          if (typeof m === "string") this.checkPrompted(m, at);
          this.messages.push(m, at);
        } else if (p.type === "close") {
          this.finish({ how: "close-packet", detail: "the server sent the close packet 1", at: performance.now() });
          return;
        }
      }
    } catch (err) {
      const cause = err instanceof CaseOutcome && err.precondition ? err : undefined;
      const reason = err instanceof CaseOutcome ? err.reason : (err as Error).message;
      const how =
        this.transport === "polling" ? "poll-failed" : /does not decode/.test(reason) ? "bad-frame" : "ws-closed";
      this.finish({ how, detail: reason, at: performance.now(), ...(cause ? { cause } : {}) });
    }
  }

  /**
   * Notes the first packet the server sent unasked (SIO5-CONNECT-02): any packet that arrived
   * before the client's first one, or a CONNECT reply for a namespace the client had not asked
   * for yet.
   */
  private checkPrompted(text: string, at: number): void {
    if (this.unprompted !== undefined) return;
    const head = readPacketText(text);
    const askedAt = head.type === 0 && head.comma ? this.asked.get(head.nsp) : this.firstSentAt;
    if (askedAt === undefined || askedAt > at) this.unprompted = text;
  }

  private finish(ending: Ending): void {
    if (this.ending) return;
    this.ending = ending;
    this.ctx.note(`session ${this.sid} ended: ${ending.detail}`);
    // What the link saw go wrong on the way explains a wait that the end cuts short, not the end.
    this.messages.end(`ended (${ending.detail})`, ending.cause ?? this.link.trouble);
    for (const f of this.endWaiters.splice(0)) f();
    for (const f of this.pingWaiters.splice(0)) f();
  }

  // ---- raw messages -----------------------------------------------------------------------------

  /**
   * Sends Engine.IO messages in order (WebSocket: a frame each; polling: one POST for all).
   * Texts are written as in the spec, with the message type: `42["a"]` sends the Socket.IO
   * packet `2["a"]`; bytes are binary messages.
   * @example `s.send('451-["message",{"_placeholder":true,"num":0}]', new Uint8Array([1, 2, 3]))`
   */
  send(...messages: Message[]): void {
    const now = performance.now();
    this.link.send(
      messages.map((m): EngineIOv4Packet => {
        if (typeof m !== "string") return { type: "message", data: m };
        if (!m.startsWith("4"))
          throw new Error(`a case sends ${JSON.stringify(m)}: texts start with the message type 4`);
        const head = readPacketText(m);
        this.firstSentAt ??= now;
        if (head.type === 0 && !this.asked.has(head.nsp)) this.asked.set(head.nsp, now);
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
    if (typeof m === "string")
      fail(`${what} is the text ${show(m)}, expected a binary attachment`, {
        expected: "a binary message",
        observed: show(m),
      });
    return m;
  }

  /**
   * The oldest whole packet (a binary one with its attachments) that `match` accepts; packets
   * before it stay queued. Fails the case as {@link next} does.
   */
  async nextPacket(match: (r: Received) => boolean, options: PacketOptions = {}): Promise<Received> {
    const { nsp, ...take } = options;
    let found: Received | undefined;
    await this.messages.takeRun((items) => {
      for (let i = 0; i < items.length; ) {
        if (typeof items[i] !== "string") {
          i++; // an attachment nothing announced: no packet starts here
          continue;
        }
        const read = readPacketAt(items, i);
        if (!read) return undefined; // its attachments are still to come
        if (nsp !== undefined) this.checkComma(read.received, nsp);
        if (match(read.received)) {
          found = read.received;
          return [i, read.count];
        }
        i += read.count;
      }
      return undefined;
    }, take);
    return found!;
  }

  /**
   * A packet on `nsp` written without the `,` after its namespace (`41/custom`, `40/custom{...}`)
   * breaks a precondition at once (SIO5-NAMESPACE-01) instead of being waited past.
   */
  private checkComma(r: Received, nsp: string): void {
    const t = r.text;
    if (nsp === "/") return;
    const bare = t.nsp === nsp && !t.comma;
    const glued = t.nsp.startsWith(nsp) && /^[[{"0-9]/.test(t.nsp.slice(nsp.length));
    if (bare || glued)
      unmet(P.namespaceComma, `the server wrote the namespace ${nsp} without its comma: ${show(t.text)}`, {
        expected: `${nsp},`,
        observed: t.text,
      });
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

  /** Resolves at the server's next ping, at the end of the session, or after `ms`; true when a ping came. */
  async waitPing(ms: number): Promise<boolean> {
    const before = this.pings;
    if (!this.ending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.pingWaiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return this.pings > before;
  }

  /** The Socket.IO messages received and not yet taken, on one line. */
  get pending(): string {
    return showMessages(this.messages.items);
  }

  /** Drops the transport without a word (WebSocket closed, polling abandoned). */
  async close(): Promise<void> {
    await this.link.close();
  }

  // ---- packets, unjudged: the convenience of a client library ---------------------------------

  /**
   * Sends CONNECT for a namespace and waits for its answer (CONNECT or CONNECT_ERROR), which is
   * returned unjudged.
   * @example
   * ```ts
   * const reply = await io.connect("/custom", { token: "x" });
   * ctx.equal(reply.type, "CONNECT", "answer to CONNECT /custom");
   * ```
   */
  async connect(nsp = "/", auth?: Record<string, unknown>, options: TakeOptions = {}): Promise<SocketIOv5Packet> {
    this.sendPacket({ type: "CONNECT", nsp, ...(auth !== undefined ? { data: auth } : {}) });
    const r = await this.nextPacket((r) => (r.text.type === 0 || r.text.type === 4) && r.text.nsp === nsp, {
      what: `the answer to CONNECT ${nsp}`,
      nsp,
      ...options,
    });
    return decoded(r);
  }

  /**
   * Emits an event (no ack).
   * @example `io.emit("message", ["hello", 1])`
   */
  emit(event: string, args: unknown[] = [], nsp?: string): void {
    this.sendPacket({ type: "EVENT", nsp: nspOf(nsp), data: [event, ...args] } as SocketIOv5Packet);
  }

  /**
   * Emits an event asking for an ack, and waits for the ACK with that id; returns its arguments.
   * @example `const back = await io.emitWithAck("message-with-ack", [1, "two"])`
   */
  async emitWithAck(event: string, args: unknown[] = [], nsp?: string, options: TakeOptions = {}): Promise<unknown[]> {
    const id = this.nextAckId++;
    this.sendPacket({ type: "EVENT", nsp: nspOf(nsp), id, data: [event, ...args] } as SocketIOv5Packet);
    const r = await this.nextPacket(
      (r) => (r.text.type === 3 || r.text.type === 6) && r.text.nsp === nspOf(nsp) && r.text.id === id,
      {
        what: `the ACK ${id} for '${event}'`,
        nsp: nspOf(nsp),
        ...options,
      },
    );
    return (decoded(r) as { data: unknown[] }).data;
  }

  /**
   * Waits for an event by name on a namespace; returns its arguments (attachments in place) and
   * its ack id, if it asks for one.
   * @example `const { args } = await io.expectEvent("message-back")`
   */
  async expectEvent(
    event: string,
    nsp?: string,
    options: TakeOptions = {},
  ): Promise<{ args: unknown[]; id?: number; received: Received }> {
    const r = await this.nextEvent(event, nsp, options);
    const { data, id } = decoded(r) as { data: unknown[]; id?: number };
    return { args: data.slice(1), ...(id !== undefined ? { id } : {}), received: r };
  }

  /** The next event named `event` on `nsp` (an EVENT or BINARY_EVENT), as received: nothing is judged. */
  nextEvent(event: string, nsp?: string, options: TakeOptions = {}): Promise<Received> {
    return this.nextPacket((r) => eventName(r) === event && r.text.nsp === nspOf(nsp), {
      what: `the event '${event}' on ${nspOf(nsp)}`,
      nsp: nspOf(nsp),
      ...options,
    });
  }

  /** Answers an event's ack request. */
  ack(id: number, args: unknown[] = [], nsp?: string): void {
    this.sendPacket({ type: "ACK", nsp: nspOf(nsp), id, data: args } as SocketIOv5Packet);
  }
}

/** The event name of an EVENT or BINARY_EVENT (read from the text when the packet does not decode). */
export function eventName(r: Received): unknown {
  if (r.text.type !== 2 && r.text.type !== 5) return undefined;
  const data = r.packet ? (r.packet as { data?: unknown }).data : r.text.data;
  return Array.isArray(data) ? data[0] : undefined;
}

/** The strictly decoded packet; fails the case when the server's packet does not decode. */
export function decoded(r: Received): SocketIOv5Packet {
  if (!r.packet)
    fail(`the server's packet ${show(r.text.text)} does not decode: ${r.error?.message ?? "incomplete"}`, {
      observed: r.text.text,
    });
  return r.packet;
}
