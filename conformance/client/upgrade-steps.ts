/**
 * The steps of an upgrade that the UPGRADE, HEARTBEAT, CLOSE and DROP cases share, finer than
 * `EngineClient.upgrade`: the probe alone, the probe with a GET held on a connection opened
 * beforehand (so the GET is surely pending at `2probe`), and a whole upgrade that keeps the
 * heartbeat running. What they need from the server (the probe answered, the pending GET
 * released) is a precondition: a case that does not check that rule is blocked, not failed.
 */
import { performance } from "node:perf_hooks";
import { needs, unmet, show } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { soon } from "../runner/bounds.js";
import type { CaseContext } from "../runner/context.js";
import { decodeBody, type EngineClient, type EngineSocket, type PollingSession } from "./engine.js";
import { heldGet } from "./held-get.js";
import type { HttpResponse } from "./http.js";

/**
 * The first half of an upgrade: opens the probe WebSocket of `session` (through `engine`,
 * default the direct one), sends `2probe` and needs the answer `3probe`.
 */
export async function startProbe(
  ctx: CaseContext,
  session: PollingSession,
  engine: EngineClient = ctx.engine,
): Promise<EngineSocket> {
  const socket = await engine.openWebSocket({ sid: session.sid });
  socket.send({ type: "ping", data: "probe" });
  await expectProbeAnswer(socket);
  return socket;
}

/** Needs the next frame of a probe WebSocket to be `3probe` (a precondition, EIO4-UPGRADE-02). */
export async function expectProbeAnswer(socket: EngineSocket): Promise<void> {
  const answer = await needs(P.probeAnswered, () => socket.nextPacket({ what: "the 3probe answer to 2probe" }));
  if (answer.type !== "pong" || answer.data !== "probe")
    unmet(P.probeAnswered, "the probe was not answered with 3probe", { expected: "3probe", observed: show(answer) });
}

/** Opens the probe WebSocket with a GET held, sends `2probe`; returns the socket, the held GET and when the probe left. */
export async function probeWithHeldGet(
  ctx: CaseContext,
  session: PollingSession,
  engine: EngineClient = ctx.engine,
): Promise<{ socket: EngineSocket; held: Promise<HttpResponse>; sent: number }> {
  const socket = await engine.openWebSocket({ sid: session.sid });
  const held = (await heldGet(ctx, session)).response;
  const sent = performance.now();
  socket.send({ type: "ping", data: "probe" });
  return { socket, held, sent };
}

/**
 * An upgrade the way a client does it, with the heartbeat kept: a GET held, the probe, `3probe`,
 * the held GET released (a noop, or a ping that fell due: answered by POST before `5`), then
 * `5`. The release is needed soon (see runner/bounds.ts): its 100 ms deadline is judged only by
 * the cases of EIO4-UPGRADE-03. Returns the socket and when a pong was sent during the upgrade.
 */
export async function upgradeKeepingHeartbeat(
  ctx: CaseContext,
  session: PollingSession,
  engine: EngineClient = ctx.engine,
): Promise<{ socket: EngineSocket; pongAt: number | undefined }> {
  const { socket, held, sent } = await probeWithHeldGet(ctx, session, engine);
  await expectProbeAnswer(socket);
  const { value: res } = await needs(P.pendingGetReleased, () =>
    ctx.within(held, { latest: soon(ctx), what: "the release of the GET pending during the upgrade", since: sent }),
  );
  const types = res.status === 200 ? decodeBody(res).map((p) => p.type) : [];
  if (types.length === 0 || !types.every((t) => t === "noop" || t === "ping"))
    unmet(P.pendingGetReleased, "the GET pending during the upgrade was not answered with a noop", {
      expected: "200 6",
      observed: `${res.status} ${res.text.slice(0, 120)}`,
    });
  let pongAt: number | undefined;
  if (types.includes("ping")) {
    ctx.note("a ping fell due during the upgrade and came on the pending GET: answered by POST before 5");
    pongAt = performance.now();
    await session.post("3");
  }
  socket.send({ type: "upgrade" });
  return { socket, pongAt };
}
