/**
 * The Engine.IO session core: handshake data, heartbeat, send buffer, upgrade state machine and
 * close, with no I/O. Transport bindings feed it requests and frames through small ports
 * (ports.ts); time comes from an injected Clock. It implements the EngineConnection surface
 * that the layer above uses.
 */
import { EventEmitter } from "node:events";
import { DecodeError } from "../../protocol/errors.js";
import type { TimerHandle } from "./clock.js";
import type { CloseReason } from "./connection.js";
import { Heartbeat } from "./heartbeat.js";
import { Probe } from "./probe.js";
import type { PostOutcome, SessionConfig, SessionState, UpgradeStatus } from "./session-config.js";
import { wsCloseCode, type PollResponder, type SocketPort } from "./ports.js";
import { wireFor, type Packet, type Wire } from "./wire.js";

export {
  NOOP_REPEAT_MS,
  type PostOutcome,
  type SessionConfig,
  type SessionState,
  type UpgradeStatus,
} from "./session-config.js";

type PacketOutcome = "continue" | "stop" | "violation";

const close: Packet = { type: "close" };
const noop: Packet = { type: "noop" };

function describeDecodeFailure(e: unknown): string {
  return e instanceof DecodeError ? `${e.reason} (${e.rule})` : `undecodable input: ${String(e)}`;
}

function packetSize(p: Packet): number {
  if (!("data" in p) || p.data === undefined) return 1;
  return 1 + (typeof p.data === "string" ? p.data.length : p.data.byteLength);
}

/** The events of a session, typed as EngineConnection names them (plus "upgrade"). */
// biome-ignore lint/correctness/noUnusedVariables: merged with the class below, whose type parameter it must repeat
export interface Session<Req = unknown> {
  on(event: "message", listener: (data: string | Uint8Array) => void): this;
  on(event: "close", listener: (reason: CloseReason, detail?: string) => void): this;
  /** The transport switched from polling to WebSocket. */
  on(event: "upgrade", listener: () => void): this;
  off(event: "message" | "close" | "upgrade", listener: (...args: never[]) => void): this;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above only types the events the class emits
export class Session<Req = unknown> extends EventEmitter {
  readonly id: string;
  readonly protocol: 3 | 4;
  readonly request: Req;
  /** Packet <-> bytes for this session's version and binary mode. */
  readonly wire: Wire;
  private currentTransport: "polling" | "websocket";
  private state: SessionState = "open";
  private buffer: Packet[] = [];
  private bufferedBytes = 0;
  private pendingGet: PollResponder | null = null;
  private postActive = false;
  private socket: SocketPort | null = null;
  private probe: Probe | null = null;
  /** Whether a probe was ever begun (read only by the probe-slot-not-freed fault). */
  private probeTried = false;
  private corked = 0;
  private closeTimer: TimerHandle | undefined;
  private readonly heartbeat: Heartbeat;
  private readonly cfg: SessionConfig;

  constructor(cfg: SessionConfig, request: Req) {
    super();
    this.cfg = cfg;
    this.id = cfg.id;
    this.protocol = cfg.protocol;
    this.request = request;
    this.currentTransport = cfg.transport;
    this.wire = wireFor(cfg.protocol, cfg.supportsBinary, cfg.faults);
    // The session is its heartbeat's hooks: no closures per session.
    this.heartbeat = new Heartbeat(cfg.clock, cfg.protocol, cfg.pingInterval, this.pingTimeout, cfg.faults, this);
    this.heartbeat.start();
  }

  /** The transport now carrying the session. */
  get transport(): "polling" | "websocket" {
    return this.currentTransport;
  }

  /** The transport that opened the session. */
  get openedWith(): "polling" | "websocket" {
    return this.cfg.transport;
  }

  /** open, closing (a server close waiting for its GET), or closed. */
  get readyState(): SessionState {
    return this.state;
  }

  /** The pingTimeout the session advertises and applies (half a millisecond more under the timings-fractional fault). */
  private get pingTimeout(): number {
    return this.cfg.pingTimeout + (this.cfg.faults.has("timings-fractional") ? 0.5 : 0);
  }

  /** The open packet: handshake data in the key order the spec gives. */
  handshake(): Packet {
    let upgrades = this.cfg.transport === "polling" ? this.cfg.upgrades : [];
    if (this.cfg.transport === "websocket" && this.cfg.faults.has("upgrades-wrong-over-websocket"))
      upgrades = ["websocket"];
    if (this.cfg.transport === "polling" && this.cfg.faults.has("polling-upgrades-empty")) upgrades = [];
    const number = this.cfg.faults.has("handshake-timings-as-strings") ? String : Number;
    const data: Record<string, unknown> = {
      sid: this.id,
      upgrades,
      pingInterval: number(this.cfg.pingInterval),
      pingTimeout: number(this.pingTimeout),
      // The max-payload-overstated fault advertises twice the limit it applies.
      maxPayload: number(this.cfg.maxPayload * (this.cfg.faults.has("max-payload-overstated") ? 2 : 1)),
    };
    if (this.cfg.faults.has("handshake-extra-key")) data.extra = true;
    const json = JSON.stringify(
      this.cfg.faults.has("handshake-keys-reordered") ? Object.fromEntries(Object.entries(data).reverse()) : data,
    );
    return { type: "open", data: this.cfg.faults.has("handshake-not-json") ? json.replace(/"(\w+)":/g, "$1:") : json };
  }

  /** A session opened over WebSocket: the socket becomes its transport and gets the open packet. */
  openOn(port: SocketPort): void {
    this.socket = port;
    port.send(this.wire.encodeFrame(this.handshake()));
    if (this.cfg.faults.has("ws-open-twice")) port.send(this.wire.encodeFrame(this.handshake()));
  }

  // ---- the EngineConnection surface -------------------------------------------------------

  /** Queues one message packet; ignored unless the session is open. */
  send(data: string | Uint8Array): void {
    if (this.state !== "open") return;
    this.enqueue({ type: "message", data });
  }

  /** Server close: pending GET gets `1`; otherwise the buffer drains and the next GET gets `6`,`1`; WebSocket: normal close. */
  close(): void {
    if (this.state !== "open") return;
    this.endProbe(wsCloseCode.normal);
    if (this.currentTransport === "websocket") {
      if (this.cfg.faults.has("deliver-after-close")) {
        // The close takes effect late; until then the session is open and frames are delivered.
        this.cfg.clock.setTimeout(() => {
          this.flushNow();
          this.closeWith("server close", undefined, [close], wsCloseCode.normal);
        }, 50);
        return;
      }
      // Even when called from a message listener (output held back), what was sent goes out first.
      if (this.cfg.faults.has("ws-close-terminates") && this.socket?.terminate) {
        // Dropped, not closed: no close frame, and frames still held back for the network are lost.
        const socket = this.socket;
        this.socket = null;
        socket.terminate!();
        this.finish("server close");
        return;
      }
      this.flushNow();
      if (this.cfg.faults.has("server-close-leaves-websocket-open")) {
        this.socket = null; // forgotten, not closed: the session ends but its WebSocket stays open
        this.finish("server close");
        return;
      }
      this.closeWith("server close", undefined, [close], wsCloseCode.normal);
      return;
    }
    if (this.corked > 0 && this.cfg.faults.has("polling-deliver-after-close")) {
      // The close waits for the end of the payload being read, so the records after it are delivered.
      this.cfg.clock.setTimeout(() => this.close(), 0);
      return;
    }
    if (this.pendingGet) {
      const packets = this.takeBuffer(Infinity);
      const last = this.cfg.faults.has("server-close-without-close-packet") ? noop : close;
      this.closeWith("server close", undefined, [...packets, last], wsCloseCode.normal);
      return;
    }
    if (this.cfg.faults.has("close-drops-buffer")) this.takeBuffer(Infinity);
    if (this.cfg.faults.has("server-close-freed-at-once")) return this.finish("server close");
    this.state = "closing";
    this.heartbeat.stop();
    this.closeTimer = this.cfg.clock.setTimeout(
      () => this.finish("server close", "close not fetched within closeTimeout"),
      this.cfg.closeTimeout,
    );
  }

  // ---- heartbeat hooks --------------------------------------------------------------------

  /** @internal The heartbeat's ping is due. */
  heartbeatPing(): void {
    this.enqueue({ type: "ping" });
  }

  /** @internal A v3 client ping is answered with its data. */
  heartbeatPong(data: string | undefined): void {
    this.enqueue(data === undefined || data === "" ? { type: "pong" } : { type: "pong", data });
  }

  /** @internal No pong (v4) or ping (v3) came in time. */
  heartbeatTimedOut(): void {
    if (this.currentTransport === "polling" && !this.pendingGet && this.cfg.faults.has("timeout-waits-for-get")) return;
    this.closeWith("ping timeout", "no pong within pingTimeout", [close], wsCloseCode.normal);
  }

  // ---- polling ----------------------------------------------------------------------------

  /** A GET arrived. Returns "overlap" when another GET was already pending (the new one gets 400). */
  onPoll(res: PollResponder): "served" | "overlap" {
    if (this.state === "closed" || this.currentTransport === "websocket") {
      // Only reachable with a fault that keeps a dead or upgraded session answering.
      res.respond([noop]);
      return "served";
    }
    if (this.pendingGet) {
      if (!this.cfg.faults.has("no-close-on-overlap"))
        this.closeWith("transport error", "overlapping GET", [close], wsCloseCode.normal);
      return "overlap";
    }
    if (this.state === "closing") {
      if (this.buffer.length > 0) res.respond(this.takeBuffer(this.cfg.maxPacketsPerPayload));
      else {
        res.respond([noop, close]);
        this.finish("server close");
      }
      return "served";
    }
    this.pendingGet = res;
    this.flush();
    if (this.pendingGet === res && this.cfg.faults.has("idle-get-answered-noop")) {
      // Late enough that GETs held for a moment (overlaps, aborts, closes) see nothing of it.
      this.cfg.clock.setTimeout(() => {
        if (this.pendingGet !== res) return;
        this.pendingGet = null;
        res.respond([noop]);
      }, this.cfg.pingInterval / 2);
    }
    return "served";
  }

  /** The client dropped a GET it had pending. */
  onPollAborted(res: PollResponder): void {
    if (this.pendingGet !== res) return;
    this.pendingGet = null;
    if (this.cfg.faults.has("aborted-get-ignored")) return;
    if (this.cfg.faults.has("aborted-get-closes-late")) {
      this.cfg.clock.setTimeout(
        () => this.closeWith("transport error", "pending GET aborted", [close], wsCloseCode.normal),
        this.cfg.pingInterval + this.cfg.pingTimeout,
      );
      return;
    }
    this.closeWith("transport error", "pending GET aborted", [close], wsCloseCode.normal);
  }

  /** A POST started. False when another POST is still in flight (the new one gets 400). */
  beginPost(): boolean {
    if (this.postActive && !this.cfg.faults.has("overlapping-post-served")) {
      if (!this.cfg.faults.has("no-close-on-overlap"))
        this.closeWith("transport error", "overlapping POST", [close], wsCloseCode.normal);
      return false;
    }
    this.postActive = true;
    return true;
  }

  /** The client dropped a POST before its body was complete. */
  onPostAborted(): void {
    this.postActive = false;
    this.closeWith("transport error", "POST aborted", [close], wsCloseCode.normal);
  }

  /** The POST was refused before its body was read (e.g. 413); the session lives on. */
  endPost(): void {
    this.postActive = false;
  }

  /** A complete POST body: decodes it and acts on each packet in order. */
  onPostBody(body: string | Uint8Array): PostOutcome {
    this.postActive = false;
    if (this.state === "closed") return "gone";
    if (this.state === "closing") return "ok";
    let packets: Packet[];
    try {
      packets = this.wire.decodePayload(body);
    } catch (e) {
      // v4 delivers the records before the bad one (EIO4-PAYLOAD-07); v3 delivers none (EIO3-PAYLOAD-03).
      if (e instanceof DecodeError && this.protocol === 4 && !this.cfg.faults.has("payload-all-or-nothing"))
        this.runPackets(e.partial as Packet[]);
      this.closeWith("parse error", describeDecodeFailure(e), [close], wsCloseCode.protocolError);
      return "bad";
    }
    if (packets.length > this.cfg.maxPacketsPerPayload) {
      this.closeWith("parse error", "too many packets in one payload", [close], wsCloseCode.protocolError);
      return "bad";
    }
    return this.runPackets(packets) === "violation" ? "bad" : "ok";
  }

  /** A POST body of the wrong kind (binary on a v4 session, not UTF-8): the session ends with a parse error. */
  onInvalidContent(detail: string): void {
    this.closeWith("parse error", detail, [close], wsCloseCode.protocolError);
  }

  // ---- websocket --------------------------------------------------------------------------

  /** Whether a new WebSocket naming this session may start a probe. */
  upgradeStatus(): UpgradeStatus {
    if (this.state !== "open") return "closed";
    if (this.currentTransport === "websocket") return "upgraded";
    return this.probe ? "upgrading" : "ready";
  }

  /** A WebSocket opened for an upgrade; false when no probe may start now (the caller closes it). */
  beginProbe(port: SocketPort): boolean {
    if (this.upgradeStatus() !== "ready") {
      // The second-websocket-closes-probe fault lets a refused second WebSocket take the upgrade in progress down with it.
      if (this.cfg.faults.has("second-websocket-closes-probe")) this.closeProbe(wsCloseCode.normal);
      return false;
    }
    if (this.probeTried && this.cfg.faults.has("probe-slot-not-freed")) return false;
    this.probeTried = true;
    this.probe = new Probe(port, {
      cfg: this.cfg,
      wire: this.wire,
      releasePoll: () => this.releasePoll(),
      probeTimedOut: () => this.closeProbe(wsCloseCode.normal),
    });
    return true;
  }

  /** A frame arrived on one of this session's WebSockets. */
  onFrame(port: SocketPort, frame: string | Uint8Array): void {
    if (this.probe?.port === port) {
      const verdict = this.probe.onFrame(frame);
      // Anything but the probe and then the upgrade ends that socket only; polling goes on.
      if (verdict === "upgrade") this.completeUpgrade(this.probe);
      else if (verdict === "reject") {
        if (this.cfg.faults.has("bad-probe-closes-session"))
          this.closeWith("transport error", "wrong frame on the probe", [close], wsCloseCode.protocolError);
        else this.closeProbe(wsCloseCode.protocolError);
      }
      return;
    }
    if (port !== this.socket || this.state !== "open") return;
    let packets: Packet[];
    try {
      const split =
        typeof frame === "string" && frame.includes("\x1e") && this.cfg.faults.has("ws-frame-split-on-separator");
      packets = split ? this.wire.decodePayload(frame) : [this.wire.decodeFrame(frame)];
    } catch (e) {
      if (this.cfg.faults.has("ws-invalid-frame-closes-socket-only")) {
        this.socket = null;
        port.close(wsCloseCode.protocolError);
        return;
      }
      this.closeWith("parse error", describeDecodeFailure(e), [close], wsCloseCode.protocolError);
      return;
    }
    this.runPackets(packets);
  }

  /** For the second-websocket-takes-over fault only: `port` replaces the session's WebSocket, which is closed. */
  takeOver(port: SocketPort): void {
    const old = this.socket;
    this.socket = port;
    old?.close(wsCloseCode.normal);
  }

  /** One of this session's WebSockets closed (cleanly unless `failed`). */
  onSocketClosed(port: SocketPort, failed: boolean, detail?: string): void {
    if (this.probe?.port === port) {
      this.clearProbe();
      if (this.cfg.faults.has("probe-drop-loses-buffer")) this.takeBuffer(Infinity);
      if (this.cfg.faults.has("probe-drop-duplicates-buffer")) for (const p of [...this.buffer]) this.enqueue(p);
      if (this.cfg.faults.has("probe-close-ends-session"))
        this.closeWith("transport error", "probe closed before the upgrade", [close], wsCloseCode.normal);
      return;
    }
    if (port !== this.socket) return;
    this.socket = null;
    if (this.cfg.faults.has("ws-close-keeps-session")) return;
    this.closeWith(failed ? "transport error" : "client close", detail, [close], wsCloseCode.normal);
  }

  // ---- server -----------------------------------------------------------------------------

  /** The server shuts down: everything ends now. */
  forceClose(): void {
    this.closeWith("forced server close", undefined, [close], wsCloseCode.goingAway);
  }

  // ---- internals --------------------------------------------------------------------------

  /** Answers a pending GET with a noop while a probe is on, so the client's poll returns. */
  private releasePoll(): void {
    if (!this.pendingGet || this.buffer.length > 0) return;
    const get = this.pendingGet;
    this.pendingGet = null;
    get.respond([noop]);
  }

  private completeUpgrade(probe: Probe): void {
    this.clearProbe();
    if (this.pendingGet) {
      const get = this.pendingGet;
      this.pendingGet = null;
      get.respond([this.cfg.faults.has("pending-get-closed-at-upgrade") ? close : noop]);
    }
    this.currentTransport = "websocket";
    this.socket = probe.port;
    // The heartbeat-stops-at-upgrade fault forgets the heartbeat with the transport it ran on.
    if (this.cfg.faults.has("heartbeat-stops-at-upgrade")) this.heartbeat.stop();
    if (this.cfg.faults.has("upgrade-flush-reordered")) this.buffer.reverse();
    this.flush();
    this.safeEmit("upgrade");
  }

  private clearProbe(): void {
    this.probe?.stop();
    this.probe = null;
  }

  private closeProbe(code: number): void {
    const probe = this.probe;
    if (!probe) return;
    this.clearProbe();
    probe.port.close(code);
  }

  /** The session ends: its probe ends with it (the probe-left-open-on-close fault forgets it without closing its WebSocket). */
  private endProbe(code: number): void {
    if (this.cfg.faults.has("probe-left-open-on-close")) this.clearProbe();
    else this.closeProbe(code);
  }

  /** Acts on packets in order; output is held back until all are done, so replies batch. */
  private runPackets(packets: readonly Packet[]): PacketOutcome {
    let outcome: PacketOutcome = "continue";
    this.corked++;
    try {
      for (const p of packets) {
        if (this.state !== "open") break;
        outcome = this.onPacket(p);
        if (outcome !== "continue") break;
      }
    } finally {
      this.corked--;
    }
    this.flush();
    return outcome;
  }

  private onPacket(p: Packet): PacketOutcome {
    switch (p.type) {
      case "message": {
        let data = p.data ?? "";
        if (typeof data === "string" && data.length < 10 && this.cfg.faults.has("short-text-keeps-type-digit"))
          data = "4" + data;
        if (typeof data === "string" && this.cfg.faults.has("utf8-as-latin1"))
          data = Buffer.from(data, "utf8").toString("latin1");
        if (this.cfg.faults.has("messages-as-liveness")) this.heartbeat.postponeTimeout();
        // The empty-message-dropped fault takes an empty text message over polling for nothing to deliver.
        if (data === "" && this.currentTransport === "polling" && this.cfg.faults.has("empty-message-dropped"))
          return "continue";
        this.safeEmit("message", data);
        return "continue";
      }
      case "pong":
        if (this.protocol === 4) {
          if (p.data !== undefined && this.cfg.faults.has("pong-data-rejected")) {
            this.closeWith("parse error", "pong with data", [close], wsCloseCode.protocolError);
            return "violation";
          }
          if (!this.heartbeat.awaiting && this.cfg.faults.has("unsolicited-pong-closes")) {
            this.closeWith("transport error", "pong with no ping awaiting it", [close], wsCloseCode.protocolError);
            return "violation";
          }
          this.heartbeat.onPong();
          return "continue";
        }
        // v3: pings go from client to server only, so a pong from the client is out of place.
        this.closeWith("transport error", "invalid heartbeat direction", [close], wsCloseCode.protocolError);
        return "violation";
      case "ping":
        if (this.protocol === 3 || this.cfg.faults.has("client-ping-answered")) {
          this.heartbeat.onPing(typeof p.data === "string" ? p.data : undefined);
          return "continue";
        }
        this.closeWith("transport error", "invalid heartbeat direction", [close], wsCloseCode.protocolError);
        return "violation";
      case "close":
        if (this.currentTransport === "websocket") {
          if (this.cfg.faults.has("client-close-ignored-on-websocket")) return "continue";
          this.closeWith("client close", undefined, [close], wsCloseCode.normal);
        } else if (this.cfg.faults.has("records-after-close-delivered")) {
          // The close waits for the end of the payload, so the records after it are delivered.
          this.cfg.clock.setTimeout(() => this.closeWith("client close", undefined, [noop], wsCloseCode.normal), 0);
          return "continue";
        } else {
          this.closeWith(
            "client close",
            undefined,
            [this.cfg.faults.has("client-close-answers-close-packet") ? close : noop],
            wsCloseCode.normal,
          );
        }
        return "stop";
      default:
        if (p.type === "noop" && this.cfg.faults.has("noop-closes-session")) {
          this.closeWith("parse error", "noop outside an upgrade", [close], wsCloseCode.protocolError);
          return "violation";
        }
        // open, upgrade and noop mean nothing outside the handshake and the probe.
        return "continue";
    }
  }

  private enqueue(p: Packet): void {
    this.buffer.push(p);
    this.bufferedBytes += packetSize(p);
    if (this.bufferedBytes > this.cfg.maxBufferedBytes) {
      this.closeWith("transport error", "send buffer overflow", [close], wsCloseCode.policyViolation);
      return;
    }
    this.flush();
  }

  private takeBuffer(max: number): Packet[] {
    const out = this.buffer.length <= max ? this.buffer : this.buffer.slice(0, max);
    this.buffer = this.buffer.length <= max ? [] : this.buffer.slice(max);
    for (const p of out) this.bufferedBytes -= packetSize(p);
    return out;
  }

  private flush(): void {
    if (this.corked === 0) this.flushNow();
  }

  private flushNow(): void {
    if (this.state === "closed" || this.buffer.length === 0) return;
    // The packets-on-probe-before-upgrade fault writes to an open probe as if it were already the transport.
    const onProbe =
      this.probe !== null &&
      this.currentTransport === "polling" &&
      this.cfg.faults.has("packets-on-probe-before-upgrade");
    if (this.currentTransport === "websocket" || onProbe) {
      const socket = onProbe ? this.probe!.port : this.socket;
      if (!socket) return;
      const appended = this.cfg.faults.has("ws-frame-separator-appended") ? "\x1e" : "";
      for (const p of this.takeBuffer(Infinity)) {
        const frame = this.wire.encodeFrame(p);
        socket.send(typeof frame === "string" ? frame + appended : frame);
      }
      // A client that does not read makes the socket's own buffer grow instead (SEC-03).
      if (this.socketBacklogged(socket)) {
        this.closeWith("transport error", "send buffer overflow", [close], wsCloseCode.policyViolation);
      }
      return;
    }
    if (!this.pendingGet) return;
    if (this.cfg.faults.has("get-flushed-at-ping-only") && !this.buffer.some((p) => p.type === "ping")) return;
    // The held-get-not-woken-by-ping fault leaves a ping for the next GET instead of answering the held one with it.
    if (this.cfg.faults.has("held-get-not-woken-by-ping") && this.buffer.every((p) => p.type === "ping")) return;
    const get = this.pendingGet;
    this.pendingGet = null;
    get.respond(this.takeBuffer(this.cfg.maxPacketsPerPayload));
  }

  /** Whether the socket holds more unsent bytes than allowed; frames held back for batching count only once the network refused them. */
  private socketBacklogged(socket: SocketPort): boolean {
    const limit = this.cfg.maxBufferedBytes;
    if ((socket.bufferedAmount?.() ?? 0) <= limit) return false;
    socket.flush?.();
    return (socket.bufferedAmount?.() ?? 0) > limit;
  }

  /** Ends the session: the pending GET gets `getPackets`, the WebSocket the close code. */
  private closeWith(reason: CloseReason, detail: string | undefined, getPackets: Packet[], wsCode: number): void {
    if (this.state === "closed") return;
    const get = this.pendingGet;
    this.pendingGet = null;
    get?.respond(getPackets);
    const socket = this.socket;
    this.socket = null;
    socket?.close(wsCode);
    this.endProbe(wsCode);
    this.finish(reason, detail);
  }

  private finish(reason: CloseReason, detail?: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.heartbeat.stop();
    this.clearProbe();
    this.cfg.clock.clearTimeout(this.closeTimer);
    this.buffer = [];
    this.bufferedBytes = 0;
    this.safeEmit("close", reason, detail);
  }

  /** Emits to the application; a throwing listener must not take the transport down with it. */
  private safeEmit(event: string, ...args: unknown[]): void {
    try {
      this.emit(event, ...args);
    } catch {
      // The application's bug stays the application's: the session goes on (or ends) as the protocol says.
    }
  }
}
