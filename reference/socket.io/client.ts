/**
 * The Socket.IO side of one Engine.IO session: decodes its messages into packets, routes them
 * to the namespace sockets joined over it, answers CONNECTs, and enforces the session-wide
 * rules. Every protocol violation ends the whole Engine.IO session, silently: no error packet
 * is sent, because a peer that breaks the grammar cannot be trusted to read one.
 *
 * Each step of that work (routing, a CONNECT, a refusal, an admission, a violation) is its own
 * protected method, so that a Client given through the seams (seams.ts) can change one step.
 */
import type { CloseReason, EngineConnection } from "../engine/connection.js";
import type { TimerHandle } from "../engine/clock.js";
import type { Packet, SessionCodec } from "./codec.js";
import { connectAuth, connectReply, namespaceName, refusalPayload } from "./connect.js";
import type { MiddlewareError, Namespace, NamespaceHost } from "./namespace.js";
import type { Socket, SocketCarrier } from "./socket.js";

/** What a session needs from the server. */
export interface ClientHost extends NamespaceHost {
  readonly connectTimeout: number;
  readonly maxAttachments: number;
  /** The namespace serving `name`, creating a dynamic child if a parent accepts it; undefined if none. */
  lookupNamespace(name: string, auth: Record<string, unknown>): Namespace | Promise<Namespace | undefined> | undefined;
  /** The session ended. */
  clientClosed(client: Client): void;
  /** Told of each protocol violation, for diagnostics. */
  onViolation?(sessionId: string, reason: string): void;
}

// What the sockets of a session are told when the Engine.IO session ends for each reason.
const SOCKET_REASON: Record<CloseReason, string> = {
  "client close": "transport close",
  "server close": "forced server close",
  "ping timeout": "ping timeout",
  "transport error": "transport error",
  "parse error": "parse error",
  "forced server close": "server shutting down",
};

/** The Socket.IO state of one Engine.IO session. */
export class Client implements SocketCarrier {
  readonly protocol: 3 | 4;
  /** Joined namespaces: name -> socket. */
  protected readonly sockets = new Map<string, Socket>();
  /** Namespaces whose CONNECT is being decided (lookup or middleware still running). */
  protected pending: Set<string> | undefined;
  private connectTimer: TimerHandle | undefined;
  private closed = false;

  constructor(
    readonly conn: EngineConnection,
    private readonly host: ClientHost,
    private readonly codec: SessionCodec,
  ) {
    this.protocol = conn.protocol;
    conn.on("message", this.onMessage);
    conn.on("close", this.onEngineClose);
    // A session that joins no namespace in time is closed (SIO5-TIMEOUT-01).
    this.connectTimer = host.clock.setTimeout(() => {
      this.connectTimer = undefined;
      if (this.sockets.size === 0) this.closeSession("forced close");
    }, host.connectTimeout);
    // Socket.IO v4: the server joins the client to `/` on its own, right after the handshake.
    if (this.protocol === 3) this.startConnect("/", {});
  }

  /** The request that opened the Engine.IO session. */
  get request(): EngineConnection["request"] {
    return this.conn.request;
  }

  /** Namespaces this session has joined. */
  get namespaces(): string[] {
    return [...this.sockets.keys()];
  }

  /** @internal */
  sendPacket(packet: Packet): void {
    if (this.closed) return;
    for (const message of this.codec.encode(packet)) this.conn.send(message);
  }

  /** @internal */
  removeSocket(socket: Socket): void {
    if (this.sockets.get(socket.nsp.name) === socket) this.sockets.delete(socket.nsp.name);
  }

  /** Close the Engine.IO session; every joined socket is told `reason`. */
  closeSession(reason: string): void {
    if (this.closed) return;
    // Tear down first: the engine may report its close synchronously, with its own reason.
    this.teardown(reason);
    this.conn.close();
  }

  /** @internal */
  disconnectAll(): void {
    for (const socket of [...this.sockets.values()]) socket.disconnect();
    this.closeSession("server namespace disconnect");
  }

  private readonly onMessage = (message: string | Uint8Array): void => {
    if (this.closed) return;
    let packet: Packet | undefined;
    try {
      packet = this.codec.add(message);
    } catch (err) {
      return this.undecodable(message, err as Error);
    }
    if (packet) this.route(packet);
  };

  /** A message that does not decode breaks the grammar (SIO5-PACKET-04): a violation. */
  protected undecodable(_message: string | Uint8Array, err: Error): void {
    this.violation(`undecodable packet: ${err.message}`);
  }

  /**
   * Where a packet goes: a CONNECT to the joining steps, anything else to the socket of its
   * namespace. A packet for a namespace the client has not joined (SIO5-NAMESPACE-04) and a
   * CONNECT_ERROR, which only a server sends (SIO5-ERROR-04), are violations.
   */
  protected route(packet: Packet): void {
    const name = namespaceName(this.protocol, packet.nsp);
    if (packet.type === "CONNECT") return this.receiveConnect(name, connectAuth(this.protocol, packet));
    const socket = this.sockets.get(name);
    if (!socket) return this.violation(`${packet.type} for ${name}, which the client has not joined`);
    if (packet.type === "CONNECT_ERROR") return this.violation("CONNECT_ERROR from a client");
    socket.handlePacket(packet);
  }

  /**
   * A CONNECT is decided once per namespace. A client may repeat it before its answer arrives
   * (the official client does when a namespace socket is opened twice on a live manager); it
   * gets one answer (SIO5-CONNECT-11, -12). A CONNECT to a joined namespace is a violation
   * (SIO5-CONNECT-05).
   */
  protected receiveConnect(name: string, auth: Record<string, unknown>): void {
    if (this.pending?.has(name)) return;
    if (this.sockets.has(name)) return this.violation(`second CONNECT to ${name}`);
    this.startConnect(name, auth);
  }

  /** Runs connect(); a failure inside it (an application bug) ends this session, never the process. */
  protected startConnect(name: string, auth: Record<string, unknown>): void {
    this.connect(name, auth).catch((err: unknown) => {
      process.emitWarning(`socket.io CONNECT to ${name} failed: ${String(err)}`);
      this.closeSession("forced close");
    });
  }

  /** Decide a CONNECT: unknown namespace, refused by middleware, or joined. */
  private async connect(name: string, auth: Record<string, unknown>): Promise<void> {
    (this.pending ??= new Set()).add(name);
    const nsp = await this.host.lookupNamespace(name, auth);
    if (this.closed) return;
    if (!nsp) {
      this.decided(name);
      return this.refuseUnknown(name);
    }
    const admission = await nsp.admit(this, auth);
    if (this.closed) return;
    this.decided(name);
    if ("error" in admission) return this.refuse(name, admission.error);
    this.accept(nsp, admission.socket, admission.missed);
  }

  /** A CONNECT to `name` is decided; the set goes once empty, so an idle session does not keep it. */
  private decided(name: string): void {
    this.pending?.delete(name);
    if (this.pending?.size === 0) this.pending = undefined;
  }

  /** A CONNECT to a namespace nobody serves is refused; the session stays open (SIO5-NAMESPACE-02). */
  protected refuseUnknown(name: string): void {
    this.sendPacket({ type: "CONNECT_ERROR", nsp: name, data: { message: "Invalid namespace" } });
  }

  /** A CONNECT the middleware refused gets a CONNECT_ERROR; the session stays open (SIO5-CONNECT-10). */
  protected refuse(name: string, err: MiddlewareError): void {
    this.sendPacket({ type: "CONNECT_ERROR", nsp: name, data: refusalPayload(this.protocol, err) } as Packet);
  }

  /**
   * A CONNECT admitted: the connect deadline stops (SIO5-TIMEOUT-02), the reply goes out before
   * any other packet on the namespace (SIO5-CONNECT-07), then the namespace takes the socket.
   */
  protected accept(nsp: Namespace, socket: Socket, missed: unknown[][]): void {
    this.sockets.set(nsp.name, socket);
    this.clearDeadline();
    this.sendPacket(connectReply(this.protocol, socket));
    nsp.finishConnect(socket, missed);
  }

  /** Stop the connect deadline: a namespace was joined, or the session ended. */
  protected clearDeadline(): void {
    if (this.connectTimer === undefined) return;
    this.host.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  /** A protocol violation ends the whole session, at once (SIO5-ERROR-02, -05). */
  protected violation(reason: string): void {
    this.host.onViolation?.(this.conn.id, reason);
    this.closeSession("forced close");
  }

  private readonly onEngineClose = (reason: CloseReason): void => {
    this.teardown(SOCKET_REASON[reason] ?? "transport close");
  };

  private teardown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.off("message", this.onMessage as (...args: never[]) => void);
    this.conn.off("close", this.onEngineClose as (...args: never[]) => void);
    this.clearDeadline();
    this.pending = undefined;
    this.disconnectSockets(reason);
    this.sockets.clear();
    this.host.clientClosed(this);
  }

  /** The session ended: every socket joined over it is disconnected with `reason`, at once (DROP-11). */
  protected disconnectSockets(reason: string): void {
    for (const socket of [...this.sockets.values()]) socket.onclose(reason);
  }
}
