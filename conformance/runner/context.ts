/**
 * The per-case context: configuration, the handshake values the probe saw, recording clients
 * (HTTP, raw TCP, a black-holing proxy, WebSocket, Engine.IO and Socket.IO helpers), timing and
 * assertion helpers. Everything a case opens through it is closed when the case ends.
 */
import { performance } from "node:perf_hooks";
import { canonical, CaseOutcome, fail, show, type Feature, type OutcomeDetails } from "../case.js";
import { EngineClient } from "../client/engine.js";
import { HttpClient } from "../client/http.js";
import { TcpProxy } from "../client/proxy.js";
import { pollingLink, webSocketLink } from "../client/engine-link.js";
import { SocketIOSession } from "../client/socketio.js";
import { RawConnection } from "../client/tcp.js";
import type { WsConnection } from "../client/ws.js";
import { V3EngineClient } from "../client/v3-engine.js";
import { Transcript } from "./transcript.js";
import { answerTimeout, checkWait, grace, overWaitReason, waitFor, window, type Timing } from "./timing.js";

/** The server under test and how to judge it. */
export interface TargetConfig {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Socket.IO endpoint path, e.g. `/socket.io/`. */
  path: string;
  /** Bare Engine.IO echo endpoint path, or null when the server has none. */
  enginePath: string | null;
}

/** The handshake values the probe observed (undefined fields: the probe could not tell). */
export interface ObservedHandshake {
  pingInterval: number;
  pingTimeout: number;
  maxPayload?: number;
  upgrades?: string[];
}

/** A non-pass outcome recorded while the case went on (softFail, info). */
export interface RecordedOutcome {
  verdict: "warn" | "info" | "fail";
  reason: string;
  details: OutcomeDetails;
}

/** The verdict each accepted value earns in {@link CaseContext.accept}. */
export type AcceptVerdict = "pass" | "warn" | "info" | "fail";

/** The sids handed out during one run, by engine path (a run's TargetConfig is one object). */
const issuedSids = new WeakMap<TargetConfig, Map<string, Set<string>>>();

export class CaseContext {
  readonly transcript = new Transcript();
  /** Non-pass outcomes recorded without ending the case; the worst one wins. */
  readonly recorded: RecordedOutcome[] = [];
  /**
   * The recording HTTP client, aimed at the engine endpoint (the bare Engine.IO path, or the
   * Socket.IO path when the server has none).
   */
  readonly http: HttpClient;
  /** Engine.IO helpers on the engine endpoint (the bare path, or the Socket.IO path when none). */
  readonly engine: EngineClient;
  /** The path `http` and `engine` aim at. */
  readonly enginePath: string;
  private readonly cleanups: Array<() => unknown> = [];

  constructor(
    readonly config: TargetConfig,
    readonly timing: Timing,
    /** What the probe saw in a polling handshake (pingInterval, pingTimeout, maxPayload). */
    readonly handshake: ObservedHandshake,
    /** Features the probe found. */
    readonly features: ReadonlySet<Feature>,
    /** Aborted when the case's watchdog fires or the run is cut short. */
    readonly signal: AbortSignal,
  ) {
    this.enginePath = config.enginePath ?? config.path;
    this.http = this.httpClient(config.url, this.enginePath);
    this.engine = this.engineClient(config.url, this.enginePath);
  }

  // ---- clients ------------------------------------------------------------------------------

  /** How long any single answer may take (a poll, a frame): one heartbeat plus slack, scaled, plus a round trip. */
  get answerTimeoutMs(): number {
    return answerTimeout(this.timing);
  }

  /**
   * Engine.IO helpers on another path, e.g. the Socket.IO endpoint.
   * @example `const session = await ctx.engineAt(ctx.config.path).openPolling()`
   */
  engineAt(path: string): EngineClient {
    return this.engineClient(this.config.url, path);
  }

  /**
   * Engine.IO v3 helpers (`EIO=3`) on the engine endpoint, or on `path` (e.g. the Socket.IO
   * endpoint): the client of the eio3 and sio4 chapters.
   * @example `const session = await ctx.eio3().openPolling()`
   */
  eio3(path = this.enginePath): V3EngineClient {
    return this.v3EngineClient(this.config.url, path);
  }

  private v3EngineClient(baseUrl: string, path: string): V3EngineClient {
    return new V3EngineClient(
      this.httpClient(baseUrl, path),
      this.transcript,
      { baseUrl, path, frameTimeoutMs: this.answerTimeoutMs },
      (ws: WsConnection) => {
        this.cleanups.push(() => ws.terminate());
      },
    );
  }

  /**
   * Opens a Socket.IO session at --path, over WebSocket (default) or polling (a GET is kept
   * pending for you); the Engine.IO open packet is read, no namespace is connected yet. Pings
   * are answered for you; every message is kept raw, and whole packets can be taken too. The
   * session is closed when the case ends.
   * @example
   * ```ts
   * const io = await ctx.socketio();
   * await io.connect("/");
   * const back = await io.emitWithAck("message-with-ack", ["hi"]);
   * ctx.deepEqual(back, ["hi"], "ack arguments");
   * ```
   */
  async socketio(
    options: { query?: Record<string, string>; transport?: "websocket" | "polling" } = {},
  ): Promise<SocketIOSession> {
    const engine = this.engineAt(this.config.path);
    const query = options.query ? { query: options.query } : {};
    const started = performance.now();
    if (options.transport === "polling") {
      const session = await engine.openPolling(query);
      // A POST held past pingTimeout starves the heartbeat: that explains a session that ends.
      const link = pollingLink(session, this.answerTimeoutMs, this.scale(this.handshake.pingTimeout));
      this.cleanups.push(() => link.close());
      return new SocketIOSession(this, "polling", link, session.sid, session, performance.now() - started);
    }
    const socket = await engine.openWebSocket(query);
    const link = webSocketLink(socket);
    this.cleanups.push(() => link.close());
    return new SocketIOSession(this, "websocket", link, socket.handshake!.sid, undefined, performance.now() - started);
  }

  /**
   * A raw TCP connection to the server, for requests undici cannot make (stop reading, reset).
   * @example
   * ```ts
   * const tcp = await ctx.tcp();
   * tcp.sendRequest("GET", `${ctx.enginePath}?EIO=4&transport=polling`);
   * const res = await tcp.readResponse();
   * ```
   */
  async tcp(): Promise<RawConnection> {
    const { hostname, port } = new URL(this.config.url);
    const conn = new RawConnection(
      this.transcript,
      hostname.replace(/^\[|\]$/g, ""),
      Number(port || 80),
      this.answerTimeoutMs,
    );
    this.cleanups.push(() => conn.destroy());
    await conn.connected.catch((err: Error) => fail(`cannot connect: ${err.message}`));
    return conn;
  }

  /**
   * A loopback proxy to the server with clients aimed through it (`engine`, and `eio3` for
   * version 3); `proxy.blackhole()` then makes the runner vanish without FIN or RST.
   * @example
   * ```ts
   * const { proxy, engine } = await ctx.proxy();
   * const session = await engine.openPolling();
   * proxy.blackhole();
   * await ctx.sleep(ctx.scale(ctx.handshake.pingInterval + ctx.handshake.pingTimeout));
   * ```
   */
  async proxy(
    path = this.enginePath,
  ): Promise<{ proxy: TcpProxy; http: HttpClient; engine: EngineClient; eio3: V3EngineClient }> {
    const { hostname, port } = new URL(this.config.url);
    const proxy = await new TcpProxy(this.transcript, hostname.replace(/^\[|\]$/g, ""), Number(port || 80)).listen();
    this.cleanups.push(() => proxy.close());
    return {
      proxy,
      http: this.httpClient(proxy.baseUrl, path),
      engine: this.engineClient(proxy.baseUrl, path),
      eio3: this.v3EngineClient(proxy.baseUrl, path),
    };
  }

  // ---- transcript and time -------------------------------------------------------------------

  /**
   * Adds a remark to the transcript.
   * @example `ctx.note("waiting for the server's first ping")`
   */
  note(text: string): void {
    this.transcript.note(text);
  }

  /**
   * Waits `ms` (recorded in the transcript). Give protocol times through {@link scale}. A sleep
   * longer than --connect-timeout skips the case instead.
   * @example `await ctx.sleep(ctx.scale(ctx.handshake.pingInterval))`
   */
  async sleep(ms: number): Promise<void> {
    checkWait(this.timing, ms, "a pause");
    this.note(`sleeping ${ms} ms`);
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => (clearTimeout(timer), reject(this.signal.reason));
      const timer = setTimeout(() => (this.signal.removeEventListener("abort", onAbort), resolve()), ms);
      this.signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * A wait on the server of protocol time `ms`, made portable: `ms` times --timeout-multiplier,
   * plus the round trip the probe measured (what the server does within `ms` of a request
   * reaches the runner that much later). Use it for every wait on the server: a pause for a
   * request to land, a window of silence, a timeout. For arithmetic on protocol times (bounds
   * given to {@link within}, intervals between the runner's own sends) use the plain values.
   * @example `ctx.scale(ctx.handshake.pingInterval + ctx.handshake.pingTimeout)`
   */
  scale(ms: number): number {
    return waitFor(this.timing, ms);
  }

  /** The grace allowed around a bound of `ms`: max(50 ms, 25 %) unless configured otherwise. */
  grace(ms: number): number {
    return grace(this.timing, ms);
  }

  /**
   * Checks that something happens neither too early nor too late: no sooner than `earliest`
   * minus its grace, no later than `latest` (scaled) plus its grace, counted from `since` (a
   * `performance.now()` value; default: now) to `at()` (default: when the wait resolves). Use
   * the arrival times the clients keep (`socket.lastArrival`), so a case that is slow to look
   * does not skew the measure. Pass a function to receive the time left as its timeout.
   * Fails the case outside the window; returns the value and the elapsed time. The upper bound
   * includes the measured round trip; a window that ends past --connect-timeout is waited for
   * only that long, and skips the case if nothing came by then.
   * @example
   * ```ts
   * const socket = await ctx.engine.openWebSocket();
   * const opened = socket.lastArrival; // when the open packet arrived
   * const { pingInterval } = socket.handshake!;
   * await ctx.within((timeoutMs) => socket.nextPacket({ timeoutMs, what: "the first ping" }),
   *   { earliest: pingInterval, latest: pingInterval, what: "the first ping", since: opened, at: () => socket.lastArrival });
   * ```
   */
  async within<T>(
    awaited: Promise<T> | ((timeoutMs: number) => Promise<T>),
    bounds: { earliest?: number; latest: number; what: string; since?: number; at?: () => number },
  ): Promise<{ value: T; elapsedMs: number }> {
    const since = bounds.since ?? performance.now();
    const { from, to } = window(this.timing, bounds.earliest ?? 0, bounds.latest);
    // An event that cannot come before --connect-timeout is not waited for at all; one that may
    // come sooner is waited for until then (a server timer of unknown length may be short).
    if (this.timing.maxWaitMs !== undefined && from > this.timing.maxWaitMs)
      throw new CaseOutcome("skip", overWaitReason(this.timing, to, bounds.what));
    const limit = Math.min(to, this.timing.maxWaitMs ?? Infinity);
    const left = Math.max(1, to - (performance.now() - since));
    this.note(`expecting ${bounds.what} between ${from} and ${to} ms`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      const missed =
        limit < to
          ? new CaseOutcome("skip", overWaitReason(this.timing, to, bounds.what))
          : new CaseOutcome("fail", `${bounds.what} did not happen within ${to} ms`, {
              expected: `within ${from}..${to} ms`,
              observed: "nothing in time",
            });
      // The awaited function still gets the whole window as its timeout, so that at the limit
      // this timer, not the function's own timeout, ends the wait.
      timer = setTimeout(() => reject(missed), Math.max(1, limit - (performance.now() - since)) + 5);
    });
    try {
      const value = await Promise.race([typeof awaited === "function" ? awaited(left) : awaited, late]);
      const end = bounds.at ? bounds.at() : performance.now();
      const elapsedMs = Math.round((end - since) * 10) / 10;
      if (elapsedMs < from)
        fail(`${bounds.what} came too early, after ${elapsedMs} ms`, {
          expected: `not before ${from} ms`,
          observed: `${elapsedMs} ms`,
        });
      if (elapsedMs > to)
        fail(`${bounds.what} came too late, after ${elapsedMs} ms`, {
          expected: `within ${to} ms`,
          observed: `${elapsedMs} ms`,
        });
      this.note(`${bounds.what} after ${elapsedMs} ms`);
      return { value, elapsedMs };
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- assertions ----------------------------------------------------------------------------

  /**
   * Fails the case unless `condition` holds. (It cannot narrow types, because `ctx` is typed by
   * context; to narrow, use the standalone `assert` from case.ts.)
   * @example `ctx.assert(res.text.startsWith("0"), "the body starts with the open packet", { observed: res.text })`
   */
  assert(condition: unknown, reason: string, details?: OutcomeDetails): void {
    if (!condition) fail(reason, details);
  }

  /**
   * Fails unless `actual === expected`; `what` names the value.
   * @example `ctx.equal(res.status, 200, "status of the handshake")`
   */
  equal<T>(actual: T, expected: T, what: string): void {
    if (actual !== expected)
      fail(`${what} is ${show(actual)}, expected ${show(expected)}`, {
        expected: show(expected),
        observed: show(actual),
      });
  }

  /**
   * Fails unless both values have the same JSON form (key order counts; bytes compare by content).
   * @example `ctx.deepEqual(args, ["hello", 1], "arguments of message-back")`
   */
  deepEqual(actual: unknown, expected: unknown, what: string): void {
    if (canonical(actual) !== canonical(expected))
      fail(`${what} is ${show(actual)}, expected ${show(expected)}`, {
        expected: show(expected),
        observed: show(actual),
      });
  }

  /**
   * Fails unless `text` matches `pattern`.
   * @example `ctx.match(res.headers["content-type"] ?? "", /^text\/plain/, "content type")`
   */
  match(text: string, pattern: RegExp, what: string): void {
    if (!pattern.test(text))
      fail(`${what} ${show(text)} does not match ${pattern}`, { expected: String(pattern), observed: show(text) });
  }

  /**
   * Judges a value against several acceptable ones, each with its verdict; anything not
   * listed fails. `warn` and `info` are recorded and the case goes on.
   * @example `ctx.accept(res.status, { 400: "pass", 500: "warn" }, "status of a duplicate poll")`
   */
  accept(value: string | number, verdicts: Record<string, AcceptVerdict>, what: string): void {
    const verdict = verdicts[String(value)];
    const expected = Object.entries(verdicts)
      .filter(([, v]) => v === "pass")
      .map(([k]) => k)
      .join(" or ");
    if (verdict === undefined || verdict === "fail")
      fail(`${what} is ${show(value)}`, { expected, observed: show(value) });
    if (verdict === "warn") this.softFail(`${what} is ${show(value)}`, { expected, observed: show(value) });
    if (verdict === "info") this.info(`${what}: ${show(value)}`);
  }

  /**
   * Records a broken SHOULD without ending the case: the verdict becomes at least `warn`.
   * @example `if (!res.headers["cache-control"]) ctx.softFail("no cache-control header", { expected: "no-store" })`
   */
  softFail(reason: string, details: OutcomeDetails = {}): void {
    this.note(`warning: ${reason}`);
    this.recorded.push({ verdict: "warn", reason, details });
  }

  /**
   * Records an observed value; a case that otherwise passes reports `info` with this text.
   * @example `ctx.info(`pingInterval ${hs.pingInterval} ms`)`
   */
  info(text: string): void {
    this.note(`info: ${text}`);
    this.recorded.push({ verdict: "info", reason: text, details: {} });
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Registers a cleanup that runs when the case ends, whatever its verdict (latest first, like
   * the clients the context opens itself); a cleanup that throws or rejects is ignored.
   * @example
   * ```ts
   * const server = await startHelper();
   * ctx.defer(() => server.close());
   * ```
   */
  defer(cleanup: () => unknown): void {
    this.cleanups.push(cleanup);
  }

  /** Closes every client, connection and proxy the case opened (the runner calls it). */
  async dispose(): Promise<void> {
    const all = this.cleanups.splice(0).reverse();
    await Promise.allSettled(all.map(async (f) => f()));
  }

  private httpClient(baseUrl: string, path: string): HttpClient {
    const client = new HttpClient(this.transcript, {
      baseUrl,
      defaultPath: path,
      timeoutMs: this.answerTimeoutMs,
      signal: this.signal,
    });
    this.cleanups.push(() => client.close());
    return client;
  }

  private engineClient(baseUrl: string, path: string): EngineClient {
    const http = this.httpClient(baseUrl, path);
    // One set of handed-out sids per run and path (each path is its own session table), so a
    // fixed sid of an earlier server on a reused port is never taken for a reused one.
    const byPath = issuedSids.get(this.config) ?? new Map<string, Set<string>>();
    issuedSids.set(this.config, byPath);
    const sids = byPath.get(path) ?? new Set<string>();
    byPath.set(path, sids);
    return new EngineClient(
      http,
      this.transcript,
      { baseUrl, path, frameTimeoutMs: this.answerTimeoutMs, issuedSids: sids },
      (ws: WsConnection) => {
        this.cleanups.push(() => ws.terminate());
      },
    );
  }
}
