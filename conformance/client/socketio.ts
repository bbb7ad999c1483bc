/**
 * Socket.IO v5 helpers over an Engine.IO WebSocket: connect to namespaces, emit, expect events
 * and acks. A background pump answers every Engine.IO ping (so the session stays alive while a
 * case thinks) and decodes every message into a packet inbox that never loses a packet.
 */
import { CaseOutcome, show } from "../case.js";
import { Decoder, encode, type SocketIOv5Packet } from "../../protocol/socket.io/v5.js";
import type { EngineIOv4Packet } from "../../protocol/engine.io/v4.js";
import type { EngineSocket, PollingSession } from "./engine.js";
import { Inbox, type TakeOptions } from "./inbox.js";

export type { SocketIOv5Packet };

/** What a Socket.IO connection needs from the Engine.IO session under it (WebSocket or polling). */
export interface EngineLink {
  /** `ws#1`, or the sid of a polling session: names the connection in failures. */
  readonly label: string;
  /** Sends packets in order (WebSocket: one frame each; polling: one POST). */
  send(packets: EngineIOv4Packet[]): void;
  /** The next packet from the server; fails the case as the inbox does. */
  next(options: TakeOptions): Promise<EngineIOv4Packet>;
  close(): Promise<unknown>;
}

/** An Engine.IO WebSocket as a link. */
export function webSocketLink(socket: EngineSocket): EngineLink {
  return {
    label: socket.ws.conn,
    send: (packets) => packets.forEach((p) => socket.send(p)),
    next: (options) => socket.nextPacket(options),
    close: () => socket.close(),
  };
}

/**
 * A polling session as a link: a loop keeps one GET pending and queues what it brings; sends
 * are POSTs, one at a time (a server may refuse overlapping POSTs).
 */
export function pollingLink(session: PollingSession, timeoutMs: number): EngineLink {
  const inbox = new Inbox<EngineIOv4Packet>(`the polling session ${session.sid}`, timeoutMs);
  const stop = new AbortController();
  let posting: Promise<unknown> = Promise.resolve();
  void (async () => {
    while (!stop.signal.aborted && !inbox.ended) {
      try {
        const { packets } = await session.get({ signal: stop.signal, timeoutMs });
        for (const p of packets) inbox.push(p);
        if (packets.some((p) => p.type === "close")) inbox.end("closed the session");
      } catch (err) {
        inbox.end(stop.signal.aborted ? "was closed by the runner" : `stopped answering polls (${(err as Error).message})`);
      }
    }
  })();
  return {
    label: session.sid,
    send(packets) {
      posting = posting.then(() => session.post(packets).catch(() => undefined));
    },
    next: (options) => inbox.take(() => true, options),
    async close() {
      stop.abort();
      inbox.end("was closed by the runner");
      await posting;
    },
  };
}

/** The namespace in packet form: `/` stays `/`. */
function nspOf(nsp?: string): string {
  return nsp ?? "/";
}

export class SocketIOConnection {
  /** Every Socket.IO packet received and not yet taken, in order. */
  readonly packets: Inbox<SocketIOv5Packet>;
  private readonly decoder = new Decoder();
  private nextAckId = 0;

  constructor(
    /** The Engine.IO session underneath (its open packet already read). */
    readonly link: EngineLink,
    defaultTimeoutMs: number,
  ) {
    this.packets = new Inbox(`the Socket.IO connection ${link.label}`, defaultTimeoutMs);
    void this.pump();
  }

  /** Reads Engine.IO packets as they come: pong every ping, decode every message. */
  private async pump(): Promise<void> {
    try {
      for (;;) {
        const p = await this.link.next({ timeoutMs: 2 ** 31 - 1, what: "the next packet" });
        if (p.type === "ping") this.link.send([{ type: "pong", ...(p.data !== undefined ? { data: p.data } : {}) }]);
        else if (p.type === "message" && p.data !== undefined) {
          let packet: SocketIOv5Packet | undefined;
          try {
            packet = this.decoder.add(p.data);
          } catch (err) {
            this.packets.end(`sent a packet that does not decode (${(err as Error).message})`);
            return;
          }
          if (packet) this.packets.push(packet);
        } else if (p.type === "close") {
          this.packets.end("closed the session");
          return;
        }
      }
    } catch (err) {
      this.packets.end(err instanceof CaseOutcome ? "closed" : `failed (${(err as Error).message})`);
    }
  }

  /** Sends one Socket.IO packet (with its binary attachments as separate frames). */
  send(packet: SocketIOv5Packet): void {
    const [text, ...attachments] = encode(packet);
    this.link.send([{ type: "message", data: text }, ...attachments.map((a): EngineIOv4Packet => ({ type: "message", data: a }))]);
  }

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
    this.send({ type: "CONNECT", nsp, ...(auth !== undefined ? { data: auth } : {}) });
    return this.packets.take((p) => (p.type === "CONNECT" || p.type === "CONNECT_ERROR") && p.nsp === nsp, {
      what: `the answer to CONNECT ${nsp}`,
      ...options,
    });
  }

  /**
   * Emits an event (no ack).
   * @example `io.emit("message", ["hello", 1])`
   */
  emit(event: string, args: unknown[] = [], nsp?: string): void {
    this.send({ type: "EVENT", nsp: nspOf(nsp), data: [event, ...args] } as SocketIOv5Packet);
  }

  /**
   * Emits an event asking for an ack, and waits for the ACK; returns its arguments.
   * @example `const back = await io.emitWithAck("message-with-ack", [1, "two"])`
   */
  async emitWithAck(event: string, args: unknown[] = [], nsp?: string, options: TakeOptions = {}): Promise<unknown[]> {
    const id = this.nextAckId++;
    this.send({ type: "EVENT", nsp: nspOf(nsp), id, data: [event, ...args] } as SocketIOv5Packet);
    const ack = await this.packets.take((p) => (p.type === "ACK" || p.type === "BINARY_ACK") && p.nsp === nspOf(nsp) && p.id === id, {
      what: `the ACK ${id} for '${event}'`,
      ...options,
    });
    return (ack as { data: unknown[] }).data;
  }

  /**
   * Waits for an event by name on a namespace; returns its arguments and ack id (if it asks for one).
   * @example `const { args } = await io.expectEvent("message-back")`
   */
  async expectEvent(event: string, nsp?: string, options: TakeOptions = {}): Promise<{ args: unknown[]; id?: number }> {
    const p = await this.packets.take(
      (p) => (p.type === "EVENT" || p.type === "BINARY_EVENT") && p.nsp === nspOf(nsp) && Array.isArray(p.data) && p.data[0] === event,
      { what: `the event '${event}' on ${nspOf(nsp)}`, ...options },
    );
    const { data, id } = p as { data: unknown[]; id?: number };
    if (!Array.isArray(data)) throw new CaseOutcome("fail", `event '${event}' carries no array`, { observed: show(data) });
    return { args: data.slice(1), ...(id !== undefined ? { id } : {}) };
  }

  /** Answers an event's ack request. */
  ack(id: number, args: unknown[] = [], nsp?: string): void {
    this.send({ type: "ACK", nsp: nspOf(nsp), id, data: args } as SocketIOv5Packet);
  }

  /** Closes the connection under it (WebSocket closed, or polling stopped). */
  close(): Promise<unknown> {
    return this.link.close();
  }
}
