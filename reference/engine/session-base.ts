/**
 * The state and lifecycle of an Engine.IO session, with no I/O: who the session is, which
 * transport carries it, what is waiting to be answered (the pending GET, the WebSocket, the
 * probe), and how it ends. Sending, receiving and the upgrade build on it, one file each
 * (session-output.ts, session-input.ts, session-upgrade.ts); session.ts completes the session.
 */
import { EventEmitter } from "node:events";
import type { TimerHandle } from "./clock.js";
import type { CloseReason } from "./connection.js";
import { Heartbeat, type HeartbeatHooks } from "./heartbeat.js";
import type { PollResponder, SocketPort } from "./ports.js";
import type { Probe } from "./probe.js";
import type { SessionConfig, SessionState } from "./session-config.js";
import type { Packet, Wire } from "./wire.js";

/** What acting on one packet did: go on with the next, stop (the client closed), or a violation that ended the session. */
export type PacketOutcome = "continue" | "stop" | "violation";

/** The close packet `1`. */
export const closePacket: Packet = { type: "close" };
/** The noop packet `6`. */
export const noopPacket: Packet = { type: "noop" };

export abstract class SessionBase<Req> extends EventEmitter implements HeartbeatHooks {
  readonly id: string;
  readonly protocol: 3 | 4;
  readonly request: Req;
  /** Packet <-> bytes for this session's version and binary mode. */
  readonly wire: Wire;
  protected readonly cfg: SessionConfig;
  protected currentTransport: "polling" | "websocket";
  protected state: SessionState = "open";
  /** The GET held until there is something to send (polling). */
  protected pendingGet: PollResponder | null = null;
  /** The WebSocket carrying the session (opened over WebSocket, or upgraded). */
  protected socket: SocketPort | null = null;
  /** The upgrade attempt in progress, if any. */
  protected probe: Probe | null = null;
  protected closeTimer: TimerHandle | undefined;
  protected readonly heartbeat: Heartbeat;

  constructor(cfg: SessionConfig, request: Req) {
    super();
    this.cfg = cfg;
    this.id = cfg.id;
    this.protocol = cfg.protocol;
    this.request = request;
    this.currentTransport = cfg.transport;
    this.wire = cfg.wire;
    this.heartbeat = this.createHeartbeat();
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

  /** @internal The heartbeat's ping is due. */
  abstract heartbeatPing(): void;
  /** @internal A v3 client ping is answered with its data. */
  abstract heartbeatPong(data: string | undefined): void;
  /** @internal No pong (v4) or ping (v3) came in time. */
  abstract heartbeatTimedOut(): void;

  /** The session's heartbeat, the session itself as its hooks (no closures per session). */
  protected createHeartbeat(): Heartbeat {
    return new Heartbeat(this.cfg.clock, this.protocol, this.cfg.pingInterval, this.cfg.pingTimeout, this);
  }

  /** What a pending GET gets when the session ends for `reason`: a noop when the client closed (it knows), else the close packet. */
  protected closePackets(reason: CloseReason): Packet[] {
    return reason === "client close" ? [noopPacket] : [closePacket];
  }

  /** Ends the session: the pending GET gets its close packets, the WebSocket the close code. */
  protected closeWith(reason: CloseReason, detail: string | undefined, wsCode: number): void {
    this.closeWithPackets(reason, detail, this.closePackets(reason), wsCode);
  }

  /** Ends the session, answering the pending GET with `getPackets`. */
  protected closeWithPackets(
    reason: CloseReason,
    detail: string | undefined,
    getPackets: Packet[],
    wsCode: number,
  ): void {
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

  /** The session is gone: timers stop, buffers go, the application hears "close" once. */
  protected finish(reason: CloseReason, detail?: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.heartbeat.stop();
    this.clearProbe();
    this.cfg.clock.clearTimeout(this.closeTimer);
    this.dropBuffer();
    this.safeEmit("close", reason, detail);
  }

  /** Empties the send buffer (session-output.ts). */
  protected abstract dropBuffer(): void;

  /** Forgets the probe, stopping its timers. */
  protected clearProbe(): void {
    this.probe?.stop();
    this.probe = null;
  }

  /** Ends the probe and closes its WebSocket with `code`. */
  protected closeProbe(code: number): void {
    const probe = this.probe;
    if (!probe) return;
    this.clearProbe();
    probe.port.close(code);
  }

  /** The session ends: its probe ends with it. */
  protected endProbe(code: number): void {
    this.closeProbe(code);
  }

  /** Emits to the application; a throwing listener must not take the transport down with it. */
  protected safeEmit(event: string, ...args: unknown[]): void {
    try {
      this.emit(event, ...args);
    } catch {
      // The application's bug stays the application's: the session goes on (or ends) as the protocol says.
    }
  }
}
