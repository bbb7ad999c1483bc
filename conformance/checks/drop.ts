/**
 * Shared check, family "drop" (operations.md chapter DROP): a client that vanishes — stops
 * ponging, goes half-open behind the black-holing proxy, drops its probe — and what the server
 * must do then: free the sid within the heartbeat bound, or go on over polling with every message
 * delivered once and in order. When the first ping comes is not these cases' rule: they wait for
 * it as a precondition and count their bounds from it or from their own pong.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, fail, needs, show, unmet } from "../case.js";
import { decodeBody, type EngineIOv4Packet, type EngineSocket, type PollingSession } from "../client/engine.js";
import { rawGet } from "../client/held-get.js";
import type { HttpResponse } from "../client/http.js";
import { burstOf, pollTexts, texts } from "../client/messages.js";
import { PollingLoop } from "../client/polling-loop.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { beat, heartbeatDeadline, IMMEDIATE_MS } from "../runner/bounds.js";
import type { CaseContext } from "../runner/context.js";
import { expectStillPolling } from "./upgrade.js";
import { wsPing } from "./heartbeat.js";
import { expectSequence } from "./sequence.js";
import { refused } from "./gone.js";
import { expectNewSession, expectTellable, waitSidGone } from "./sid.js";

/** Waits for the first ping on a WebSocket (a precondition) and answers it; returns when the pong left. */
export async function pongOnce(ctx: CaseContext, socket: EngineSocket, since: number, I: number): Promise<number> {
  await needs(P.firstPing, () => wsPing(ctx, socket, { since, interval: I, what: "the first ping" }));
  socket.send({ type: "pong" });
  return performance.now();
}

/**
 * The polling half of a dropped upgrade: collects every message over polling until `expected`
 * are all in, then checks order and count and that the heartbeat still runs over polling.
 */
export async function pollingGoesOn(
  ctx: CaseContext,
  session: PollingSession,
  before: string[],
  expected: string[],
): Promise<void> {
  await expectSequence(
    ctx,
    await pollTexts(ctx, session, expected.length, "the messages after the dropped probe", before),
    expected,
    "the messages over polling around the dropped probe",
  );
  const { I, T } = beat(ctx, session.handshake);
  const loop = new PollingLoop(ctx, session);
  const ok = await loop.until(() => loop.pongs.length > 0, heartbeatDeadline(ctx, I, T));
  await loop.stop();
  loop.needHeartbeat();
  if (!ok)
    fail(`no ping over polling after the dropped probe (${loop.ended ?? "none came"})`, {
      expected: "the heartbeat goes on over polling",
      observed: "no ping",
    });
  await needs(P.pongKeepsAlive, () => expectStillPolling(ctx, session, "the dropped probe"));
}

/**
 * A WebSocket session whose client vanishes behind the proxy (no FIN, no RST): right after the
 * first ping (`pongFirst` false: the server then waits pingTimeout for a pong), or right after
 * answering it (the server pings again pingInterval later, then waits pingTimeout). The sid must
 * be gone at that bound, not before.
 */
export async function halfOpenWebSocket(ctx: CaseContext, pongFirst: boolean): Promise<void> {
  const { proxy, engine } = await ctx.proxy();
  const socket = await engine.openWebSocket();
  const sid = socket.handshake!.sid;
  const { I, T } = beat(ctx, socket.handshake);
  let t0: number;
  let bound: number;
  if (pongFirst) {
    t0 = await pongOnce(ctx, socket, socket.lastArrival, I);
    bound = I + T;
    // Let the pong through the proxy before the line goes dead.
    await ctx.sleep(ctx.scale(30));
  } else {
    t0 = await needs(P.firstPing, () =>
      wsPing(ctx, socket, { since: socket.lastArrival, interval: I, what: "the first ping" }),
    );
    bound = T;
  }
  await expectTellable(ctx, sid);
  proxy.blackhole();
  ctx.note(`the client vanished ${Math.round(performance.now() - t0)} ms after t0`);
  await waitSidGone(ctx, sid, {
    since: t0,
    earliest: bound,
    latest: bound,
    what: "the end of the half-open WebSocket session",
    on: "websocket",
  });
  await expectNewSession(ctx, sid);
}

/** Opens a session, sends a burst before and during a probe that `drop` ends, and checks polling delivers everything. */
export async function droppedProbe(ctx: CaseContext, drop: (session: PollingSession) => Promise<void>): Promise<void> {
  const session = await ctx.engine.openPolling();
  await session.post("4pre\x1e4sockspec:burst:5");
  const before = await pollTexts(ctx, session, 6, "the burst before the probe");
  await drop(session);
  await session.post("4post\x1e4sockspec:burst:5");
  await pollingGoesOn(ctx, session, before, [...burstOf(5, "pre"), ...burstOf(5, "mid"), ...burstOf(5, "post")]);
}

/**
 * The answer to a GET of a session that went silent, asked once its timeout has passed: the sid
 * refused (a 4xx), or, while the session is still closing, its buffer with the close packet last
 * (the flush EIO4-CLOSE-12 allows); nothing else. `decode` reads a 200 body in the session's
 * protocol version.
 */
export function judgeGetAfterTimeout(
  ctx: CaseContext,
  res: HttpResponse,
  decode: (res: HttpResponse) => readonly EngineIOv4Packet[],
): void {
  if (res.status === 200) {
    const packets = decode(res);
    ctx.assert(packets.at(-1)?.type === "close", "the session was still served after its timeout", {
      expected: "a 4xx, or the buffer then the close packet",
      observed: show(res.text.slice(0, 120)),
    });
    ctx.note(`the buffer was flushed with the close packet: ${show(texts(packets))}`);
  } else
    ctx.assert(refused(res), `a GET after the timeout got ${res.status}`, {
      expected: "a 4xx",
      observed: `${res.status} ${res.text.slice(0, 120)}`,
    });
}

/** The first messages of a session opened after a drop: its own echo, nothing of the old session's buffer. */
export function expectNoOldBuffer(ctx: CaseContext, first: readonly string[]): void {
  ctx.assert(
    !first.some((m) => m.startsWith("burst:")),
    "the buffer of the dropped session was delivered to a new session",
    {
      expected: '["sockspec-fresh"]',
      observed: show(first),
    },
  );
}

/**
 * Waits for the end of a WebSocket session whose client dropped its connection at `since`: at
 * once (a SHOULD, DROP-06: a late end is a warning), and at the latest by the heartbeat bound
 * `latest` (protocol ms from `since`), which a session that outlives its connection must still meet.
 */
export async function expectEndAtOnceElseByHeartbeat(
  ctx: CaseContext,
  sid: string,
  b: { since: number; latest: number; what: string; eio?: 3 | 4 },
): Promise<void> {
  const asked = { since: b.since, on: "websocket" as const, ...(b.eio ? { eio: b.eio } : {}) };
  try {
    await waitSidGone(ctx, sid, { ...asked, latest: IMMEDIATE_MS, what: b.what });
    return;
  } catch (err) {
    if (!(err instanceof CaseOutcome) || err.verdict !== "fail" || err.precondition) throw err;
    ctx.softFail(err.reason, err.details);
  }
  await waitSidGone(ctx, sid, { ...asked, latest: b.latest, what: `${b.what}, by the heartbeat` });
}

/**
 * A control session: a polling client opened beside the case's own, still connected and polling,
 * that answers no ping. When the server's heartbeat ends it is when it ends a silent client; a
 * dropped client must be gone by then too. So the drop cases judge the drop itself, and the
 * length of the heartbeat stays EIO4-HEARTBEAT-04's matter (a precondition here).
 */
export interface Control {
  /** When its first ping arrived (a precondition: P.firstPing). */
  ping: Promise<number>;
  /** When its held GET brought the close packet (or was refused): the server's ping timeout. */
  end: Promise<number>;
}

/** Opens a {@link Control} session now. */
export async function pollingControl(ctx: CaseContext): Promise<Control> {
  const session = await ctx.engine.openPolling();
  const opened = performance.now();
  const { I, T } = beat(ctx, session.handshake);
  let pinged: (at: number) => void = () => undefined;
  const ping = new Promise<number>((r) => (pinged = r));
  const end = (async () => {
    const cap = opened + ctx.scale(I + 2 * T) + ctx.grace(ctx.scale(I + 2 * T)) + ctx.answerTimeoutMs;
    for (let n = 0; n < 20 && performance.now() < cap; n++) {
      const res = await rawGet(ctx, session, cap - performance.now());
      if (res.status !== 200) return performance.now();
      const types = decodeBody(res).map((p) => p.type);
      if (types.includes("ping")) pinged(performance.now());
      if (types.includes("close")) return performance.now();
    }
    return unmet(P.pingTimeoutEnds, "a polling session that answered no ping was not closed", {
      expected: `closed pingTimeout after its ping (${T} ms)`,
      observed: "still served",
    });
  })();
  end.catch(() => undefined);
  const firstPing = Promise.race([
    ping,
    end.then(() =>
      unmet(P.firstPing, "the control session ended before its first ping", { expected: "a ping within pingInterval" }),
    ),
  ]);
  firstPing.catch(() => undefined);
  const pingNeeded = needs(P.firstPing, () => firstPing);
  pingNeeded.catch(() => undefined);
  return { ping: pingNeeded, end };
}

/** A namespace socket as a recovering client keeps it: its namespace, pid and last offset. */
export interface Joined {
  nsp: string;
  pid: string;
  offset: string;
}

/** The Socket.IO packet text of a namespace: `0/custom,` for `/custom`, `0` for `/`. */
function head(type: number, nsp: string): string {
  return nsp === "/" ? String(type) : `${type}${nsp},`;
}

/** The JSON after a packet's head, or undefined. */
function body(text: string, type: number, nsp: string): unknown {
  const h = head(type, nsp);
  if (!text.startsWith(h)) return undefined;
  try {
    return JSON.parse(text.slice(h.length));
  } catch {
    return undefined;
  }
}

/**
 * Polls a Socket.IO session (an Engine.IO polling session at the Socket.IO path) until every
 * namespace in `nsps` answered its CONNECT and sent the echo app's `auth` event; returns the
 * Socket.IO packets by namespace. Pings are answered on the way.
 */
async function pollReplies(
  _ctx: CaseContext,
  session: PollingSession,
  nsps: readonly string[],
  want: (texts: string[], nsp: string) => boolean,
  what: string,
): Promise<string[]> {
  const texts: string[] = [];
  for (let i = 0; i < 20 && !nsps.every((n) => want(texts, n)); i++) {
    const { packets } = await session.get();
    for (const p of packets) {
      if (p.type === "ping") await session.send([{ type: "pong" }]);
      if (p.type === "message" && typeof p.data === "string") texts.push(p.data);
    }
  }
  if (!nsps.every((n) => want(texts, n)))
    unmet(P.namespaceConnects, `${what} did not arrive`, { observed: texts.join(" ") });
  return texts;
}

/**
 * Joins `nsps` on a new Socket.IO session over polling, with recovery on: each CONNECT reply must
 * carry a pid and each `auth` event an offset (preconditions). Returns the session and the sockets.
 */
export async function joinForRecovery(
  ctx: CaseContext,
  nsps: readonly string[],
): Promise<{ session: PollingSession; joined: Joined[] }> {
  const session = await ctx.engineAt(ctx.config.path).openPolling();
  await session.send(nsps.map((n) => ({ type: "message" as const, data: head(0, n) })));
  const texts = await pollReplies(
    ctx,
    session,
    nsps,
    (t, n) => t.some((x) => x.startsWith(head(0, n))) && t.some((x) => x.startsWith(`${head(2, n)}["auth"`)),
    "the CONNECT replies and auth events",
  );
  const joined = nsps.map((nsp) => {
    const reply = texts.map((t) => body(t, 0, nsp)).find((b) => b !== undefined) as { pid?: unknown } | undefined;
    if (typeof reply?.pid !== "string")
      unmet(P.recoveryPid, `the CONNECT reply of ${nsp} carries no pid`, { observed: texts.join(" ") });
    const auth = texts.map((t) => body(t, 2, nsp)).find((b) => Array.isArray(b) && b[0] === "auth") as
      | unknown[]
      | undefined;
    const offset = auth?.[auth.length - 1];
    if (typeof offset !== "string")
      unmet(P.eventOffset, `the auth event of ${nsp} carries no offset`, { observed: texts.join(" ") });
    return { nsp, pid: reply.pid, offset };
  });
  return { session, joined };
}

/** Sends a restoring CONNECT for each lost socket on a new session; returns the pid each reply carries (undefined: none). */
export async function restore(ctx: CaseContext, lost: readonly Joined[]): Promise<Map<string, string | undefined>> {
  const session = await ctx.engineAt(ctx.config.path).openPolling();
  await session.send(
    lost.map((j) => ({
      type: "message" as const,
      data: `${head(0, j.nsp)}${JSON.stringify({ pid: j.pid, offset: j.offset })}`,
    })),
  );
  const nsps = lost.map((j) => j.nsp);
  const texts = await pollReplies(
    ctx,
    session,
    nsps,
    (t, n) => t.some((x) => x.startsWith(head(0, n)) || x.startsWith(head(4, n))),
    "the answers to the restoring CONNECTs",
  );
  return new Map(
    nsps.map((nsp) => {
      const reply = texts.map((t) => body(t, 0, nsp)).find((b) => b !== undefined) as { pid?: unknown } | undefined;
      return [nsp, typeof reply?.pid === "string" ? reply.pid : undefined];
    }),
  );
}
