/**
 * Engine.IO v4 helpers built on the recording clients: open a session over polling or
 * WebSocket, poll, post, and upgrade. Whatever they need from the server on the way is a
 * precondition (conformance/preconditions.ts): when the server breaks it, the case is blocked and
 * points at the case that checks that rule, unless the case checks that rule itself.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, needs, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import {
  decodeFrame,
  decodePayload,
  encodeFrame,
  encodePayload,
  type EngineIOv4Packet,
} from "../../protocol/engine.io/v4.js";
import { DecodeError } from "../../protocol/errors.js";
import type { EngineIOv4Handshake } from "../../schemas/generated/engine.io/v4/handshake.js";
import { buildUrl, type HttpClient, type HttpRequest, type HttpResponse } from "./http.js";
import { FrameSocket, type FrameCodec } from "./frame-socket.js";
import { WsConnection, type FrameGuard } from "./ws.js";
import type { Transcript } from "../runner/transcript.js";

export type { EngineIOv4Packet, EngineIOv4Handshake };

/** Where and how an {@link EngineClient} talks to the server. */
export interface EngineClientOptions {
  baseUrl: string;
  path: string;
  frameTimeoutMs: number;
  /**
   * The sids handed out so far in this run, shared by every case of the run; without it the
   * client keeps one set per server URL and path for the whole process.
   */
  issuedSids?: Set<string>;
}

/** The sids handed out by each endpoint (`baseUrl` + path), when the run gives no set of its own. */
const issuedByEndpoint = new Map<string, Set<string>>();

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
    unmet(P.openPacket, `the open packet ${where} does not carry JSON`, {
      expected: "0{...}",
      observed: JSON.stringify(data),
    });
  }
  const h = value as Partial<EngineIOv4Handshake>;
  if (typeof h !== "object" || h === null || Array.isArray(h) || typeof h.sid !== "string") {
    unmet(P.openPacket, `the open packet ${where} has no string sid`, {
      expected: '0{"sid":"...",...}',
      observed: JSON.stringify(data),
    });
  }
  if (typeof h.pingInterval !== "number" || typeof h.pingTimeout !== "number") {
    unmet(P.handshakeTypes, `the open packet ${where} does not give pingInterval/pingTimeout as numbers`, {
      observed: JSON.stringify(data),
    });
  }
  return h as EngineIOv4Handshake;
}

/**
 * The open packet of a polling handshake response. What a session needs from it is a
 * precondition: status 200, a payload that starts with an open packet, whose data is a JSON
 * object with a string `sid` and numeric timings. Returns the handshake, the open packet's data
 * as sent (the JSON text) and every packet of the body.
 */
export function openPacketOf(response: HttpResponse): {
  handshake: EngineIOv4Handshake;
  json: string;
  packets: EngineIOv4Packet[];
} {
  if (response.status !== 200) {
    unmet(P.pollingHandshake, `the polling handshake got status ${response.status}`, {
      expected: "200",
      observed: `${response.status} ${response.text.slice(0, 120)}`,
    });
  }
  let packets: EngineIOv4Packet[] = [];
  try {
    packets = decodePayload(response.text);
  } catch {
    // Judged just below: what matters here is whether an open packet comes first.
  }
  const open = packets[0];
  if (open?.type !== "open")
    unmet(P.openPacket, "the polling handshake does not start with an open packet", {
      expected: "0{...}",
      observed: JSON.stringify(response.text.slice(0, 120)),
    });
  return { handshake: parseHandshake(open.data, "of the polling handshake"), json: open.data ?? "", packets };
}

/**
 * The checks every frame of an Engine.IO WebSocket must pass, whatever the case looks at: the
 * open packet comes first or never (EIO4-HANDSHAKE-10), and no text frame carries a trailing
 * record separator as if it were a polling payload (EIO4-WS-02). A frame that breaks one is a
 * broken precondition for every case but those of that rule.
 */
function engineFrameGuard(upgrade: boolean): FrameGuard {
  return (frame, index, conn) => {
    if (typeof frame !== "string") return undefined;
    if (frame.startsWith("0") && (index > 0 || upgrade)) {
      const where = upgrade ? "on the WebSocket of an upgrade" : `as frame #${index + 1}`;
      return new CaseOutcome(
        "fail",
        `the server sent an open packet ${where}`,
        {
          expected: "the open packet as the first frame of a new session only",
          observed: JSON.stringify(frame.slice(0, 120)),
        },
        P.openPacketOnce,
      );
    }
    // A case that sent 0x1E itself may get it back; only a separator nobody sent is framing.
    if (frame.endsWith("\x1e") && !conn.sent.some((f) => typeof f === "string" && f.includes("\x1e"))) {
      return new CaseOutcome(
        "fail",
        "a text frame from the server ends with the record separator 0x1E, as if it were a polling payload",
        { expected: "one packet per frame, no separator", observed: JSON.stringify(frame.slice(0, 120)) },
        P.framesUnframed,
      );
    }
    return undefined;
  };
}

/**
 * Decodes a polling body; a body that is no payload is a broken precondition: of EIO4-PAYLOAD-02
 * when a `b` record does not hold standard base64, else of EIO4-PAYLOAD-01.
 */
export function decodeBody(res: HttpResponse): EngineIOv4Packet[] {
  try {
    return decodePayload(res.text);
  } catch (err) {
    // A separator other than 0x1E glues records together into one bad record: that is EIO4-PAYLOAD-01.
    const base64 = err instanceof DecodeError && /base64/.test(err.reason) && !/[\0-\x1d\x1f]/.test(res.text);
    unmet(
      base64 ? P.binaryRecords : P.payloadDecodes,
      `the polling payload does not decode: ${(err as Error).message}`,
      { observed: JSON.stringify(res.text.slice(0, 200)) },
    );
  }
}

/** One Engine.IO session over HTTP long-polling. */
export class PollingSession {
  /**
   * The longest any small POST of this session took to be answered (ms): a server that holds POSTs
   * (EIO4-POLLING-16) holds the pongs in them too, and may end the session for want of a pong.
   */
  slowestPostMs = 0;

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
  async get(
    req: Omit<HttpRequest, "query" | "method"> = {},
  ): Promise<{ packets: EngineIOv4Packet[]; response: HttpResponse }> {
    const response = await this.engine.http.request({ ...req, path: this.engine.options.path, query: this.query() });
    if (response.status !== 200) {
      unmet(P.pollAnswered, `a poll of session ${this.sid} got status ${response.status}`, {
        expected: "200",
        observed: `${response.status} ${response.text.slice(0, 120)}`,
      });
    }
    return { packets: decodeBody(response), response };
  }

  /**
   * Sends packets (encoded as one payload) or a raw body string with a POST; returns the
   * response without judging it.
   * @example `await session.post([{ type: "message", data: "hello" }])`
   */
  async post(
    body: readonly EngineIOv4Packet[] | string | Uint8Array,
    req: Omit<HttpRequest, "query" | "method" | "body"> = {},
  ): Promise<HttpResponse> {
    const raw = typeof body === "string" || body instanceof Uint8Array ? body : encodePayload(body);
    const sent = performance.now();
    try {
      return await this.engine.http.request({
        ...req,
        method: "POST",
        path: this.engine.options.path,
        query: this.query(),
        body: raw,
      });
    } finally {
      // A large body takes its time on the wire; only small POSTs tell a server that holds them.
      if ((typeof raw === "string" ? raw.length : raw.byteLength) < 65536)
        this.slowestPostMs = Math.max(this.slowestPostMs, performance.now() - sent);
    }
  }

  /**
   * Ends the case as the broken precondition "a POST is answered at once" when a POST of this
   * session took more than half a pingInterval: the session ending (`what`) is then explained by
   * the held pongs, not by the case's own rule.
   */
  blameHeldPosts(pingInterval: number, what: string): void {
    if (this.slowestPostMs > pingInterval / 2) {
      unmet(
        P.postPrompt,
        `${what}, and a POST of the session took ${Math.round(this.slowestPostMs)} ms: held POSTs hold its pongs`,
        { expected: "every POST answered at once", observed: `${Math.round(this.slowestPostMs)} ms` },
      );
    }
  }

  /**
   * Sends packets with a POST that must be accepted with `200 ok` (a precondition: see
   * conformance/preconditions.ts); returns the response.
   * @example `await session.send([{ type: "message", data: "hello" }])`
   */
  async send(
    body: readonly EngineIOv4Packet[] | string,
    req: Omit<HttpRequest, "query" | "method" | "body"> = {},
  ): Promise<HttpResponse> {
    const res = await this.post(body, req);
    if (res.status !== 200 || res.text !== "ok") {
      unmet(P.postOk, `the POST was answered ${res.status} ${JSON.stringify(res.text.slice(0, 60))}, not 200 "ok"`, {
        expected: "200 ok",
        observed: `${res.status} ${res.text.slice(0, 120)}`,
      });
    }
    return res;
  }
}

/** How a v4 WebSocket frame is read and written; an undecodable one breaks EIO4's frame rules. */
const V4_FRAMES: FrameCodec<EngineIOv4Packet> = {
  encode: encodeFrame,
  decode: decodeFrame,
  undecodable(frame, err) {
    unmet(P.frameDecodes, `a WebSocket frame does not decode: ${(err as Error).message}`, {
      observed: typeof frame === "string" ? JSON.stringify(frame.slice(0, 200)) : `${frame.byteLength} bytes`,
    });
  },
};

/** One Engine.IO WebSocket: frames are decoded to packets on demand. */
export class EngineSocket extends FrameSocket<EngineIOv4Packet, EngineIOv4Handshake> {
  constructor(ws: WsConnection, handshake?: EngineIOv4Handshake) {
    super(ws, V4_FRAMES, handshake);
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
  async openPolling(
    options: { query?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<PollingSession> {
    const { response, handshake } = await this.handshake(options);
    return new PollingSession(this, handshake.sid, handshake, response);
  }

  /**
   * A polling handshake (`EIO=4&transport=polling` plus `query`), read as far as a session needs
   * (see {@link openPacketOf}); a sid handed out before in the run is a broken precondition too.
   * @example `const { json } = await ctx.engine.handshake(); ctx.equal(json, JSON.stringify(JSON.parse(json)), "compact")`
   */
  async handshake(
    options: { query?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<ReturnType<typeof openPacketOf> & { response: HttpResponse }> {
    const response = await this.http.request({
      path: this.options.path,
      query: { EIO: "4", transport: "polling", ...options.query },
      ...(options.headers ? { headers: options.headers } : {}),
    });
    const open = openPacketOf(response);
    this.issued(open.handshake.sid, "polling");
    return { ...open, response };
  }

  /** Records a sid a handshake handed out; one handed out before means the server reused it. */
  private issued(sid: string, transport: string): void {
    const key = `${this.options.baseUrl}${this.options.path}`;
    let sids = this.options.issuedSids ?? issuedByEndpoint.get(key);
    if (!sids) issuedByEndpoint.set(key, (sids = new Set()));
    if (sids.has(sid)) {
      unmet(
        P.freshSid,
        `the ${transport} handshake handed out the sid ${sid}, which an earlier handshake of the run got already`,
        { expected: "a sid of its own for every new session", observed: sid },
      );
    }
    sids.add(sid);
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
      unmet(
        options.sid ? P.probeAnswered : P.webSocketOpens,
        `the WebSocket was refused (${opened.status ?? opened.error})`,
        { expected: "101", observed: String(opened.status ?? opened.error) },
      );
    }
    if (options.sid) return new EngineSocket(ws);
    const first = await needs(P.webSocketOpens, () => ws.next({ what: "the open packet" }));
    let open: EngineIOv4Packet | undefined;
    try {
      open = decodeFrame(first);
    } catch {
      // Judged just below.
    }
    if (open?.type !== "open")
      unmet(P.webSocketOpens, "the first WebSocket frame is not an open packet", {
        expected: "0{...}",
        observed: typeof first === "string" ? JSON.stringify(first.slice(0, 120)) : `${first.byteLength} bytes`,
      });
    const handshake = parseHandshake(open.data, "of the WebSocket handshake");
    this.issued(handshake.sid, "WebSocket");
    return new EngineSocket(ws, handshake);
  }

  /**
   * A WebSocket to the engine endpoint with `EIO=4&transport=websocket` plus `query`, not yet
   * judged: await `.opened` to see whether it was accepted or refused (and with which status).
   */
  rawWebSocket(
    options: { query?: Record<string, string | undefined>; headers?: Record<string, string> } = {},
  ): WsConnection {
    const http = buildUrl(this.options.baseUrl, this.options.path, {
      EIO: "4",
      transport: "websocket",
      ...options.query,
    });
    const ws = new WsConnection(
      this.transcript,
      http.replace(/^http/, "ws"),
      this.options.frameTimeoutMs,
      options.headers,
    );
    ws.guard(engineFrameGuard(options.query?.sid !== undefined));
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
  async upgrade(
    session: PollingSession,
    options: { pendingPoll?: boolean; timeoutMs?: number } = {},
  ): Promise<EngineSocket> {
    const pending =
      options.pendingPoll === false
        ? undefined
        : session.get({ ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
    // Marked handled at once: a case may fail before it awaits the poll, and a rejection with
    // no handler then would take the whole run down.
    pending?.catch(() => undefined);
    // Let the poll reach the server first, as it would with a real client.
    if (pending) await new Promise((r) => setTimeout(r, 10));
    const socket = await this.openWebSocket({ sid: session.sid });
    this.transcript.note(`upgrade of ${session.sid}: probe`);
    socket.send({ type: "ping", data: "probe" });
    const answer = await needs(P.probeAnswered, () =>
      socket.nextPacket({
        what: "the 3probe answer to 2probe",
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      }),
    );
    if (answer.type !== "pong" || answer.data !== "probe") {
      unmet(P.probeAnswered, "the probe was not answered with 3probe", {
        expected: "3probe",
        observed: JSON.stringify(answer),
      });
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
