/**
 * The heartbeat faults of the version 3 path, where the client pings and the server only keeps
 * the deadline: a deadline that is too short, one that stops after the first ping, and messages
 * that move it as pings do.
 */
import { FaultyHeartbeat } from "./heartbeat.js";

export class FaultyV3Heartbeat extends FaultyHeartbeat {
  override start(): void {
    super.start();
    this.rearm();
  }

  override onPing(data: string | undefined): void {
    super.onPing(data);
    // v3-timeout-only-before-first-ping: after a ping no deadline runs any more.
    if (this.faults.has("v3-timeout-only-before-first-ping")) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    this.rearm();
  }

  /** v3-messages-keep-alive: a message from the client restarts the deadline, as a ping does. */
  onMessage(): void {
    if (this.faults.has("v3-messages-keep-alive")) this.rearm();
  }

  /** The deadline again from now, if one runs: pingInterval alone under v3-timeout-at-ping-interval. */
  private rearm(): void {
    if (this.timer === undefined) return; // stopped or expired: nothing to move
    const short = this.faults.has("v3-timeout-at-ping-interval");
    if (!short && !this.faults.has("v3-messages-keep-alive")) return;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.expire(), this.pingInterval + (short ? 0 : this.pingTimeout));
  }
}
