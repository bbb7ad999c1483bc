/**
 * The session faults of the version 3 path: a FaultyV3Session is the session of an `EIO=3`
 * handshake on a mutant server. It overrides the hooks of the session core where version 3
 * differs from version 4: the open packet's keys, the pong to the client's ping, the heartbeat
 * deadline, the close, the `1:6` of the probe, the binary frames after the upgrade.
 */
import type { SocketPort } from "../../engine/ports.js";
import { noopPacket, type PacketOutcome } from "../../engine/session-base.js";
import type { CloseReason } from "../../engine/connection.js";
import type { Packet } from "../../engine/wire.js";
import { FaultySession, type FaultySessionConfig, rewritingFrames } from "./session.js";
import { FaultyV3Heartbeat } from "./v3-heartbeat.js";

/** v3-upgraded-binary-untyped: the leading type byte of every binary frame dropped. */
const dropTypeByte = (frame: string | Uint8Array) => (typeof frame === "string" ? frame : frame.subarray(1));

export class FaultyV3Session<Req = unknown> extends FaultySession<Req> {
  constructor(cfg: FaultySessionConfig, request: Req) {
    super(cfg, request);
    if (this.faults.has("v3-server-pings") && cfg.transport === "websocket") this.pingNow();
  }

  /** v3-server-pings: a ping every pingInterval / 2 while the session is open, as if it were v4. */
  private pingNow(): void {
    this.cfg.clock.setTimeout(() => {
      if (this.state !== "open") return;
      this.heartbeatPing();
      this.pingNow();
    }, this.cfg.pingInterval / 2);
  }

  protected override get heartbeatKind(): typeof FaultyV3Heartbeat {
    return FaultyV3Heartbeat;
  }

  // ---- handshake ----------------------------------------------------------------------------

  protected override handshakeData(): Record<string, unknown> {
    const f = this.faults;
    const data = super.handshakeData();
    if (f.has("v3-upgrades-not-array")) data.upgrades = (data.upgrades as string[]).join(",");
    if (f.has("v3-max-payload-as-string")) data.maxPayload = String(data.maxPayload ?? this.cfg.maxPayload);
    if (f.has("v3-handshake-extra-key")) data.pingsFrom = "client";
    return data;
  }

  // ---- heartbeat ----------------------------------------------------------------------------

  override heartbeatPong(data: string | undefined): void {
    const f = this.faults;
    if (f.has("v3-ping-unanswered")) return;
    // v3-ping-unanswered-while-probing: a ping over polling while the probe is open goes unanswered.
    if (this.probe && this.currentTransport === "polling" && f.has("v3-ping-unanswered-while-probing")) return;
    super.heartbeatPong(f.has("v3-pong-without-data") ? undefined : data);
  }

  protected override onPong(p: Extract<Packet, { type: "pong" }>): PacketOutcome {
    return this.faults.has("v3-client-pong-ignored") ? "continue" : super.onPong(p);
  }

  protected override onMessage(data: string | Uint8Array): PacketOutcome {
    (this.heartbeat as FaultyV3Heartbeat).onMessage();
    // Not a Socket.IO packet (those start with their type digit): the bare echo's messages only.
    const short = typeof data === "string" && data.length >= 5 && data.length <= 9 && !/^[0-9]/.test(data);
    if (short && this.faults.has("v3-text-keeps-type-digit")) data = `4${data}`;
    return super.onMessage(data);
  }

  protected override closePackets(reason: CloseReason): Packet[] {
    if (reason === "ping timeout" && this.faults.has("v3-held-get-noop-at-timeout")) return [noopPacket];
    if (reason === "client close" && this.faults.has("v3-client-close-empty-answer")) return [];
    return super.closePackets(reason);
  }

  // ---- close --------------------------------------------------------------------------------

  /** Whether the session was opened at the bare Engine.IO endpoint, not under a Socket.IO server. */
  private get bareEngine(): boolean {
    return String((this.request as { url?: string }).url ?? "").startsWith("/engine.io/");
  }

  override close(): void {
    // A close asked by the bare Engine.IO application (the Socket.IO layer closes for its violations).
    const app = this.bareEngine && this.faults.has("v3-server-close-leaves-websocket");
    if (this.state === "open" && this.currentTransport === "websocket" && app) return this.closeLeavingWebSocketOpen();
    super.close();
  }

  override onSocketClosed(port: SocketPort, failed: boolean, detail?: string): void {
    const upgraded = this.cfg.transport === "polling" && port === this.socket && this.probe?.port !== port;
    if (upgraded && !failed && this.faults.has("v3-websocket-close-falls-back")) {
      this.socket = null;
      this.currentTransport = "polling";
      return;
    }
    // v3-websocket-drop-keeps-session: a WebSocket lost without a close frame is forgotten; the timeout ends the session.
    if (upgraded && failed && this.faults.has("v3-websocket-drop-keeps-session")) {
      this.socket = null;
      return;
    }
    super.onSocketClosed(port, failed, detail);
  }

  // ---- upgrade ------------------------------------------------------------------------------

  protected override releasePoll(): void {
    if (!this.faults.has("v3-probe-holds-get")) super.releasePoll();
  }

  protected override writeFrames(socket: SocketPort): void {
    const upgraded = this.cfg.transport === "polling";
    const untyped = upgraded && this.faults.has("v3-upgraded-binary-untyped");
    super.writeFrames(untyped ? rewritingFrames(socket, dropTypeByte) : socket);
  }
}
