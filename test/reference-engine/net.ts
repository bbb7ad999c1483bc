/** Loopback helpers for the binding tests: a server on port 0, bounded HTTP requests, WebSocket helpers. */
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { installEngineEcho } from "../../reference/apps/echo.js";
import type { EngineServerOptions } from "../../reference/engine/options.js";
import { EngineServer } from "../../reference/engine/server.js";
import { engineSeams, type EngineFault } from "../../reference/faults/engine/index.js";

export interface Running {
  engine: EngineServer;
  http: Server;
  port: number;
  /** URL of the engine path with the given query. */
  url(query: string, scheme?: "http" | "ws"): string;
  close(): Promise<void>;
}

/** A test server's options, and the Engine.IO faults it runs with (none: the reference server). */
export interface ServerSetup extends EngineServerOptions {
  faults?: Iterable<EngineFault>;
}

export async function startServer(setup: ServerSetup = {}, echo = true): Promise<Running> {
  const { faults = [], ...options } = setup;
  const http = createServer();
  const engine = new EngineServer(
    { pingInterval: 300, pingTimeout: 200, upgradeTimeout: 1000, ...options },
    engineSeams(new Set(faults)),
  ).attach(http);
  if (echo) installEngineEcho(engine);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  const path = options.path ?? "/engine.io/";
  return {
    engine,
    http,
    port,
    url: (query, scheme = "http") => `${scheme}://127.0.0.1:${port}${path}?${query}`,
    close: () =>
      new Promise<void>((resolve) => {
        engine.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** One HTTP request with a time limit; rejects on network error or timeout. */
export function httpRequest(
  method: string,
  url: string,
  opts: { body?: string | Uint8Array; headers?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: opts.headers, agent: false, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
      });
      res.on("error", reject);
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${method} ${url} timed out`));
    }, opts.timeoutMs ?? 3000);
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(opts.body);
  });
}

/** Opens a polling session and returns its sid (the handshake body is `0{...}`). */
export async function openPolling(run: Running, query = "EIO=4&transport=polling"): Promise<string> {
  const r = await httpRequest("GET", run.url(query));
  if (r.status !== 200) throw new Error(`handshake failed: ${r.status} ${r.text}`);
  const open = r.text.slice(r.text.indexOf("0{") + 1);
  return (JSON.parse(open) as { sid: string }).sid;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A WebSocket whose events are buffered, so no frame is missed between awaits. */
export class TestSocket {
  readonly ws: WebSocket;
  private readonly frames: Array<string | Buffer> = [];
  private waiters: Array<() => void> = [];
  closeCode: number | undefined;
  unexpected: { status: number; body: string } | undefined;
  opened = false;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = "nodebuffer";
    this.ws.on("open", () => {
      this.opened = true;
      this.wake();
    });
    this.ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.frames.push(isBinary ? data : data.toString("utf8"));
      this.wake();
    });
    this.ws.on("close", (code: number) => {
      this.closeCode = code;
      this.wake();
    });
    this.ws.on("error", () => this.wake());
    this.ws.on("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        this.unexpected = { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") };
        this.closeCode = 1006;
        this.wake();
        res.socket.destroy();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until(cond: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async open(timeoutMs = 2000): Promise<void> {
    await this.until(() => this.opened, "open", timeoutMs);
  }

  /** The next frame, skipping pings (`2`) unless asked not to. */
  async next(timeoutMs = 2000, skipPings = true): Promise<string | Buffer> {
    for (;;) {
      await this.until(() => this.frames.length > 0 || this.closeCode !== undefined, "a frame", timeoutMs);
      const f = this.frames.shift();
      if (f === undefined) throw new Error(`socket closed (${this.closeCode}) while waiting for a frame`);
      if (skipPings && f === "2") continue;
      return f;
    }
  }

  async closed(timeoutMs = 2000): Promise<number> {
    await this.until(() => this.closeCode !== undefined, "close", timeoutMs);
    return this.closeCode!;
  }

  send(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
