/**
 * The node:http side of the Engine.IO server: requests and upgrades under the path go through
 * the server's checks, then to the polling binding, the WebSocket transport, or a new session.
 * Every answer is written by HttpAnswers.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { refusal, type Refusal } from "../errors.js";
import type { SocketPort } from "../ports.js";
import type { HandshakeVerdict, EngineServer } from "../server.js";
import type { LiveSession } from "../session-table.js";
import { requestQuery, type Verified } from "../verify.js";
import { HttpAnswers } from "./answers.js";
import { PollingBinding } from "./polling.js";
import {
  bindSocket,
  closeRightAway,
  refuseUpgrade,
  type SessionSocket,
  WebSocketTransport,
  WsPort,
} from "./websocket.js";

/** Swallows errors that have nowhere to go (module-level, so no listener keeps a request's scope alive). */
function ignore(): void {}

export class NodeRouter {
  private readonly detachers: Array<() => void> = [];
  private wsTransport: WebSocketTransport | undefined;

  constructor(
    protected readonly server: EngineServer,
    protected readonly answers: HttpAnswers = new HttpAnswers(),
    protected readonly polling: PollingBinding = new PollingBinding(answers),
  ) {}

  /** Serves the server's path on `httpServer`; other requests go to the listeners it had before. */
  attach(httpServer: HttpServer): void {
    const server = this.server;
    const previous = httpServer.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    httpServer.removeAllListeners("request");
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      // A closed server behaves as if detached: its path falls through to the other listeners.
      if (!server.closed && server.matches(req.url)) return this.handleRequest(req, res);
      for (const l of previous) l.call(httpServer, req, res);
      if (previous.length === 0 && httpServer.listenerCount("request") === 1) {
        res.writeHead(404, { "Content-Length": "0" });
        res.end();
      }
    };
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!server.closed && server.matches(req.url)) this.handleUpgrade(req, socket, head);
    };
    const onClose = () => server.close();
    httpServer.on("request", onRequest);
    httpServer.on("upgrade", onUpgrade);
    httpServer.on("close", onClose);
    this.detachers.push(() => {
      httpServer.off("request", onRequest);
      httpServer.off("upgrade", onUpgrade);
      httpServer.off("close", onClose);
      for (const l of previous) httpServer.on("request", l);
    });
  }

  /** Serves one HTTP request under the path (polling, handshake, preflight). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    req.on("error", ignore);
    res.on("error", ignore);
    const server = this.server;
    if (server.closed) {
      res.writeHead(503, { "Content-Length": "0", "Cache-Control": "no-store" });
      res.end();
      return;
    }
    this.answers.begin(req, res, server.options.cors);
    if (req.method === "OPTIONS" && server.options.cors) return this.answers.preflight(req, res);
    const verdict = this.verify(req, false);
    if ("code" in verdict) return this.refuse(req, res, verdict);
    if (verdict.kind === "session") return this.serveSession(req, res, verdict.session);
    const protocol = verdict.protocol;
    void server.admit(req, protocol).then((denied) => {
      if (denied) return this.answers.refuse(res, denied);
      if (res.destroyed || server.closed) return;
      const session = this.open(req, verdict, protocol!);
      this.answers.handshake(res, session);
      server.announce(session);
    });
  }

  /** Serves one HTTP upgrade request under the path (WebSocket handshake or upgrade probe). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A closure here would share the scope of the accept callbacks below and keep the request alive.
    socket.on("error", ignore);
    const server = this.server;
    if (server.closed) return void socket.destroy();
    const verdict = this.verify(req, true);
    if ("code" in verdict) return this.refuseUpgrade(req, socket, head, verdict);
    if (verdict.kind === "session") {
      const session = verdict.session;
      this.webSockets.accept(req, socket, head, (ws) => {
        const port = this.portOf(ws);
        if (session.beginProbe(port)) return bindSocket(ws, port, session);
        this.extraWebSocket(ws, session);
      });
      return;
    }
    const protocol = verdict.protocol;
    void server.admit(req, protocol).then((denied) => {
      if (denied) return refuseUpgrade(socket, denied);
      if (server.closed) return void socket.destroy();
      this.webSockets.accept(req, socket, head, (ws) => {
        const session = this.open(req, verdict, protocol!);
        const port = this.portOf(ws);
        bindSocket(ws, port, session);
        session.openOn(port);
        server.announce(session);
      });
    });
  }

  /** Stops serving: every WebSocket is dropped, the HTTP server gets its listeners back. */
  close(): void {
    this.wsTransport?.close();
    for (const detach of this.detachers.splice(0)) detach();
  }

  /** The WebSocket transport, made at the first upgrade. */
  protected get webSockets(): WebSocketTransport {
    this.wsTransport ??= this.createWebSocketTransport();
    return this.wsTransport;
  }

  /** ws with the message limit of maxHttpBufferSize (EIO4-LIMIT-03). */
  protected createWebSocketTransport(): WebSocketTransport {
    return new WebSocketTransport({ maxPayload: this.postLimit });
  }

  /** The largest POST body accepted, in bytes: maxHttpBufferSize, inclusive (EIO4-LIMIT-01). */
  protected get postLimit(): number {
    return this.server.options.maxHttpBufferSize;
  }

  /** The SocketPort the session core writes one WebSocket through. */
  protected portOf(ws: WebSocket): SocketPort {
    return new WsPort(ws);
  }

  /** The server's checks on a request (verify.ts); a target new URL() refuses is a bad request. */
  protected verify(req: IncomingMessage, upgrade: boolean): Refusal | Verified<LiveSession> {
    const query = requestQuery(req.url ?? "/");
    if (!query) return refusal(3);
    return this.server.check({ method: req.method ?? "GET", query, upgrade });
  }

  /** A request the checks refused gets the refusal; the session it names, if any, lives on (EIO4-ERROR-08). */
  protected refuse(_req: IncomingMessage, res: ServerResponse, r: Refusal): void {
    this.answers.refuse(res, r);
  }

  /** A request on a polling session: GET polls, POST delivers; any other method is refused. */
  protected serveSession(req: IncomingMessage, res: ServerResponse, session: LiveSession): void {
    if (req.method === "GET") return this.polling.poll(session, res);
    if (req.method === "POST") return this.polling.post(session, req, res, this.postLimit);
    this.answers.refuse(res, refusal(3));
  }

  /** Opens the session of an admitted handshake. */
  protected open(req: IncomingMessage, verdict: HandshakeVerdict, protocol: 3 | 4): LiveSession {
    return this.server.openSession(verdict, protocol, this.sessionId(verdict.transport, req), req);
  }

  /** The sid of a new session: a fresh random one, whatever the transport and request. */
  protected sessionId(_transport: "polling" | "websocket", _req: IncomingMessage): string {
    return this.server.sessions.freshId();
  }

  /** An upgrade the checks refused gets a plain HTTP error instead of a 101 (EIO4-ERROR-09). */
  protected refuseUpgrade(_req: IncomingMessage, socket: Duplex, _head: Buffer, r: Refusal): void {
    refuseUpgrade(socket, r);
  }

  /** A second WebSocket for a session that is upgrading or upgraded is closed at once (EIO4-WS-07, EIO4-UPGRADE-10). */
  protected extraWebSocket(ws: SessionSocket, _session: LiveSession): void {
    closeRightAway(ws);
  }
}
