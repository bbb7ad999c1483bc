/**
 * The steps of the sio4 chapters: open a Socket.IO v4 session (closed when the case ends), and
 * judge from outside whether its Engine.IO v3 session ended or stays open after something the
 * client sent.
 */
import { fail } from "../case.js";
import { V4Session } from "../client/v3-socketio.js";
import type { CaseContext } from "../runner/context.js";
import { v3Soon } from "./v3-session.js";

/** Opens a Socket.IO v4 session at --path (WebSocket unless `transport` says polling). */
export async function openV4(ctx: CaseContext, transport: "websocket" | "polling" = "websocket"): Promise<V4Session> {
  const io = await V4Session.open(ctx.eio3(ctx.config.path), {
    transport,
    pingIntervalMs: ctx.handshake.pingInterval,
    timeoutMs: ctx.answerTimeoutMs,
  });
  ctx.defer(() => io.close());
  return io;
}

/** {@link openV4} over WebSocket, then the server's CONNECT for `/` (a precondition, SIO4-CONNECT-02). */
export async function joinedV4(ctx: CaseContext): Promise<V4Session> {
  const io = await openV4(ctx);
  await io.rootJoined();
  return io;
}

/** Resolves with the session's end within `ms`, or undefined. */
async function endedWithin(io: V4Session, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  try {
    return await Promise.race([io.ended, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fails the case with `why` unless the session ends soon. */
export async function expectV4Ended(ctx: CaseContext, io: V4Session, why: string): Promise<void> {
  const ms = v3Soon(ctx);
  const ended = await endedWithin(io, ms);
  if (ended === undefined)
    fail(`${why}, but the session is still open after ${ms} ms`, {
      expected: "the Engine.IO session closed",
      observed: "still open",
    });
  ctx.note(`the session ended: ${ended}`);
}

/** Fails the case with `why` when the session ends soon (its pings keep it alive otherwise). */
export async function expectV4Open(ctx: CaseContext, io: V4Session, why: string): Promise<void> {
  const ended = await endedWithin(io, v3Soon(ctx));
  if (ended !== undefined) fail(`${why}, but the session ended (${ended})`, { expected: "open", observed: ended });
}
