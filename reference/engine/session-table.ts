/**
 * The live sessions of a server, by sid. A session leaves the table when it ends, so that its
 * sid is refused from then on (EIO4-CLOSE-07, EIO4-ERROR-05). New sids are random and never
 * those of a live session (EIO4-HANDSHAKE-07, EIO4-HANDSHAKE-15).
 */
import type { CloseReason, HandshakeRequest } from "./connection.js";
import { randomId } from "./ids.js";
import type { Session } from "./session.js";

export type LiveSession = Session<HandshakeRequest>;

export class SessionTable {
  private readonly live = new Map<string, LiveSession>();
  /** The "close" listener of every session (called with the session as `this`): one function, not a closure per session. */
  private readonly onSessionClose: (this: LiveSession, reason: CloseReason) => void;

  constructor() {
    const table = this;
    this.onSessionClose = function (reason) {
      table.onEnded(this, reason);
    };
  }

  /** Number of live sessions. */
  get size(): number {
    return this.live.size;
  }

  /** The live session of `sid`, if any. */
  get(sid: string): LiveSession | undefined {
    return this.live.get(sid);
  }

  /** Whether `sid` names a live session. */
  has(sid: string): boolean {
    return this.live.has(sid);
  }

  /** Every live session, as a list (safe to end them while walking it). */
  all(): LiveSession[] {
    return [...this.live.values()];
  }

  /** Keeps `session` until it ends. */
  add(session: LiveSession): void {
    session.on("close", this.onSessionClose);
    this.live.set(session.id, session);
  }

  /** Forgets every session (the server shuts down). */
  clear(): void {
    this.live.clear();
  }

  /** A session ended: its sid is free, and refused from now on. */
  protected onEnded(session: LiveSession, _reason: CloseReason): void {
    this.live.delete(session.id);
  }

  /** A fresh sid: 15 random bytes as 20 characters of URL-safe base64; 120 bits make a collision all but impossible, the loop impossible among live ones. */
  freshId(): string {
    let id = randomId();
    while (this.live.has(id)) id = randomId();
    return id;
  }
}
