/**
 * The faults of routing requests and upgrades: sids that are short, guessable, shared or
 * reissued; refusals with the wrong status or side effects; preflights served as GETs; limits
 * off by one or missing on WebSocket; second WebSockets left open or taking over. FaultyRouter
 * is the node:http side of a mutant server (the `router` seam); its answers and polling binding
 * are the faulty ones of answers.ts and polling.ts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { refusal, type Refusal } from "../../engine/errors.js";
import { randomId } from "../../engine/ids.js";
import { NodeRouter } from "../../engine/node/router.js";
import {
  bindSocket,
  closeRightAway,
  type SessionSocket,
  WebSocketTransport,
  WsPort,
} from "../../engine/node/websocket.js";
import type { SocketPort } from "../../engine/ports.js";
import type { EngineServer } from "../../engine/server.js";
import type { LiveSession } from "../../engine/session-table.js";
import { requestQuery } from "../../engine/verify.js";
import { FaultyAnswers } from "./answers.js";
import type { FaultSet } from "./catalogue.js";
import { FaultyPolling } from "./polling.js";
import type { FaultySession } from "./session.js";

function ignore(): void {}

/** ws-close-terminates: a port that can drop its connection without a close frame. */
class TerminablePort extends WsPort {
  terminate(): void {
    this.ws.terminate();
  }
}

export class FaultyRouter extends NodeRouter {
  /** sid-reissued: the last sid a request on each connection named. */
  private readonly lastSid = new WeakMap<object, string>();
  /** How many sids sid-sequential has handed out. */
  private sidSequence = 0;

  constructor(
    server: EngineServer,
    private readonly faults: FaultSet,
  ) {
    const answers = new FaultyAnswers(faults, server.options.pingInterval);
    super(server, answers, new FaultyPolling(answers, faults, server.options.maxHttpBufferSize));
  }

  override handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const { options, closed } = this.server;
    if (!closed && this.faults.has("repeated-param-500") && /[?&](sid|transport|EIO)=.*&\1=/.test(req.url ?? "")) {
      req.on("error", ignore);
      res.on("error", ignore);
      this.answers.begin(req, res, options.cors);
      return this.answers.refuse(res, refusal(3), 500);
    }
    // preflight-opens-session: the preflight is served as the GET it announces.
    if (!closed && req.method === "OPTIONS" && options.cors && this.faults.has("preflight-opens-session"))
      req.method = "GET";
    super.handleRequest(req, res);
  }

  protected override get postLimit(): number {
    return this.server.options.maxHttpBufferSize - (this.faults.has("limit-exclusive") ? 1 : 0);
  }

  protected override createWebSocketTransport(): WebSocketTransport {
    // ws takes 0 for "no limit".
    return new WebSocketTransport({
      maxPayload: this.faults.has("ws-no-limit") ? 0 : this.postLimit,
      skipUTF8Validation: this.faults.has("ws-utf8-unchecked"),
    });
  }

  protected override portOf(ws: WebSocket): SocketPort {
    return this.faults.has("ws-close-terminates") ? new TerminablePort(ws) : super.portOf(ws);
  }

  protected override refuse(req: IncomingMessage, res: ServerResponse, r: Refusal): void {
    if (this.faults.has("refusal-closes-session")) this.sessionNamedBy(req)?.close();
    // unknown-sid-post-200: a POST naming no session gets the code 1 body with status 200.
    if (this.faults.has("unknown-sid-post-200") && r.code === 1 && req.method === "POST")
      return this.answers.refuse(res, r, 200);
    super.refuse(req, res, r);
  }

  protected override serveSession(req: IncomingMessage, res: ServerResponse, session: LiveSession): void {
    if (this.faults.has("sid-reissued")) this.lastSid.set(req.socket, session.id);
    if (req.method === "PUT" && this.faults.has("put-as-post"))
      return this.polling.post(session, req, res, this.postLimit);
    super.serveSession(req, res, session);
  }

  protected override sessionId(transport: "polling" | "websocket", req: IncomingMessage): string {
    const f = this.faults;
    const ended = req.socket ? this.lastSid.get(req.socket) : undefined;
    if (f.has("sid-reissued") && ended !== undefined && !this.server.sessions.has(ended)) return ended;
    if (transport === "websocket" && f.has("ws-sid-reused")) return "AAAAAAAAAAAAAAAAAAAA";
    if (transport === "polling" && f.has("polling-sid-reused")) return "BBBBBBBBBBBBBBBBBBBB";
    if (f.has("sid-sequential")) return `S${String(++this.sidSequence).padStart(19, "0")}`;
    if (f.has("sid-short")) return randomId().slice(0, 12);
    // sid-not-url-safe: two characters a URL must escape in every sid.
    if (f.has("sid-not-url-safe")) return `+/${randomId().slice(2)}`;
    return super.sessionId(transport, req);
  }

  protected override refuseUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, r: Refusal): void {
    const named = this.faults.has("second-websocket-takes-over") ? this.sessionNamedBy(req) : undefined;
    if (named?.openedWith === "websocket" && named.transport === "websocket") {
      return this.webSockets.accept(req, socket, head, (ws) => {
        const port = this.portOf(ws);
        bindSocket(ws, port, named);
        (named as FaultySession<unknown>).takeOver(port);
      });
    }
    // unknown-sid-websocket-accepted: an unknown sid gets 101, then a close.
    if (r.code === 1 && this.faults.has("unknown-sid-websocket-accepted"))
      return this.webSockets.accept(req, socket, head, closeRightAway);
    super.refuseUpgrade(req, socket, head, r);
  }

  protected override extraWebSocket(ws: SessionSocket, session: LiveSession): void {
    // second-websocket-accepted: the second WebSocket is left open.
    if (this.faults.has("second-websocket-accepted")) ws.on("error", ignore);
    else super.extraWebSocket(ws, session);
  }

  /** The live session a request's sid names, if any. */
  private sessionNamedBy(req: IncomingMessage): LiveSession | undefined {
    const sid = requestQuery(req.url ?? "/")?.get("sid");
    return sid == null ? undefined : this.server.sessions.get(sid);
  }
}
