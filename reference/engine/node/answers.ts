/**
 * The HTTP envelope of every answer under the Engine.IO path: statuses, content types, the
 * `ok` of a POST, Cache-Control, CORS, the error body. The polling binding and the router say
 * which answer a request gets; this class alone says how it is written, one method per kind of
 * answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorBody, refusal, statusFor, type Refusal } from "../errors.js";
import type { CorsOptions } from "../options.js";
import type { PostOutcome } from "../session-config.js";
import type { EncodedPayload, Packet, Wire } from "../wire.js";
import { corsHeaders } from "./cors.js";

function byteLength(body: string | Uint8Array): number {
  return typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
}

/** The part of a session an answer needs: its wire, and its open packet for the handshake. */
export interface AnsweredSession {
  readonly wire: Wire;
  handshake(): Packet;
}

export class HttpAnswers {
  /** Before anything is written: the CORS headers every answer carries (EIO4-CORS-06). */
  begin(req: IncomingMessage, res: ServerResponse, cors: false | CorsOptions): void {
    for (const [k, v] of Object.entries(this.corsHeaders(cors, req))) res.setHeader(k, v);
  }

  /** The CORS headers of the answer to `req`. */
  protected corsHeaders(cors: false | CorsOptions, req: IncomingMessage): Record<string, string> {
    return corsHeaders(cors, req);
  }

  /** A preflight: 204 with the allowed methods and the headers the browser asked for (EIO4-CORS-02). */
  preflight(req: IncomingMessage, res: ServerResponse): void {
    const asked = req.headers["access-control-request-headers"];
    res.writeHead(204, {
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": typeof asked === "string" && asked !== "" ? asked : "Content-Type",
      "Content-Length": "0",
      "Cache-Control": "no-store",
    });
    res.end();
  }

  /** A refusal: JSON `{"code","message"}`, 400 (403 for code 4) unless `status` says otherwise. */
  refuse(res: ServerResponse, r: Refusal, status = statusFor(r.code)): void {
    if (res.headersSent || res.destroyed) return;
    const body = errorBody(r);
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": String(Buffer.byteLength(body)),
      "Cache-Control": "no-store",
    });
    res.end(body);
  }

  /** A GET or POST while another is in flight: 400 code 3 (EIO4-POLLING-08). */
  overlap(res: ServerResponse): void {
    this.refuse(res, refusal(3));
  }

  /** The handshake over polling: the open packet alone, 200 (EIO4-HANDSHAKE-09). */
  handshake(res: ServerResponse, session: AnsweredSession): void {
    this.payload(res, session, [session.handshake()]);
  }

  /** The answer to a GET: a payload, 200. */
  poll(res: ServerResponse, session: AnsweredSession, packets: readonly Packet[]): void {
    this.payload(res, session, packets);
  }

  /** A polling payload, with the Content-Type of its encoding. */
  protected payload(res: ServerResponse, session: AnsweredSession, packets: readonly Packet[], status = 200): void {
    if (res.headersSent || res.destroyed) return;
    const { body, contentType } = this.encode(session, packets);
    res.writeHead(status, {
      "Content-Type": contentType,
      "Content-Length": String(byteLength(body)),
      "Cache-Control": "no-store",
    });
    res.end(body);
  }

  /** The body of a payload and its Content-Type: the session's wire decides both. */
  protected encode(session: AnsweredSession, packets: readonly Packet[]): EncodedPayload {
    return session.wire.encodePayload(packets);
  }

  /** The answer to a POST whose body was read: `ok`, or the refusal of a bad payload (3) or a gone session (1). */
  posted(res: ServerResponse, outcome: PostOutcome): void {
    if (outcome === "ok") this.ok(res);
    else this.refuse(res, refusal(outcome === "gone" ? 1 : 3));
  }

  /** `ok` as text/html, as the official server answers (EIO4-POLLING-02). */
  protected ok(res: ServerResponse): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(200, { "Content-Type": "text/html", "Content-Length": "2", "Cache-Control": "no-store" });
    res.end("ok");
  }

  /** A POST body over maxHttpBufferSize: 413 (EIO4-LIMIT-02); the caller drops the rest of the body. */
  tooLarge(res: ServerResponse): void {
    if (res.headersSent) return;
    res.writeHead(413, { "Content-Length": "0", "Cache-Control": "no-store" });
    res.end();
  }
}
