/**
 * The Socket.IO server: takes the sessions of an Engine.IO server, one Client per session, and
 * keeps the namespaces. `io.of(...)` names a namespace (fixed by name, or dynamic by pattern or
 * function); `io.use`, `io.on("connection")` and `io.emit` are shorthands for the main
 * namespace `/`.
 */
import type { Server as HttpServer } from "node:http";
import type { EngineConnection } from "../engine/connection.js";
import { EngineServer } from "../engine/server.js";
import type { EngineServerOptions } from "../engine/options.js";
import { Client, type ClientHost } from "./client.js";
import { codecFor } from "./codec.js";
import { realClock, type Clock } from "../engine/clock.js";
import { DynamicNamespace, Namespace, type Middleware, type NamespaceMatcher } from "./namespace.js";
import type { SocketSeams } from "./seams.js";
import type { Socket } from "./socket.js";

/** Options of the Socket.IO layer; the names, and the values when unset, are those of the official server. */
export interface ServerOptions {
  /** A session that joins no namespace within this many ms is closed. 45000 when unset. */
  connectTimeout?: number;
  /** Most binary attachments one packet may announce. 10 when unset. */
  maxAttachments?: number;
  /** Turn on connection-state recovery (off unless set). */
  connectionStateRecovery?: { maxDisconnectionDuration?: number };
  /** Time source; tests pass a manual one. */
  clock?: Clock;
  /** Told of each protocol violation before the session is closed (diagnostics only). */
  onViolation?: (sessionId: string, reason: string) => void;
}

/** Anything that hands out Engine.IO sessions: the EngineServer, or a test double. */
export interface ConnectionSource {
  on(event: "connection", listener: (conn: EngineConnection) => void): unknown;
  close?(): unknown;
  attach?(httpServer: HttpServer): unknown;
}

function isConnectionSource(value: object): value is ConnectionSource {
  return typeof (value as { on?: unknown }).on === "function";
}

/** The Socket.IO server. */
export class Server implements ClientHost {
  readonly connectTimeout: number;
  readonly maxAttachments: number;
  readonly maxDisconnectionDuration: number | undefined;
  readonly clock: Clock;
  readonly onViolation: ((sessionId: string, reason: string) => void) | undefined;

  private readonly namespaces = new Map<string, Namespace>();
  private readonly parents: DynamicNamespace[] = [];
  private readonly clients = new Set<Client>();

  /** Where sessions come from; undefined when sessions are handed in with accept(). */
  readonly engine: ConnectionSource | undefined;

  /**
   * @param engine where sessions come from: an EngineServer (or any source of sessions), or
   *   the options of a new EngineServer to create (its path "/socket.io/" unless given).
   *   Without one, call `accept(conn)` for each session (tests do this with a fake connection).
   * @param seams parts of the server to use instead of its own (seams.ts); not part of the public API.
   */
  constructor(
    engine?: ConnectionSource | EngineServerOptions,
    options: ServerOptions = {},
    private readonly seams: SocketSeams = {},
  ) {
    this.connectTimeout = options.connectTimeout ?? 45000;
    this.maxAttachments = options.maxAttachments ?? 10;
    this.maxDisconnectionDuration = options.connectionStateRecovery
      ? (options.connectionStateRecovery.maxDisconnectionDuration ?? 120000)
      : undefined;
    this.clock = options.clock ?? realClock();
    this.onViolation = options.onViolation;
    this.namespaces.set("/", this.newNamespace("/", undefined));
    this.engine =
      engine === undefined || isConnectionSource(engine)
        ? engine
        : new EngineServer({
            ...engine,
            path: engine.path ?? "/socket.io/",
            ...(options.clock && !engine.clock ? { clock: options.clock } : {}),
          });
    this.engine?.on("connection", (conn) => this.accept(conn));
  }

  /** Serve the engine's path on `httpServer` (when the engine can attach itself). */
  attach(httpServer: HttpServer): this {
    if (!this.engine?.attach) throw new Error("this Server has no engine that can attach to an HTTP server");
    this.engine.attach(httpServer);
    return this;
  }

  /** A fixed namespace by name (created on first use; a missing leading `/` is added). */
  of(name: string): Namespace;
  /** A dynamic namespace: children are created for each name the pattern or function accepts. */
  of(matcher: RegExp | NamespaceMatcher): DynamicNamespace;
  of(nameOrMatcher: string | RegExp | NamespaceMatcher): Namespace | DynamicNamespace {
    if (typeof nameOrMatcher === "string") {
      const name = nameOrMatcher.startsWith("/") ? nameOrMatcher : `/${nameOrMatcher}`;
      let nsp = this.namespaces.get(name);
      if (!nsp) {
        nsp = this.newNamespace(name, undefined);
        this.namespaces.set(name, nsp);
      }
      return nsp;
    }
    const parent = new DynamicNamespace(nameOrMatcher);
    this.parents.push(parent);
    return parent;
  }

  /** The main namespace `/`. */
  get sockets(): Namespace {
    return this.of("/");
  }

  /** Middleware for the main namespace. */
  use(middleware: Middleware): this {
    this.of("/").use(middleware);
    return this;
  }

  /** Sockets joining the main namespace. */
  on(event: "connection" | "connect", listener: (socket: Socket) => void): this {
    this.of("/").on(event, listener);
    return this;
  }

  /** Broadcast an EVENT to every socket of the main namespace. */
  emit(event: string, ...args: unknown[]): boolean {
    return this.of("/").emit(event, ...args);
  }

  /** Serve one Engine.IO session. */
  accept(conn: EngineConnection): Client {
    const codec = this.seams.codec?.(conn, this.maxAttachments) ?? codecFor(conn.protocol, this.maxAttachments);
    const client = this.seams.client?.(conn, this, codec) ?? new Client(conn, this, codec);
    this.clients.add(client);
    return client;
  }

  /** How many Engine.IO sessions are being served. */
  get sessionCount(): number {
    return this.clients.size;
  }

  /** Close every session, then the engine when it can be closed. */
  async close(): Promise<void> {
    for (const client of [...this.clients]) client.closeSession("server shutting down");
    await this.engine?.close?.();
  }

  /** @internal */
  async lookupNamespace(name: string, auth: Record<string, unknown>): Promise<Namespace | undefined> {
    const fixed = this.namespaces.get(name);
    if (fixed) return fixed;
    for (const parent of this.parents) {
      if (await parent.accepts(name, auth)) {
        // Another CONNECT may have created it while the matcher ran.
        const existing = this.namespaces.get(name);
        if (existing) return existing;
        const child = this.newNamespace(name, parent);
        this.namespaces.set(name, child);
        return child;
      }
    }
    return undefined;
  }

  private newNamespace(name: string, parent: DynamicNamespace | undefined): Namespace {
    return this.seams.namespace?.(name, this, parent) ?? new Namespace(name, this, parent);
  }

  /** @internal */
  clientClosed(client: Client): void {
    this.clients.delete(client);
  }
}
