/**
 * The Engine.IO server: routes requests and upgrades under its path, runs the checks, creates
 * sessions and keeps the session table. Emits "connection" with each new session (an
 * EngineConnection).
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { EngineConnection, HandshakeRequest } from "./connection.js";
import { answerPreflight, applyCors, corsHeaders } from "./cors.js";
import { refusal, type Refusal } from "./errors.js";
import { randomId } from "./ids.js";
import { resolveOptions, type EngineServerOptions, type ResolvedOptions } from "./options.js";
import { omitHeader, sendError, sendPackets, servePoll, servePost } from "./polling.js";
import { Session } from "./session.js";
import { requestQuery, verifyRequest, type Verified } from "./verify.js";
import { bindSocket, closeRightAway, portOf, refuseUpgrade, WebSocketTransport } from "./websocket.js";

/** Swallows errors that have nowhere to go (module-level, so no listener keeps a request's scope alive). */
function ignore(): void {}

/** What a session keeps of its opening request. */
function handshakeRequest(req: IncomingMessage): HandshakeRequest {
  return { url: req.url, headers: req.headers, remoteAddress: req.socket?.remoteAddress };
}

/** The upgrade lists a handshake advertises, shared by every session (nothing modifies them). */
const WEBSOCKET_UPGRADE = ["websocket"];
const NO_UPGRADES: string[] = [];

/** A session ID: 15 random bytes as 20 characters of URL-safe base64. */
function newSessionId(): string {
  return randomId();
}

export interface EngineServer {
  on(event: "connection", listener: (conn: EngineConnection & Session<HandshakeRequest>) => void): this;
  // biome-ignore lint/suspicious/noExplicitAny: the catch-all overload of EventEmitter.on
  on(event: string, listener: (...args: any[]) => void): this;
}

/** A connection, as the sid-reissued fault marks it. */
type SocketWithSid = IncomingMessage["socket"] & { lastSid?: string };

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above only types the events the class emits
export class EngineServer extends EventEmitter {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedOptions;
  private readonly sessions = new Map<string, Session<HandshakeRequest>>();
  private readonly ws: WebSocketTransport;
  private readonly detachers: Array<() => void> = [];
  private closed = false;
  /** The "close" listener of every session (called with the session as `this`): one function, not a closure per session. */
  private readonly forgetSession: (this: Session<HandshakeRequest>, reason: string) => void;

  constructor(options: EngineServerOptions = {}) {
    super();
    this.options = resolveOptions(options);
    const server = this;
    this.forgetSession = function (reason) {
      // The fault keeps only polling sessions: a WebSocket session kept in the table would look, from outside, like one alive.
      if (
        reason === "ping timeout" &&
        this.transport === "polling" &&
        server.options.faults.has("session-not-freed-after-timeout") &&
        !server.closed
      )
        return;
      server.sessions.delete(this.id);
    };
    const faults = this.options.faults;
    // ws takes 0 for "no limit".
    this.ws = new WebSocketTransport(faults.has("ws-no-limit") ? 0 : this.bodyLimit, faults.has("ws-utf8-unchecked"));
  }

  /** Number of live sessions. */
  get clientsCount(): number {
    return this.sessions.size;
  }

  /** The largest POST body or WebSocket message accepted, in bytes (one less with the limit-exclusive fault). */
  private get bodyLimit(): number {
    return this.options.maxHttpBufferSize - (this.options.faults.has("limit-exclusive") ? 1 : 0);
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
    const previous = httpServer.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    httpServer.removeAllListeners("request");
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      // A closed server behaves as if detached: its path falls through to the other listeners.
      if (!this.closed && this.matches(req.url)) return this.handleRequest(req, res);
      for (const l of previous) l.call(httpServer, req, res);
      if (previous.length === 0 && httpServer.listenerCount("request") === 1) {
        res.writeHead(404, { "Content-Length": "0" });
        res.end();
      }
    };
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.closed && this.matches(req.url)) this.handleUpgrade(req, socket, head);
    };
    const onClose = () => this.close();
    httpServer.on("request", onRequest);
    httpServer.on("upgrade", onUpgrade);
    httpServer.on("close", onClose);
    this.detachers.push(() => {
      httpServer.off("request", onRequest);
      httpServer.off("upgrade", onUpgrade);
      httpServer.off("close", onClose);
      for (const l of previous) httpServer.on("request", l);
    });
    return this;
  }

  /** Serves one HTTP request under the path (polling, handshake, preflight). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    req.on("error", ignore);
    res.on("error", ignore);
    if (this.closed) {
      res.writeHead(503, { "Content-Length": "0", "Cache-Control": "no-store" });
      res.end();
      return;
    }
    const faults = this.options.faults;
    applyCors(res, corsHeaders(this.options.cors, req, faults));
    if (faults.has("cors-not-on-errors")) omitHeader(res, "Access-Control-Allow-Origin", 400);
    if (faults.has("no-cache-control")) omitHeader(res, "Cache-Control");
    if (faults.has("repeated-param-500") && /[?&](sid|transport|EIO)=.*&\1=/.test(req.url ?? ""))
      return sendError(res, refusal(3), 500);
    if (req.method === "OPTIONS" && this.options.cors) {
      if (faults.has("preflight-without-allow-headers")) omitHeader(res, "Access-Control-Allow-Headers");
      if (!faults.has("preflight-opens-session")) return answerPreflight(req, res);
      req.method = "GET"; // the mutant serves the preflight as the GET it announces
    }
    const verdict = this.verify(req, false);
    if ("code" in verdict) {
      if (faults.has("refusal-closes-session")) this.sessionNamedBy(req)?.close();
      // The unknown-sid-post-200 fault refuses a POST naming no session with its error body but status 200.
      if (faults.has("unknown-sid-post-200") && verdict.code === 1 && req.method === "POST")
        return sendError(res, verdict, 200);
      return sendError(res, verdict);
    }
    if (verdict.kind === "session") {
      const session = verdict.session;
      // The sid-reissued fault remembers, per connection, the last session a request named.
      if (faults.has("sid-reissued")) (req.socket as SocketWithSid).lastSid = session.id;
      if (req.method === "GET") return servePoll(session, req, res, faults);
      if (req.method === "POST" || (req.method === "PUT" && faults.has("put-as-post"))) {
        return servePost(session, req, res, {
          maxHttpBufferSize: this.bodyLimit,
          faults,
          pingInterval: this.options.pingInterval,
        });
      }
      return sendError(res, refusal(3));
    }
    void this.admit(req, verdict.protocol).then((denied) => {
      if (denied) return sendError(res, denied);
      if (res.destroyed || this.closed) return;
      const session = this.createSession(verdict.protocol!, verdict, req);
      const open = [session.handshake()];
      if (faults.has("handshake-with-noop")) open.push({ type: "noop" });
      sendPackets(res, session, open, faults, faults.has("handshake-status-201") ? 201 : 200);
      this.emit("connection", session);
    });
  }

  /** Serves one HTTP upgrade request under the path (WebSocket handshake or upgrade probe). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A closure here would share the scope of the accept callbacks below and keep the request alive.
    socket.on("error", ignore);
    if (this.closed) return void socket.destroy();
    const verdict = this.verify(req, true);
    const named =
      "code" in verdict && this.options.faults.has("second-websocket-takes-over")
        ? this.sessionNamedBy(req)
        : undefined;
    if (named?.openedWith === "websocket" && named.transport === "websocket") {
      this.ws.accept(req, socket, head, (ws) => {
        const port = portOf(ws);
        bindSocket(ws, port, named);
        named.takeOver(port);
      });
      return;
    }
    if ("code" in verdict) {
      // The unknown-sid-websocket-accepted fault answers an unknown sid with 101, then closes the WebSocket.
      if (verdict.code === 1 && this.options.faults.has("unknown-sid-websocket-accepted"))
        return this.ws.accept(req, socket, head, closeRightAway);
      return refuseUpgrade(socket, verdict);
    }
    if (verdict.kind === "session") {
      const session = verdict.session;
      this.ws.accept(req, socket, head, (ws) => {
        const port = portOf(ws);
        if (session.beginProbe(port)) return bindSocket(ws, port, session);
        // A second WebSocket for a session that is upgrading or upgraded.
        if (this.options.faults.has("second-websocket-accepted")) ws.on("error", ignore);
        else closeRightAway(ws);
      });
      return;
    }
    void this.admit(req, verdict.protocol).then((denied) => {
      if (denied) return refuseUpgrade(socket, denied);
      if (this.closed) return void socket.destroy();
      this.ws.accept(req, socket, head, (ws) => {
        const session = this.createSession(verdict.protocol!, verdict, req);
        const port = portOf(ws);
        bindSocket(ws, port, session);
        session.openOn(port);
        this.emit("connection", session);
      });
    });
  }

  /** Ends every session and timer, and stops serving. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const session of [...this.sessions.values()]) session.forceClose();
    this.sessions.clear();
    this.ws.close();
    for (const detach of this.detachers.splice(0)) detach();
  }

  /** The live session a request's sid names, if any (for the refusal-closes-session fault). */
  private sessionNamedBy(req: IncomingMessage): Session<HandshakeRequest> | undefined {
    try {
      const sid = new URL(req.url ?? "/", "http://localhost").searchParams.get("sid");
      return sid === null ? undefined : this.sessions.get(sid);
    } catch {
      return undefined;
    }
  }

  private verify(req: IncomingMessage, upgrade: boolean): Refusal | Verified<Session<HandshakeRequest>> {
    const query = requestQuery(req.url ?? "/");
    if (!query) return refusal(3);
    return verifyRequest(
      { method: req.method ?? "GET", query, upgrade },
      {
        transports: this.options.transports,
        allowEIO3: this.options.allowEIO3,
        allowUpgrades: this.options.allowUpgrades,
        faults: this.options.faults,
        lookup: (sid) => this.sessions.get(sid),
      },
    );
  }

  /**
   * The last two handshake checks: allowRequest (code 4), then the version (code 5). Resolves to
   * the refusal, or undefined when the handshake may go on.
   */
  private async admit(req: IncomingMessage, protocol: 3 | 4 | undefined): Promise<Refusal | undefined> {
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

  /** How many sids the sid-sequential fault has handed out. */
  private sidSequence = 0;

  /** The sid of a new session: a fresh one, unless a fault (ws-sid-reused, polling-sid-reused, sid-sequential, sid-short) says otherwise. */
  private sessionIdFor(transport: "polling" | "websocket", req: IncomingMessage): string {
    const faults = this.options.faults;
    const ended = (req.socket as SocketWithSid | undefined)?.lastSid;
    if (faults.has("sid-reissued") && ended !== undefined && !this.sessions.has(ended)) return ended;
    if (transport === "websocket" && faults.has("ws-sid-reused")) return "AAAAAAAAAAAAAAAAAAAA";
    if (transport === "polling" && faults.has("polling-sid-reused")) return "BBBBBBBBBBBBBBBBBBBB";
    if (faults.has("sid-sequential")) return `S${String(++this.sidSequence).padStart(19, "0")}`;
    if (faults.has("sid-short")) return newSessionId().slice(0, 12);
    // The sid-not-url-safe fault puts two characters a URL must escape into every sid.
    if (faults.has("sid-not-url-safe")) return `+/${newSessionId().slice(2)}`;
    return this.unusedSessionId();
  }

  /** A fresh sid; 120 random bits make a collision all but impossible, and the loop makes it impossible among live ones. */
  private unusedSessionId(): string {
    let id = newSessionId();
    while (this.sessions.has(id)) id = newSessionId();
    return id;
  }

  private createSession(
    protocol: 3 | 4,
    verdict: Extract<Verified<unknown>, { kind: "handshake" }>,
    req: IncomingMessage,
  ): Session<HandshakeRequest> {
    const o = this.options;
    const upgrades =
      verdict.transport === "polling" && o.allowUpgrades && o.transports.includes("websocket")
        ? WEBSOCKET_UPGRADE
        : NO_UPGRADES;
    const session = new Session<HandshakeRequest>(
      {
        id: this.sessionIdFor(verdict.transport, req),
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
        faults: o.faults,
      },
      handshakeRequest(req),
    );
    session.on("close", this.forgetSession);
    this.sessions.set(session.id, session);
    return session;
  }
}
