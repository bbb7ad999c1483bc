/**
 * The echo contract: what a server under test runs so the conformance suite can judge it
 * (the conformance docs describe it). One part for the bare Engine.IO endpoint, one for the
 * Socket.IO endpoint; the suite drives server-initiated behaviour through a few control
 * messages and events.
 */
import type { EngineConnection } from "../engine/connection.js";
import type { Server } from "../socket.io/server.js";
import type { Socket } from "../socket.io/socket.js";
import type { MiddlewareError } from "../socket.io/namespace.js";

/** Largest N a `sockspec:burst:N` message may ask for. */
export const MAX_BURST = 1000;

/** Anything that hands out Engine.IO sessions (the EngineServer of the /engine.io/ endpoint). */
export interface SessionSource {
  on(event: "connection", listener: (conn: EngineConnection) => void): unknown;
}

/**
 * Bare Engine.IO echo: every message comes back unchanged (text as text, binary as binary),
 * except `sockspec:close` (the server closes the session) and `sockspec:burst:N` (the server
 * sends `burst:1` .. `burst:N`).
 */
export function installEngineEcho(engine: SessionSource): void {
  engine.on("connection", (conn) => {
    conn.on("message", (data) => {
      if (typeof data === "string") {
        if (data === "sockspec:close") return conn.close();
        const n = burstSize(data);
        if (n !== undefined) {
          for (let i = 1; i <= n; i++) conn.send(`burst:${i}`);
          return;
        }
      }
      conn.send(data);
    });
  });
}

/** N of a well-formed `sockspec:burst:N` (1..MAX_BURST), else undefined (and the message is echoed). */
function burstSize(text: string): number | undefined {
  const prefix = "sockspec:burst:";
  if (!text.startsWith(prefix)) return undefined;
  const digits = text.slice(prefix.length);
  if (!/^[1-9][0-9]{0,3}$/.test(digits)) return undefined;
  const n = Number(digits);
  return n <= MAX_BURST ? n : undefined;
}

/** The auth `/private` asks for. */
export const PRIVATE_TOKEN = "sockspec";

/**
 * Socket.IO echo on `/`, `/custom` and `/private` (the last behind a token check). `/random`
 * is deliberately not served.
 */
export function installSocketEcho(io: Server): void {
  io.of("/").on("connection", echoSocket);
  io.of("/custom").on("connection", echoSocket);
  io.of("/private")
    .use((socket, next) => {
      const auth = socket.handshake.auth;
      const keys = Object.keys(auth).filter((k) => k !== "pid" && k !== "offset");
      if (keys.length === 1 && auth.token === PRIVATE_TOKEN) return next();
      const err: MiddlewareError = new Error("not authorized");
      err.data = { reason: "token required" };
      next(err);
    })
    .on("connection", echoSocket);
}

/** Drops the ack function a handler may get as its last argument. */
function argsOnly(args: unknown[]): { args: unknown[]; ack: ((...a: unknown[]) => void) | undefined } {
  const last = args[args.length - 1];
  if (typeof last === "function") return { args: args.slice(0, -1), ack: last as (...a: unknown[]) => void };
  return { args, ack: undefined };
}

function echoSocket(socket: Socket): void {
  socket.emit("auth", socket.handshake.auth);
  socket.on("message", (...raw: unknown[]) => {
    socket.emit("message-back", ...argsOnly(raw).args);
  });
  socket.on("message-with-ack", (...raw: unknown[]) => {
    const { args, ack } = argsOnly(raw);
    ack?.(...args);
  });
  socket.on("emit-with-ack", (...raw: unknown[]) => {
    socket.emitWithAck("emit-with-ack", ...argsOnly(raw).args).then(
      (ackArgs) => socket.emit("ack-back", ...ackArgs),
      () => undefined, // the socket left before answering; nothing to send back
    );
  });
  socket.on("disconnect-me", () => socket.disconnect());
  socket.on("close-me", () => socket.disconnect(true));
}
