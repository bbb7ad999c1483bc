/**
 * The CONNECT exchange in each protocol version: which namespace a packet names and what auth a
 * CONNECT carries, and what the server answers, a CONNECT reply or a CONNECT_ERROR. Socket.IO v5
 * (over Engine.IO v4) carries both in the payload; Socket.IO v4 (over Engine.IO v3) has no
 * CONNECT payload, so its auth is the query string on the namespace.
 */
import { splitNamespaceQuery } from "../../protocol/socket.io/v4.js";
import type { Packet } from "./codec.js";
import type { MiddlewareError } from "./namespace.js";
import type { Socket } from "./socket.js";

/** The namespace a packet is for: in v5 its whole name (a `?` included, SIO5-NAMESPACE-03); in v4 the part before `?`. */
export function namespaceName(protocol: 3 | 4, nsp: string): string {
  return protocol === 4 ? nsp : splitNamespaceQuery(nsp).name;
}

/** The auth of a CONNECT: its payload in v5, the namespace's query string as an object in v4; `{}` when none. */
export function connectAuth(protocol: 3 | 4, packet: Packet): Record<string, unknown> {
  if (protocol === 4) return ((packet as { data?: unknown }).data as Record<string, unknown> | undefined) ?? {};
  const { query } = splitNamespaceQuery(packet.nsp);
  return query ? Object.fromEntries(new URLSearchParams(query)) : {};
}

/** The CONNECT the server answers with: v5 carries `{sid}` (and `pid` with recovery), v4 nothing. */
export function connectReply(protocol: 3 | 4, socket: Socket): Packet {
  if (protocol === 3) return { type: "CONNECT", nsp: socket.nsp.name };
  const data: Record<string, unknown> = { sid: socket.id };
  if (socket.pid !== undefined) data.pid = socket.pid;
  return { type: "CONNECT", nsp: socket.nsp.name, data };
}

/** What a middleware refusal says to the client. */
export function refusalMessage(err: MiddlewareError): string {
  return typeof err?.message === "string" ? err.message : String(err);
}

/**
 * The CONNECT_ERROR payload for a middleware refusal: `{message, data?}` in v5; in v4 the
 * message as a JSON string (SIO4-ERROR-01 allows no object without `message`, which is what
 * the official server sends when the error has data).
 */
export function refusalPayload(protocol: 3 | 4, err: MiddlewareError): { message: string; data?: unknown } | string {
  const message = refusalMessage(err);
  if (protocol === 3) return message;
  return err?.data === undefined ? { message } : { message, data: err.data };
}
