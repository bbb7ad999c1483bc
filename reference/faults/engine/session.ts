/**
 * The session faults: a FaultySession overrides the protected hooks of the session core to
 * break one rule each. The handshake, the closes and polling are in session-base.ts; here are
 * the WebSocket, the packets from the client and the upgrade. Mutant servers build their
 * sessions here (the `session` seam).
 */
import { wsCloseCode, type SocketPort } from "../../engine/ports.js";
import type { Probe } from "../../engine/probe.js";
import { closePacket, noopPacket, type PacketOutcome } from "../../engine/session-base.js";
import type { Packet } from "../../engine/wire.js";
import type { FaultyHeartbeat } from "./heartbeat.js";
import { FaultySessionBase, type FaultySessionConfig } from "./session-base.js";

export type { FaultySessionConfig };

/** `socket`, with every frame rewritten by `rewrite` on its way out. */
export function rewritingFrames(
  socket: SocketPort,
  rewrite: (frame: string | Uint8Array) => string | Uint8Array,
): SocketPort {
  return {
    send: (frame) => socket.send(rewrite(frame)),
    close: (code) => socket.close(code),
    bufferedAmount: () => socket.bufferedAmount?.() ?? 0,
    flush: () => socket.flush?.(),
  };
}

/** ws-frame-separator-appended: a 0x1E after every text frame. */
const appendSeparator = (frame: string | Uint8Array) => (typeof frame === "string" ? `${frame}\x1e` : frame);

export class FaultySession<Req = unknown> extends FaultySessionBase<Req> {
  /** Whether a probe was ever begun (probe-slot-not-freed). */
  private probeTried = false;

  // ---- WebSocket ----------------------------------------------------------------------------

  protected override flushNow(): void {
    // packets-on-probe-before-upgrade: an open probe is written to as if it were already the transport.
    const probe = this.probe;
    if (probe && this.currentTransport === "polling" && this.faults.has("packets-on-probe-before-upgrade")) {
      if (this.state !== "closed" && this.buffer.length > 0) this.writeFrames(probe.port);
      return;
    }
    super.flushNow();
  }

  protected override writeFrames(socket: SocketPort): void {
    super.writeFrames(
      this.faults.has("ws-frame-separator-appended") ? rewritingFrames(socket, appendSeparator) : socket,
    );
  }

  protected override decodeFrame(frame: string | Uint8Array): Packet[] {
    if (typeof frame === "string" && frame.includes("\x1e") && this.faults.has("ws-frame-split-on-separator"))
      return this.wire.decodePayload(frame);
    return super.decodeFrame(frame);
  }

  protected override onBadFrame(port: SocketPort, e: unknown): void {
    if (!this.faults.has("ws-invalid-frame-closes-socket-only")) return super.onBadFrame(port, e);
    this.socket = null;
    port.close(wsCloseCode.protocolError);
  }

  /** second-websocket-takes-over: `port` replaces the session's WebSocket, which is closed. */
  takeOver(port: SocketPort): void {
    const old = this.socket;
    this.socket = port;
    old?.close(wsCloseCode.normal);
  }

  override onSocketClosed(port: SocketPort, failed: boolean, detail?: string): void {
    if (this.probe?.port !== port && port === this.socket && this.faults.has("ws-close-keeps-session")) {
      this.socket = null;
      return;
    }
    super.onSocketClosed(port, failed, detail);
  }

  // ---- packets ------------------------------------------------------------------------------

  protected override onPacket(p: Packet): PacketOutcome {
    if (p.type === "noop" && this.faults.has("noop-closes-session"))
      return this.violation("parse error", "noop outside an upgrade");
    return super.onPacket(p);
  }

  protected override onMessage(data: string | Uint8Array): PacketOutcome {
    const f = this.faults;
    if (typeof data === "string" && data.length < 10 && f.has("short-text-keeps-type-digit")) data = `4${data}`;
    if (typeof data === "string" && f.has("utf8-as-latin1")) data = Buffer.from(data, "utf8").toString("latin1");
    if (f.has("messages-as-liveness")) (this.heartbeat as FaultyHeartbeat).postponeTimeout();
    if (data === "" && this.currentTransport === "polling" && f.has("empty-message-dropped")) return "continue";
    return super.onMessage(data);
  }

  protected override onPong(p: Extract<Packet, { type: "pong" }>): PacketOutcome {
    if (this.protocol === 4) {
      if (p.data !== undefined && this.faults.has("pong-data-rejected"))
        return this.violation("parse error", "pong with data");
      if (!this.heartbeat.awaiting && this.faults.has("unsolicited-pong-closes"))
        return this.violation("transport error", "pong with no ping awaiting it");
    }
    return super.onPong(p);
  }

  protected override onPing(p: Extract<Packet, { type: "ping" }>): PacketOutcome {
    if (this.protocol === 3 || !this.faults.has("client-ping-answered")) return super.onPing(p);
    this.heartbeat.onPing(typeof p.data === "string" ? p.data : undefined);
    return "continue";
  }

  protected override onClosePacket(): PacketOutcome {
    const f = this.faults;
    if (this.currentTransport === "websocket" && f.has("client-close-ignored-on-websocket")) return "continue";
    if (this.currentTransport === "polling" && f.has("records-after-close-delivered")) {
      // The close waits for the end of the payload, so the records after it are delivered.
      const close = () => this.closeWithPackets("client close", undefined, [noopPacket], wsCloseCode.normal);
      this.cfg.clock.setTimeout(close, 0);
      return "continue";
    }
    return super.onClosePacket();
  }

  // ---- upgrade ------------------------------------------------------------------------------

  override beginProbe(port: SocketPort): boolean {
    if (this.upgradeStatus() !== "ready") {
      // second-websocket-closes-probe: a refused second WebSocket takes the upgrade in progress down with it.
      if (this.faults.has("second-websocket-closes-probe")) this.closeProbe(wsCloseCode.normal);
      return false;
    }
    if (this.probeTried && this.faults.has("probe-slot-not-freed")) return false;
    this.probeTried = true;
    return super.beginProbe(port);
  }

  protected override onProbeRejected(): void {
    if (!this.faults.has("bad-probe-closes-session")) return super.onProbeRejected();
    this.closeWith("transport error", "wrong frame on the probe", wsCloseCode.protocolError);
  }

  protected override completeUpgrade(probe: Probe): void {
    const f = this.faults;
    if (this.pendingGet && f.has("pending-get-closed-at-upgrade")) {
      const get = this.pendingGet;
      this.pendingGet = null;
      get.respond([closePacket]);
    }
    // heartbeat-stops-at-upgrade: the heartbeat is forgotten with the transport it ran on.
    if (f.has("heartbeat-stops-at-upgrade")) this.heartbeat.stop();
    if (f.has("upgrade-flush-reordered")) this.buffer.reverse();
    super.completeUpgrade(probe);
  }

  protected override onProbeClosed(): void {
    const f = this.faults;
    if (f.has("probe-drop-loses-buffer")) this.takeBuffer(Infinity);
    if (f.has("probe-drop-duplicates-buffer")) for (const p of [...this.buffer]) this.enqueue(p);
    if (f.has("probe-close-ends-session"))
      this.closeWith("transport error", "probe closed before the upgrade", wsCloseCode.normal);
  }
}
