/**
 * Connection-state recovery for one namespace, the way the official server does it: every
 * EVENT the server sends without asking for an ack gets an offset (a string) appended as its
 * last argument and is kept in a log; a socket that drops for a recoverable reason leaves a
 * session behind, keyed by its private id (pid). A client that CONNECTs again within
 * maxDisconnectionDuration with `{"pid":..,"offset":..}` in its auth gets its old sid back and
 * every logged packet after that offset meant for it.
 */
import type { Clock } from "../engine/clock.js";

/** What a dropped socket leaves behind. */
interface StoredSession {
  sid: string;
  pid: string;
  disconnectedAt: number;
}

/** One logged EVENT payload (the offset is already its last element). */
interface LoggedPacket {
  offset: string;
  /** The sid the packet was sent to, or undefined for a broadcast to the whole namespace. */
  target: string | undefined;
  data: unknown[];
  emittedAt: number;
}

/** What a successful restore hands back to the namespace. */
export interface RestoredSession {
  sid: string;
  pid: string;
  /** EVENT payloads the client missed, oldest first. */
  missed: unknown[][];
}

/** Disconnect reasons after which the official server keeps the session (the client did not mean to leave). */
export const RECOVERABLE_REASONS: ReadonlySet<string> = new Set([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "server shutting down",
  "forced server close",
]);

/** The session store and packet log of one namespace. */
export class RecoveryStore {
  private readonly sessions = new Map<string, StoredSession>();
  private readonly log: LoggedPacket[] = [];
  private seq = 0;
  // A per-store prefix keeps offsets of two server runs from matching each other.
  private readonly prefix = Math.floor(Math.random() * 0x7fffffff).toString(36);

  constructor(
    private readonly clock: Clock,
    private readonly maxDisconnectionDuration: number,
  ) {}

  /** Append an offset to `data` (an EVENT payload: name then arguments), log it, and return the offset. */
  record(data: unknown[], target: string | undefined): string {
    this.expire();
    const offset = `${this.prefix}-${(this.seq++).toString(36)}`;
    data.push(offset);
    this.log.push({ offset, target, data, emittedAt: this.clock.now() });
    return offset;
  }

  /** Keep the session of a socket that dropped. */
  persist(sid: string, pid: string): void {
    this.expire();
    this.sessions.set(pid, { sid, pid, disconnectedAt: this.clock.now() });
  }

  /**
   * The session for `pid` with the packets after `offset`, or undefined when the session is
   * unknown, expired, or the offset is no longer (or never was) in the log. A session is
   * restored at most once.
   */
  restore(pid: string, offset: string): RestoredSession | undefined {
    this.expire();
    const session = this.sessions.get(pid);
    if (!session) return undefined;
    const index = this.log.findIndex((p) => p.offset === offset);
    if (index === -1) return undefined;
    this.sessions.delete(pid);
    const missed: unknown[][] = [];
    for (let i = index + 1; i < this.log.length; i++) {
      const p = this.log[i]!;
      if (p.target === undefined || p.target === session.sid) missed.push(p.data.slice());
    }
    return { sid: session.sid, pid: session.pid, missed };
  }

  /** Drop sessions and logged packets older than maxDisconnectionDuration. */
  private expire(): void {
    const threshold = this.clock.now() - this.maxDisconnectionDuration;
    for (const [pid, s] of this.sessions) if (s.disconnectedAt < threshold) this.sessions.delete(pid);
    let drop = 0;
    while (drop < this.log.length && this.log[drop]!.emittedAt < threshold) drop++;
    if (drop > 0) this.log.splice(0, drop);
  }
}
