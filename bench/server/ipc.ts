/**
 * Messages between the benchmark driver (parent) and a server child process. Each server under
 * test runs alone in its own child, so the driver never shares an event loop or a heap with it.
 */

/** What the wire looks like on a target: Socket.IO v5 over Engine.IO v4, or the bare floor. */
export type WireProtocol = "socket.io" | "raw";

/** Child -> parent. */
export type ChildMessage =
  | { type: "ready"; port: number; protocol: WireProtocol }
  | { type: "unavailable"; reason: string }
  | { type: "memory"; heapUsed: number; rss: number; external: number; arrayBuffers: number }
  /** CPU time the child has used so far (user + system), microseconds. */
  | { type: "cpu"; micros: number };

/** Parent -> child. */
export type ParentMessage = { cmd: "memory" } | { cmd: "cpu" } | { cmd: "stop" };

/** A server started inside a child: where it listens, and how to stop it. */
export interface StartedServer {
  port: number;
  protocol: WireProtocol;
  close(): Promise<void>;
}
