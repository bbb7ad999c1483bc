/**
 * One round of each measurement against one running server child. Each function opens what it
 * needs, measures for a fixed duration, and closes everything before it returns.
 */
import { Pool } from "undici";
import type { ServerChild } from "./children.js";
import { percentile, sleep, within } from "./stats.js";
import { closePollingSession, openPollingSession, openWsSession, pollingRoundTrip } from "./wire.js";

/** A throughput figure, with latency percentiles in milliseconds when they were taken. */
export interface RateSample {
  perSecond: number;
  /** Operations completed within the timed window. */
  ops: number;
  p50?: number;
  p99?: number;
}

/**
 * WebSocket echo over one connection with `window` messages in flight: each echo sends the next
 * message, so the window stays full until the duration is up.
 */
export async function wsEchoRound(child: ServerChild, window: number, durationMs: number): Promise<RateSample> {
  const session = await openWsSession(child.port, child.protocol);
  try {
    const sentAt = new Float64Array(window); // ring of send times: echoes come back in order
    let head = 0;
    let tail = 0;
    const latencies: number[] = [];
    let echoes = 0;
    let inFlight = 0;
    let sending = true;
    let drained: () => void = () => {};
    const send = () => {
      sentAt[tail] = performance.now();
      tail = (tail + 1) % window;
      inFlight++;
      session.send();
    };
    session.onEcho = () => {
      const now = performance.now();
      latencies.push(now - sentAt[head]!);
      head = (head + 1) % window;
      inFlight--;
      if (sending) {
        echoes++;
        send();
      } else if (inFlight === 0) {
        drained();
      }
    };
    const start = performance.now();
    for (let i = 0; i < window; i++) send();
    await sleep(durationMs);
    sending = false;
    const elapsed = performance.now() - start;
    const counted = echoes;
    if (inFlight > 0) await within(new Promise<void>((resolve) => (drained = resolve)), 5000, "the last echoes");
    return {
      perSecond: (counted * 1000) / elapsed,
      ops: counted,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    session.close();
  }
}

function poolFor(child: ServerChild, connections: number): Pool {
  return new Pool(`http://127.0.0.1:${child.port}`, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
}

/** Run `iteration` in `concurrency` loops until the duration is up; count completed iterations. */
async function loops(
  concurrency: number,
  durationMs: number,
  iteration: (loop: number) => Promise<void>,
): Promise<RateSample> {
  const latencies: number[] = [];
  let done = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  await within(
    Promise.all(
      Array.from({ length: concurrency }, async (_, loop) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await iteration(loop);
          const t1 = performance.now();
          if (t1 <= deadline) {
            done++;
            latencies.push(t1 - t0);
          }
        }
      }),
    ),
    durationMs + 15_000,
    "the request loops",
  );
  return {
    perSecond: (done * 1000) / durationMs,
    ops: done,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Polling round trips: `concurrency` sessions, each POSTing the payload then GETting its echo. */
export async function pollingRound(child: ServerChild, concurrency: number, durationMs: number): Promise<RateSample> {
  const pool = poolFor(child, concurrency * 2);
  try {
    const sids = await Promise.all(Array.from({ length: concurrency }, () => openPollingSession(pool, child.protocol)));
    const result = await loops(concurrency, durationMs, (loop) => pollingRoundTrip(pool, child.protocol, sids[loop]!));
    await Promise.all(sids.map((sid) => closePollingSession(pool, child.protocol, sid)));
    return result;
  } finally {
    await pool.destroy();
  }
}

/**
 * Handshakes: one whole session per count, over polling: GET the open packet, POST `40`,
 * GET the CONNECT reply, POST the close packet `1` (closing keeps the server from filling up).
 */
export async function handshakeRound(child: ServerChild, concurrency: number, durationMs: number): Promise<RateSample> {
  const pool = poolFor(child, concurrency);
  try {
    return await loops(concurrency, durationMs, async () => {
      const sid = await openPollingSession(pool, child.protocol);
      await closePollingSession(pool, child.protocol, sid);
    });
  } finally {
    await pool.destroy();
  }
}

/** Memory per idle session, in bytes, from the child's own numbers after a forced GC. */
export interface MemorySample {
  heapPerSession: number;
  rssPerSession: number;
  externalPerSession: number;
}

/** Hold `count` WebSocket sessions open (Socket.IO: connected to `/`) and measure the child's growth. */
export async function memoryRound(child: ServerChild, count: number): Promise<MemorySample> {
  const before = await child.memory();
  const sessions: Awaited<ReturnType<typeof openWsSession>>[] = [];
  try {
    const batch = 50; // open in batches so the server sees a steady stream, not a SYN flood
    for (let i = 0; i < count; i += batch) {
      const opened = await Promise.all(
        Array.from({ length: Math.min(batch, count - i) }, () => openWsSession(child.port, child.protocol)),
      );
      sessions.push(...opened);
    }
    await sleep(100);
    const after = await child.memory();
    return {
      heapPerSession: (after.heapUsed - before.heapUsed) / count,
      rssPerSession: (after.rss - before.rss) / count,
      externalPerSession: (after.external - before.external) / count,
    };
  } finally {
    for (const session of sessions) session.close();
    await sleep(200); // let the server see the closes before the next measurement
  }
}
