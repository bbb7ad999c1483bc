/**
 * What the Engine.IO layer of the reference server hands to whatever runs above it (the
 * Socket.IO layer, or a bare Engine.IO app): one object per session, whatever its transport.
 * The layer above never sees packets of any other type than message, nor the transport switch.
 */
import type { IncomingHttpHeaders } from "node:http";

/**
 * What a session keeps of the request that opened it: the target, the headers and the peer's
 * address, not the request itself (which would hold its buffers for the session's lifetime).
 * An IncomingMessage fits the type, minus the address, which it keeps on its socket.
 */
export interface HandshakeRequest {
  /** The request target: path and query. */
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  /** The remote address of the connection the request came on. */
  readonly remoteAddress?: string | undefined;
}

/** Why a session ended; the names follow what the spec's close and drop rules call them. */
export type CloseReason =
  | "client close" // the client sent a close packet, or closed its WebSocket cleanly
  | "server close" // close() was called
  | "ping timeout" // no pong within pingTimeout (v4) / no ping within pingInterval+pingTimeout (v3)
  | "transport error" // the transport failed: reset, aborted request, overlapping request, oversize frame
  | "parse error" // the client sent bytes that do not decode
  | "forced server close"; // the server shut down

export interface EngineConnection {
  /** The Engine.IO session ID. */
  readonly id: string;
  /** Engine.IO protocol version of the session: 4, or 3 when allowEIO3 let a v3 client in. */
  readonly protocol: 3 | 4;
  /** The transport now carrying the session. */
  readonly transport: "polling" | "websocket";
  /** What the session keeps of the request that opened it (its URL, headers and peer address). */
  readonly request: HandshakeRequest;
  /** Queue one message packet; text or binary. Ignored once the session is closed. */
  send(data: string | Uint8Array): void;
  /** End the session from the server side, with the close bytes the spec names per transport. */
  close(): void;
  /** A message packet from the client. */
  on(event: "message", listener: (data: string | Uint8Array) => void): this;
  /** The session ended; called once. */
  on(event: "close", listener: (reason: CloseReason, detail?: string) => void): this;
  off(event: "message" | "close", listener: (...args: never[]) => void): this;
}
