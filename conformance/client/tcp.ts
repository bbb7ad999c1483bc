/**
 * Raw TCP for what an HTTP library cannot do: send a request and then stop reading, reset a
 * connection mid-request, or hold a connection open in silence. Every event goes into the
 * transcript with the `tcp#N` label.
 */
import { connect, type Socket } from "node:net";
import { CaseOutcome } from "../case.js";
import { transcriptBody, type Transcript } from "../runner/transcript.js";

/** A parsed HTTP/1.1 response read off a raw connection. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  text: string;
}

export class RawConnection {
  /** Every byte received and not yet consumed by {@link readResponse}. */
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private finished: "fin" | "rst" | "error" | undefined;
  /** Resolves when the server ends the connection: `fin`, `rst` or `error`. */
  readonly ended: Promise<"fin" | "rst" | "error">;
  readonly connected: Promise<void>;
  readonly conn: string;
  private readonly socket: Socket;

  constructor(
    private readonly transcript: Transcript,
    host: string,
    port: number,
    private readonly defaultTimeoutMs: number,
  ) {
    this.conn = transcript.label("tcp");
    this.socket = connect({ host, port });
    let end!: (how: "fin" | "rst" | "error") => void;
    this.ended = new Promise((r) => (end = r));
    this.connected = new Promise((resolve, reject) => {
      this.socket.once("connect", () => {
        transcript.record({ kind: "tcp", conn: this.conn, event: "connect", detail: `${host}:${port}` });
        resolve();
      });
      this.socket.once("error", reject);
    });
    this.connected.catch(() => undefined);
    const finish = (how: "fin" | "rst" | "error", detail?: string) => {
      if (this.finished) return;
      this.finished = how;
      transcript.record({ kind: "tcp", conn: this.conn, event: how, ...(detail ? { detail } : {}) });
      end(how);
      this.wake();
    };
    this.socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    this.socket.on("end", () => finish("fin", "received FIN"));
    this.socket.on("error", (err: NodeJS.ErrnoException) =>
      finish(err.code === "ECONNRESET" ? "rst" : "error", err.code ?? err.message),
    );
    this.socket.on("close", () => finish("fin", "closed"));
  }

  /** Writes bytes as they are (a string as UTF-8). */
  write(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    this.transcript.note(`${this.conn}: wrote ${bytes.byteLength} bytes`);
    this.socket.write(bytes);
  }

  /**
   * Writes an HTTP/1.1 request (Host and Content-Length added) and records it.
   * @example `tcp.sendRequest("GET", "/engine.io/?EIO=4&transport=polling&sid=" + sid)`
   */
  sendRequest(method: string, target: string, headers: Record<string, string> = {}, body?: string | Uint8Array): void {
    const bytes = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body) : Buffer.from(body);
    const all: Record<string, string> = { host: `${this.socket.remoteAddress}:${this.socket.remotePort}`, ...headers };
    if (bytes) all["content-length"] = String(bytes.byteLength);
    this.transcript.record({
      kind: "http-request",
      conn: this.conn,
      method,
      url: target,
      headers: all,
      ...transcriptBody(bytes ?? new Uint8Array()),
    });
    const head =
      `${method} ${target} HTTP/1.1\r\n` +
      Object.entries(all)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("") +
      "\r\n";
    this.socket.write(bytes ? Buffer.concat([Buffer.from(head), bytes]) : head);
  }

  /**
   * Reads one HTTP/1.1 response (Content-Length, chunked, or until the connection ends).
   * Fails the case when none is complete in time.
   */
  async readResponse(timeoutMs = this.defaultTimeoutMs): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseResponse(this.buffer, this.finished !== undefined);
      if (parsed) {
        this.buffer = this.buffer.subarray(parsed.consumed);
        const { status, headers, body } = parsed;
        this.transcript.record({ kind: "http-response", conn: this.conn, status, headers, ...transcriptBody(body) });
        return { status, headers, body, text: Buffer.from(body).toString("utf8") };
      }
      if (this.finished)
        throw new CaseOutcome("fail", `the connection ended (${this.finished}) before a complete response`, {
          observed: this.finished,
        });
      if (!(await this.waitData(deadline - Date.now()))) {
        throw new CaseOutcome("fail", `no complete response on ${this.conn} within ${timeoutMs} ms`, {
          observed: "no response",
        });
      }
    }
  }

  /** Stops reading: the kernel buffers fill and the server's writes stall. */
  stopReading(): void {
    this.transcript.record({ kind: "tcp", conn: this.conn, event: "silence", detail: "stopped reading" });
    this.socket.pause();
  }

  /** Resets the connection (RST, no FIN). */
  reset(): void {
    this.transcript.record({ kind: "tcp", conn: this.conn, event: "rst", detail: "sent by the runner" });
    this.socket.resetAndDestroy();
  }

  /** Sends FIN (half-close): the server sees the end of the request stream. */
  endWrite(): void {
    this.transcript.note(`${this.conn}: sent FIN`);
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private waitData(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Parses one response from the front of `buf`; undefined while incomplete. */
export function parseResponse(
  buf: Buffer,
  ended: boolean,
): (Omit<RawResponse, "text"> & { consumed: number }) | undefined {
  const headEnd = buf.indexOf("\r\n\r\n");
  if (headEnd === -1) return undefined;
  const lines = buf.subarray(0, headEnd).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(":");
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      headers[k] = headers[k] ? `${headers[k]}, ${v}` : v;
    }
  }
  const start = headEnd + 4;
  if (headers["content-length"] !== undefined) {
    const end = start + Number(headers["content-length"]);
    if (buf.byteLength < end) return undefined;
    return { status, headers, body: new Uint8Array(buf.subarray(start, end)), consumed: end };
  }
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = buf.indexOf("\r\n", at);
      if (lineEnd === -1) return undefined;
      const size = parseInt(buf.subarray(at, lineEnd).toString("latin1"), 16);
      if (Number.isNaN(size)) return undefined;
      if (size === 0) {
        const end = buf.indexOf("\r\n", lineEnd + 2);
        if (end === -1) return undefined;
        return { status, headers, body: new Uint8Array(Buffer.concat(parts)), consumed: end + 2 };
      }
      if (buf.byteLength < lineEnd + 2 + size + 2) return undefined;
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  if (status === 101 || status === 204 || status === 304)
    return { status, headers, body: new Uint8Array(), consumed: start };
  if (!ended) return undefined;
  return { status, headers, body: new Uint8Array(buf.subarray(start)), consumed: buf.byteLength };
}
