/**
 * The heartbeat faults: pings that come early, late, never, or are counted from the wrong
 * moment, and pongs or messages taken the wrong way. A FaultyHeartbeat replaces the session's
 * heartbeat (FaultySession.createHeartbeat).
 */
import type { Clock } from "../../engine/clock.js";
import { Heartbeat, type HeartbeatHooks } from "../../engine/heartbeat.js";
import type { FaultSet } from "./catalogue.js";

export class FaultyHeartbeat extends Heartbeat {
  /** clock.now() when the last ping went out (next-ping-from-ping). */
  private pingAt = 0;
  /** Whether any pong arrived (timeout-only-before-first-pong). */
  private ponged = false;

  constructor(
    clock: Clock,
    protocol: 3 | 4,
    pingInterval: number,
    pingTimeout: number,
    hooks: HeartbeatHooks,
    protected readonly faults: FaultSet,
  ) {
    super(clock, protocol, pingInterval, pingTimeout, hooks);
  }

  override start(): void {
    super.start();
    // first-ping-early: the first ping goes out at pingInterval/2.
    if (this.protocol === 4 && this.faults.has("first-ping-early")) this.schedulePing(this.pingInterval / 2);
  }

  override onPong(): void {
    if (!this.awaiting || this.faults.has("pong-ignored")) return;
    this.ponged = true;
    super.onPong();
    // next-ping-from-ping: the interval counts from the ping, not from this pong.
    if (this.faults.has("next-ping-from-ping"))
      this.schedulePing(Math.max(0, this.pingInterval - (this.clock.now() - this.pingAt)));
  }

  /** messages-as-liveness: the pingTimeout of the awaited ping starts again now. */
  postponeTimeout(): void {
    if (!this.awaiting) return;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.expire(), this.pingTimeout);
  }

  protected override firePing(): void {
    this.pingAt = this.clock.now();
    super.firePing();
    if (!this.awaiting) return;
    // timeout-only-before-first-pong: once a pong came, pings are no longer timed.
    if (this.ponged && this.faults.has("timeout-only-before-first-pong")) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    } else if (this.faults.has("ping-timeout-late")) {
      this.clock.clearTimeout(this.timer);
      this.timer = this.clock.setTimeout(() => this.expire(), 2 * this.pingTimeout);
    }
  }

  protected override sendPing(): void {
    if (!this.faults.has("ping-never-sent")) super.sendPing();
  }
}
