/**
 * `attach(httpServer, options)`: the reference server on an existing HTTP server. The Socket.IO
 * endpoint (default path `/socket.io/`) always; the bare Engine.IO endpoint (`/engine.io/`)
 * when `enginePath` is set. Option names and defaults are those of the official server, so a
 * configuration moves between the two unchanged.
 */
import type { Server as HttpServer } from "node:http";
import { EngineServer } from "./engine/server.js";
import type { EngineServerOptions } from "./engine/options.js";
import type { FaultSet } from "./engine/faults.js";
import { Server, type ServerOptions } from "./socket.io/server.js";
import type { SocketFault } from "./socket.io/faults.js";

/** Options of attach(): the Engine.IO options, the Socket.IO options, and where each endpoint lives. */
export interface AttachOptions
  extends Omit<EngineServerOptions, "path" | "faults">,
    Omit<ServerOptions, "faults" | "clock"> {
  /** Path of the Socket.IO endpoint. Default "/socket.io/". */
  path?: string;
  /** Path of a bare Engine.IO endpoint next to it (e.g. "/engine.io/"); none when unset. */
  enginePath?: string;
  /** Engine.IO fault switches, applied to both endpoints (mutant servers only). */
  engineFaults?: FaultSet;
  /** Socket.IO fault switches (mutant servers only). */
  socketFaults?: ReadonlySet<SocketFault>;
}

/** What attach() returns. */
export interface Attached {
  /** The Socket.IO server. */
  io: Server;
  /** The bare Engine.IO endpoint, when `enginePath` was given. */
  engine: EngineServer | undefined;
  /** Closes every session and detaches both endpoints (the HTTP server itself stays open). */
  close(): Promise<void>;
}

/** Serve the reference server's endpoints on `httpServer`. */
export function attach(httpServer: HttpServer, options: AttachOptions = {}): Attached {
  const {
    path,
    enginePath,
    engineFaults,
    socketFaults,
    connectTimeout,
    maxAttachments,
    connectionStateRecovery,
    onViolation,
    ...engineOptions
  } = options;
  const shared: EngineServerOptions = { ...engineOptions, ...(engineFaults ? { faults: engineFaults } : {}) };
  const socketEngine = new EngineServer({ ...shared, path: path ?? "/socket.io/" });
  const io = new Server(socketEngine, {
    ...(connectTimeout !== undefined ? { connectTimeout } : {}),
    ...(maxAttachments !== undefined ? { maxAttachments } : {}),
    ...(connectionStateRecovery ? { connectionStateRecovery } : {}),
    ...(socketFaults ? { faults: socketFaults } : {}),
    ...(onViolation ? { onViolation } : {}),
    ...(engineOptions.clock ? { clock: engineOptions.clock } : {}),
  });
  const engine = enginePath ? new EngineServer({ ...shared, path: enginePath }) : undefined;
  engine?.attach(httpServer);
  socketEngine.attach(httpServer);
  return {
    io,
    engine,
    async close() {
      await io.close();
      engine?.close();
    },
  };
}
