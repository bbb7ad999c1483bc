/**
 * The suite's Socket.IO v4 client (over Engine.IO v3): a session at the Socket.IO endpoint over
 * WebSocket or polling. Every Socket.IO packet the server sends is kept with its text as it came
 * (a decode failure too), so a case can judge the exact bytes; the client's pings run in the
 * link (./v3-link.ts). The steps a case takes on the way to its own rule (the implicit CONNECT
 * to `/`, joining a namespace, an echoed event, an answered ack) raise their preconditions.
 */
import { needs, show, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { Decoder, encode, type SocketIOv4Packet } from "../../protocol/socket.io/v4.js";
import type { EngineIOv3Packet, V3EngineClient, V3PollingSession } from "./v3-engine.js";
import { Inbox, type TakeOptions } from "./inbox.js";
import { v3PollingLink, v3WebSocketLink, type V3Link } from "./v3-link.js";

export type { SocketIOv4Packet };

/** One Socket.IO packet as received: its text (and attachments), and the packet or why it does not decode. */
export interface V4Received {
  /** The Engine.IO message that carried the packet's text, e.g. `0/custom,`. */
  text: string;
  attachments: Uint8Array[];
  packet?: SocketIOv4Packet;
  /** Set when the text (or its attachments) does not decode as a v4 packet. */
  error?: string;
}

/** What a session is opened with. */
export interface V4SessionOptions {
  transport?: "websocket" | "polling";
  /** Extra query parameters of the Engine.IO handshake. */
  query?: Record<string, string>;
  pingIntervalMs: number;
  timeoutMs: number;
}

/** A Socket.IO v4 session (see the module comment). */
export class V4Session {
  readonly received: Inbox<V4Received>;
  private readonly decoder = new Decoder();
  private pendingText: string | undefined;
  /** The binary messages taken since the last text one: the attachments of the packet being read. */
  private readonly attachmentsSince: Uint8Array[] = [];
  private nextAckId = 0;

  private constructor(
    readonly link: V3Link,
    readonly sid: string,
    /** The polling session under it, when the transport is polling. */
    readonly polling: V3PollingSession | undefined,
    timeoutMs: number,
  ) {
    this.received = new Inbox<V4Received>(`the Socket.IO v4 session ${link.label}`, timeoutMs, (r) => show(r.text));
    void this.pump();
  }

  /** Opens the Engine.IO v3 session at the Socket.IO endpoint; no packet is read yet. */
  static async open(engine: V3EngineClient, options: V4SessionOptions): Promise<V4Session> {
    if (options.transport === "polling") {
      const session = await engine.openPolling(options.query ? { query: options.query } : {});
      const link = v3PollingLink(session, options.pingIntervalMs, options.timeoutMs);
      return new V4Session(link, session.sid, session, options.timeoutMs);
    }
    const socket = await engine.openWebSocket(options.query ? { query: options.query } : {});
    const link = v3WebSocketLink(socket, options.pingIntervalMs, options.timeoutMs);
    return new V4Session(link, socket.handshake!.sid, undefined, options.timeoutMs);
  }

  /** Reads the link's messages into packets, attachments included. */
  private async pump(): Promise<void> {
    for (;;) {
      let p: EngineIOv3Packet;
      try {
        p = await this.link.inbox.take(() => true, { timeoutMs: 24 * 3600_000, what: "a message" });
      } catch {
        this.received.end(`ended (${await this.link.ended})`);
        return;
      }
      if (p.type !== "message") continue;
      const data = p.data ?? "";
      if (typeof data === "string") {
        this.pendingText = data;
        this.attachmentsSince.splice(0);
      } else this.attachmentsSince.push(data);
      try {
        const packet = this.decoder.add(data);
        if (packet) this.push(packet);
      } catch (err) {
        this.received.push({
          text: typeof data === "string" ? data : (this.pendingText ?? ""),
          attachments: typeof data === "string" ? [] : [data],
          error: (err as Error).message,
        });
      }
    }
  }

  private push(packet: SocketIOv4Packet): void {
    this.received.push({ text: this.pendingText ?? "", attachments: this.attachmentsSince.splice(0), packet });
  }

  /** Sends an Engine.IO message as is (a Socket.IO packet's text, or raw bytes as a binary message). */
  sendRaw(...messages: Array<string | Uint8Array>): void {
    this.link.send(messages.map((data) => ({ type: "message", data })));
  }

  /** Sends a packet (a binary one with its attachments). */
  send(packet: SocketIOv4Packet): void {
    const [text, ...attachments] = encode(packet);
    this.sendRaw(text, ...attachments);
  }

  /** The next packet that satisfies `match` (decoded or not). */
  next(match: (r: V4Received) => boolean = () => true, options: TakeOptions = {}): Promise<V4Received> {
    return this.received.take(match, options);
  }

  /** The next packet on `nsp` (decoded), of any type. */
  nextOn(nsp: string, options: TakeOptions = {}): Promise<V4Received> {
    return this.next((r) => (r.packet ? r.packet.nsp === nsp : textOnNamespace(r.text, nsp)), {
      what: `a packet on ${nsp}`,
      ...options,
    });
  }

  /**
   * Waits for the server's CONNECT for `/` (sent unasked in v4): the precondition of every case
   * that uses `/`.
   */
  async rootJoined(options: TakeOptions = {}): Promise<V4Received> {
    const r = await needs(P.v4RootJoined, () => this.nextOn("/", { what: "the CONNECT 40 for /", ...options }));
    if (r.packet?.type !== "CONNECT")
      unmet(P.v4RootJoined, `the first packet on / is ${show(r.text)}, not the CONNECT 40`, {
        expected: "0",
        observed: show(r.text),
      });
    return r;
  }

  /** Sends the CONNECT for `nsp` (with the query string `query`, if any) and returns the answer on `nsp`. */
  async connect(nsp: string, query?: string, options: TakeOptions = {}): Promise<V4Received> {
    this.sendRaw(`0${nsp}${query ? `?${query}` : ""},`);
    // The answer is a CONNECT or an ERROR (or a text that does not decode); events on the
    // namespace left from an earlier join are not it.
    return this.next(
      (r) =>
        r.packet
          ? r.packet.nsp === nsp && (r.packet.type === "CONNECT" || r.packet.type === "CONNECT_ERROR")
          : textOnNamespace(r.text, nsp),
      { what: `the answer to the CONNECT for ${nsp}`, ...options },
    );
  }

  /** {@link connect}, where being admitted is a precondition (SIO4-CONNECT-03). */
  async join(nsp: string, query?: string): Promise<void> {
    const r = await needs(P.v4NamespaceConnects, () => this.connect(nsp, query));
    if (r.packet?.type !== "CONNECT")
      unmet(P.v4NamespaceConnects, `the CONNECT for ${nsp} was answered ${show(r.text)}`, {
        expected: `0${nsp},`,
        observed: show(r.text),
      });
  }

  /** Emits an event on `nsp` (an ack id when `ackId` is given). */
  emit(event: string, args: unknown[], nsp = "/", ackId?: number): void {
    this.send({ type: "EVENT", nsp, data: [event, ...args], ...(ackId !== undefined ? { id: ackId } : {}) });
  }

  /** The next EVENT `event` on `nsp`: its arguments and ack id. */
  async expectEvent(
    event: string,
    nsp = "/",
    options: TakeOptions = {},
  ): Promise<{ args: unknown[]; id?: number; received: V4Received }> {
    const r = await this.next(
      (x) =>
        (x.packet?.type === "EVENT" || x.packet?.type === "BINARY_EVENT") &&
        x.packet.nsp === nsp &&
        Array.isArray(x.packet.data) &&
        x.packet.data[0] === event,
      { what: `the event ${event} on ${nsp}`, ...options },
    );
    const p = r.packet as { data: unknown[]; id?: number };
    return { args: p.data.slice(1), ...(p.id !== undefined ? { id: p.id } : {}), received: r };
  }

  /** Emits `message` and takes `message-back` (its arguments), a precondition where the echo is only a means. */
  async echo(args: unknown[], nsp = "/"): Promise<unknown[]> {
    this.emit("message", args, nsp);
    return (await needs(P.v4EventEchoed, () => this.expectEvent("message-back", nsp))).args;
  }

  /** Emits `message-with-ack` with a fresh ack id and returns the ACK packet received for it. */
  async emitWithAck(args: unknown[], nsp = "/"): Promise<V4Received> {
    const id = this.nextAckId++;
    this.emit("message-with-ack", args, nsp, id);
    return this.next(
      (x) =>
        (x.packet?.type === "ACK" || x.packet?.type === "BINARY_ACK") && x.packet.nsp === nsp && x.packet.id === id,
      { what: `the ACK ${id} on ${nsp}` },
    );
  }

  /** Resolves with how the session ended once it does (never rejects). */
  get ended(): Promise<string> {
    return this.link.ended;
  }

  close(): Promise<unknown> {
    return this.link.close();
  }
}

/** True when a packet text that does not decode is still on `nsp` (after its type and attachment count). */
function textOnNamespace(text: string, nsp: string): boolean {
  const rest = text.replace(/^\d(?:\d+-)?/, "");
  if (nsp === "/") return !rest.startsWith("/");
  return rest.startsWith(nsp) && /^(?:[,?]|$)/.test(rest.slice(nsp.length));
}
