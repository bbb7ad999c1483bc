/**
 * The official servers (socket.io@4 at /socket.io/ and a bare engine.io@6 at /engine.io/), both
 * on one node:http server on 127.0.0.1, each running the echo contract (docs/echo-contract.md).
 * The conformance suite is judged against them, and the server benchmark compares with them.
 */
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { Server as EngineServer, type Socket as EngineSocket } from "engine.io";
import { Server as SocketIOServer, type ServerOptions, type Socket } from "socket.io";

/** Options of {@link startOfficialServers}; those that change the wire apply to both endpoints. */
export interface OfficialServersOptions {
  pingInterval?: number;
  pingTimeout?: number;
  /** Socket.IO only: how long a session may stay without any namespace CONNECT. */
  connectTimeout?: number;
  upgradeTimeout?: number;
  maxHttpBufferSize?: number;
  /** `true` allows every origin; an object is handed to the official `cors` option as is. */
  cors?: boolean | ServerOptions["cors"];
  allowEIO3?: boolean;
  /** Serve the bare Engine.IO endpoint at /engine.io/ (default true). */
  engine?: boolean;
  /** Turn on Socket.IO's connection state recovery (off by default: it adds `pid` to CONNECT replies). */
  connectionStateRecovery?: boolean;
}

/** A running pair of official servers. */
export interface OfficialServers {
  /** `http://127.0.0.1:<port>`, without a path. */
  url: string;
  port: number;
  /** The Socket.IO server, for tests that want to look inside. */
  io: SocketIOServer;
  /** The bare Engine.IO server, or null when `engine: false`. */
  engine: EngineServer | null;
  /** Close every session, connection and timer, then the HTTP server. Safe to call twice. */
  close(): Promise<void>;
}

/** Text messages on the bare Engine.IO endpoint that make the server act instead of echoing. */
const CLOSE_COMMAND = "sockspec:close";
const BURST_PREFIX = "sockspec:burst:";
const MAX_BURST = 1000;

const SOCKET_IO_PATH = "/socket.io/";
const ENGINE_IO_PATH = "/engine.io/";

/** Start both official servers on 127.0.0.1, port 0. */
export async function startOfficialServers(opts: OfficialServersOptions = {}): Promise<OfficialServers> {
  // A request that neither endpoint claims must still get an answer, or it would hang.
  const httpServer = createServer((_req, res) => {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  // Each engine's own fallback for a foreign upgrade is a 1 s timer per request, which would
  // outlive close(); with destroyUpgrade off, this one listener refuses them at once instead.
  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex) => {
    const url = req.url ?? "";
    const claimed = url.startsWith(SOCKET_IO_PATH) || (opts.engine !== false && url.startsWith(ENGINE_IO_PATH));
    if (!claimed) socket.destroy();
  });

  const common = {
    pingInterval: opts.pingInterval ?? 25_000,
    pingTimeout: opts.pingTimeout ?? 20_000,
    upgradeTimeout: opts.upgradeTimeout ?? 10_000,
    maxHttpBufferSize: opts.maxHttpBufferSize ?? 1e6,
    allowEIO3: opts.allowEIO3 ?? false,
    ...(opts.cors ? { cors: opts.cors === true ? { origin: "*" } : opts.cors } : {}),
  };

  const io = new SocketIOServer(httpServer, {
    ...common,
    path: SOCKET_IO_PATH,
    connectTimeout: opts.connectTimeout ?? 45_000,
    destroyUpgrade: false,
    ...(opts.connectionStateRecovery ? { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } } : {}),
  });
  wireSocketIOEcho(io);

  let engine: EngineServer | null = null;
  if (opts.engine !== false) {
    engine = new EngineServer(common);
    engine.attach(httpServer, { path: ENGINE_IO_PATH, destroyUpgrade: false });
    engine.on("connection", wireEngineEcho);
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(0, "127.0.0.1", () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    io,
    engine,
    close: () => (closing ??= closeAll(httpServer, io, engine)),
  };
}

async function closeAll(httpServer: HttpServer, io: SocketIOServer, engine: EngineServer | null): Promise<void> {
  // Sessions first, so that pending polling requests are answered and WebSockets closed;
  // then drop the keep-alive sockets that would otherwise hold the HTTP server open.
  engine?.close();
  io.engine.close();
  httpServer.closeAllConnections();
  // io.close() also closes the HTTP server (and the recovery adapter's timer).
  await io.close();
}

/** Bare Engine.IO: echo every message, except the two control messages. */
function wireEngineEcho(socket: EngineSocket): void {
  socket.on("message", (data: string | Buffer) => {
    if (typeof data === "string") {
      if (data === CLOSE_COMMAND) {
        socket.close();
        return;
      }
      if (data.startsWith(BURST_PREFIX)) {
        const count = burstCount(data.slice(BURST_PREFIX.length));
        if (count !== undefined) {
          for (let i = 1; i <= count; i++) socket.send(`burst:${i}`);
          return;
        }
        // Not a valid burst command: it is an ordinary message, echoed below.
      }
    }
    socket.send(data);
  });
}

/** N of `sockspec:burst:N`: plain decimal digits, no leading zero, 1..MAX_BURST; else undefined. */
function burstCount(digits: string): number | undefined {
  if (digits.length === 0 || digits.length > 4 || digits[0] === "0") return undefined;
  for (const ch of digits) if (ch < "0" || ch > "9") return undefined;
  const n = Number(digits);
  return n <= MAX_BURST ? n : undefined;
}

/** Socket.IO: the same handlers on `/` and `/custom`, and on `/private` behind a token check. */
function wireSocketIOEcho(io: SocketIOServer): void {
  io.of("/").on("connection", onNamespaceSocket);
  io.of("/custom").on("connection", onNamespaceSocket);
  const privateNsp = io.of("/private");
  privateNsp.use((socket, next) => {
    const auth = socket.handshake.auth as Record<string, unknown>;
    // The recovery keys (pid, offset) may ride along with the token; anything else may not.
    const keys = Object.keys(auth).filter((k) => k !== "pid" && k !== "offset");
    if (auth["token"] === "sockspec" && keys.length === 1) {
      next();
      return;
    }
    const refusal = new Error("not authorized") as Error & { data?: unknown };
    refusal.data = { reason: "token required" };
    next(refusal);
  });
  privateNsp.on("connection", onNamespaceSocket);
}

function onNamespaceSocket(socket: Socket): void {
  socket.emit("auth", socket.handshake.auth);
  socket.on("message", (...args: unknown[]) => {
    // An ack asked for on `message` is not part of the contract: it is dropped, not echoed.
    if (typeof args.at(-1) === "function") args.pop();
    socket.emit("message-back", ...args);
  });
  socket.on("message-with-ack", (...args: unknown[]) => {
    const ack = args.pop();
    if (typeof ack === "function") ack(...args);
  });
  socket.on("emit-with-ack", (...args: unknown[]) => {
    if (typeof args.at(-1) === "function") args.pop();
    socket.emit("emit-with-ack", ...args, (...reply: unknown[]) => {
      socket.emit("ack-back", ...reply);
    });
  });
  socket.on("disconnect-me", () => {
    socket.disconnect();
  });
  socket.on("close-me", () => {
    socket.disconnect(true);
  });
}
