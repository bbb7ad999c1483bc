/**
 * `attach(httpServer, options)`: the reference server on an existing HTTP server. The Socket.IO
 * endpoint (default path `/socket.io/`) always; the bare Engine.IO endpoint (`/engine.io/`)
 * when `enginePath` is set. Option names and defaults are those of the official server, so a
 * configuration moves between the two unchanged.
 */
import type { Server as HttpServer } from "node:http";
import { EngineServer } from "./engine/server.js";
import type { EngineServerOptions } from "./engine/options.js";
import { Server, type ServerOptions } from "./socket.io/server.js";
import type { Seams } from "./seams.js";

/** Options of attach(): the Engine.IO options, the Socket.IO options, and where each endpoint lives. */
export interface AttachOptions extends Omit<EngineServerOptions, "path">, Omit<ServerOptions, "clock"> {
  /** Path of the Socket.IO endpoint. Default "/socket.io/". */
  path?: string;
  /** Path of a bare Engine.IO endpoint next to it (e.g. "/engine.io/"); none when unset. */
  enginePath?: string;
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

/**
 * Serve the reference server's endpoints on `httpServer`. `seams` (not part of the public API)
 * runs other code at fixed points of both layers: the mutant servers of reference/faults/.
 */
export function attach(httpServer: HttpServer, options: AttachOptions = {}, seams: Seams = {}): Attached {
  const { path, enginePath, connectTimeout, maxAttachments, connectionStateRecovery, onViolation, ...engineOptions } =
    options;
  const socketEngine = new EngineServer({ ...engineOptions, path: path ?? "/socket.io/" }, seams.engine);
  const io = new Server(
    socketEngine,
    {
      ...(connectTimeout !== undefined ? { connectTimeout } : {}),
      ...(maxAttachments !== undefined ? { maxAttachments } : {}),
      ...(connectionStateRecovery ? { connectionStateRecovery } : {}),
      ...(onViolation ? { onViolation } : {}),
      ...(engineOptions.clock ? { clock: engineOptions.clock } : {}),
    },
    seams.socket,
  );
  const engine = enginePath ? new EngineServer({ ...engineOptions, path: enginePath }, seams.engine) : undefined;
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
