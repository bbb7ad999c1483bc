/**
 * The Engine.IO server: the options in force, the session table, the checks a request passes,
 * and the sessions it opens. Emits "connection" with each new session (an EngineConnection).
 * The node:http side (routing requests and upgrades to the transports) is node/router.ts.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { EngineConnection, HandshakeRequest } from "./connection.js";
import { refusal, type Refusal } from "./errors.js";
import { NodeRouter } from "./node/router.js";
import { resolveOptions, type EngineServerOptions, type ResolvedOptions } from "./options.js";
import type { EngineSeams } from "./seams.js";
import { Session } from "./session.js";
import { SessionTable, type LiveSession } from "./session-table.js";
import { verifyRequest, type RequestFacts, type Verified, type VerifyContext } from "./verify.js";
import { wireFor } from "./wire.js";

/** What a session keeps of its opening request. */
function handshakeRequest(req: IncomingMessage): HandshakeRequest {
  return { url: req.url, headers: req.headers, remoteAddress: req.socket?.remoteAddress };
}

/** The upgrade lists a handshake advertises, shared by every session (nothing modifies them). */
const WEBSOCKET_UPGRADE = ["websocket"];
const NO_UPGRADES: string[] = [];

/** A handshake that passed the checks. */
export type HandshakeVerdict = Extract<Verified<unknown>, { kind: "handshake" }>;

export interface EngineServer {
  on(event: "connection", listener: (conn: EngineConnection & Session<HandshakeRequest>) => void): this;
  // biome-ignore lint/suspicious/noExplicitAny: the catch-all overload of EventEmitter.on
  on(event: string, listener: (...args: any[]) => void): this;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above only types the events the class emits
export class EngineServer extends EventEmitter {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedOptions;
  /** @internal The live sessions by sid. */
  readonly sessions: SessionTable;
  private readonly seams: EngineSeams;
  private readonly router: NodeRouter;
  /** The checks of a request (verifyRequest unless the seams give others) and what they read of the server, fixed at construction. */
  private readonly checkRequest: typeof verifyRequest;
  private readonly verifyContext: VerifyContext<LiveSession>;
  private ended = false;

  /** @param seams (not part of the public API) code run at fixed points instead of the reference's; see seams.ts. */
  constructor(options: EngineServerOptions = {}, seams: EngineSeams = {}) {
    super();
    this.options = resolveOptions(options);
    this.seams = seams;
    this.sessions = seams.sessions?.() ?? new SessionTable();
    this.router = seams.router?.(this) ?? new NodeRouter(this);
    this.checkRequest = seams.checkRequest ?? verifyRequest;
    const sessions = this.sessions;
    this.verifyContext = {
      transports: this.options.transports,
      allowEIO3: this.options.allowEIO3,
      allowUpgrades: this.options.allowUpgrades,
      lookup: (sid) => sessions.get(sid),
    };
  }

  /** Number of live sessions. */
  get clientsCount(): number {
    return this.sessions.size;
  }

  /** True once close() was called: nothing is served any more. */
  get closed(): boolean {
    return this.ended;
  }

  /** Whether a request URL falls under the Engine.IO path. */
  matches(url: string | undefined): boolean {
    return (url ?? "").startsWith(this.options.path);
  }

  /**
   * Serves the path on an HTTP server: requests and upgrades under the path come here, other
   * requests go to the listeners the server had before, other upgrades are left alone.
   */
  attach(httpServer: HttpServer): this {
    this.router.attach(httpServer);
    return this;
  }

  /** Serves one HTTP request under the path (polling, handshake, preflight). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    this.router.handleRequest(req, res);
  }

  /** Serves one HTTP upgrade request under the path (WebSocket handshake or upgrade probe). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.router.handleUpgrade(req, socket, head);
  }

  /** Ends every session and timer, and stops serving. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    for (const session of this.sessions.all()) session.forceClose();
    this.sessions.clear();
    this.router.close();
  }

  /** @internal The synchronous checks of a request, in the spec's order (verify.ts). */
  check(facts: RequestFacts): Refusal | Verified<LiveSession> {
    return this.checkRequest(facts, this.verifyContext);
  }

  /**
   * @internal The last two handshake checks: allowRequest (code 4), then the version (code 5).
   * Resolves to the refusal, or undefined when the handshake may go on.
   */
  async admit(req: IncomingMessage, protocol: 3 | 4 | undefined): Promise<Refusal | undefined> {
    const allow = this.options.allowRequest;
    if (allow) {
      try {
        const answer = await allow(req);
        if (answer !== true) {
          const c = answer.code;
          return refusal(c === 0 || c === 1 || c === 2 || c === 3 || c === 5 ? c : 4, answer.message);
        }
      } catch {
        return refusal(3);
      }
    }
    return protocol === undefined ? refusal(5) : undefined;
  }

  /** @internal A new session with the sid `id` for an admitted handshake; the caller sends its open packet, then announce()s it. */
  openSession(verdict: HandshakeVerdict, protocol: 3 | 4, id: string, req: IncomingMessage): LiveSession {
    const o = this.options;
    const upgrades =
      verdict.transport === "polling" && o.allowUpgrades && o.transports.includes("websocket")
        ? WEBSOCKET_UPGRADE
        : NO_UPGRADES;
    const cfg = {
      id,
      protocol,
      supportsBinary: verdict.supportsBinary,
      transport: verdict.transport,
      upgrades,
      pingInterval: o.pingInterval,
      pingTimeout: o.pingTimeout,
      upgradeTimeout: o.upgradeTimeout,
      maxPayload: o.maxHttpBufferSize,
      maxBufferedBytes: o.maxBufferedBytes,
      maxPacketsPerPayload: o.maxPacketsPerPayload,
      closeTimeout: o.closeTimeout,
      clock: o.clock,
      wire: this.seams.wire?.(protocol, verdict.supportsBinary) ?? wireFor(protocol, verdict.supportsBinary),
    };
    const request = handshakeRequest(req);
    const session = this.seams.session?.(cfg, request) ?? new Session<HandshakeRequest>(cfg, request);
    this.sessions.add(session);
    return session;
  }

  /** @internal Hands a session whose open packet is on its way to the application. */
  announce(session: LiveSession): void {
    this.emit("connection", session);
  }
}
