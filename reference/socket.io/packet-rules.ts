/**
 * Event names the protocol keeps for itself. The codec refuses them in client EVENTs; the
 * server refuses to emit them; and one fault switch smuggles them past the codec.
 */
import { RESERVED_EVENTS } from "../../protocol/socket.io/grammar.js";

/** Event names a client EVENT may not carry and the server may not emit: the codec's own list. */
export { RESERVED_EVENTS };

/** True when `name` may not be sent as an event name. */
export function isReservedEvent(name: unknown): boolean {
  return typeof name === "string" && RESERVED_EVENTS.has(name);
}

/** The stand-in name {@link hideReservedName} puts in place of a reserved one. */
const MARKER = "sockspec:reserved-event";

/**
 * For the reserved-event-accepted fault only: swaps a reserved event name in an EVENT text for a
 * harmless marker so the strict codec lets it through; the caller puts the name back after
 * decoding. Undefined when the text is not an EVENT with a reserved name.
 */
export function hideReservedName(text: string): { text: string; marker: string; name: string } | undefined {
  const type = text[0];
  if (type !== "2" && type !== "5") return undefined;
  const open = text.indexOf('["');
  if (open === -1) return undefined;
  const close = text.indexOf('"', open + 2);
  if (close === -1) return undefined;
  const name = text.slice(open + 2, close);
  if (!RESERVED_EVENTS.has(name)) return undefined;
  return { text: `${text.slice(0, open + 2)}${MARKER}${text.slice(close)}`, marker: MARKER, name };
}
