/**
 * One client's membership of one namespace: what an application handles events on. It exists
 * from the client's CONNECT until a DISCONNECT (either side) or the end of the Engine.IO
 * session. Outgoing EVENTs go through the namespace (for the recovery log) and the session
 * that carries this socket.
 */
import type { HandshakeRequest } from "../engine/connection.js";
import { requestQuery } from "../engine/verify.js";
import { randomId } from "../engine/ids.js";
import type { Packet } from "./codec.js";
import { isReservedEvent } from "./packet-rules.js";

/** What a socket needs from the Engine.IO session under it (implemented by the Client). */
export interface SocketCarrier {
  readonly protocol: 3 | 4;
  readonly request: HandshakeRequest;
  /** Encode and send one packet on the session. */
  sendPacket(packet: Packet): void;
  /** The socket left its namespace; forget it. */
  removeSocket(socket: Socket): void;
  /** Close the whole Engine.IO session; `reason` is what the sockets on it are told. */
  closeSession(reason: string): void;
  /** Leave every namespace from the server side (a DISCONNECT each), then close the session. */
  disconnectAll(): void;
}

/** What the namespace offers a socket: emitting through the recovery log, and its name. */
export interface SocketNamespace {
  readonly name: string;
  /** Called when the socket leaves, with the reason (for the recovery store). */
  socketLeft(socket: Socket, reason: string): void;
  /** Appends the recovery offset to an EVENT payload when recovery is on. */
  stamp(data: unknown[], target: string | undefined): void;
}

/** What the client sent when it joined, and the request that opened its session. */
export interface Handshake {
  /** The CONNECT auth payload (v5), or the namespace's query string as an object (v4); `{}` when none. */
  auth: Record<string, unknown>;
  /** The query of the request that opened the Engine.IO session. */
  query: Record<string, string>;
  headers: HandshakeRequest["headers"];
  url: string;
  address: string | undefined;
  /** When the socket was created (ms since the epoch). */
  issued: number;
}

/** An event handler: the event's arguments, then an ack function when the client asked for one. */
// biome-ignore lint/suspicious/noExplicitAny: an event's arguments are whatever the client sent
export type EventListener = (...args: any[]) => void;

/** Makes a Socket.IO sid: 20 URL-safe characters, like the Engine.IO sid but unrelated to it. */
export function newSocketId(): string {
  return randomId();
}

/** Calls one event listener; a throwing handler is an application bug and must not take the session down. */
function callListener(event: string, listener: EventListener, args: unknown[]): void {
  try {
    listener(...args);
  } catch (err) {
    process.emitWarning(`socket.io handler for "${event}" threw: ${String(err)}`);
  }
}

/** One client connected to one namespace. */
export class Socket {
  /** The Socket.IO id, sent in the CONNECT reply (v5); kept across a recovered reconnection. */
  readonly id: string;
  /** The private session id for connection-state recovery; undefined when recovery is off. */
  readonly pid: string | undefined;
  readonly handshake: Handshake;
  /** True between the CONNECT reply and the end of membership. */
  connected = false;
  /** True when this socket resumed a dropped one (same sid, missed packets replayed). */
  readonly recovered: boolean;
  /** Free for the application. */
  data: Record<string, unknown> = {};

  // A lone listener (the usual case) is kept as is; several as an array.
  private readonly listeners = new Map<string, EventListener | EventListener[]>();
  // Created at the first ack the server asks for: most sockets never ask, and an idle socket stays small.
  private acks: Map<number, (args: unknown[]) => void> | undefined;
  private aborts: Map<number, (err: Error) => void> | undefined;
  // Ids of the server's own acks: one counter per socket, from 0.
  private nextAckId = 0;

  constructor(
    readonly nsp: SocketNamespace,
    protected readonly carrier: SocketCarrier,
    auth: Record<string, unknown>,
    identity: { id: string; pid: string | undefined; recovered: boolean },
  ) {
    this.id = identity.id;
    this.pid = identity.pid;
    this.recovered = identity.recovered;
    const request = carrier.request;
    const url = request.url ?? "/";
    this.handshake = {
      auth,
      // The session's request passed the Engine.IO checks, so its query parses.
      query: Object.fromEntries(requestQuery(url) ?? []),
      headers: request.headers,
      url,
      address: request.remoteAddress,
      issued: Date.now(),
    };
  }

  /** The Engine.IO protocol of the session under this socket (3 or 4). */
  get protocol(): 3 | 4 {
    return this.carrier.protocol;
  }

  /**
   * Listen for an event from the client, or for `disconnect` (reason) / `disconnecting`. An
   * event handler gets the event's arguments, then an ack function when the client asked for one.
   */
  on(event: string, listener: EventListener): this {
    const found = this.listeners.get(event);
    if (found === undefined) this.listeners.set(event, listener);
    else if (typeof found === "function") this.listeners.set(event, [found, listener]);
    else found.push(listener);
    return this;
  }

  /** Stop listening. */
  off(event: string, listener: EventListener): this {
    const found = this.listeners.get(event);
    if (found === listener) {
      this.listeners.delete(event);
      return this;
    }
    const i = Array.isArray(found) ? found.indexOf(listener) : -1;
    if (i >= 0) (found as EventListener[]).splice(i, 1);
    return this;
  }

  /**
   * Send an EVENT. Arguments holding bytes make it a BINARY_EVENT. A function as the last
   * argument asks the client for an ack and is called with the ack's arguments.
   */
  emit(event: string, ...args: unknown[]): boolean {
    if (isReservedEvent(event)) throw new Error(`"${event}" is a reserved event name`);
    if (!this.connected) return false;
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args.pop();
      const callback = last as (...a: unknown[]) => void;
      this.sendEvent([event, ...args], (ackArgs) => callback(...ackArgs));
    } else {
      this.sendEvent([event, ...args], undefined);
    }
    return true;
  }

  /** Send an EVENT asking for an ack; resolves with the ack's arguments, rejects if the socket leaves first. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    if (isReservedEvent(event)) return Promise.reject(new Error(`"${event}" is a reserved event name`));
    if (!this.connected) return Promise.reject(new Error("socket is not connected"));
    return new Promise((resolve, reject) => {
      this.sendEvent([event, ...args], resolve, reject);
    });
  }

  /**
   * Leave the namespace from the server side: a DISCONNECT goes to the client. With
   * `closeEngine`, every namespace of the session is left and the Engine.IO session is closed.
   */
  disconnect(closeEngine = false): this {
    if (closeEngine) {
      this.carrier.disconnectAll();
      return this;
    }
    if (!this.connected) return this;
    this.carrier.sendPacket({ type: "DISCONNECT", nsp: this.nsp.name });
    this.onclose("server namespace disconnect");
    return this;
  }

  /** Send one EVENT payload with an ack id when `onAck` is given; recovery-stamped otherwise. */
  private sendEvent(data: unknown[], onAck?: (args: unknown[]) => void, onAbort?: (err: Error) => void): void {
    if (onAck) {
      const id = this.newAckId();
      (this.acks ??= new Map()).set(id, onAck);
      if (onAbort) (this.aborts ??= new Map()).set(id, onAbort);
      this.carrier.sendPacket({ type: "EVENT", nsp: this.nsp.name, id, data: data as [unknown, ...unknown[]] });
      return;
    }
    if (this.pid !== undefined) this.nsp.stamp(data, this.id);
    this.carrier.sendPacket({ type: "EVENT", nsp: this.nsp.name, data: data as [unknown, ...unknown[]] });
  }

  /** The id of an ack the server asks for: unique among the outstanding ones (SIO5-ACK-07). */
  protected newAckId(): number {
    return this.nextAckId++;
  }

  /** Send an already stamped EVENT payload (a broadcast or a replayed packet). */
  sendRaw(data: unknown[]): void {
    if (!this.connected) return;
    this.carrier.sendPacket({ type: "EVENT", nsp: this.nsp.name, data: data as [unknown, ...unknown[]] });
  }

  /** A packet from the client for this namespace (the client checked its shape). */
  handlePacket(packet: Packet): void {
    switch (packet.type) {
      case "EVENT":
      case "BINARY_EVENT":
        return this.receiveEvent(packet.data, packet.id);
      case "ACK":
      case "BINARY_ACK":
        this.receiveAck(packet.id, packet.data);
        return;
      case "DISCONNECT":
        return this.onclose("client namespace disconnect");
    }
  }

  /** An event from the client: its listeners get its arguments, then an ack function when it carries an ack id. */
  protected receiveEvent(data: readonly unknown[], id: number | undefined): void {
    const [name, ...args] = data;
    if (id !== undefined) args.push(this.ackFunction(id));
    this.dispatch(String(name), args);
  }

  /**
   * An ACK from the client: the answer to one of the server's EVENTs. One for an id never
   * issued, or already answered, is ignored (SIO5-ACK-06). True when someone was waiting for it.
   */
  protected receiveAck(id: number, data: unknown[]): boolean {
    const ack = this.acks?.get(id);
    if (!ack) return false;
    this.acks?.delete(id);
    this.aborts?.delete(id);
    ack(data);
    return true;
  }

  /** The function an event handler calls to answer the client's ack; works once. */
  private ackFunction(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent || !this.connected) return;
      sent = true;
      this.carrier.sendPacket({ type: "ACK", nsp: this.nsp.name, id, data: args });
    };
  }

  /** Call the listeners of `event`; a throwing handler is an application bug and must not take the session down. */
  private dispatch(event: string, args: unknown[]): void {
    const found = this.listeners.get(event);
    if (found === undefined) return;
    if (typeof found === "function") return callListener(event, found, args);
    // A copy: listeners added or removed by a listener take effect from the next event.
    for (const listener of found.slice()) callListener(event, listener, args);
  }

  /** The CONNECT was accepted: from now on the socket sends and receives. */
  markConnected(): void {
    this.connected = true;
  }

  /** End of membership, for any reason; tells the app once. */
  onclose(reason: string): void {
    if (!this.connected) return;
    this.dispatch("disconnecting", [reason]);
    this.connected = false;
    this.carrier.removeSocket(this);
    this.nsp.socketLeft(this, reason);
    const aborted = this.aborts ? [...this.aborts.values()] : [];
    this.acks = undefined;
    this.aborts = undefined;
    for (const abort of aborted) abort(new Error(`socket disconnected (${reason})`));
    this.dispatch("disconnect", [reason]);
  }
}
