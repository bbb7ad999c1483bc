/**
 * The session faults of the handshake, the closes and polling: the first half of FaultySession
 * (session.ts), which overrides the protected hooks of the session core to break one rule each.
 * Its heartbeat and probe are the faulty ones of heartbeat.ts and probe.ts.
 */
import type { Heartbeat } from "../../engine/heartbeat.js";
import { wsCloseCode, type PollResponder, type SocketPort } from "../../engine/ports.js";
import type { Probe } from "../../engine/probe.js";
import { closePacket, noopPacket } from "../../engine/session-base.js";
import { Session, type SessionConfig } from "../../engine/session.js";
import type { CloseReason } from "../../engine/connection.js";
import type { Packet } from "../../engine/wire.js";
import type { FaultSet } from "./catalogue.js";
import { FaultyHeartbeat } from "./heartbeat.js";
import { FaultyProbe } from "./probe.js";

/** The settings of a faulty session: the reference's, and the faults it runs with. */
export interface FaultySessionConfig extends SessionConfig {
  readonly faults: FaultSet;
}

export class FaultySessionBase<Req = unknown> extends Session<Req> {
  constructor(cfg: FaultySessionConfig, request: Req) {
    super(cfg, request);
  }

  /** The faults, read from the config: the base constructor builds the heartbeat before this class's fields exist. */
  protected get faults(): FaultSet {
    return (this.cfg as FaultySessionConfig).faults;
  }

  /** timings-fractional: pingTimeout is advertised and applied with half a millisecond more. */
  private get pingTimeout(): number {
    return this.cfg.pingTimeout + (this.faults.has("timings-fractional") ? 0.5 : 0);
  }

  /** The heartbeat of this session's version (read while the base constructor runs, so a getter). */
  protected get heartbeatKind(): typeof FaultyHeartbeat {
    return FaultyHeartbeat;
  }

  protected override createHeartbeat(): Heartbeat {
    const { clock, pingInterval } = this.cfg;
    return new this.heartbeatKind(clock, this.protocol, pingInterval, this.pingTimeout, this, this.faults);
  }

  protected override createProbe(port: SocketPort): Probe {
    return new FaultyProbe(port, this.probeHost(), this.faults);
  }

  // ---- handshake ----------------------------------------------------------------------------

  override handshake(): Packet {
    const json = JSON.stringify(this.handshakeData());
    return { type: "open", data: this.faults.has("handshake-not-json") ? json.replace(/"(\w+)":/g, "$1:") : json };
  }

  protected override handshakeData(): Record<string, unknown> {
    const f = this.faults;
    const data = super.handshakeData();
    if (this.cfg.transport === "websocket" && f.has("upgrades-wrong-over-websocket")) data.upgrades = ["websocket"];
    if (this.cfg.transport === "polling" && f.has("polling-upgrades-empty")) data.upgrades = [];
    data.pingTimeout = this.pingTimeout;
    if (f.has("max-payload-overstated")) data.maxPayload = this.cfg.maxPayload * 2;
    if (f.has("handshake-timings-as-strings"))
      for (const k of ["pingInterval", "pingTimeout", "maxPayload"]) data[k] = String(data[k]);
    if (f.has("handshake-extra-key")) data.extra = true;
    return f.has("handshake-keys-reordered") ? Object.fromEntries(Object.entries(data).reverse()) : data;
  }

  override openOn(port: SocketPort): void {
    super.openOn(port);
    if (this.faults.has("ws-open-twice")) port.send(this.wire.encodeFrame(this.handshake()));
  }

  // ---- closes ---------------------------------------------------------------------------------

  override close(): void {
    if (this.state !== "open") return;
    const f = this.faults;
    const { clock } = this.cfg;
    if (this.currentTransport === "websocket") {
      const socket = this.socket as (SocketPort & { terminate?(): void }) | null;
      if (f.has("deliver-after-close")) {
        // The close takes effect late; until then the session is open and frames are delivered.
        this.endProbe(wsCloseCode.normal);
        clock.setTimeout(() => {
          this.flushNow();
          this.closeWith("server close", undefined, wsCloseCode.normal);
        }, 50);
        return;
      }
      if (f.has("ws-close-terminates") && socket?.terminate) {
        // Dropped, not closed: no close frame, and frames still held back for the network are lost.
        this.endProbe(wsCloseCode.normal);
        this.socket = null;
        socket.terminate();
        return this.finish("server close");
      }
      if (f.has("server-close-leaves-websocket-open")) return this.closeLeavingWebSocketOpen();
    } else if (this.corked > 0 && f.has("polling-deliver-after-close")) {
      // The close waits for the end of the payload being read, so the records after it are delivered.
      this.endProbe(wsCloseCode.normal);
      clock.setTimeout(() => this.close(), 0);
      return;
    } else if (!this.pendingGet) {
      if (f.has("close-drops-buffer")) this.takeBuffer(Infinity);
      if (f.has("server-close-freed-at-once")) {
        this.endProbe(wsCloseCode.normal);
        return this.finish("server close");
      }
    }
    super.close();
  }

  /** A server close over WebSocket that forgets the WebSocket instead of closing it: the session ends, its WebSocket stays open. */
  protected closeLeavingWebSocketOpen(): void {
    this.endProbe(wsCloseCode.normal);
    this.flushNow();
    this.socket = null;
    this.finish("server close");
  }

  protected override closePackets(reason: CloseReason): Packet[] {
    if (reason === "server close" && this.faults.has("server-close-without-close-packet")) return [noopPacket];
    if (reason === "client close" && this.faults.has("client-close-answers-close-packet")) return [closePacket];
    return super.closePackets(reason);
  }

  protected override endProbe(code: number): void {
    // probe-left-open-on-close: the probe is forgotten without closing its WebSocket.
    if (this.faults.has("probe-left-open-on-close")) this.clearProbe();
    else super.endProbe(code);
  }

  override heartbeatTimedOut(): void {
    if (this.currentTransport === "polling" && !this.pendingGet && this.faults.has("timeout-waits-for-get")) return;
    super.heartbeatTimedOut();
  }

  // ---- polling ------------------------------------------------------------------------------

  override onPoll(res: PollResponder): "served" | "overlap" {
    // An upgraded (or WebSocket) session that a fault lets polling requests reach.
    if (this.state !== "closed" && this.currentTransport === "websocket") {
      res.respond([noopPacket]);
      return "served";
    }
    const served = super.onPoll(res);
    if (served === "served" && this.pendingGet === res && this.faults.has("idle-get-answered-noop")) {
      // Late enough that GETs held for a moment (overlaps, aborts, closes) see nothing of it.
      this.cfg.clock.setTimeout(() => {
        if (this.pendingGet !== res) return;
        this.pendingGet = null;
        res.respond([noopPacket]);
      }, this.cfg.pingInterval / 2);
    }
    return served;
  }

  override onPollAborted(res: PollResponder): void {
    if (this.pendingGet !== res) return;
    const f = this.faults;
    if (!f.has("aborted-get-ignored") && !f.has("aborted-get-closes-late")) return super.onPollAborted(res);
    this.pendingGet = null;
    if (f.has("aborted-get-ignored")) return;
    this.cfg.clock.setTimeout(
      () => this.closeWith("transport error", "pending GET aborted", wsCloseCode.normal),
      this.cfg.pingInterval + this.cfg.pingTimeout,
    );
  }

  override beginPost(): boolean {
    if (this.postActive && this.faults.has("overlapping-post-served")) return true;
    return super.beginPost();
  }

  protected override onOverlap(detail: string): void {
    if (!this.faults.has("no-close-on-overlap")) super.onOverlap(detail);
  }

  protected override deliverBeforeBadRecord(packets: Packet[]): void {
    if (!this.faults.has("payload-all-or-nothing")) super.deliverBeforeBadRecord(packets);
  }

  protected override answerPoll(): void {
    const f = this.faults;
    if (f.has("get-flushed-at-ping-only") && !this.buffer.some((p) => p.type === "ping")) return;
    // held-get-not-woken-by-ping: a ping waits for the next GET instead of answering the held one.
    if (f.has("held-get-not-woken-by-ping") && this.buffer.every((p) => p.type === "ping")) return;
    super.answerPoll();
  }
}
