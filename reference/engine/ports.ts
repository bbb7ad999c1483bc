/**
 * What the session core needs from a transport binding. The core never sees a request or a
 * socket: a pending GET is something it can answer once with packets, a WebSocket is something
 * it can write frames to and close.
 */
import type { Packet } from "./wire.js";

/** A pending polling GET; answered exactly once. */
export interface PollResponder {
  respond(packets: readonly Packet[]): void;
}

/** One WebSocket, as the session core sees it. */
export interface SocketPort {
  send(frame: string | Uint8Array): void;
  /** Closes the WebSocket with the given close code. */
  close(code: number): void;
  /** Bytes written but not yet handed to the network (a client that does not read makes it grow). */
  bufferedAmount?(): number;
  /** Hands frames held back to be written together to the network now. */
  flush?(): void;
}

/** WebSocket close codes the server uses. */
export const wsCloseCode = {
  /** Server close, client close, ping timeout, upgrade timeout. */
  normal: 1000,
  /** The server shuts down. */
  goingAway: 1001,
  /** The client broke the protocol: bad frame, wrong heartbeat direction, bad probe. */
  protocolError: 1002,
  /** The session's send buffer overflowed. */
  policyViolation: 1008,
  /** A message over maxPayload (the ws library sends this one itself). */
  tooBig: 1009,
} as const;
