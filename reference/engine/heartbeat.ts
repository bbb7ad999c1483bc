/**
 * The heartbeat timers of one session, without I/O.
 *
 * v4: the server pings. The first ping goes out pingInterval after the open; an unanswered ping
 * ends the session pingTimeout later; the next ping goes out pingInterval after the pong. Only a
 * pong counts as liveness: messages do not move the timers, and an unsolicited pong is ignored.
 *
 * v3: the client pings. The server answers each ping with a pong carrying the ping's data, and
 * ends the session when no ping arrived for pingInterval + pingTimeout.
 */
import type { Clock, TimerHandle } from "./clock.js";
import type { FaultSet } from "./faults.js";

/** What the heartbeat asks of its session. */
export interface HeartbeatHooks {
  heartbeatPing(): void;
  heartbeatPong(data: string | undefined): void;
  heartbeatTimedOut(): void;
}

export class Heartbeat {
  private timer: TimerHandle | undefined;
  private awaitingPong = false;
  private stopped = false;
  /** clock.now() when the last ping went out (read only by the next-ping-from-ping fault). */
  private pingAt = 0;
  /** Whether any pong arrived (read only by the timeout-only-before-first-pong fault). */
  private ponged = false;

  constructor(
    private readonly clock: Clock,
    private readonly protocol: 3 | 4,
    private readonly pingInterval: number,
    private readonly pingTimeout: number,
    private readonly faults: FaultSet,
    private readonly hooks: HeartbeatHooks,
  ) {}

  /** Arms the first timer; called once, at the open. */
  start(): void {
    if (this.protocol === 3) return this.armV3Deadline();
    const first = this.faults.has("first-ping-early") ? this.pingInterval / 2 : this.pingInterval;
    this.schedulePing(first);
  }

  /** A pong arrived from the client. */
  onPong(): void {
    if (this.protocol === 3 || !this.awaitingPong || this.stopped) return;
    if (this.faults.has("pong-ignored")) return;
    this.awaitingPong = false;
    this.ponged = true;
    // The next-ping-from-ping fault counts the interval from the ping instead of from this pong.
    const since = this.faults.has("next-ping-from-ping") ? this.clock.now() - this.pingAt : 0;
    this.schedulePing(Math.max(0, this.pingInterval - since));
  }

  /** Whether a ping awaits its pong (v4). */
  get awaiting(): boolean {
    return this.awaitingPong && !this.stopped;
  }

  /** For the messages-as-liveness fault only: the pingTimeout of the awaited ping starts again now. */
  postponeTimeout(): void {
    if (!this.awaiting) return;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.expire(), this.pingTimeout);
  }

  /** A ping arrived from the client (v3 only; a v4 session treats it as a protocol violation). */
  onPing(data: string | undefined): void {
    if (this.stopped) return;
    this.hooks.heartbeatPong(data);
    if (this.protocol === 3) this.armV3Deadline();
  }

  /** Cancels every timer; the heartbeat does nothing afterwards. */
  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedulePing(delay: number): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.firePing(), delay);
  }

  private firePing(): void {
    if (this.stopped) return;
    this.awaitingPong = true;
    this.pingAt = this.clock.now();
    const timed = !(this.ponged && this.faults.has("timeout-only-before-first-pong"));
    if (timed)
      this.timer = this.clock.setTimeout(
        () => this.expire(),
        this.faults.has("ping-timeout-late") ? 2 * this.pingTimeout : this.pingTimeout,
      );
    if (!this.faults.has("ping-never-sent")) this.hooks.heartbeatPing();
  }

  private armV3Deadline(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.expire(), this.pingInterval + this.pingTimeout);
  }

  private expire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.hooks.heartbeatTimedOut();
  }
}
