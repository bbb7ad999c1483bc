/**
 * session-not-freed-after-timeout: a polling session ended by the ping timeout stays in the
 * table, so its sid keeps being served (a GET gets a noop, SessionInput.onPoll) instead of refused.
 * A WebSocket session kept in the table would look, from outside, like one alive: only polling
 * sessions are kept.
 */
import type { CloseReason } from "../../engine/connection.js";
import { type LiveSession, SessionTable } from "../../engine/session-table.js";

export class TableKeepingTimedOut extends SessionTable {
  protected override onEnded(session: LiveSession, reason: CloseReason): void {
    if (reason === "ping timeout" && session.transport === "polling") return;
    super.onEnded(session, reason);
  }
}
