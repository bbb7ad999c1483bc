/**
 * A stand-in for one Engine.IO session, so the Socket.IO layer can be tested without sockets:
 * `receive()` plays a message from the client, `sent` records what the server queued, and
 * `drop()` ends the session the way a transport failure would.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { CloseReason, EngineConnection } from "../../reference/engine/connection.js";

let counter = 0;

export class FakeConnection extends EventEmitter implements EngineConnection {
  readonly id = `fake-session-${++counter}`;
  /** Settable, so that a test can stand for a polling session. */
  transport: "polling" | "websocket" = "websocket";
  readonly request: IncomingMessage;
  /** Messages the server sent, in order (Socket.IO text without the Engine.IO `4`, or bytes). */
  readonly sent: (string | Uint8Array)[] = [];
  closed = false;
  closeReason: CloseReason | undefined;

  constructor(
    readonly protocol: 3 | 4 = 4,
    url = "/socket.io/?EIO=4&transport=websocket",
  ) {
    super();
    this.request = {
      url,
      headers: { host: "localhost" },
      socket: { remoteAddress: "127.0.0.1" },
    } as unknown as IncomingMessage;
  }

  send(data: string | Uint8Array): void {
    if (!this.closed) this.sent.push(data);
  }

  close(): void {
    this.end("server close");
  }

  /** The session ended for a reason other than the server closing it. */
  drop(reason: CloseReason = "transport error"): void {
    this.end(reason);
  }

  override off(event: "message" | "close", listener: (...args: never[]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  /** A message from the client. */
  receive(...messages: (string | Uint8Array)[]): void {
    for (const m of messages) if (!this.closed) this.emit("message", m);
  }

  /** Removes and returns what was sent so far. */
  take(): (string | Uint8Array)[] {
    return this.sent.splice(0, this.sent.length);
  }

  private end(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.emit("close", reason);
  }
}

/** Lets promise chains (namespace lookup, middleware) settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The JSON object after a prefix, e.g. `sidOf("0{...}", "0")`. */
export function jsonAfter(message: string | Uint8Array | undefined, prefix: string): unknown {
  if (typeof message !== "string" || !message.startsWith(prefix))
    throw new Error(`expected ${prefix}..., got ${String(message)}`);
  return JSON.parse(message.slice(prefix.length));
}
