/**
 * Collecting the messages of a session for the cases that follow them across transports and
 * closes: their texts in order, the echo server's bursts, polling until enough arrived, the
 * messages of a WebSocket, and when a WebSocket closes. Pings are answered on the way, so no
 * case lets its session time out by accident. Nothing here judges a rule but arrival itself.
 */
import { performance } from "node:perf_hooks";
import { fail, show, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import { decodeBody, type EngineIOv4Packet, type EngineSocket, type PollingSession } from "./engine.js";
import { postAccepted, rawGet } from "./held-get.js";

/** The text data of the message packets among `packets`, in order (binary as `<hex>`). */
export function texts(packets: readonly EngineIOv4Packet[]): string[] {
  return packets
    .filter((p) => p.type === "message")
    .map((p) => (typeof p.data === "string" ? p.data : `<${Buffer.from(p.data ?? new Uint8Array()).toString("hex")}>`));
}

/**
 * True for a message that looks like several packets glued together (a line feed or record
 * separator followed by a type digit): what a server that does not split its payload sends.
 */
export function glued(message: string): boolean {
  return /[\n\x1e]\d/.test(message);
}

/** `["prefix", "burst:1", .., "burst:n"]`: what the echo server sends for `[prefix, sockspec:burst:n]`. */
export function burstOf(n: number, prefix?: string): string[] {
  return [...(prefix === undefined ? [] : [prefix]), ...Array.from({ length: n }, (_, i) => `burst:${i + 1}`)];
}

/**
 * Answers with a POST of `3` when a polled body holds a ping, so no case lets its session time out
 * by accident; the pong must be accepted promptly (see {@link postAccepted}).
 */
export async function pongIfPinged(
  ctx: CaseContext,
  session: PollingSession,
  res: { status: number; text: string },
): Promise<boolean> {
  if (res.status !== 200 || !res.text.split("\x1e").includes("2")) return false;
  await postAccepted(ctx, session, "3");
  return true;
}

/**
 * Polls until `count` messages arrived, answering every ping on the way (also in the last
 * answer). Fails when a poll is refused, the session closes, or 50 polls or two answer
 * timeouts do not suffice.
 */
export async function pollTexts(
  ctx: CaseContext,
  session: PollingSession,
  count: number,
  what: string,
  first: string[] = [],
): Promise<string[]> {
  const out = [...first];
  const deadline = performance.now() + 2 * ctx.answerTimeoutMs;
  for (let n = 0; out.length < count; n++) {
    if (n >= 50 || performance.now() > deadline) {
      if (out.some(glued))
        unmet(P.payloadBatches, `a polled message holds several packets glued together while waiting for ${what}`, {
          expected: "one message per record",
          observed: show(out),
        });
      fail(`${what} did not arrive (${n} polls)`, { expected: `${count} messages`, observed: show(out) });
    }
    const res = await rawGet(ctx, session);
    if (res.status !== 200)
      fail(`a poll got ${res.status} before ${what} arrived`, {
        expected: `${count} messages`,
        observed: `${res.status} ${res.text.slice(0, 100)} after ${show(out)}`,
      });
    const packets = decodeBody(res);
    out.push(...texts(packets));
    if (packets.some((p) => p.type === "close"))
      fail(`the session closed before ${what} arrived`, { expected: `${count} messages`, observed: show(out) });
    await pongIfPinged(ctx, session, res);
  }
  return out;
}

/** Message texts from a WebSocket until `count` arrived (within `timeoutMs` in all); pings are answered on the way. */
export async function wsMessages(
  socket: EngineSocket,
  count: number,
  what: string,
  timeoutMs = 5000,
): Promise<string[]> {
  const out: string[] = [];
  // One deadline for all: pings keep coming, so a per-frame wait alone would never end.
  const deadline = performance.now() + timeoutMs;
  while (out.length < count) {
    const left = deadline - performance.now();
    if (left <= 0)
      fail(`${what}: ${out.length} of ${count} messages in ${timeoutMs} ms`, {
        expected: `${count} messages`,
        observed: show(out),
      });
    const p = await socket.nextPacket({ what, timeoutMs: left });
    if (p.type === "ping") socket.send({ type: "pong" });
    else out.push(...texts([p]));
  }
  return out;
}

/** Waits for the WebSocket to close, up to `ms`; returns its close info or undefined. */
export async function closedWithin(
  socket: EngineSocket,
  ms: number,
): Promise<{ code: number; at: number } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    socket.ws.closed.then((c) => ({ code: c.code, at: performance.now() })),
    new Promise<undefined>((res) => (timer = setTimeout(() => res(undefined), ms))),
  ]);
  clearTimeout(timer);
  return r;
}
