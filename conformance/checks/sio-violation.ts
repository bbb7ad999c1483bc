/**
 * How a Socket.IO session reacts to what a case sent: it closes (a protocol violation, chapter
 * ERROR), it stays silent, or its next packet is a ping (nothing was answered). The case bodies
 * at the bottom are the usual violation cases: join, send, expect the close.
 *
 * Which closes are mandatory is the spec's business: SIO5-EVENT-01, SIO5-EVENT-04 and
 * SIO5-CONNECT-08 demand one, SIO5-PACKET-04 recommends it for every other violation; a case's
 * level says which, and a SHOULD case that sees no close warns.
 */
import { fail, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import type { Ending, SocketIOSession, Transport } from "../client/socketio.js";
import { echo, onJoined, openSession, sendFirst } from "../client/socketio-steps.js";
import { expectNotHeartbeatClose, expectStillPinged } from "./sio-heartbeat.js";
import { showMessages, type Message } from "../client/socketio-text.js";

/** A closed session: how it ended, and the texts the server sent before (not yet taken). */
export interface Closed {
  ending: Ending;
  said: string[];
}

/**
 * The session must end within `ms` (default 2 s, scaled). Returns how, and what the server said
 * before; whether it may say anything is for the caller to judge (see {@link expectSilentClose}).
 */
export async function expectClosed(s: SocketIOSession, what: string, ms = s.ctx.scale(2000)): Promise<Closed> {
  s.ctx.note(`expecting the session to close: ${what}`);
  if (!(await s.waitEnd(ms))) {
    expectStillPinged(s);
    fail(`the session stayed open after ${what}`, {
      expected: "the Engine.IO session closed",
      observed: `open after ${ms} ms${s.messages.items.length ? `; received ${s.pending}` : ""}`,
    });
  }
  if (s.ending!.cause) throw s.ending!.cause;
  const said = s.messages.items.filter((m): m is string => typeof m === "string");
  if (said.length) s.ctx.note(`before the close the server sent ${showMessages(said)}`);
  return { ending: s.ending!, said };
}

/**
 * The session must close with no Socket.IO packet about the violation; a packet before the close
 * is a warning (SIO5-ERROR-07).
 */
export async function expectSilentClose(ctx: CaseContext, s: SocketIOSession, what: string): Promise<Ending> {
  const { ending, said } = await expectClosed(s, what);
  if (said.length)
    ctx.softFail(`the server sent ${showMessages(said)} before closing the session after ${what} (SIO5-ERROR-07)`, {
      expected: "the session closed with no Socket.IO packet",
      observed: said.join(" "),
    });
  return ending;
}

/** The session must send nothing for `ms` and stay open. */
export async function expectSilence(s: SocketIOSession, ms: number, what: string): Promise<void> {
  const got = await s.messages.collect(ms);
  if (s.ending?.cause) throw s.ending.cause;
  if (got.length)
    fail(`the server sent ${showMessages(got)} after ${what}`, { expected: "no packet", observed: showMessages(got) });
  if (s.ending)
    fail(`the session closed after ${what}`, { expected: "the session stays open", observed: s.ending.detail });
}

/**
 * Waits for the server's next ping (up to one heartbeat plus slack): no message may come before
 * it. A close before it fails the case, or only warns with `{ close: "warn" }` (where keeping
 * the session open is a SHOULD), or is fine with `{ close: "allowed" }` (where only silence counts).
 */
export async function expectPingNext(
  ctx: CaseContext,
  s: SocketIOSession,
  what: string,
  options: { close?: "fail" | "warn" | "allowed" } = {},
): Promise<void> {
  const ms = ctx.answerTimeoutMs;
  const pinged = await s.waitPing(ms);
  if (s.ending?.cause) throw s.ending.cause;
  if (s.messages.items.length)
    fail(`the server sent ${s.pending} after ${what}`, { expected: "the next packet is a ping", observed: s.pending });
  if (s.ending) {
    expectNotHeartbeatClose(ctx, s);
    const details = { expected: "the session stays open (next packet: ping 2)", observed: s.ending.detail };
    if (options.close === "allowed") return ctx.info(`the session closed after ${what}, with no packet first`);
    if (options.close === "warn") return ctx.softFail(`the session closed after ${what}`, details);
    fail(`the session closed after ${what}`, details);
  }
  // The ping only marks the end of the wait: no ping at all is the heartbeat's failure.
  if (!pinged)
    unmet(P.firstPing, `no ping within ${ms} ms after ${what}`, { expected: "a ping 2", observed: "nothing" });
}

/**
 * A violation the official server accepts, which the spec reports as a warning: the session
 * must close; if it stays open the case warns, showing what the server did instead.
 */
export async function closesOrWarn(
  ctx: CaseContext,
  s: SocketIOSession,
  texts: Message[],
  what: string,
): Promise<void> {
  s.send(...texts);
  if (await s.waitEnd(ctx.scale(1000))) {
    if (s.ending!.cause) throw s.ending!.cause;
    return;
  }
  expectStillPinged(s);
  ctx.softFail(`the session stayed open after ${what}`, {
    expected: "the Engine.IO session closed",
    observed: s.messages.items.length ? `open; the server answered ${s.pending}` : "open, no answer",
  });
}

/**
 * The usual violation case: join `/`, send `texts` (one message each, in one POST over
 * polling), and expect the session to close.
 */
export function violation(
  texts: Message[],
  what: string,
  transport: Transport = "websocket",
): (ctx: CaseContext) => Promise<void> {
  return onJoined(transport, async (_ctx, s) => {
    s.send(...texts);
    await expectClosed(s, what);
  });
}

/**
 * A violation sent before any namespace is joined. The connect deadline would close such a
 * session anyway, so an idle session opened at the same moment serves as the yardstick: the
 * violating session must close first, well before the idle one.
 */
export function violationBeforeJoin(
  texts: Message[],
  what: string,
  transport: Transport = "websocket",
): (ctx: CaseContext) => Promise<void> {
  return async (ctx) => {
    const [s, idle] = await Promise.all([openSession(ctx, transport), openSession(ctx, transport)]);
    await sendFirst(s, ...texts);
    const { ending } = await expectClosed(s, what);
    const settled = await idle.waitEnd(ctx.scale(50));
    if (settled && idle.ending!.at - idle.openedAt <= ending.at - s.openedAt + ctx.scale(50)) {
      fail(`the session closed only when an idle session did too (the connect deadline), not for ${what}`, {
        expected: "closed at once",
        observed: `closed ${Math.round(ending.at - s.openedAt)} ms after its handshake, the idle one after ${Math.round(idle.ending!.at - idle.openedAt)} ms`,
      });
    }
  };
}

/**
 * A violation among binary messages: join `/`, have a binary event echoed first (which shows the
 * server awaits and delivers attachments at all: a precondition, SIO5-BINARY-05), then send
 * `texts` and expect the close.
 */
export function binaryViolation(
  texts: Message[],
  what: string,
  transport: Transport = "websocket",
): (ctx: CaseContext) => Promise<void> {
  return onJoined(transport, async (_ctx, s) => {
    await echo(s, [new Uint8Array([1, 2, 3])], "/", "the echo of a binary event");
    s.send(...texts);
    await expectClosed(s, what);
  });
}
