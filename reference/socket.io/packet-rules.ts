/**
 * Event names the protocol keeps for itself. The codec refuses them in client EVENTs; the
 * server refuses to emit them, so an application cannot send what a client would take for the
 * protocol's own events.
 */
import { RESERVED_EVENTS } from "../../protocol/socket.io/grammar.js";

/** Event names a client EVENT may not carry and the server may not emit: the codec's own list. */
export { RESERVED_EVENTS };

/** True when `name` may not be sent as an event name. */
export function isReservedEvent(name: unknown): boolean {
  return typeof name === "string" && RESERVED_EVENTS.has(name);
}
