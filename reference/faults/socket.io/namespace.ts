/**
 * The faults of a namespace: connection-state recovery (the offsets it stamps, the sessions it
 * restores, the events it replays), and the sockets it makes, FaultySockets. It reaches the
 * server through the `namespace` seam.
 */
import { type DynamicNamespace, type Identity, Namespace, type NamespaceHost } from "../../socket.io/namespace.js";
import { newSocketId, type Socket, type SocketCarrier } from "../../socket.io/socket.js";
import type { SocketFault } from "./catalogue.js";
import { FaultySocket, SOCKET_OBJECT_FAULTS } from "./socket.js";

/** The faults a FaultyNamespace handles, its sockets' included. */
export const NAMESPACE_FAULTS: ReadonlySet<SocketFault> = new Set<SocketFault>([
  ...SOCKET_OBJECT_FAULTS,
  "recovery-offset-missing",
  "recovery-sid-changed",
  "recovery-unknown-pid-closes",
  "missed-events-not-replayed",
]);

export class FaultyNamespace extends Namespace {
  private readonly recovers: boolean;

  constructor(
    name: string,
    host: NamespaceHost,
    parent: DynamicNamespace | undefined,
    private readonly faults: ReadonlySet<SocketFault>,
  ) {
    super(name, host, parent);
    this.recovers = host.maxDisconnectionDuration !== undefined;
  }

  override stamp(data: unknown[], target: string | undefined): void {
    if (!this.faults.has("recovery-offset-missing")) super.stamp(data, target);
  }

  override finishConnect(socket: Socket, missed: unknown[][]): void {
    super.finishConnect(socket, this.faults.has("missed-events-not-replayed") ? [] : missed);
  }

  protected override identify(carrier: SocketCarrier, auth: Record<string, unknown>): Identity {
    const identity = super.identify(carrier, auth);
    if (identity.recovered && this.faults.has("recovery-sid-changed")) return { ...identity, id: newSocketId() };
    // The session is closed before the middleware runs; the Client drops a CONNECT whose session closed.
    if (
      !identity.recovered &&
      this.recovers &&
      auth.pid !== undefined &&
      this.faults.has("recovery-unknown-pid-closes")
    )
      carrier.closeSession("forced close");
    return identity;
  }

  protected override createSocket(carrier: SocketCarrier, auth: Record<string, unknown>, identity: Identity): Socket {
    // The socket faults break Socket.IO v5 rules: a socket of a v3 (EIO=3) session is the reference's.
    if (carrier.protocol === 3) return super.createSocket(carrier, auth, identity);
    return new FaultySocket(this, carrier, auth, identity, this.faults);
  }
}
