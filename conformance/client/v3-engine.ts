/**
 * Engine.IO v3 helpers on the recording clients, for the eio3 and sio4 chapters: a session over
 * polling (length-prefixed text payloads, XHR2 binary payloads, `b64=1`), a WebSocket session
 * (a binary message keeps its 0x04 type byte) and the upgrade between them. The v4 helpers
 * (./engine.ts) cannot serve here: they ask `EIO=4`, read payloads split by 0x1E and expect the
 * server to ping. What a v3 case needs on its way is a precondition of `PRECONDITIONS` (its v3 entries).
 */
import { needs, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import {
  decodeFrame,
  decodePayload,
  encodeFrame,
  encodeRecord,
  type EngineIOv3Packet,
} from "../../protocol/engine.io/v3.js";
import type { EngineIOv3Handshake } from "../../schemas/generated/engine.io/v3/handshake.js";
import { buildUrl, type HttpClient, type HttpRequest, type HttpResponse } from "./http.js";
import { FrameSocket, type FrameCodec } from "./frame-socket.js";
import { WsConnection } from "./ws.js";
import type { Transcript } from "../runner/transcript.js";

export type { EngineIOv3Packet, EngineIOv3Handshake };

/** Where and how a {@link V3EngineClient} talks to the server. */
export interface V3EngineClientOptions {
  baseUrl: string;
  path: string;
  frameTimeoutMs: number;
}

/** One text payload of v3 records: `<length>:<packet>` each, the length in UTF-16 code units. */
export function encodeTextPayload(packets: readonly EngineIOv3Packet[]): string {
  let out = "";
  for (const p of packets) {
    const record = encodeRecord(p);
    out += `${record.length}:${record}`;
  }
  return out;
}

/**
 * The packets of a polling body: bytes when the server marked it `application/octet-stream`
 * (the XHR2 binary payload), text otherwise. A body that does not decode is a broken
 * precondition (EIO3-PAYLOAD-01) for every case but those of the payload rules.
 */
export function decodeV3Body(res: HttpResponse): EngineIOv3Packet[] {
  const binary = /^application\/octet-stream/i.test(res.headers["content-type"] ?? "");
  try {
    return decodePayload(binary ? res.bytes : res.text);
  } catch (err) {
    unmet(P.v3PayloadDecodes, `the v3 polling payload does not decode: ${(err as Error).message}`, {
      expected: "<length>:<packet> records",
      observed: binary
        ? `<${res.bytes.byteLength} bytes ${Buffer.from(res.bytes.subarray(0, 64)).toString("hex")}>`
        : JSON.stringify(res.text.slice(0, 200)),
    });
  }
}

/** The handshake JSON of an open packet, as far as a session needs it (a string sid, numeric timings). */
function parseV3Handshake(data: string | undefined, where: string): EngineIOv3Handshake {
  let value: unknown;
  try {
    value = JSON.parse(data ?? "");
  } catch {
    // Judged just below.
  }
  const h = value as Partial<EngineIOv3Handshake> | undefined;
  if (
    typeof h !== "object" ||
    h === null ||
    typeof h.sid !== "string" ||
    typeof h.pingInterval !== "number" ||
    typeof h.pingTimeout !== "number"
  ) {
    unmet(P.v3Handshake, `the open packet ${where} is not a JSON object with a string sid and numeric timings`, {
      expected: '0{"sid":"...","upgrades":[...],"pingInterval":N,"pingTimeout":N}',
      observed: JSON.stringify(data?.slice(0, 200)),
    });
  }
  return h as EngineIOv3Handshake;
}

/** The open packet of a v3 polling handshake response (status 200, a v3 payload whose first packet is open). */
export function v3OpenPacketOf(response: HttpResponse): {
  handshake: EngineIOv3Handshake;
  json: string;
  packets: EngineIOv3Packet[];
} {
  if (response.status !== 200) {
    unmet(P.v3Handshake, `the EIO=3 polling handshake got status ${response.status}`, {
      expected: "200",
      observed: `${response.status} ${response.text.slice(0, 120)}`,
    });
  }
  let packets: EngineIOv3Packet[] = [];
  try {
    packets = decodePayload(response.text);
  } catch {
    // Judged just below: the open packet must come first, in a v3 record.
  }
  const open = packets[0];
  if (open?.type !== "open")
    unmet(P.v3Handshake, "the EIO=3 polling handshake is not a v3 payload that starts with an open packet", {
      expected: "<length>:0{...}",
      observed: JSON.stringify(response.text.slice(0, 120)),
    });
  return { handshake: parseV3Handshake(open.data, "of the EIO=3 polling handshake"), json: open.data ?? "", packets };
}

/** One Engine.IO v3 session over HTTP long-polling. */
export class V3PollingSession {
  constructor(
    private readonly engine: V3EngineClient,
    readonly sid: string,
    readonly handshake: EngineIOv3Handshake,
    /** The handshake response itself (socket.io 2.x puts `2:40` behind the open packet). */
    readonly response: HttpResponse,
    /** Every packet of the handshake body (the open packet first). */
    readonly handshakePackets: readonly EngineIOv3Packet[],
    /** The session asked for base64 binary (`b64=1`) on every request. */
    readonly b64 = false,
  ) {}

  /** The query of a request of this session: `EIO=3&transport=polling&sid=...` (and `b64=1`) plus `extra`. */
  query(extra: Record<string, string> = {}): Record<string, string> {
    return { EIO: "3", transport: "polling", sid: this.sid, ...(this.b64 ? { b64: "1" } : {}), ...extra };
  }

  /** A GET that is not judged: the case reads status and body itself. */
  raw(req: Omit<HttpRequest, "query" | "method"> = {}): Promise<HttpResponse> {
    return this.engine.http.request({ ...req, path: this.engine.options.path, query: this.query() });
  }

  /** One poll; its status 200 and a body that decodes are preconditions. */
  async get(
    req: Omit<HttpRequest, "query" | "method"> = {},
  ): Promise<{ packets: EngineIOv3Packet[]; response: HttpResponse }> {
    const response = await this.raw(req);
    if (response.status !== 200) {
      unmet(P.v3PollAnswered, `a poll of the v3 session ${this.sid} got status ${response.status}`, {
        expected: "200",
        observed: `${response.status} ${response.text.slice(0, 120)}`,
      });
    }
    return { packets: decodeV3Body(response), response };
  }

  /** A POST of packets (one text payload) or of a raw body; the answer is not judged. */
  post(
    body: readonly EngineIOv3Packet[] | string | Uint8Array,
    req: Omit<HttpRequest, "query" | "method" | "body"> = {},
  ): Promise<HttpResponse> {
    const raw = typeof body === "string" || body instanceof Uint8Array ? body : encodeTextPayload(body);
    return this.engine.http.request({
      ...req,
      method: "POST",
      path: this.engine.options.path,
      query: this.query(),
      body: raw,
    });
  }

  /** A POST that must be answered `200 ok` (a precondition). */
  async send(
    body: readonly EngineIOv3Packet[] | string,
    req: Omit<HttpRequest, "query" | "method" | "body"> = {},
  ): Promise<HttpResponse> {
    const res = await this.post(body, req);
    if (res.status !== 200 || res.text !== "ok") {
      unmet(
        P.v3PostOk,
        `the v3 POST was answered ${res.status} ${JSON.stringify(res.text.slice(0, 60))}, not 200 "ok"`,
        {
          expected: "200 ok",
          observed: `${res.status} ${res.text.slice(0, 120)}`,
        },
      );
    }
    return res;
  }
}

/** How a v3 WebSocket frame is read and written; an undecodable one breaks EIO3's frame rules. */
const V3_FRAMES: FrameCodec<EngineIOv3Packet> = {
  encode: encodeFrame,
  decode: decodeFrame,
  undecodable(frame, err) {
    unmet(P.v3FrameDecodes, `a v3 WebSocket frame does not decode: ${(err as Error).message}`, {
      observed:
        typeof frame === "string"
          ? JSON.stringify(frame.slice(0, 200))
          : `<${frame.byteLength} bytes ${Buffer.from(frame.subarray(0, 32)).toString("hex")}>`,
    });
  },
};

/** One Engine.IO v3 WebSocket: frames are decoded to v3 packets on demand. */
export class V3Socket extends FrameSocket<EngineIOv3Packet, EngineIOv3Handshake> {
  constructor(ws: WsConnection, handshake?: EngineIOv3Handshake) {
    super(ws, V3_FRAMES, handshake);
  }
}

export class V3EngineClient {
  constructor(
    readonly http: HttpClient,
    private readonly transcript: Transcript,
    readonly options: V3EngineClientOptions,
    private readonly track: (ws: WsConnection) => void,
  ) {}

  /** An `EIO=3` polling handshake (plus `query`), read as far as a session needs. */
  async handshake(
    options: { query?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<ReturnType<typeof v3OpenPacketOf> & { response: HttpResponse }> {
    const response = await this.http.request({
      path: this.options.path,
      query: { EIO: "3", transport: "polling", ...options.query },
      ...(options.headers ? { headers: options.headers } : {}),
    });
    return { ...v3OpenPacketOf(response), response };
  }

  /**
   * Opens a v3 session over polling; with `b64` every request carries `b64=1`.
   * @example `const session = await ctx.eio3().openPolling(); await session.send([{ type: "message", data: "hi" }])`
   */
  async openPolling(options: { b64?: boolean; query?: Record<string, string> } = {}): Promise<V3PollingSession> {
    const query = { ...(options.b64 ? { b64: "1" } : {}), ...options.query };
    const { response, handshake, packets } = await this.handshake({ query });
    return new V3PollingSession(this, handshake.sid, handshake, response, packets, options.b64 ?? false);
  }

  /** A WebSocket with `EIO=3&transport=websocket` plus `query`, not yet judged (await `.opened`). */
  rawWebSocket(
    options: { query?: Record<string, string | undefined>; headers?: Record<string, string> } = {},
  ): WsConnection {
    const url = buildUrl(this.options.baseUrl, this.options.path, {
      EIO: "3",
      transport: "websocket",
      ...options.query,
    });
    const ws = new WsConnection(
      this.transcript,
      url.replace(/^http/, "ws"),
      this.options.frameTimeoutMs,
      options.headers,
    );
    this.track(ws);
    return ws;
  }

  /**
   * Opens a v3 WebSocket: without `sid` a new session (its open packet is read), with `sid` the
   * WebSocket of an upgrade (nothing is read).
   */
  async openWebSocket(options: { sid?: string; query?: Record<string, string> } = {}): Promise<V3Socket> {
    const ws = this.rawWebSocket({ query: { ...(options.sid ? { sid: options.sid } : {}), ...options.query } });
    const opened = await ws.opened;
    if (!opened.ok) {
      unmet(
        options.sid ? P.v3ProbeAnswered : P.v3WebSocketOpens,
        `the EIO=3 WebSocket was refused (${opened.status ?? opened.error})`,
        { expected: "101", observed: String(opened.status ?? opened.error) },
      );
    }
    if (options.sid) return new V3Socket(ws);
    const first = await needs(P.v3WebSocketOpens, () => ws.next({ what: "the open packet" }));
    let open: EngineIOv3Packet | undefined;
    try {
      open = decodeFrame(first);
    } catch {
      // Judged just below.
    }
    if (open?.type !== "open")
      unmet(P.v3WebSocketOpens, "the first frame of the EIO=3 WebSocket is not an open packet", {
        expected: "0{...}",
        observed: typeof first === "string" ? JSON.stringify(first.slice(0, 120)) : `${first.byteLength} bytes`,
      });
    return new V3Socket(ws, parseV3Handshake(open.data, "of the EIO=3 WebSocket"));
  }

  /**
   * Upgrades a v3 polling session the way engine.io-client 3.x does: with a poll pending, opens
   * the WebSocket with the sid, sends `2probe`, expects `3probe`, waits for the pending poll to
   * be completed (normally `1:6`), then sends `5`. The pending poll's packets are in `drained`.
   */
  async upgrade(session: V3PollingSession, options: { pendingPoll?: boolean } = {}): Promise<V3Socket> {
    const pending = options.pendingPoll === false ? undefined : session.get();
    pending?.catch(() => undefined);
    if (pending) await new Promise((r) => setTimeout(r, 10));
    const socket = await this.openWebSocket({ sid: session.sid, ...(session.b64 ? { query: { b64: "1" } } : {}) });
    this.transcript.note(`v3 upgrade of ${session.sid}: probe`);
    socket.send({ type: "ping", data: "probe" });
    const answer = await needs(P.v3ProbeAnswered, () => socket.nextPacket({ what: "the 3probe answer to 2probe" }));
    if (answer.type !== "pong" || answer.data !== "probe") {
      unmet(P.v3ProbeAnswered, "the probe was not answered with 3probe", {
        expected: "3probe",
        observed: JSON.stringify(answer),
      });
    }
    if (pending) {
      this.transcript.note(`v3 upgrade of ${session.sid}: waiting for the pending poll to be completed`);
      socket.drained = (await needs(P.v3PendingGetReleased, () => pending)).packets;
    }
    socket.send({ type: "upgrade" });
    return socket;
  }
}
