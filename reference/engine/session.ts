/**
 * The Engine.IO session core: handshake data, heartbeat, send buffer, upgrade state machine and
 * close, with no I/O. Transport bindings (node/) feed it requests and frames through small ports
 * (ports.ts); time comes from an injected Clock. Its jobs are layered one file each: state and
 * lifecycle (session-base.ts), sending (session-output.ts), receiving (session-input.ts), the
 * upgrade (session-upgrade.ts); this file adds the handshake and the EngineConnection surface
 * that the layer above uses.
 */
import type { CloseReason } from "./connection.js";
import { wsCloseCode, type SocketPort } from "./ports.js";
import { SessionUpgrade } from "./session-upgrade.js";
import type { Packet } from "./wire.js";

export {
  NOOP_REPEAT_MS,
  type PostOutcome,
  type SessionConfig,
  type SessionState,
  type UpgradeStatus,
} from "./session-config.js";

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
export class Session<Req = unknown> extends SessionUpgrade<Req> {
  /** The open packet: the handshake data as JSON (EIO4-HANDSHAKE-02). */
  handshake(): Packet {
    return { type: "open", data: JSON.stringify(this.handshakeData()) };
  }

  /** The handshake data, in the key order the spec gives (EIO4-HANDSHAKE-03). */
  protected handshakeData(): Record<string, unknown> {
    return {
      sid: this.id,
      // Only a polling session has somewhere to upgrade to (EIO4-HANDSHAKE-05).
      upgrades: this.cfg.transport === "polling" ? this.cfg.upgrades : [],
      pingInterval: this.cfg.pingInterval,
      pingTimeout: this.cfg.pingTimeout,
      maxPayload: this.cfg.maxPayload,
    };
  }

  /** A session opened over WebSocket: the socket becomes its transport and gets the open packet. */
  openOn(port: SocketPort): void {
    this.socket = port;
    port.send(this.wire.encodeFrame(this.handshake()));
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
      // Even when called from a message listener (output held back), what was sent goes out first.
      this.flushNow();
      this.closeWith("server close", undefined, wsCloseCode.normal);
      return;
    }
    if (this.pendingGet) {
      const packets = this.takeBuffer(Infinity);
      this.closeWithPackets(
        "server close",
        undefined,
        [...packets, ...this.closePackets("server close")],
        wsCloseCode.normal,
      );
      return;
    }
    // No GET to carry the close: it waits for the next one, at most closeTimeout (EIO4-CLOSE-05).
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
    this.closeWith("ping timeout", "no pong within pingTimeout", wsCloseCode.normal);
  }

  // ---- server -----------------------------------------------------------------------------

  /** The server shuts down: everything ends now. */
  forceClose(): void {
    this.closeWith("forced server close", undefined, wsCloseCode.goingAway);
  }
}
