/**
 * The WebSocket transport on `ws` in noServer mode: refusals before the 101 as raw HTTP, and
 * each accepted socket wrapped as a SocketPort whose frames and close go to the session core.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, WebSocket, type RawData, type ServerOptions, type Server as WsServer } from "ws";
import { errorBody, statusFor, type Refusal } from "../errors.js";
import { wsCloseCode, type SocketPort } from "../ports.js";
import type { Session } from "../session.js";

/** Answers an upgrade request with a plain HTTP error instead of a 101, then drops the socket. */
export function refuseUpgrade(socket: Duplex, r: Refusal, extraHeaders: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const body = errorBody(r);
  const status = statusFor(r.code);
  const head = [
    `HTTP/1.1 ${status} ${status === 403 ? "Forbidden" : "Bad Request"}`,
    "Connection: close",
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(extraHeaders).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(head.join("\r\n") + "\r\n\r\n" + body);
}

function toFrame(data: RawData, isBinary: boolean): string | Uint8Array {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return isBinary ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : buf.toString("utf8");
}

/** The TCP socket under a ws socket: a private field of ws, so it may be missing; then nothing is batched. */
function tcpSocketOf(ws: WebSocket): Duplex | undefined {
  const socket = (ws as unknown as { _socket?: Partial<Duplex> | null })._socket;
  if (!socket || socket.destroyed || typeof socket.cork !== "function" || typeof socket.uncork !== "function")
    return undefined;
  return socket as Duplex;
}

/**
 * A SocketPort over one ws socket. The frames sent within one tick (the replies to one incoming
 * chunk, a flushed send buffer) leave in one write: the TCP socket is corked at the first frame
 * and uncorked once the tick's work is done, instead of one system call per frame.
 */
const TEXT_FRAME = { binary: false } as const;
const BINARY_FRAME = { binary: true } as const;

export class WsPort implements SocketPort {
  /** The TCP socket while corked by this port. */
  private corked: Duplex | null = null;

  constructor(protected readonly ws: WebSocket) {}

  send(frame: string | Uint8Array): void {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (this.corked === null) {
      const socket = tcpSocketOf(ws);
      if (socket) {
        socket.cork();
        this.corked = socket;
        process.nextTick(flushPort, this);
      }
    }
    ws.send(frame, typeof frame === "string" ? TEXT_FRAME : BINARY_FRAME);
  }

  close(code: number): void {
    // What was sent goes out before the close frame, even if the socket is destroyed right after.
    this.flush();
    const ws = this.ws;
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code);
  }

  bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  flush(): void {
    const socket = this.corked;
    this.corked = null;
    socket?.uncork();
  }
}

function flushPort(port: WsPort): void {
  port.flush();
}

/**
 * The ws socket class of the transport: it knows the session and port it is bound to, so one
 * set of listener functions (called with the socket as `this`) serves every socket, instead of
 * three closures per socket.
 */
export class SessionSocket extends WebSocket {
  boundSession: Session<unknown> | undefined = undefined;
  boundPort: SocketPort | undefined = undefined;
  /** The error ws reported; it has already started closing the socket (e.g. 1009 for an oversize frame). */
  failure: string | undefined = undefined;
}

// ws calls these with the socket as `this`; the transport only makes SessionSockets.
function onSocketError(this: WebSocket, err: Error): void {
  (this as SessionSocket).failure = err.message;
}

function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  const { boundSession, boundPort } = this as SessionSocket;
  if (boundSession && boundPort) boundSession.onFrame(boundPort, toFrame(data, isBinary));
}

function onSocketClose(this: WebSocket, code: number): void {
  const { boundSession, boundPort, failure } = this as SessionSocket;
  if (!boundSession || !boundPort) return;
  const clean =
    failure === undefined && (code === wsCloseCode.normal || code === wsCloseCode.goingAway || code === 1005);
  boundSession.onSocketClosed(boundPort, !clean, failure ?? (clean ? undefined : `WebSocket closed with code ${code}`));
}

/** Routes a socket's frames and close to a session. */
export function bindSocket(ws: SessionSocket, port: SocketPort, session: Session<unknown>): void {
  ws.boundSession = session;
  ws.boundPort = port;
  ws.on("error", onSocketError);
  ws.on("message", onSocketMessage);
  ws.on("close", onSocketClose);
}

function ignore(): void {}

/** Accepts a socket that has no session to join, then closes it at once (the second WebSocket of a session). */
export function closeRightAway(ws: WebSocket): void {
  ws.on("error", ignore);
  ws.close(wsCloseCode.normal);
}

/** The ws server in noServer mode, with the session's message size limit. */
export class WebSocketTransport {
  readonly wss: WsServer<typeof SessionSocket>;
  /** The open sockets, for close(); kept here rather than by ws, whose tracking costs a closure per socket. */
  private readonly sockets = new Set<WebSocket>();
  /** The one "close" listener of every socket (ws calls it with the socket as `this`). */
  private readonly forgetSocket: (this: WebSocket) => void;

  /** @param options ws server options besides those the transport fixes; `maxPayload` (bytes, 0 for none) is the message limit. */
  constructor(options: Pick<ServerOptions, "maxPayload" | "skipUTF8Validation">) {
    this.wss = new WebSocketServer({
      ...options,
      WebSocket: SessionSocket,
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
    });
    const sockets = this.sockets;
    this.forgetSocket = function (this: WebSocket) {
      sockets.delete(this);
    };
    this.wss.on("error", () => {});
  }

  /** Completes the 101 and hands over the socket. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, onOpen: (ws: SessionSocket) => void): void {
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.add(ws);
      ws.on("close", this.forgetSocket);
      onOpen(ws);
    });
  }

  /** Drops every socket at once and stops the ws server. */
  close(): void {
    for (const ws of [...this.sockets]) ws.terminate();
    this.sockets.clear();
    this.wss.close();
  }
}
