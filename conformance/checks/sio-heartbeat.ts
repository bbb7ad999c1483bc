/**
 * The Engine.IO heartbeat under a Socket.IO session, as the Socket.IO cases see it: a session
 * that looks open but stopped pinging, or that closed without ever being pinged, is the
 * heartbeat's failure (a precondition), not the Socket.IO rule the case checks.
 */
import { performance } from "node:perf_hooks";
import { unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import type { SocketIOSession } from "../client/socketio.js";
import { answerPings } from "../client/reading.js";

/**
 * A session that looks open must still be alive: a server that ended it but left its WebSocket
 * open (EIO4-CLOSE-07) stops pinging. When a whole heartbeat passed with no ping, that is the
 * broken precondition, not a session left open.
 */
export function expectStillPinged(s: SocketIOSession): void {
  const { pingInterval, pingTimeout } = s.ctx.handshake;
  const quiet = performance.now() - Math.max(s.lastPingAt, s.openedAt);
  if (
    s.transport === "websocket" &&
    quiet > s.ctx.scale(pingInterval + pingTimeout) + s.ctx.grace(pingInterval + pingTimeout)
  ) {
    unmet(
      P.webSocketClosedAtEnd,
      `the server stopped pinging ${Math.round(quiet)} ms ago but left the WebSocket open`,
      { expected: "a ping every pingInterval, or the WebSocket closed", observed: "an open WebSocket, silent" },
    );
  }
}

/**
 * For a session that should have stayed open: raises the heartbeat's precondition when it was
 * closed without ever being pinged (EIO4-HEARTBEAT-01), which no deadline explains. (A close one
 * heartbeat after the handshake despite the client's pongs cannot be told from the connect
 * deadline: with the official defaults both come 45 s after the handshake.)
 */
export function expectNotHeartbeatClose(ctx: CaseContext, s: SocketIOSession): void {
  if (!s.ending) return;
  if (s.ending.cause) throw s.ending.cause;
  const lived = s.ending.at - s.openedAt;
  if (s.pings === 0 && lived >= ctx.handshake.pingInterval + ctx.grace(ctx.handshake.pingInterval)) {
    unmet(P.firstPing, "the session was closed without ever being pinged", {
      expected: "a ping within pingInterval",
      observed: `closed ${Math.round(lived)} ms after its handshake, never pinged`,
    });
  }
}

/**
 * For a joined session that was closed although its client answered every ping: a heartbeat that
 * ends sessions despite their pongs (EIO4-HEARTBEAT-04) looks, from the Socket.IO side, like a
 * deadline. When the server has a bare Engine.IO endpoint, a witness session there answers its
 * pings for two heartbeats: if it is closed too, the heartbeat is what broke (a precondition).
 * Without that endpoint the two cannot be told apart, and the case judges what it saw.
 */
export async function expectHeartbeatKeepsAlive(ctx: CaseContext): Promise<void> {
  if (!ctx.features.has("engine-echo") || !ctx.features.has("websocket")) return;
  const witness = await ctx.engine.openWebSocket();
  answerPings(witness);
  const { pingInterval, pingTimeout } = witness.handshake!;
  const span = ctx.scale(2 * (pingInterval + pingTimeout));
  const closed = await Promise.race([
    witness.ws.closed.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), span + ctx.grace(span)).unref()),
  ]);
  if (closed)
    unmet(P.pongKeepsAlive, "a bare Engine.IO session that answered every ping was closed too", {
      expected: "open after two heartbeats",
      observed: "closed",
    });
}
