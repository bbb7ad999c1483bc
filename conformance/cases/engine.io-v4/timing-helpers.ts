/**
 * Helpers of the timing chapters (UPGRADE, HEARTBEAT, CLOSE and operations DROP): the bounds of
 * the heartbeat read from the handshake, the state of a sid seen from outside, a background
 * polling loop that answers pings, the first half of an upgrade (the probe), and comparing the
 * messages that crossed two transports.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, fail, show, type CaseDefinition } from "../../case.js";
import { decodeBody, type EngineClient, type EngineIOv4Packet, type EngineSocket, type PollingSession } from "../../client/engine.js";
import type { HttpClient, HttpResponse } from "../../client/http.js";
import type { CaseContext } from "../../runner/context.js";
import { errorCode } from "../../checks/error.js";
import { nextNonPing } from "../../client/reading.js";

/** The noop deadline of EIO4-UPGRADE-03: a GET pending during a probe is released this soon. */
export const NOOP_MS = 100;

/**
 * Watches the runner's own event loop while a case runs: a timer that fires late means every
 * time the case measured may be late by as much, whoever is to blame.
 */
class StallWatch {
  /** The longest delay seen, in ms. */
  worst = 0;
  private last = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly everyMs = 10) {
    this.timer = setInterval(() => {
      const now = performance.now();
      this.worst = Math.max(this.worst, now - this.last - this.everyMs);
      this.last = now;
    }, everyMs);
    this.timer.unref();
  }

  stop(): number {
    clearInterval(this.timer);
    return Math.round(this.worst);
  }
}

/**
 * Wraps the cases of a timing chapter so that a failure measured while the runner itself was
 * stalled longer than the smallest grace is reported as `error` (the harness could not judge),
 * with both facts in the reason, instead of blaming the server for the runner's own delay.
 */
export function guardStalls(cases: CaseDefinition[]): CaseDefinition[] {
  return cases.map((c) => ({
    ...c,
    async run(ctx: CaseContext) {
      const watch = new StallWatch();
      try {
        await c.run(ctx);
      } catch (err) {
        const stalled = watch.stop();
        // The smallest grace any bound of these chapters gets (the 100 ms noop bound's).
        const limit = ctx.grace(0);
        if (err instanceof CaseOutcome && err.verdict === "fail" && stalled > limit) {
          ctx.note(`the runner stalled ${stalled} ms during the case (more than the ${limit} ms grace)`);
          throw new Error(`the runner itself stalled ${stalled} ms (grace ${limit} ms), so its timing cannot be judged; it saw: ${err.reason}`);
        }
        throw err;
      } finally {
        watch.stop();
      }
    },
  }));
}

/** pingInterval and pingTimeout of a session (its own handshake, else the probe's). */
export function beat(ctx: CaseContext, hs?: { pingInterval: number; pingTimeout: number }): { I: number; T: number } {
  return { I: hs?.pingInterval ?? ctx.handshake.pingInterval, T: hs?.pingTimeout ?? ctx.handshake.pingTimeout };
}

/** The text data of the message packets among `packets`, in order (binary as `<hex>`). */
export function texts(packets: readonly EngineIOv4Packet[]): string[] {
  return packets.filter((p) => p.type === "message").map((p) => (typeof p.data === "string" ? p.data : `<${Buffer.from(p.data ?? new Uint8Array()).toString("hex")}>`));
}

/** `["prefix", "burst:1", .., "burst:n"]`: what the echo server sends for `[prefix, sockspec:burst:n]`. */
export function burstOf(n: number, prefix?: string): string[] {
  return [...(prefix === undefined ? [] : [prefix]), ...Array.from({ length: n }, (_, i) => `burst:${i + 1}`)];
}

/** What a request naming `sid` says about its session. */
export type SidState = "polling" | "websocket" | "gone" | "other";

/**
 * Asks the server about `sid` with a POST of a noop `6`: `200` means a polling session (the
 * noop is harmless), `400` code 3 a session on WebSocket, `400` code 1 no session. The POST is
 * a packet for a polling session, so a case that must send no traffic calls it only after its
 * bound has passed.
 */
export async function sidState(ctx: CaseContext, sid: string, http: HttpClient = ctx.http): Promise<{ state: SidState; res: HttpResponse | undefined }> {
  let res: HttpResponse;
  try {
    res = await http.request({ method: "POST", path: ctx.enginePath, query: { EIO: "4", transport: "polling", sid }, body: "6" });
  } catch (err) {
    if (err instanceof CaseOutcome && err.details.observed?.startsWith("connection error")) return { state: "other", res: undefined };
    throw err;
  }
  if (res.status === 200) return { state: "polling", res };
  if (res.status === 400 && errorCode(res) === 1) return { state: "gone", res };
  if (res.status === 400 && errorCode(res) === 3) return { state: "websocket", res };
  return { state: "other", res };
}

/**
 * Fails unless the sid is gone now: a POST and then a GET with it both get
 * `400 {"code":1,...}` (a server may refuse one and still serve the other from a stale table).
 */
export async function expectSidGone(ctx: CaseContext, sid: string, why: string): Promise<void> {
  const expected = `400 {"code":1,"message":"Session ID unknown"}`;
  const { state, res } = await sidState(ctx, sid);
  if (state !== "gone") fail(`the sid still names a session after ${why}: a POST got ${res ? res.status : "a dropped connection"}`, { expected, observed: res ? `${res.status} ${res.text.slice(0, 120)}` : "connection dropped" });
  const get = await ctx.http.request({ path: ctx.enginePath, query: { EIO: "4", transport: "polling", sid } });
  if (get.status !== 400 || errorCode(get) !== 1) fail(`the sid still names a session after ${why}: a GET got ${get.status}`, { expected, observed: `${get.status} ${get.text.slice(0, 120)}` });
}

/** Fails unless the sid still names a session on `transport` (a POST of a noop tells). */
export async function expectSidAlive(ctx: CaseContext, sid: string, transport: "polling" | "websocket", why: string): Promise<void> {
  const { state, res } = await sidState(ctx, sid);
  if (state !== transport) fail(`the session is not open on ${transport} ${why}`, { expected: transport === "polling" ? "200 ok" : `400 {"code":3,...}`, observed: res ? `${res.status} ${res.text.slice(0, 120)}` : "connection dropped" });
}

/**
 * Waits until requests naming `sid` get code 1 and checks when: not before `earliest`, not after
 * `latest` (protocol ms from `since`), with the context's grace. It probes every 20 ms, so use it
 * only when the probe is no traffic for the session (a WebSocket session: polling requests are
 * refused without touching it) or when the bound is immediate.
 */
export async function waitSidGone(ctx: CaseContext, sid: string, b: { since: number; earliest?: number; latest: number; what: string }): Promise<number> {
  let goneAt = 0;
  const { elapsedMs } = await ctx.within(async (timeoutMs) => {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const { state, res } = await sidState(ctx, sid);
      if (state === "gone") return (goneAt = performance.now());
      if (state === "other") fail(`a request naming the sid got ${res ? `${res.status} ${res.text.slice(0, 80)}` : "a dropped connection"}`, { expected: `200, or 400 code 3 or 1` });
      if (performance.now() > until) fail(`the sid still names a session after ${Math.round(performance.now() - b.since)} ms (${b.what})`, { expected: `400 code 1 within the bound`, observed: `${res!.status} ${res!.text.slice(0, 80)}` });
      await new Promise((r) => setTimeout(r, 20));
    }
  }, { ...b, at: () => goneAt });
  return elapsedMs;
}

/** Opens a new session by polling, proving the server still takes new clients. */
export async function expectNewSession(ctx: CaseContext, oldSid: string): Promise<void> {
  const fresh = await ctx.engine.openPolling();
  ctx.assert(fresh.sid !== oldSid, "a new handshake reused the sid of the ended session", { observed: fresh.sid });
}

/** A raw GET of the session that does not judge the status (the case awaits it later). */
export function rawGet(ctx: CaseContext, session: PollingSession, timeoutMs?: number): Promise<HttpResponse> {
  return ctx.http.request({ path: ctx.enginePath, query: session.query(), ...(timeoutMs ? { timeoutMs: Math.ceil(timeoutMs) } : {}) });
}

/** The body of a response shown on one line. */
export function body(res: HttpResponse): string {
  return show(res.text.slice(0, 200));
}

/**
 * Polls a session in the background the way a client does: a GET always pending, each ping
 * answered with a POST of `3` (unless `pong` is false), every message kept in order. Stops
 * when the session ends or {@link PollingLoop.stop} is called (the GET then in flight is
 * awaited: aborting it would close the session).
 */
export class PollingLoop {
  readonly messages: string[] = [];
  readonly packets: EngineIOv4Packet[] = [];
  /** How the loop ended: undefined while it runs. */
  ended: string | undefined;
  /** performance.now() of each ping received, and of each pong sent. */
  readonly pings: number[] = [];
  readonly pongs: number[] = [];
  private stopping = false;
  private readonly done: Promise<void>;

  constructor(private readonly ctx: CaseContext, private readonly session: PollingSession, private readonly pong = true) {
    this.done = this.run().catch((err: unknown) => {
      this.ended = err instanceof Error ? err.message : String(err);
    });
  }

  /** Stops after the GET in flight is answered; resolves when the loop is idle. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  /** Resolves when `enough()` holds or the loop ends; false when it timed out or ended first. */
  async until(enough: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = performance.now() + timeoutMs;
    while (!enough()) {
      if (this.ended !== undefined || performance.now() > end) return enough();
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  private async run(): Promise<void> {
    for (let n = 0; !this.stopping && n < 1000; n++) {
      const res = await rawGet(this.ctx, this.session);
      if (res.status !== 200) {
        this.ended = `a poll got ${res.status} ${res.text.slice(0, 80)}`;
        return;
      }
      const packets = decodeBody(res);
      this.packets.push(...packets);
      this.messages.push(...texts(packets));
      if (packets.some((p) => p.type === "ping")) {
        this.pings.push(performance.now());
        if (this.pong) {
          this.pongs.push(performance.now());
          await this.session.post("3");
        }
      }
      if (packets.some((p) => p.type === "close")) {
        this.ended = "the server sent the close packet";
        return;
      }
    }
    this.ended = "stopped";
  }
}

/**
 * The first half of an upgrade: opens the probe WebSocket of `session` (through `engine`,
 * default the direct one), sends `2probe` and checks the answer is `3probe`.
 */
export async function startProbe(ctx: CaseContext, session: PollingSession, engine: EngineClient = ctx.engine): Promise<EngineSocket> {
  const socket = await engine.openWebSocket({ sid: session.sid });
  socket.send({ type: "ping", data: "probe" });
  const answer = await socket.nextPacket({ what: "the 3probe answer to 2probe" });
  if (answer.type !== "pong" || answer.data !== "probe") fail("the probe was not answered with 3probe", { expected: "3probe", observed: show(answer) });
  return socket;
}

/** Message texts from a WebSocket until `count` arrived (within `timeoutMs` in all); pings are answered on the way. */
export async function wsMessages(socket: EngineSocket, count: number, what: string, timeoutMs = 5000): Promise<string[]> {
  const out: string[] = [];
  // One deadline for all: pings keep coming, so a per-frame wait alone would never end.
  const deadline = performance.now() + timeoutMs;
  while (out.length < count) {
    const left = deadline - performance.now();
    if (left <= 0) fail(`${what}: ${out.length} of ${count} messages in ${timeoutMs} ms`, { expected: `${count} messages`, observed: show(out) });
    const p = await socket.nextPacket({ what, timeoutMs: left });
    if (p.type === "ping") socket.send({ type: "pong" });
    else out.push(...texts([p]));
  }
  return out;
}

/**
 * Fails unless `got` is exactly `expected`: names the first lost, doubled or misplaced message,
 * which makes a failure across an upgrade readable.
 */
export function expectSequence(ctx: CaseContext, got: readonly string[], expected: readonly string[], what: string): void {
  if (got.length === expected.length && got.every((m, i) => m === expected[i])) {
    ctx.note(`${what}: all ${got.length} messages, once each, in order`);
    return;
  }
  const i = got.findIndex((m, k) => m !== expected[k]);
  const at = i === -1 ? Math.min(got.length, expected.length) : i;
  const lost = expected.length - got.length;
  fail(`${what}: ${got.length} messages instead of ${expected.length}${lost > 0 ? ` (${lost} lost)` : lost < 0 ? ` (${-lost} extra)` : ""}; first difference at #${at + 1}`, {
    expected: show(expected.slice(Math.max(0, at - 2), at + 4)),
    observed: show(got.slice(Math.max(0, at - 2), at + 4)),
  });
}

/** Waits for the WebSocket to close, up to `ms`; returns its close info or undefined. */
export async function closedWithin(socket: EngineSocket, ms: number): Promise<{ code: number; at: number } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([socket.ws.closed.then((c) => ({ code: c.code, at: performance.now() })), new Promise<undefined>((res) => (timer = setTimeout(() => res(undefined), ms)))]);
  clearTimeout(timer);
  return r;
}

/** The request target of a session's polling requests, for raw TCP. */
export function pollTarget(ctx: CaseContext, session: PollingSession): string {
  return `${ctx.enginePath}?${new URLSearchParams(session.query()).toString()}`;
}

/**
 * Sends a GET of the session on a connection opened beforehand, and waits until it has surely
 * reached the server; the returned promise is its answer. A GET that must be pending when
 * something else happens goes this way: no connection setup can delay it behind a later request.
 */
export async function heldGet(ctx: CaseContext, session: PollingSession): Promise<{ response: Promise<HttpResponse> }> {
  const send = await preparedGet(ctx, session);
  const response = send();
  await ctx.sleep(ctx.scale(30));
  return { response };
}

/**
 * Opens a connection now for a GET of the session sent later: `send()` writes it at once (no
 * connection setup) and resolves with its answer. For a GET that must reach the server within a
 * tight window, e.g. right after a ping.
 */
export async function preparedGet(ctx: CaseContext, session: PollingSession): Promise<(timeoutMs?: number) => Promise<HttpResponse>> {
  const tcp = await ctx.tcp();
  // A first request (an unknown sid, refused with code 1) proves the server has taken the
  // connection in, so the real GET is read as soon as it is written.
  tcp.sendRequest("GET", `${ctx.enginePath}?EIO=4&transport=polling&sid=sockspec-warm-up`);
  await tcp.readResponse();
  // A server may close an idle keep-alive connection (Node's default: after 5 s), which long
  // heartbeat settings outlast; the GET then goes on a fresh connection.
  let closed = false;
  void tcp.ended.then(() => (closed = true), () => (closed = true));
  return (timeoutMs?: number) => {
    const response = (async () => {
      let conn = tcp;
      if (closed) {
        ctx.note("the prepared connection was closed by the server while idle; sending on a new one");
        conn = await ctx.tcp();
      }
      conn.sendRequest("GET", pollTarget(ctx, session));
      const r = await conn.readResponse(timeoutMs);
      return { status: r.status, text: r.text, headers: r.headers, bytes: r.body, at: ctx.transcript.now() };
    })();
    response.catch(() => undefined);
    return response;
  };
}

/** Fails unless the polling session still echoes: a POST is echoed back (pings answered on the way). */
export async function expectPollingAlive(ctx: CaseContext, session: PollingSession, why: string): Promise<void> {
  const post = await session.post("4sockspec-alive");
  if (post.status !== 200) fail(`the session did not survive ${why}: a POST got ${post.status}`, { expected: "200 ok", observed: `${post.status} ${post.text.slice(0, 120)}` });
  const got = await pollTexts(ctx, session, 1, `the echo after ${why}`);
  ctx.equal(got[got.length - 1], "sockspec-alive", `the echo after ${why}`);
}

/** Answers with a POST of `3` when a polled body holds a ping, so no case lets its session time out by accident. */
export async function pongIfPinged(session: PollingSession, res: { status: number; text: string }): Promise<boolean> {
  if (res.status !== 200 || !res.text.split("\x1e").includes("2")) return false;
  await session.post("3");
  return true;
}

/**
 * Polls until `count` messages arrived, answering every ping on the way (also in the last
 * answer). Fails when a poll is refused, the session closes, or 50 polls or two answer
 * timeouts do not suffice.
 */
export async function pollTexts(ctx: CaseContext, session: PollingSession, count: number, what: string, first: string[] = []): Promise<string[]> {
  const out = [...first];
  const deadline = performance.now() + 2 * ctx.answerTimeoutMs;
  for (let n = 0; out.length < count; n++) {
    if (n >= 50 || performance.now() > deadline) fail(`${what} did not arrive (${n} polls)`, { expected: `${count} messages`, observed: show(out) });
    const res = await rawGet(ctx, session);
    if (res.status !== 200) fail(`a poll got ${res.status} before ${what} arrived`, { expected: `${count} messages`, observed: `${res.status} ${res.text.slice(0, 100)} after ${show(out)}` });
    const packets = decodeBody(res);
    out.push(...texts(packets));
    if (packets.some((p) => p.type === "close")) fail(`the session closed before ${what} arrived`, { expected: `${count} messages`, observed: show(out) });
    await pongIfPinged(session, res);
  }
  return out;
}

/**
 * A GET during a probe, which must be answered with the noop `6` within `bound` ms of being
 * sent. A GET answered with a ping that fell due instead is ponged and sent again (up to 3 times).
 */
export async function expectNoopPoll(ctx: CaseContext, session: PollingSession, bound: number, what: string): Promise<void> {
  for (let n = 0; n < 3; n++) {
    const sent = performance.now();
    const { value: res } = await ctx.within(rawGet(ctx, session), { latest: bound, what, since: sent });
    if (await pongIfPinged(session, res)) {
      ctx.note("a ping fell due during the probe: answered, polling again");
      continue;
    }
    ctx.equal(`${res.status} ${res.text}`, "200 6", what);
    return;
  }
  fail(`${what}: three GETs in a row carried pings`, { expected: "6" });
}

/**
 * An upgrade the way a client does it, with the heartbeat kept: a GET held, the probe, `3probe`,
 * the held GET back within 100 ms of `2probe` (EIO4-UPGRADE-03) with a noop or with a ping that
 * fell due (answered by POST before `5`), then `5`. Fails on anything else.
 */
export async function upgradeKeepingHeartbeat(ctx: CaseContext, session: PollingSession, engine: EngineClient = ctx.engine): Promise<{ socket: EngineSocket; pongAt: number | undefined }> {
  const socket = await engine.openWebSocket({ sid: session.sid });
  const held = (await heldGet(ctx, session)).response;
  const sent = performance.now();
  socket.send({ type: "ping", data: "probe" });
  const answer = await socket.nextPacket({ what: "the 3probe answer to 2probe" });
  if (answer.type !== "pong" || answer.data !== "probe") fail("the probe was not answered with 3probe", { expected: "3probe", observed: show(answer) });
  const { value: res } = await ctx.within(held, { latest: NOOP_MS, what: "the noop on the GET pending during the upgrade", since: sent });
  const types = res.status === 200 ? decodeBody(res).map((p) => p.type) : [];
  if (types.length === 0 || !types.every((t) => t === "noop" || t === "ping")) fail("the GET pending during the upgrade was not answered with a noop", { expected: "200 6", observed: `${res.status} ${res.text.slice(0, 120)}` });
  let pongAt: number | undefined;
  if (types.includes("ping")) {
    ctx.note("a ping fell due during the upgrade and came on the pending GET: answered by POST before 5");
    pongAt = performance.now();
    await session.post("3");
  }
  socket.send({ type: "upgrade" });
  return { socket, pongAt };
}

// ---- the upgrade steps the UPGRADE, CLOSE and DROP cases share --------------------------------

/** Sends `5` and checks the WebSocket now carries the session: an echo comes back on it. */
export async function finishUpgrade(ctx: CaseContext, socket: EngineSocket, what = "upgraded"): Promise<void> {
  socket.send({ type: "upgrade" });
  await echoOver(ctx, socket, what);
}

/** Checks the WebSocket carries the session: an echo comes back on it (pings answered). */
export async function echoOver(ctx: CaseContext, socket: EngineSocket, what: string): Promise<void> {
  socket.send({ type: "message", data: `echo-${what}` });
  const p = await nextNonPing(socket, `the echo over the ${what} WebSocket`);
  ctx.equal(p.type === "message" ? p.data : p.type, `echo-${what}`, `the echo over the ${what} WebSocket`);
}

/** Fails unless the probe WebSocket is closed within the immediate bound; the session must then go on over polling. */
export async function expectProbeClosed(ctx: CaseContext, probe: EngineSocket, session: PollingSession, why: string): Promise<void> {
  const bound = Math.max(NOOP_MS, beat(ctx).I / 2);
  const closed = await closedWithin(probe, ctx.scale(bound) + ctx.grace(bound));
  if (!closed) fail(`the probe WebSocket stayed open after ${why}`, { expected: "the probe closed", observed: `open after ${bound} ms` });
  ctx.info(`probe closed with code ${closed.code}`);
  await expectPollingAlive(ctx, session, `${why} (over polling)`);
}

/** Opens the probe WebSocket with a GET held, sends `2probe`; returns the socket, the held GET and when the probe left. */
export async function probeWithHeldGet(ctx: CaseContext, session: PollingSession): Promise<{ socket: EngineSocket; held: Promise<HttpResponse>; sent: number }> {
  const socket = await ctx.engine.openWebSocket({ sid: session.sid });
  const held = (await heldGet(ctx, session)).response;
  const sent = performance.now();
  socket.send({ type: "ping", data: "probe" });
  return { socket, held, sent };
}

/**
 * The GET held at the probe must come back within 100 ms of `2probe` with `6`, or with a ping
 * that fell due meanwhile (answered by POST). Returns the response.
 */
export async function heldNoop(ctx: CaseContext, session: PollingSession, held: Promise<HttpResponse>, sent: number): Promise<HttpResponse> {
  const { value: res } = await ctx.within(held, { latest: NOOP_MS, what: "the noop on the GET pending at the probe", since: sent });
  if (!(await pongIfPinged(session, res))) ctx.equal(`${res.status} ${res.text}`, "200 6", "the GET pending at the probe");
  return res;
}
