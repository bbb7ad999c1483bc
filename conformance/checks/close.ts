/**
 * Shared check, family "close": what a client receives when a session ends — the packets still
 * owed and then the close packet over polling, the frames and the close of a WebSocket — and that
 * the sid is gone afterwards (any 4xx; see conformance/checks/sid.ts).
 */
import { fail, show } from "../case.js";
import { decodeBody, type EngineIOv4Packet, type EngineSocket, type PollingSession } from "../client/engine.js";
import { body, rawGet } from "../client/held-get.js";
import { burstOf, closedWithin, texts } from "../client/messages.js";
import { beat, soon } from "../runner/bounds.js";
import type { CaseContext } from "../runner/context.js";
import { refused } from "./gone.js";
import { expectSequence } from "./sequence.js";
import { expectSidGone } from "./sid.js";

/**
 * Polls after a server close with no GET pending: collects every packet up to and including the
 * close packet (at most 5 GETs), then checks the sid is refused.
 */
export async function drainToClose(ctx: CaseContext, session: PollingSession): Promise<EngineIOv4Packet[]> {
  const all: EngineIOv4Packet[] = [];
  for (let n = 0; n < 5; n++) {
    const res = await rawGet(ctx, session);
    if (res.status !== 200) {
      if (refused(res))
        fail("the session was gone before a GET received the close packet", {
          expected: "the buffered packets, then 1",
          observed: `${show(texts(all))}, then ${res.status} ${res.text.slice(0, 80)}`,
        });
      fail(`a GET after the server's close got ${res.status}`, {
        expected: "200, the buffered packets, then 1",
        observed: `${res.status} ${res.text.slice(0, 120)}`,
      });
    }
    const packets = decodeBody(res);
    all.push(...packets);
    const i = packets.findIndex((p) => p.type === "close");
    if (i !== -1) {
      ctx.assert(i === packets.length - 1, "packets follow the close packet in the same payload", {
        expected: "1 last",
        observed: body(res),
      });
      const after = await rawGet(ctx, session);
      if (!refused(after))
        fail(`a GET after the close packet got ${after.status}`, {
          expected: "a 4xx: the session is gone",
          observed: `${after.status} ${after.text.slice(0, 120)}`,
        });
      return all;
    }
  }
  fail("no GET received the close packet after the server closed the session", {
    expected: "1 within 5 GETs",
    observed: show(all.map((p) => p.type)),
  });
}

/** Sends `1` on a WebSocket and judges: closed at once (pass), else a warning, as the spec's note says. */
export async function closeOverWebSocket(ctx: CaseContext, socket: EngineSocket, sid: string): Promise<void> {
  const { I, T } = beat(ctx);
  socket.send({ type: "close" });
  const closed = await closedWithin(socket, ctx.scale(soon(ctx)) + ctx.grace(soon(ctx)));
  if (closed) {
    ctx.info(`close code ${closed.code}`);
    await expectSidGone(ctx, sid, "the client's close packet", "websocket");
    return;
  }
  ctx.softFail("the session outlived a close packet sent over WebSocket", {
    expected: "the WebSocket closed and the sid gone",
    observed: `still open after ${soon(ctx)} ms`,
  });
  const later = await closedWithin(socket, ctx.scale(I + T) + ctx.grace(I + T));
  ctx.note(
    later
      ? `the WebSocket closed later with code ${later.code}, by the heartbeat`
      : "the WebSocket was still open after a full heartbeat period",
  );
}

/** Sends a burst then `sockspec:close` on a WebSocket and checks the frames and the close. */
export async function serverCloseOverWebSocket(ctx: CaseContext, socket: EngineSocket, sid: string): Promise<void> {
  socket.send({ type: "message", data: "sockspec:burst:3" });
  socket.send({ type: "message", data: "sockspec:close" });
  const closed = await closedWithin(socket, ctx.answerTimeoutMs);
  if (!closed)
    fail("the server did not close the WebSocket after sockspec:close", {
      expected: "a close frame",
      observed: "still open",
    });
  // 1006 is no code a peer sends: it means the connection ended without a close frame.
  if (closed.code === 1006)
    fail("the server dropped the connection instead of closing the WebSocket with a close frame", {
      expected: "a close frame",
      observed: "connection closed without one (1006)",
    });
  const frames = socket.ws.drain().filter((f) => f !== "2");
  const closePacket = frames[frames.length - 1] === "1";
  await expectSequence(
    ctx,
    closePacket ? frames.slice(0, -1).map(String) : frames.map(String),
    burstOf(3).map((m) => `4${m}`),
    "the frames before the close",
  );
  ctx.info(`close code ${closed.code}${closePacket ? ", after the close packet 1" : ", no close packet"}`);
  await expectSidGone(ctx, sid, "the server's close", "websocket");
}
