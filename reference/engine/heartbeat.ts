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

/** What the heartbeat asks of its session. */
export interface HeartbeatHooks {
  heartbeatPing(): void;
  heartbeatPong(data: string | undefined): void;
  heartbeatTimedOut(): void;
}

export class Heartbeat {
  protected timer: TimerHandle | undefined;
  private awaitingPong = false;
  private stopped = false;

  constructor(
    protected readonly clock: Clock,
    protected readonly protocol: 3 | 4,
    protected readonly pingInterval: number,
    protected readonly pingTimeout: number,
    private readonly hooks: HeartbeatHooks,
  ) {}

  /** Arms the first timer; called once, at the open. */
  start(): void {
    if (this.protocol === 3) return this.armV3Deadline();
    this.schedulePing(this.pingInterval);
  }

  /** A pong arrived from the client: the next ping is due pingInterval from now (EIO4-HEARTBEAT-03). */
  onPong(): void {
    if (this.protocol === 3 || !this.awaitingPong || this.stopped) return;
    this.awaitingPong = false;
    this.schedulePing(this.pingInterval);
  }

  /** Whether a ping awaits its pong (v4). */
  get awaiting(): boolean {
    return this.awaitingPong && !this.stopped;
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

  protected schedulePing(delay: number): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.firePing(), delay);
  }

  /** The ping is due: the client has pingTimeout to answer it (EIO4-HEARTBEAT-04). */
  protected firePing(): void {
    if (this.stopped) return;
    this.awaitingPong = true;
    this.timer = this.clock.setTimeout(() => this.expire(), this.pingTimeout);
    this.sendPing();
  }

  /** Hands the ping to the session's send buffer. */
  protected sendPing(): void {
    this.hooks.heartbeatPing();
  }

  private armV3Deadline(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.expire(), this.pingInterval + this.pingTimeout);
  }

  protected expire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.hooks.heartbeatTimedOut();
  }
}
