/**
 * The faults in how the server reads packets: some let through input the reference decoder
 * refuses (the session then stays open), some refuse input it accepts (a DecodeError, which the
 * Client treats as any undecodable packet), some read a valid packet wrongly.
 */
import { DecodeError } from "../../../protocol/errors.js";
import * as v4 from "../../../protocol/socket.io/v4.js";
import * as v5 from "../../../protocol/socket.io/v5.js";
import { RESERVED_EVENTS } from "../../../protocol/socket.io/grammar.js";
import type { Packet, SessionCodec } from "../../socket.io/codec.js";
import type { SocketFault } from "./catalogue.js";

/**
 * The decode errors each lenient fault lets through, by the rule the error cites: the packet is
 * dropped and the session stays open, as a server without that check would do.
 */
const LENIENT: Partial<Record<SocketFault, readonly string[]>> = {
  "no-close-on-invalid-packet": ["SIO5-PACKET-02"],
  "unknown-type-accepted": ["SIO5-PACKET-01"],
  "bad-event-payload-accepted": ["SIO5-EVENT-01"],
  // `42abc[...]` fails as a namespace without its slash: letters where the ack id stands.
  "bad-ack-accepted": ["SIO5-ACK-01", "SIO5-ACK-03", "SIO5-NAMESPACE-01"],
  "bad-connect-accepted": ["SIO5-CONNECT-01", "SIO5-DISCONNECT-01", "SIO5-ACK-02"],
  "bad-binary-accepted": ["SIO5-BINARY-01", "SIO5-BINARY-02", "SIO5-BINARY-03", "SIO5-BINARY-04"],
};

/** The faults this reader handles. */
export const READ_FAULTS: ReadonlySet<SocketFault> = new Set<SocketFault>([
  ...(Object.keys(LENIENT) as SocketFault[]),
  "reserved-event-accepted",
  "empty-attachment-ignored",
  "namespace-comma-required",
  "empty-event-accepted",
  "attachments-not-awaited",
  "nested-auth-refused",
  "auth-dropped",
  "namespace-query-stripped",
  "namespace-name-folded",
  "numeric-event-name-refused",
  "large-ack-id-refused",
  "placeholder-substituted-in-event",
]);

/** The stand-in for a reserved event name, which the strict decoder lets through. */
const MARKER = "sockspec:reserved-event";

/** Decodes through the reference codec, around and after it breaking what the faults on say. */
export class FaultyReader {
  /** Under reserved-event-accepted: the reserved name hidden from the decoder, put back once decoded. */
  private hiddenName: string | undefined;

  constructor(
    private readonly inner: SessionCodec,
    private readonly protocol: 3 | 4,
    private readonly maxAttachments: number,
    private readonly faults: ReadonlySet<SocketFault>,
  ) {}

  add(message: string | Uint8Array): Packet | undefined {
    const on = (fault: SocketFault) => this.faults.has(fault);
    if (typeof message === "string" && on("reserved-event-accepted")) message = this.hideReservedName(message);
    if (typeof message !== "string" && message.byteLength === 0 && on("empty-attachment-ignored")) return undefined;
    if (typeof message === "string" && on("namespace-comma-required") && /^[0-6](?:[0-9]+-)?\/[^,]*$/.test(message))
      throw new DecodeError("SIO5-NAMESPACE-08", message.length, "a namespace without its comma");
    if (typeof message === "string" && on("empty-event-accepted") && /^2(?:\/[^,]*,)?[0-9]*$/.test(message))
      return undefined;
    let packet: Packet | undefined;
    try {
      packet = on("attachments-not-awaited") ? this.decodeAlone(message) : this.inner.add(message);
    } catch (err) {
      if (err instanceof DecodeError && [...this.faults].some((f) => LENIENT[f]?.includes(err.rule))) return undefined;
      throw err;
    }
    return packet && this.misread(packet);
  }

  /** Under attachments-not-awaited: a text decoded alone, placeholders in place; attachments dropped. */
  private decodeAlone(message: string | Uint8Array): Packet | undefined {
    if (typeof message !== "string") return undefined;
    const options = { maxAttachments: this.maxAttachments };
    return this.protocol === 3 ? v4.decodeText(message, options) : v5.decodeText(message, options);
  }

  /** A decoded packet as the faults on read it. */
  private misread(packet: Packet): Packet {
    const on = (fault: SocketFault) => this.faults.has(fault);
    if (packet.type === "EVENT" || packet.type === "BINARY_EVENT") {
      if (this.hiddenName !== undefined && packet.data[0] === MARKER) {
        packet.data[0] = this.hiddenName;
        this.hiddenName = undefined;
      }
      if (typeof packet.data[0] === "number" && on("numeric-event-name-refused"))
        throw new DecodeError("SIO5-EVENT-01", 0, "a numeric event name");
      if (packet.id !== undefined && packet.id > 0x7fffffff && on("large-ack-id-refused"))
        throw new DecodeError("SIO5-ACK-01", 0, "an ack id above 2^31-1");
      if (packet.type === "EVENT" && on("placeholder-substituted-in-event")) substitutePlaceholders(packet.data);
    }
    const auth = packet.type === "CONNECT" ? (packet as { data?: unknown }).data : undefined;
    if (on("nested-auth-refused") && hasNestedValue(auth))
      throw new DecodeError("SIO5-CONNECT-01", 0, "an auth object with nested values");
    // The remaining faults misread what only v5 carries: the CONNECT payload and a `?` in a name.
    if (this.protocol === 3) return packet;
    if (packet.type === "CONNECT" && on("auth-dropped")) packet = { type: "CONNECT", nsp: packet.nsp };
    if (on("namespace-query-stripped")) packet = { ...packet, nsp: v4.splitNamespaceQuery(packet.nsp).name };
    if (on("namespace-name-folded")) packet = { ...packet, nsp: packet.nsp.toLowerCase().replace(/(.)\/$/, "$1") };
    return packet;
  }

  /** Swaps a reserved event name in an EVENT text for the marker, remembering the name. */
  private hideReservedName(text: string): string {
    const type = text[0];
    if (type !== "2" && type !== "5") return text;
    const open = text.indexOf('["');
    if (open === -1) return text;
    const close = text.indexOf('"', open + 2);
    if (close === -1) return text;
    const name = text.slice(open + 2, close);
    if (!RESERVED_EVENTS.has(name)) return text;
    this.hiddenName = name;
    return `${text.slice(0, open + 2)}${MARKER}${text.slice(close)}`;
  }
}

function hasNestedValue(data: unknown): boolean {
  return (
    typeof data === "object" && data !== null && Object.values(data).some((v) => typeof v === "object" && v !== null)
  );
}

/** Replaces every placeholder-shaped object in a plain EVENT payload by an empty binary value, as if it were an attachment. */
function substitutePlaceholders(data: unknown[]): void {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) value[i] = visit(v);
      return value;
    }
    if (typeof value !== "object" || value === null || value instanceof Uint8Array) return value;
    const o = value as Record<string, unknown>;
    if (o._placeholder === true && typeof o.num === "number") return new Uint8Array(0);
    for (const key of Object.keys(o)) o[key] = visit(o[key]);
    return o;
  };
  visit(data);
}
