/**
 * Engine.IO v4 helpers built on the recording clients: open a session over polling or
 * WebSocket, poll, post, and upgrade. Whatever they need from the server on the way is a
 * precondition (conformance/preconditions.ts): when the server breaks it, the case is blocked and
 * points at the case that checks that rule, unless the case checks that rule itself.
 */
import { needs, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { decodeFrame, decodePayload, encodeFrame, encodePayload, type EngineIOv4Packet } from "../../protocol/engine.io/v4.js";
import type { EngineIOv4Handshake } from "../../schemas/generated/engine.io/v4/handshake.js";
import { buildUrl, type HttpClient, type HttpRequest, type HttpResponse } from "./http.js";
import { WsConnection, type WaitOptions } from "./ws.js";
import type { Transcript } from "../runner/transcript.js";

export type { EngineIOv4Packet, EngineIOv4Handshake };

/** Where and how an {@link EngineClient} talks to the server. */
export interface EngineClientOptions {
  baseUrl: string;
  path: string;
  frameTimeoutMs: number;
}

/**
 * The data of any packet (undefined for close, upgrade, noop, and data-less ping/pong), without
 * narrowing the union first.
 * @example `ctx.equal(packetData(await socket.nextPacket()), "hello", "the echoed message")`
 */
export function packetData(packet: EngineIOv4Packet): string | Uint8Array | undefined {
  return (packet as { data?: string | Uint8Array }).data;
}

/**
 * Parses an open packet's JSON. What a session needs from it (a JSON object with a string `sid`,
 * numeric timings) is a precondition of every case that opens one.
 */
export function parseHandshake(data: string | undefined, where: string): EngineIOv4Handshake {
  let value: unknown;
  try {
    value = JSON.parse(data ?? "");
  } catch {
    unmet(P.openPacket, `the open packet ${where} does not carry JSON`, { expected: "0{...}", observed: JSON.stringify(data) });
  }
  const h = value as Partial<EngineIOv4Handshake>;
  if (typeof h !== "object" || h === null || Array.isArray(h) || typeof h.sid !== "string") {
    unmet(P.openPacket, `the open packet ${where} has no string sid`, { expected: '0{"sid":"...",...}', observed: JSON.stringify(data) });
  }
  if (typeof h.pingInterval !== "number" || typeof h.pingTimeout !== "number") {
    unmet(P.handshakeTypes, `the open packet ${where} does not give pingInterval/pingTimeout as numbers`, { observed: JSON.stringify(data) });
  }
  return h as EngineIOv4Handshake;
}

/** Decodes a polling body; a body that is no payload is a broken precondition (EIO4-PAYLOAD-01). */
export function decodeBody(res: HttpResponse): EngineIOv4Packet[] {
  try {
    return decodePayload(res.text);
  } catch (err) {
    unmet(P.payloadDecodes, `the polling payload does not decode: ${(err as Error).message}`, { observed: JSON.stringify(res.text.slice(0, 200)) });
  }
}

/** One Engine.IO session over HTTP long-polling. */
export class PollingSession {
  constructor(
    private readonly engine: EngineClient,
    readonly sid: string,
    readonly handshake: EngineIOv4Handshake,
    /** The handshake response itself. */
    readonly response: HttpResponse,
  ) {}

  /** The query of a request of this session: `EIO=4&transport=polling&sid=...` plus `extra`. */
  query(extra: Record<string, string> = {}): Record<string, string> {
    return { EIO: "4", transport: "polling", sid: this.sid, ...extra };
  }

  /**
   * One poll (GET). Its status 200 and a body that decodes are preconditions (see
   * conformance/preconditions.ts): without them the case is blocked, unless it checks that rule.
   * @example `const { packets } = await session.get(); ctx.equal(packets[0]?.type, "ping", "first packet")`
   */
  async get(req: Omit<HttpRequest, "query" | "method"> = {}): Promise<{ packets: EngineIOv4Packet[]; response: HttpResponse }> {
    const response = await this.engine.http.request({ ...req, path: this.engine.options.path, query: this.query() });
    if (response.status !== 200) {
      unmet(P.pollAnswered, `a poll of session ${this.sid} got status ${response.status}`, { expected: "200", observed: `${response.status} ${response.text.slice(0, 120)}` });
    }
    return { packets: decodeBody(response), response };
  }

  /**
   * Sends packets (encoded as one payload) or a raw body string with a POST; returns the
   * response without judging it.
   * @example `await session.post([{ type: "message", data: "hello" }])`
   */
  post(body: readonly EngineIOv4Packet[] | string | Uint8Array, req: Omit<HttpRequest, "query" | "method" | "body"> = {}): Promise<HttpResponse> {
    const raw = typeof body === "string" || body instanceof Uint8Array ? body : encodePayload(body);
    return this.engine.http.request({ ...req, method: "POST", path: this.engine.options.path, query: this.query(), body: raw });
  }

  /**
   * Sends packets with a POST that must be accepted with `200 ok` (a precondition: see
   * conformance/preconditions.ts); returns the response.
   * @example `await session.send([{ type: "message", data: "hello" }])`
   */
  async send(body: readonly EngineIOv4Packet[] | string, req: Omit<HttpRequest, "query" | "method" | "body"> = {}): Promise<HttpResponse> {
    const res = await this.post(body, req);
    if (res.status !== 200 || res.text !== "ok") {
      unmet(P.postOk, `the POST was answered ${res.status} ${JSON.stringify(res.text.slice(0, 60))}, not 200 "ok"`, { expected: "200 ok", observed: `${res.status} ${res.text.slice(0, 120)}` });
    }
    return res;
  }
}

/** One Engine.IO WebSocket: frames are decoded to packets on demand. */
export class EngineSocket {
  /** After {@link EngineClient.upgrade}: the packets of the poll that was pending during the upgrade (normally one noop). */
  drained: EngineIOv4Packet[] = [];

  constructor(
    readonly ws: WsConnection,
    /** Set when this WebSocket opened a new session (not for an upgrade). */
    readonly handshake?: EngineIOv4Handshake,
  ) {}

  /** performance.now() at which the packet most recently taken had arrived (for `ctx.within`'s `since`/`at`). */
  get lastArrival(): number {
    return this.ws.lastArrival;
  }

  /** Sends one packet as a frame. */
  send(packet: EngineIOv4Packet): void {
    this.ws.send(encodeFrame(packet));
  }

  /**
   * Takes the next frame from the inbox as a packet (fails the case if it does not decode).
   * @example `const ping = await socket.nextPacket({ what: "a ping", timeoutMs: ctx.timing.heartbeatMs })`
   */
  async nextPacket(options: WaitOptions = {}): Promise<EngineIOv4Packet> {
    return toPacket(await this.ws.next(options));
  }

  /** Takes the oldest packet satisfying `match`; frames that do not match stay in the inbox. */
  async nextPacketMatching(match: (p: EngineIOv4Packet) => boolean, options: WaitOptions = {}): Promise<EngineIOv4Packet> {
    const frame = await this.ws.nextMatching((f) => {
      try {
        return match(decodeFrame(f));
      } catch {
        return false;
      }
    }, options);
    return toPacket(frame);
  }

  close(): Promise<unknown> {
    return this.ws.close();
  }
}

function toPacket(frame: string | Uint8Array): EngineIOv4Packet {
  try {
    return decodeFrame(frame);
  } catch (err) {
    unmet(P.frameDecodes, `a WebSocket frame does not decode: ${(err as Error).message}`, { observed: typeof frame === "string" ? JSON.stringify(frame.slice(0, 200)) : `${frame.byteLength} bytes` });
  }
}

export class EngineClient {
  constructor(
    readonly http: HttpClient,
    private readonly transcript: Transcript,
    readonly options: EngineClientOptions,
    private readonly track: (ws: WsConnection) => void,
  ) {}

  /**
   * Opens a session over polling and checks just enough to go on: status 200 and an open packet.
   * @example
   * ```ts
   * const session = await ctx.engine.openPolling();
   * await session.post([{ type: "message", data: "hi" }]);
   * const { packets } = await session.get();
   * ```
   */
  async openPolling(options: { query?: Record<string, string> } = {}): Promise<PollingSession> {
    const response = await this.http.request({ path: this.options.path, query: { EIO: "4", transport: "polling", ...options.query } });
    if (response.status !== 200) {
      unmet(P.pollingHandshake, `the polling handshake got status ${response.status}`, { expected: "200", observed: `${response.status} ${response.text.slice(0, 120)}` });
    }
    let open: EngineIOv4Packet | undefined;
    try {
      [open] = decodePayload(response.text);
    } catch {
      // Judged just below: what matters here is whether an open packet comes first.
    }
    if (open?.type !== "open") unmet(P.openPacket, "the polling handshake does not start with an open packet", { expected: "0{...}", observed: JSON.stringify(response.text.slice(0, 120)) });
    const handshake = parseHandshake(open.data, "of the polling handshake");
    return new PollingSession(this, handshake.sid, handshake, response);
  }

  /**
   * Opens an Engine.IO WebSocket: without `sid` a new session (its open packet is read and
   * parsed); with `sid` the WebSocket of an upgrade (nothing is read). Fails the case if the
   * server refuses the WebSocket; use {@link EngineClient.rawWebSocket} to judge a refusal.
   * @example `const socket = await ctx.engine.openWebSocket(); socket.send({ type: "message", data: "hi" })`
   */
  async openWebSocket(options: { sid?: string; query?: Record<string, string> } = {}): Promise<EngineSocket> {
    const ws = this.rawWebSocket({ query: { ...(options.sid ? { sid: options.sid } : {}), ...options.query } });
    const opened = await ws.opened;
    if (!opened.ok) {
      unmet(options.sid ? P.probeAnswered : P.webSocketOpens, `the WebSocket was refused (${opened.status ?? opened.error})`, { expected: "101", observed: String(opened.status ?? opened.error) });
    }
    if (options.sid) return new EngineSocket(ws);
    const first = await needs(P.webSocketOpens, () => ws.next({ what: "the open packet" }));
    let open: EngineIOv4Packet | undefined;
    try {
      open = decodeFrame(first);
    } catch {
      // Judged just below.
    }
    if (open?.type !== "open") unmet(P.webSocketOpens, "the first WebSocket frame is not an open packet", { expected: "0{...}", observed: typeof first === "string" ? JSON.stringify(first.slice(0, 120)) : `${first.byteLength} bytes` });
    return new EngineSocket(ws, parseHandshake(open.data, "of the WebSocket handshake"));
  }

  /**
   * A WebSocket to the engine endpoint with `EIO=4&transport=websocket` plus `query`, not yet
   * judged: await `.opened` to see whether it was accepted or refused (and with which status).
   */
  rawWebSocket(options: { query?: Record<string, string | undefined>; headers?: Record<string, string> } = {}): WsConnection {
    const http = buildUrl(this.options.baseUrl, this.options.path, { EIO: "4", transport: "websocket", ...options.query });
    const ws = new WsConnection(this.transcript, http.replace(/^http/, "ws"), this.options.frameTimeoutMs, options.headers);
    this.track(ws);
    return ws;
  }

  /**
   * Upgrades a polling session to WebSocket the way a client does: with a poll pending, opens
   * the WebSocket with the sid, sends `2probe`, expects `3probe`, waits for the pending poll to
   * be flushed (the server answers it, normally with a noop `6`), then sends `5`. Each step is in
   * the transcript; a wrong answer fails the case. The flushed poll's packets are in `drained`.
   * Pass `{ pendingPoll: false }` to upgrade with no poll in flight.
   * @example
   * ```ts
   * const session = await ctx.engine.openPolling();
   * const socket = await ctx.engine.upgrade(session);
   * ctx.deepEqual(socket.drained.map((p) => p.type), ["noop"], "the pending poll during the upgrade");
   * socket.send({ type: "message", data: "over websocket" });
   * ```
   */
  async upgrade(session: PollingSession, options: { pendingPoll?: boolean; timeoutMs?: number } = {}): Promise<EngineSocket> {
    const pending = options.pendingPoll === false ? undefined : session.get({ ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
    // Marked handled at once: a case may fail before it awaits the poll, and a rejection with
    // no handler then would take the whole run down.
    pending?.catch(() => undefined);
    // Let the poll reach the server first, as it would with a real client.
    if (pending) await new Promise((r) => setTimeout(r, 10));
    const socket = await this.openWebSocket({ sid: session.sid });
    this.transcript.note(`upgrade of ${session.sid}: probe`);
    socket.send({ type: "ping", data: "probe" });
    const answer = await needs(P.probeAnswered, () => socket.nextPacket({ what: "the 3probe answer to 2probe", ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }));
    if (answer.type !== "pong" || answer.data !== "probe") {
      unmet(P.probeAnswered, "the probe was not answered with 3probe", { expected: "3probe", observed: JSON.stringify(answer) });
    }
    if (pending) {
      this.transcript.note(`upgrade of ${session.sid}: waiting for the pending poll to be flushed`);
      socket.drained = (await needs(P.pendingGetReleased, () => pending)).packets;
    }
    this.transcript.note(`upgrade of ${session.sid}: upgrade packet`);
    socket.send({ type: "upgrade" });
    return socket;
  }
}
