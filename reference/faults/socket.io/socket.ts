/**
 * The faults of one namespace socket: how it delivers the client's events, answers their acks,
 * takes the client's ACKs, and leaves. A FaultySocket is what a FaultyNamespace makes.
 */
import type { Identity } from "../../socket.io/namespace.js";
import { Socket, type SocketCarrier, type SocketNamespace } from "../../socket.io/socket.js";
import type { SocketFault } from "./catalogue.js";

/** The faults a FaultySocket handles. */
export const SOCKET_OBJECT_FAULTS: ReadonlySet<SocketFault> = new Set<SocketFault>([
  "ack-id-off-by-one",
  "event-without-ack-gets-ack",
  "event-args-last-dropped",
  "events-reordered",
  "client-ack-ignored",
  "unknown-ack-closes",
  "server-ack-id-reused",
  "server-disconnect-without-packet",
]);

export class FaultySocket extends Socket {
  /** Under events-reordered: an event waiting for the next one. */
  private heldEvent: { data: readonly unknown[]; id: number | undefined } | undefined;

  constructor(
    nsp: SocketNamespace,
    carrier: SocketCarrier,
    auth: Record<string, unknown>,
    identity: Identity,
    private readonly faults: ReadonlySet<SocketFault>,
  ) {
    super(nsp, carrier, auth, identity);
  }

  override disconnect(closeEngine = false): this {
    if (closeEngine || !this.connected || !this.faults.has("server-disconnect-without-packet"))
      return super.disconnect(closeEngine);
    this.onclose("server namespace disconnect");
    return this;
  }

  protected override newAckId(): number {
    return this.faults.has("server-ack-id-reused") ? 0 : super.newAckId();
  }

  protected override receiveAck(id: number, data: unknown[]): boolean {
    if (this.faults.has("client-ack-ignored")) return true;
    const awaited = super.receiveAck(id, data);
    if (!awaited && this.faults.has("unknown-ack-closes")) this.carrier.closeSession("forced close");
    return awaited;
  }

  protected override receiveEvent(data: readonly unknown[], id: number | undefined): void {
    if (this.faults.has("events-reordered")) return this.swapWithNext(data, id);
    this.deliver(data, id);
  }

  private deliver(data: readonly unknown[], id: number | undefined): void {
    const args = data.length > 1 && this.faults.has("event-args-last-dropped") ? data.slice(0, -1) : data;
    let ackId = id;
    if (id === undefined && this.faults.has("event-without-ack-gets-ack")) ackId = 0;
    if (id !== undefined && this.faults.has("ack-id-off-by-one")) ackId = id + 1;
    super.receiveEvent(args, ackId);
  }

  /**
   * Under events-reordered: an event is held until the next one arrives and then delivered
   * after it; one that nothing follows within the current turn is delivered alone.
   */
  private swapWithNext(data: readonly unknown[], id: number | undefined): void {
    const held = this.heldEvent;
    if (!held) {
      this.heldEvent = { data, id };
      setImmediate(() => {
        if (this.heldEvent?.data !== data) return;
        this.heldEvent = undefined;
        this.deliver(data, id);
      });
      return;
    }
    this.heldEvent = undefined;
    this.deliver(data, id);
    this.deliver(held.data, held.id);
  }
}
