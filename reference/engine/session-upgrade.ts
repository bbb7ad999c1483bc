/**
 * The upgrade, for the session core: a WebSocket that names a polling session becomes its probe
 * (probe.ts answers `2probe` and keeps the client's GET from hanging); at the upgrade packet `5`
 * the pending GET is released with a noop, the WebSocket becomes the transport and the buffer
 * drains on it in order. A probe that fails ends only itself: polling goes on (EIO4-UPGRADE-08,
 * EIO4-UPGRADE-11). The closes of the session's WebSockets are handled here too.
 */
import { wsCloseCode, type SocketPort } from "./ports.js";
import { Probe, type ProbeHost } from "./probe.js";
import { noopPacket } from "./session-base.js";
import type { UpgradeStatus } from "./session-config.js";
import { SessionInput } from "./session-input.js";

export abstract class SessionUpgrade<Req> extends SessionInput<Req> {
  /** Whether a new WebSocket naming this session may start a probe. */
  upgradeStatus(): UpgradeStatus {
    if (this.state !== "open") return "closed";
    if (this.currentTransport === "websocket") return "upgraded";
    return this.probe ? "upgrading" : "ready";
  }

  /** A WebSocket opened for an upgrade; false when no probe may start now (the caller closes it). */
  beginProbe(port: SocketPort): boolean {
    if (this.upgradeStatus() !== "ready") return false;
    this.probe = this.createProbe(port);
    return true;
  }

  /** The probe of `port`. */
  protected createProbe(port: SocketPort): Probe {
    return new Probe(port, this.probeHost());
  }

  /** What a probe needs of this session: its settings and wire, and the two things it asks for. */
  protected probeHost(): ProbeHost {
    return {
      cfg: this.cfg,
      wire: this.wire,
      releasePoll: () => this.releasePoll(),
      probeTimedOut: () => this.closeProbe(wsCloseCode.normal),
    };
  }

  /** A frame arrived on one of this session's WebSockets. */
  onFrame(port: SocketPort, frame: string | Uint8Array): void {
    if (this.probe?.port !== port) return this.onSocketFrame(port, frame);
    const verdict = this.probe.onFrame(frame);
    if (verdict === "upgrade") this.completeUpgrade(this.probe);
    else if (verdict === "reject") this.onProbeRejected();
  }

  /** Anything but the probe and then the upgrade ends that socket only; polling goes on. */
  protected onProbeRejected(): void {
    this.closeProbe(wsCloseCode.protocolError);
  }

  /** Answers a pending GET with a noop while a probe is on, so the client's poll returns. */
  protected releasePoll(): void {
    if (!this.pendingGet || this.buffer.length > 0) return;
    const get = this.pendingGet;
    this.pendingGet = null;
    get.respond([noopPacket]);
  }

  /** The upgrade packet arrived: the probe's WebSocket becomes the transport. */
  protected completeUpgrade(probe: Probe): void {
    this.clearProbe();
    if (this.pendingGet) {
      const get = this.pendingGet;
      this.pendingGet = null;
      get.respond([noopPacket]);
    }
    this.currentTransport = "websocket";
    this.socket = probe.port;
    this.flush();
    this.safeEmit("upgrade");
  }

  /** One of this session's WebSockets closed (cleanly unless `failed`). */
  onSocketClosed(port: SocketPort, failed: boolean, detail?: string): void {
    if (this.probe?.port === port) {
      this.clearProbe();
      this.onProbeClosed();
      return;
    }
    if (port !== this.socket) return;
    this.socket = null;
    this.closeWith(failed ? "transport error" : "client close", detail, wsCloseCode.normal);
  }

  /** A probe closed before `5`: the upgrade failed, the session goes on over polling (EIO4-UPGRADE-11). */
  protected onProbeClosed(): void {}
}
