/**
 * The per-connection state machine that joins a binary packet's text with the Engine.IO
 * binary messages that follow it. Shared by both versions; each names it with its own packet type.
 */
import { DecodeError } from "../errors.js";
import { fillSlots, type PlaceholderSlot } from "./binary.js";
import { DEFAULT_MAX_ATTACHMENTS, parseText, type DecodeOptions, type Profile, type RawPacket } from "./grammar.js";

/**
 * Decodes the Socket.IO packets of one connection, one Engine.IO message at a time. A binary
 * packet's text is held until its attachments arrived; then the packet is returned with each
 * placeholder replaced by its bytes (type stays BINARY_EVENT/BINARY_ACK, `attachments` stays
 * the count). After an error the pending packet is dropped: the connection is to be closed.
 */
export class PacketAssembler<P = RawPacket> {
  private pending: RawPacket | undefined;
  private received: Uint8Array[] = [];
  private readonly found: { slots: PlaceholderSlot[] | undefined } = { slots: undefined };
  private readonly maxAttachments: number;

  constructor(
    private readonly profile: Profile,
    options: DecodeOptions = {},
  ) {
    this.maxAttachments = options.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS;
  }

  /** True while a binary packet waits for attachments. */
  get awaitingAttachments(): boolean {
    return this.pending !== undefined;
  }

  /** Feeds one message; returns a complete packet, or undefined while attachments are pending. */
  add(message: string | Uint8Array): P | undefined {
    const rules = this.profile.rules;
    if (typeof message === "string") {
      if (this.pending !== undefined) {
        const reason = `text message while attachment ${this.received.length + 1} of ${this.pending.attachments ?? 0} was expected`;
        this.reset();
        throw new DecodeError(rules.interleaved, 0, reason);
      }
      const packet = parseText(message, this.profile, this.maxAttachments, this.found);
      if (packet.attachments === undefined) return packet as P;
      this.pending = packet;
      this.received = [];
      return undefined;
    }
    if (!(message instanceof Uint8Array)) {
      throw new TypeError("a message is a string or a Uint8Array");
    }
    const packet = this.pending;
    if (packet === undefined) {
      throw new DecodeError(rules.unexpectedBinary, 0, "binary message while no packet waits for attachments");
    }
    this.received.push(message);
    if (this.received.length < (packet.attachments ?? 0)) return undefined;
    fillSlots(this.found.slots ?? [], this.received);
    this.reset();
    return packet as P;
  }

  /** Drops a half-received binary packet. */
  reset(): void {
    this.pending = undefined;
    this.received = [];
    this.found.slots = undefined;
  }
}
