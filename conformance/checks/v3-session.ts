/**
 * Whether an Engine.IO v3 session is still there, told from outside, for the eio3 and sio4
 * chapters: a POST of a noop (`1:6`) is accepted by a live session and refused (4xx) once the
 * session is gone; a WebSocket session is gone when the socket closes or the server sends `1`,
 * and alive while it answers the client's ping.
 */
import { performance } from "node:perf_hooks";
import { fail, needs, show } from "../case.js";
import type { V3PollingSession, V3Socket } from "../client/v3-engine.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";

/** How long a reaction that no timer governs may take (scaled): half a pingInterval, at least 200 ms. */
export function v3Soon(ctx: CaseContext): number {
  return ctx.scale(Math.max(200, ctx.handshake.pingInterval / 2));
}

/** `open` (the noop was accepted), `gone` (refused with a 4xx), or what else came back. */
export async function v3SidState(session: V3PollingSession): Promise<"open" | "gone" | string> {
  const res = await session.post("1:6");
  if (res.status === 200) return "open";
  if (res.status >= 400 && res.status < 500) return "gone";
  return `status ${res.status} ${show(res.text.slice(0, 80))}`;
}

/**
 * Waits until the polling session is gone, asking every few tens of ms, for at most
 * {@link v3Soon}; fails the case with `why` when it is still open then.
 */
export async function expectV3Gone(ctx: CaseContext, session: V3PollingSession, why: string): Promise<void> {
  const until = performance.now() + v3Soon(ctx);
  let state = "";
  do {
    state = await v3SidState(session);
    if (state === "gone") return;
    await ctx.sleep(25);
  } while (performance.now() < until);
  fail(`${why}, but the session is still there`, {
    expected: "the session closed: its sid refused with a 4xx",
    observed: state === "open" ? "a noop POST was accepted with 200" : state,
  });
}

/** Fails the case when the session is gone (a noop POST refused), with `why`. */
export async function expectV3Open(session: V3PollingSession, why: string): Promise<void> {
  const state = await v3SidState(session);
  if (state !== "open")
    fail(`${why}, but the session ended`, {
      expected: "a noop POST accepted with 200",
      observed: state === "gone" ? "refused with a 4xx" : state,
    });
}

/**
 * Waits until the WebSocket session ends (the socket closes, or a close packet comes), for at most
 * {@link v3Soon}; pongs and other frames on the way are skipped. Fails with `why` otherwise.
 */
export async function expectV3SocketGone(ctx: CaseContext, socket: V3Socket, why: string): Promise<void> {
  const timeoutMs = v3Soon(ctx);
  const closed = socket.ws.closed.then(() => true);
  const closePacket = socket
    .nextPacketMatching((p) => p.type === "close", { timeoutMs, what: "a close packet" })
    .then(
      () => true,
      () => false,
    );
  const timer = new Promise<false>((r) => setTimeout(() => r(false), timeoutMs).unref());
  if (await Promise.race([closed, closePacket, timer])) return;
  fail(`${why}, but the WebSocket session is still open after ${timeoutMs} ms`, {
    expected: "the WebSocket closed (or a close packet)",
    observed: "still open",
  });
}

/** Sends a ping on a v3 WebSocket and waits for its pong (a precondition); returns when the ping left. */
export async function v3SocketPing(socket: V3Socket): Promise<number> {
  const sent = performance.now();
  socket.send({ type: "ping" });
  await needs(P.v3PingAnswered, () => socket.nextPacketMatching((p) => p.type === "pong", { what: "the pong" }));
  return sent;
}

/** Sends a ping on the WebSocket and fails with `why` unless a pong comes back: the session is alive. */
export async function expectV3SocketAlive(ctx: CaseContext, socket: V3Socket, why: string): Promise<void> {
  socket.send({ type: "ping", data: "alive" });
  try {
    await socket.nextPacketMatching((p) => p.type === "pong", {
      timeoutMs: v3Soon(ctx),
      what: "the pong to a ping",
    });
  } catch {
    fail(`${why}, but the session no longer answers a ping`, { expected: "a pong", observed: "none" });
  }
}
