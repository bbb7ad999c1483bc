/**
 * Shared check, family "drop" (operations.md chapter DROP), on Engine.IO v3 sessions: there the
 * client pings, so a drop's heartbeat bound counts from the client's last ping (or packet,
 * EIO3-HEARTBEAT-03); messages are collected over v3 polling; a POST cut half way is judged by
 * what a v3 GET pending at the cut brings.
 */
import { performance } from "node:perf_hooks";
import { fail, show, unmet } from "../case.js";
import { decodeV3Body, encodeTextPayload, type EngineIOv3Packet, type V3PollingSession } from "../client/v3-engine.js";
import type { HttpResponse } from "../client/http.js";
import { heldGet } from "../client/held-get.js";
import { burstOf, texts } from "../client/messages.js";
import type { RawConnection } from "../client/tcp.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { beat, heartbeatDeadline, IMMEDIATE_MS, sleepUntil } from "../runner/bounds.js";
import type { CaseContext } from "../runner/context.js";
import { expectSequence } from "./sequence.js";
import { expectSidGone } from "./sid.js";

/** A v3 text payload of text messages. */
export function v3MessagePayload(...data: string[]): string {
  return encodeTextPayload(data.map((d) => ({ type: "message", data: d })));
}

/**
 * Posts a ping `1:2` (with `alongside` messages before it, in the same payload) on a v3 polling
 * session; returns when it left. With `fetchPong` a GET then brings its pong (a precondition).
 */
export async function v3PollPing(
  session: V3PollingSession,
  options: { fetchPong?: boolean; alongside?: string[] } = {},
): Promise<number> {
  const sent = performance.now();
  const messages = (options.alongside ?? []).map((data): EngineIOv3Packet => ({ type: "message", data }));
  await session.send([...messages, { type: "ping" }]);
  if (options.fetchPong ?? true) {
    const { packets } = await session.get();
    if (!packets.some((p) => p.type === "pong"))
      unmet(P.v3PingAnswered, "the poll after a ping brought no pong", {
        expected: "1:3",
        observed: show(packets.map((p) => p.type)),
      });
  }
  return sent;
}

/**
 * Polls a v3 session until `count` messages (with those in `first`) have come; a refusal or a
 * close packet on the way fails the case, as it would lose the rest.
 */
export async function v3PollTexts(
  ctx: CaseContext,
  session: V3PollingSession,
  count: number,
  what: string,
  first: string[] = [],
): Promise<string[]> {
  const out = [...first];
  const deadline = performance.now() + 2 * ctx.answerTimeoutMs;
  for (let n = 0; out.length < count; n++) {
    if (n >= 50 || performance.now() > deadline)
      fail(`${what} did not arrive (${n} polls)`, { expected: `${count} messages`, observed: show(out) });
    const res = await session.raw();
    if (res.status !== 200)
      fail(`a poll got ${res.status} before ${what} arrived`, {
        expected: `${count} messages`,
        observed: `${res.status} ${res.text.slice(0, 100)} after ${show(out)}`,
      });
    const packets = decodeV3Body(res);
    out.push(...texts(packets));
    if (packets.some((p) => p.type === "close"))
      fail(`the session closed before ${what} arrived`, { expected: `${count} messages`, observed: show(out) });
  }
  return out;
}

/**
 * Polls a v3 session as its client does until `until` (a performance.now() value): a ping `1:2`
 * every third of pingInterval, each followed by a GET that brings its pong and whatever else is
 * buffered. Returns the messages; a refusal, a close packet or a ping without pong fails the case.
 */
export async function v3PollWithPings(ctx: CaseContext, session: V3PollingSession, until: number): Promise<string[]> {
  const out: string[] = [];
  const { I } = beat(ctx, session.handshake);
  for (let n = 0; performance.now() < until && n < 200; n++) {
    await session.send("1:2");
    const res = await session.raw();
    if (res.status !== 200)
      fail(`a poll got ${res.status} while the client kept pinging`, {
        expected: "200 with the pong",
        observed: `${res.status} ${res.text.slice(0, 100)} after ${show(out)}`,
      });
    const packets = decodeV3Body(res);
    out.push(...texts(packets));
    if (packets.some((p) => p.type === "close"))
      fail("the session closed while its client kept pinging over polling", { observed: show(res.text.slice(0, 120)) });
    if (!packets.some((p) => p.type === "pong"))
      fail("a ping over polling got no pong", { expected: "1:3", observed: show(res.text.slice(0, 120)) });
    await ctx.sleep(Math.round(I / 3));
  }
  return out;
}

/**
 * A v3 probe dropped on its way (`drop` opens and loses it): every message sent around it reaches
 * the client over polling once and in order, and a ping over polling is still answered.
 */
export async function v3DroppedProbe(
  ctx: CaseContext,
  drop: (session: V3PollingSession) => Promise<void>,
): Promise<void> {
  const session = await ctx.eio3().openPolling();
  await session.send(v3MessagePayload("pre", "sockspec:burst:5"));
  const before = await v3PollTexts(ctx, session, 6, "the burst before the probe");
  // A ping answered over polling before the probe: afterwards, a missing pong is the drop's doing.
  await v3PollPing(session);
  await drop(session);
  await session.send(v3MessagePayload("post", "sockspec:burst:5"));
  const expected = [...burstOf(5, "pre"), ...burstOf(5, "mid"), ...burstOf(5, "post")];
  await expectSequence(
    ctx,
    await v3PollTexts(ctx, session, expected.length, "the messages after the dropped probe", before),
    expected,
    "the messages over polling around the dropped probe",
  );
  await session.send("1:2");
  const { packets } = await session.get();
  if (!packets.some((p) => p.type === "pong"))
    fail("a ping over polling after the dropped probe got no pong", {
      expected: "the heartbeat goes on over polling: 1:3",
      observed: show(packets.map((p) => p.type)),
    });
}

/**
 * The answer to a GET held when a POST of the v3 session was cut (`cut` ends its connection):
 * the close `1:1` within the immediate bound, and no record of the cut body delivered (both
 * SHOULDs, DROP-13); a session that does not close at once must still end by the heartbeat bound,
 * counted from the cut (the last moment a packet could have come).
 */
export async function judgeV3CutPost(
  ctx: CaseContext,
  session: V3PollingSession,
  tcp: RawConnection,
  cut: (tcp: RawConnection) => void,
  why: string,
): Promise<void> {
  const held = (await heldGet(ctx, session)).response;
  const t0 = performance.now();
  cut(tcp);
  const bound = IMMEDIATE_MS;
  const deadline = ctx.sleep(ctx.scale(bound) + ctx.grace(bound)).then(() => undefined);
  const res: HttpResponse | undefined = await Promise.race([held, deadline]);
  if (res === undefined) {
    ctx.softFail(`the session was not closed at once after ${why}`, {
      expected: `the pending GET answered 1:1 within ${bound} ms`,
      observed: "still pending",
    });
  } else if (res.status !== 200) {
    ctx.note(`the pending GET got ${res.status} ${show(res.text.slice(0, 80))} after ${why}`);
  } else {
    const packets = decodeV3Body(res);
    const got = texts(packets);
    if (got.length)
      ctx.softFail(`records of the cut POST were delivered after ${why}`, { expected: "none", observed: show(got) });
    else
      ctx.assert(
        packets.some((p) => p.type === "close"),
        `the GET pending when the session closed after ${why} got neither the close packet nor a refusal`,
        { expected: "200 1:1", observed: show(res.text.slice(0, 120)) },
      );
  }
  const { I, T } = beat(ctx, session.handshake);
  await sleepUntil(ctx, t0, res === undefined ? heartbeatDeadline(ctx, I, T) : 0);
  await expectSidGone(ctx, session.sid, why, "polling", 3);
}
