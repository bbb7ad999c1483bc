/**
 * The recording HTTP client (undici). Every request and response goes into the case transcript.
 * Each case gets its own connection pool, destroyed when the case ends, so a long-poll left
 * hanging by a case never outlives it.
 */
import { Agent, request as undiciRequest } from "undici";
import { CaseOutcome } from "../case.js";
import { transcriptBody, type Transcript } from "../runner/transcript.js";

/** One HTTP request. Only `query` is usually needed: method, base URL and path have defaults. */
export interface HttpRequest {
  /** Default `GET`. */
  method?: string;
  /** Path on the server under test; default: the endpoint the client was made for. */
  path?: string;
  /** Absolute URL; overrides the base URL and `path` (the query is still appended). */
  url?: string;
  /** Query parameters, appended in this order; `undefined` values are left out. */
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** A string is sent as UTF-8; with no content-type header, text/plain;charset=UTF-8 is set. */
  body?: string | Uint8Array;
  /** Aborts the request (the case's own signal is always combined in). */
  signal?: AbortSignal;
  /** Give up after this long (default: the context's request timeout); the case then fails. */
  timeoutMs?: number;
}

/** A complete HTTP response. */
export interface HttpResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body decoded as UTF-8 (lenient). */
  text: string;
  bytes: Uint8Array;
  /** Milliseconds (case clock) when the response headers arrived. */
  at: number;
}

/** Settings a client is made with (by the case context). */
export interface HttpClientOptions {
  baseUrl: string;
  defaultPath: string;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Builds `base + path + ?query` keeping the caller's parameter order. */
export function buildUrl(base: string, path: string, query?: HttpRequest["query"]): string {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
  return url.toString();
}

/** Lower-cased, single-string headers from undici's or node's header objects. */
export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

export class HttpClient {
  private readonly agent = new Agent({ keepAliveTimeout: 1000, connect: { timeout: 5000 } });

  constructor(
    private readonly transcript: Transcript,
    private readonly options: HttpClientOptions,
  ) {}

  /**
   * Sends one request and reads the whole response.
   * @example
   * ```ts
   * const res = await ctx.http.request({ method: "POST", query: { EIO: "4", transport: "polling", sid }, body: "4hello" });
   * ctx.equal(res.status, 200, "status of the POST");
   * ```
   */
  async request(req: HttpRequest = {}): Promise<HttpResponse> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = req.url
      ? buildUrl(req.url, "", req.query)
      : buildUrl(this.options.baseUrl, req.path ?? this.options.defaultPath, req.query);
    const headers: Record<string, string> = { ...req.headers };
    const body = typeof req.body === "string" ? new TextEncoder().encode(req.body) : req.body;
    if (body && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["content-type"] = typeof req.body === "string" ? "text/plain;charset=UTF-8" : "application/octet-stream";
    }
    const conn = this.transcript.label("http");
    this.transcript.record({
      kind: "http-request",
      conn,
      method,
      url,
      headers,
      ...transcriptBody(body ?? new Uint8Array()),
    });
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signals = [this.options.signal, timeout, ...(req.signal ? [req.signal] : [])];
    try {
      const res = await undiciRequest(url, {
        method,
        headers,
        body: body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined,
        signal: AbortSignal.any(signals),
        dispatcher: this.agent,
      });
      const at = this.transcript.now();
      const bytes = new Uint8Array(await res.body.arrayBuffer());
      const out: HttpResponse = {
        status: res.statusCode,
        headers: flattenHeaders(res.headers),
        text: Buffer.from(bytes).toString("utf8"),
        bytes,
        at,
      };
      this.transcript.record({
        kind: "http-response",
        conn,
        status: out.status,
        headers: out.headers,
        ...transcriptBody(bytes),
      });
      return out;
    } catch (err) {
      if (this.options.signal.aborted) throw this.options.signal.reason;
      if (req.signal?.aborted) throw err;
      if (timeout.aborted) {
        this.transcript.note(`${conn}: no response within ${timeoutMs} ms`);
        throw new CaseOutcome(
          "fail",
          `no response to ${method} ${new URL(url).pathname}${new URL(url).search} within ${timeoutMs} ms`,
          {
            observed: "no response",
          },
        );
      }
      const code = (err as { code?: string }).code ?? (err as Error).message;
      this.transcript.note(`${conn}: connection error ${code}`);
      throw new CaseOutcome("fail", `${method} request failed: ${code}`, { observed: `connection error ${code}` });
    }
  }

  /** Closes every connection of this client (the context calls it when the case ends). */
  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}
