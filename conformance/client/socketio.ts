/**
 * Socket.IO v5 helpers over an Engine.IO WebSocket: connect to namespaces, emit, expect events
 * and acks. A background pump answers every Engine.IO ping (so the session stays alive while a
 * case thinks) and decodes every message into a packet inbox that never loses a packet.
 */
import { CaseOutcome, show } from "../case.js";
import { Decoder, encode, type SocketIOv5Packet } from "../../protocol/socket.io/v5.js";
import type { EngineSocket } from "./engine.js";
import { Inbox, type TakeOptions } from "./inbox.js";

export type { SocketIOv5Packet };

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
    /** The Engine.IO WebSocket underneath (its open packet already read). */
    readonly engine: EngineSocket,
    defaultTimeoutMs: number,
  ) {
    this.packets = new Inbox(`the Socket.IO connection ${engine.ws.conn}`, defaultTimeoutMs);
    void this.pump();
  }

  /** Reads Engine.IO packets as they come: pong every ping, decode every message. */
  private async pump(): Promise<void> {
    try {
      for (;;) {
        const p = await this.engine.nextPacket({ timeoutMs: 2 ** 31 - 1, what: "the next packet" });
        if (p.type === "ping") this.engine.send({ type: "pong", ...(p.data !== undefined ? { data: p.data } : {}) });
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
    this.engine.send({ type: "message", data: text });
    for (const a of attachments) this.engine.send({ type: "message", data: a });
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

  /** Closes the WebSocket. */
  close(): Promise<unknown> {
    return this.engine.close();
  }
}
