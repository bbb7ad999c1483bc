/**
 * One upgrade attempt: the probe WebSocket from its opening to the upgrade packet. It answers
 * `2probe` with `3probe`, then asks its session to release the pending poll with a noop at once
 * and every NOOP_REPEAT_MS, and closes itself after upgradeTimeout. It never touches the
 * session's transport: the session switches when told the upgrade packet arrived.
 */
import type { TimerHandle } from "./clock.js";
import type { SocketPort } from "./ports.js";
import { NOOP_REPEAT_MS, type SessionConfig } from "./session-config.js";
import type { Packet, Wire } from "./wire.js";

/** What the probe needs from its session. */
export interface ProbeHost {
  readonly cfg: SessionConfig;
  readonly wire: Wire;
  /** Answer a pending GET with a noop, if one is pending and nothing else is waiting for it. */
  releasePoll(): void;
  /** upgradeTimeout passed without the upgrade packet. */
  probeTimedOut(): void;
}

/** What a frame on the probe socket means for the session. */
export type ProbeVerdict = "probed" | "upgrade" | "reject";

export class Probe {
  private probed = false;
  protected upgradeTimer: TimerHandle | undefined;
  protected noopTimer: TimerHandle | undefined;

  constructor(
    readonly port: SocketPort,
    protected readonly host: ProbeHost,
  ) {
    this.upgradeTimer = host.cfg.clock.setTimeout(() => host.probeTimedOut(), host.cfg.upgradeTimeout);
  }

  /** A frame arrived on the probe socket. Anything but `2probe` then `5` is a reject. */
  onFrame(frame: string | Uint8Array): ProbeVerdict {
    let packet: Packet | undefined;
    try {
      packet = this.host.wire.decodeFrame(frame);
    } catch {
      packet = undefined; // an undecodable frame is one more wrong frame
    }
    if (!this.probed && packet?.type === "ping" && packet.data === "probe") {
      this.probed = true;
      this.answerProbe();
      this.startNoops();
      return "probed";
    }
    if (this.probed && packet?.type === "upgrade") return "upgrade";
    return "reject";
  }

  /** `3probe`: the WebSocket works (EIO4-UPGRADE-02). */
  protected answerProbe(): void {
    this.port.send(this.host.wire.encodeFrame({ type: "pong", data: "probe" }));
  }

  /** The pending GET gets a noop at once and then every NOOP_REPEAT_MS, so the client can pause polling (EIO4-UPGRADE-03). */
  protected startNoops(): void {
    this.repeatNoop();
  }

  /** Cancels both timers; the probe does nothing afterwards. */
  stop(): void {
    this.host.cfg.clock.clearTimeout(this.upgradeTimer);
    this.host.cfg.clock.clearTimeout(this.noopTimer);
    this.upgradeTimer = this.noopTimer = undefined;
  }

  protected repeatNoop(): void {
    this.host.releasePoll();
    this.noopTimer = this.host.cfg.clock.setTimeout(() => this.repeatNoop(), NOOP_REPEAT_MS);
  }
}
