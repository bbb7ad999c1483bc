/**
 * The faults of one session's Client: how it routes packets, decides CONNECTs, refuses and
 * admits them, deals with violations, and ends. It reaches the server through the `client` seam.
 */
import type { EngineConnection } from "../../engine/connection.js";
import { Client, type ClientHost } from "../../socket.io/client.js";
import type { Packet, SessionCodec } from "../../socket.io/codec.js";
import { connectReply, namespaceName, refusalMessage } from "../../socket.io/connect.js";
import type { MiddlewareError, Namespace } from "../../socket.io/namespace.js";
import type { Socket } from "../../socket.io/socket.js";
import type { SocketFault } from "./catalogue.js";

/** The faults a FaultyClient handles. */
export const CLIENT_FAULTS: ReadonlySet<SocketFault> = new Set<SocketFault>([
  "connect-timeout-ignored",
  "unprompted-connect-reply",
  "rejoin-ignored",
  "packet-before-connect-ignored",
  "unjoined-namespace-packet-ignored",
  "connect-error-from-client-ignored",
  "ack-namespace-crossed",
  "client-disconnect-answered",
  "disconnect-closes-engine",
  "disconnect-leaves-all",
  "repeat-connect-closes",
  "repeat-connect-answered-twice",
  "second-connect-before-reply-dropped",
  "duplicate-connect-accepted",
  "unknown-namespace-closes-session",
  "deadline-stopped-by-refusal",
  "connect-error-string-in-v5",
  "middleware-error-data-dropped",
  "refusal-sticky",
  "refusal-closes-session",
  "connect-timeout-not-cleared",
  "connect-reply-late",
  "violation-spares-session",
  "close-after-rest-of-payload",
  "engine-close-spares-namespaces",
  "close-me-keeps-session",
]);

export class FaultyClient extends Client {
  /** Under rejoin-ignored: the namespaces the client left. */
  private readonly left = new Set<string>();
  /** Under packet-before-connect-ignored: whether any CONNECT came yet. */
  private connectSeen = false;

  constructor(
    conn: EngineConnection,
    host: ClientHost,
    codec: SessionCodec,
    private readonly faults: ReadonlySet<SocketFault>,
  ) {
    super(conn, host, codec);
    if (faults.has("connect-timeout-ignored")) this.clearDeadline();
    if (this.protocol === 4 && faults.has("unprompted-connect-reply")) this.startConnect("/", {});
  }

  override disconnectAll(): void {
    if (!this.faults.has("close-me-keeps-session")) return super.disconnectAll();
    for (const socket of [...this.sockets.values()]) socket.disconnect();
  }

  protected override undecodable(message: string | Uint8Array, err: Error): void {
    if (typeof message === "string" && this.faults.has("violation-spares-session")) {
      // Only the namespace the text names is dropped, as if a violation were that namespace's affair.
      const nsp = /^[0-6](?:[0-9]+-)?(\/[^,]*),/.exec(message)?.[1];
      const socket = nsp === undefined || nsp === "/" ? undefined : this.sockets.get(nsp);
      if (socket) return socket.onclose("parse error");
    }
    super.undecodable(message, err);
  }

  protected override route(packet: Packet): void {
    const on = (fault: SocketFault) => this.faults.has(fault);
    const name = namespaceName(this.protocol, packet.nsp);
    const socket = packet.type === "CONNECT" ? undefined : this.sockets.get(name);
    if (on("rejoin-ignored")) {
      if (packet.type === "DISCONNECT") this.left.add(name);
      else if (packet.type === "CONNECT" && this.left.has(name)) return;
    }
    if (packet.type === "CONNECT") this.connectSeen = true;
    else if (!this.connectSeen && on("packet-before-connect-ignored")) return;
    if (packet.type !== "CONNECT" && !socket && on("unjoined-namespace-packet-ignored")) return;
    if (packet.type === "CONNECT_ERROR" && socket && on("connect-error-from-client-ignored")) return;
    if ((packet.type === "ACK" || packet.type === "BINARY_ACK") && socket && on("ack-namespace-crossed")) {
      // Each socket ignores an id it does not wait for, so the one that asked answers, whatever its namespace.
      for (const other of [...this.sockets.values()]) other.handlePacket({ ...packet, nsp: other.nsp.name });
      return;
    }
    const leaving = packet.type === "DISCONNECT" && socket !== undefined;
    if (leaving && on("client-disconnect-answered")) this.sendPacket({ type: "DISCONNECT", nsp: name });
    super.route(packet);
    if (leaving && on("disconnect-closes-engine") && this.sockets.size === 0) this.closeSession("forced close");
    if (leaving && on("disconnect-leaves-all"))
      for (const other of [...this.sockets.values()]) other.onclose("client namespace disconnect");
  }

  protected override receiveConnect(name: string, auth: Record<string, unknown>): void {
    if (this.pending?.has(name)) {
      if (this.faults.has("repeat-connect-closes"))
        return this.violation(`CONNECT to ${name} repeated before its reply`);
      if (this.faults.has("repeat-connect-answered-twice")) this.startConnect(name, auth);
      return;
    }
    if (this.pending !== undefined && this.faults.has("second-connect-before-reply-dropped")) return;
    const joined = this.sockets.get(name);
    if (joined && this.faults.has("duplicate-connect-accepted")) {
      joined.onclose("client namespace disconnect");
      return this.startConnect(name, auth);
    }
    super.receiveConnect(name, auth);
  }

  protected override refuseUnknown(name: string): void {
    super.refuseUnknown(name);
    if (this.faults.has("unknown-namespace-closes-session")) this.closeSession("forced close");
    if (this.faults.has("deadline-stopped-by-refusal")) this.clearDeadline();
  }

  protected override refuse(name: string, err: MiddlewareError): void {
    // A refused namespace kept "being decided": every later CONNECT to it is dropped as a repeat.
    if (this.faults.has("refusal-sticky")) (this.pending ??= new Set()).add(name);
    const message = refusalMessage(err);
    if (this.protocol === 4 && this.faults.has("connect-error-string-in-v5"))
      this.sendPacket({ type: "CONNECT_ERROR", nsp: name, data: message } as unknown as Packet);
    else if (this.protocol === 4 && this.faults.has("middleware-error-data-dropped"))
      this.sendPacket({ type: "CONNECT_ERROR", nsp: name, data: { message } });
    else super.refuse(name, err);
    if (this.faults.has("refusal-closes-session")) this.closeSession("forced close");
  }

  protected override accept(nsp: Namespace, socket: Socket, missed: unknown[][]): void {
    const late = nsp.name !== "/" && this.faults.has("connect-reply-late");
    const keepDeadline = this.faults.has("connect-timeout-not-cleared");
    if (!late && !keepDeadline) return super.accept(nsp, socket, missed);
    this.sockets.set(nsp.name, socket);
    if (!keepDeadline) this.clearDeadline();
    if (!late) this.sendPacket(connectReply(this.protocol, socket));
    nsp.finishConnect(socket, missed);
    if (late) this.sendPacket(connectReply(this.protocol, socket));
  }

  protected override violation(reason: string): void {
    if (this.faults.has("close-after-rest-of-payload")) return void setImmediate(() => super.violation(reason));
    super.violation(reason);
  }

  protected override disconnectSockets(reason: string): void {
    if (!this.faults.has("engine-close-spares-namespaces")) return super.disconnectSockets(reason);
    // Only the socket on `/` is told; the others linger, joined to a session that is gone.
    for (const socket of [...this.sockets.values()]) if (socket.nsp.name === "/") socket.onclose(reason);
  }
}
