/**
 * The faults of the HTTP envelope: wrong statuses, content types and bodies, missing
 * Cache-Control, CORS headers where they must not be or missing where they must. FaultyAnswers
 * writes the answers of a mutant server (FaultyRouter gives it to the polling binding).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { refusal } from "../../engine/errors.js";
import { type AnsweredSession, HttpAnswers } from "../../engine/node/answers.js";
import type { CorsOptions } from "../../engine/options.js";
import type { PostOutcome } from "../../engine/session-config.js";
import { requestQuery } from "../../engine/verify.js";
import type { EncodedPayload, Packet } from "../../engine/wire.js";
import type { FaultSet } from "./catalogue.js";

const SESSION_REQUEST = /[?&]sid=/;

/**
 * no-cache-control and cors-not-on-errors: `name` is left out of every answer on `res` whose
 * status is at least `minStatus`, whether it was set before or given to writeHead.
 */
function omitHeader(res: ServerResponse, name: string, minStatus = 0): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status >= minStatus) {
      this.removeHeader(name);
      const headers = rest.find((a) => typeof a === "object" && a !== null) as Record<string, unknown> | undefined;
      for (const k of Object.keys(headers ?? {})) if (k.toLowerCase() === name.toLowerCase()) delete headers![k];
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
}

/** v3-jsonp-misframed: the JSONP callback index of a v3 request, if it asks for JSONP (`j=<n>`). */
function jsonpIndex(req: IncomingMessage): string | undefined {
  const query = requestQuery(req.url ?? "/");
  return query?.get("EIO") === "3" ? (query.get("j") ?? undefined) : undefined;
}

export class FaultyAnswers extends HttpAnswers {
  /** v3-jsonp-misframed: the answers that are JSONP, with their callback index. */
  private readonly jsonp = new WeakMap<ServerResponse, string>();

  constructor(
    private readonly faults: FaultSet,
    /** How long post-held-until-flush holds the `ok`. */
    private readonly pingInterval: number,
  ) {
    super();
  }

  override begin(req: IncomingMessage, res: ServerResponse, cors: false | CorsOptions): void {
    super.begin(req, res, cors);
    if (this.faults.has("cors-not-on-errors")) omitHeader(res, "Access-Control-Allow-Origin", 400);
    if (this.faults.has("no-cache-control")) omitHeader(res, "Cache-Control");
    const j = this.faults.has("v3-jsonp-misframed") ? jsonpIndex(req) : undefined;
    if (j !== undefined) this.jsonp.set(res, j);
  }

  protected override corsHeaders(cors: false | CorsOptions, req: IncomingMessage): Record<string, string> {
    const f = this.faults;
    if (!cors) {
      if (f.has("cors-always-on")) return { "Access-Control-Allow-Origin": "*" };
      // Leaks past the handshake only, where a probe for CORS would not look.
      const leak = f.has("cors-leak-when-off") && (req.method === "OPTIONS" || SESSION_REQUEST.test(req.url ?? ""));
      return leak ? { "Access-Control-Allow-Origin": "*" } : {};
    }
    const headers = super.corsHeaders(cors, req);
    if (cors.origin === true && cors.credentials && f.has("cors-credentials-star"))
      headers["Access-Control-Allow-Origin"] = "*";
    if (f.has("cors-missing-on-get") && req.method === "GET" && SESSION_REQUEST.test(req.url ?? ""))
      delete headers["Access-Control-Allow-Origin"];
    return headers;
  }

  override preflight(req: IncomingMessage, res: ServerResponse): void {
    if (this.faults.has("preflight-without-allow-headers")) omitHeader(res, "Access-Control-Allow-Headers");
    super.preflight(req, res);
  }

  override overlap(res: ServerResponse): void {
    const status = this.faults.has("status-500-instead-of-400") ? 500 : 400;
    if (!this.faults.has("overlap-refusal-empty")) return this.refuse(res, refusal(3), status);
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { "Content-Length": "0", "Cache-Control": "no-store" });
    res.end();
  }

  override handshake(res: ServerResponse, session: AnsweredSession): void {
    const j = this.jsonp.get(res);
    if (j !== undefined && !res.headersSent) {
      // JSONP offered, but the payload goes in single quotes, which JSON.parse cannot read.
      const body = `___eio[${j}]('${String(session.wire.encodePayload([session.handshake()]).body)}');`;
      res.writeHead(200, { "Content-Type": "text/javascript; charset=UTF-8", "Cache-Control": "no-store" });
      return void res.end(body);
    }
    const open: Packet[] = [session.handshake()];
    if (this.faults.has("handshake-with-noop")) open.push({ type: "noop" });
    this.payload(res, session, open, this.faults.has("handshake-status-201") ? 201 : 200);
  }

  override poll(res: ServerResponse, session: AnsweredSession, packets: readonly Packet[]): void {
    const busy = packets.some((p) => p.type === "message" || p.type === "ping");
    this.payload(res, session, packets, this.faults.has("poll-status-202") && busy ? 202 : 200);
  }

  protected override encode(session: AnsweredSession, packets: readonly Packet[]): EncodedPayload {
    const f = this.faults;
    const reversed = f.has("long-get-reversed") && packets.length > 25 ? [...packets].reverse() : packets;
    const encoded = super.encode(session, reversed);
    return f.has("get-wrong-content-type") ? { body: encoded.body, contentType: "text/html" } : encoded;
  }

  override posted(res: ServerResponse, outcome: PostOutcome): void {
    super.posted(res, outcome === "bad" && this.faults.has("bad-payload-200") ? "ok" : outcome);
  }

  protected override ok(res: ServerResponse): void {
    const f = this.faults;
    const answer = () => {
      if (res.headersSent || res.destroyed) return;
      const type = f.has("post-ok-text-plain") ? "text/plain" : "text/html";
      res.writeHead(200, { "Content-Type": type, "Content-Length": "2", "Cache-Control": "no-store" });
      res.end(f.has("post-ok-wrong-body") ? "OK" : "ok");
    };
    if (f.has("post-held-until-flush")) setTimeout(answer, this.pingInterval).unref();
    else answer();
  }
}
