/** What the server benchmark measures, and the target each figure of the reference server has. */
import type { ServerChild, TargetName } from "./children.js";
import type { BenchOptions } from "./options.js";
import { handshakeRound, memoryRound, pollingRound, wsEchoRound, type RateSample } from "./measure.js";

/** A ratio the reference server must reach against another server. */
export interface Target {
  against: TargetName;
  /** reference / against must be >= (higher is better) or <= (lower is better) this. */
  ratio: number;
  direction: ">=" | "<=";
}

/** One round's figures; `value` is the headline figure, the others are shown next to it. */
export interface RoundResult {
  value: number;
  extra?: Record<string, number>;
}

export interface Metric {
  id: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  /** Which servers it applies to (the raw ws floor has no Socket.IO session to measure, etc.). */
  appliesTo(name: TargetName): boolean;
  targets: Target[];
  /** Untimed warm-up, then `round()` per timed round. */
  warmup(child: ServerChild, opts: BenchOptions): Promise<unknown>;
  round(child: ServerChild, opts: BenchOptions): Promise<RoundResult>;
  /** How many timed rounds. */
  rounds(opts: BenchOptions): number;
}

const all = () => true;

/**
 * Run one timed round and add the server's CPU time per operation (user + system, µs): on a
 * shared machine throughput swings with the neighbours' load, CPU cost per operation far less.
 */
async function timed(child: ServerChild, run: () => Promise<RateSample>, latency: boolean): Promise<RoundResult> {
  const cpuBefore = await child.cpuMicros();
  const r = await run();
  const cpuAfter = await child.cpuMicros();
  const extra: Record<string, number> = { cpuUsPerOp: r.ops > 0 ? (cpuAfter - cpuBefore) / r.ops : Number.NaN };
  if (latency) Object.assign(extra, { p50ms: r.p50!, p99ms: r.p99! });
  return { value: r.perSecond, extra };
}

function wsEcho(window: number): Metric {
  return {
    id: `ws-echo-w${window}`,
    label: `WebSocket echo, ${window} in flight`,
    unit: "msg/s",
    higherIsBetter: true,
    appliesTo: all,
    targets: [{ against: "ws", ratio: 0.9, direction: ">=" }],
    warmup: (child, opts) => wsEchoRound(child, window, opts.warmupMs),
    round: (child, opts) => timed(child, () => wsEchoRound(child, window, opts.roundMs), true),
    rounds: (opts) => opts.rounds,
  };
}

/** The measurements, in the order they run and print. */
export const METRICS: readonly Metric[] = [
  wsEcho(1),
  wsEcho(16),
  {
    id: "polling-rtt",
    label: "Polling round trips (POST + GET)",
    unit: "rt/s",
    higherIsBetter: true,
    appliesTo: all,
    targets: [{ against: "socket.io", ratio: 1.5, direction: ">=" }],
    warmup: (child, opts) => pollingRound(child, opts.concurrency, opts.warmupMs),
    round: (child, opts) => timed(child, () => pollingRound(child, opts.concurrency, opts.roundMs), true),
    rounds: (opts) => opts.rounds,
  },
  {
    id: "handshakes",
    label: "Handshakes (open + CONNECT + close, polling)",
    unit: "hs/s",
    higherIsBetter: true,
    appliesTo: all,
    targets: [{ against: "socket.io", ratio: 1.5, direction: ">=" }],
    warmup: (child, opts) => handshakeRound(child, opts.concurrency, opts.warmupMs),
    round: (child, opts) => timed(child, () => handshakeRound(child, opts.concurrency, opts.roundMs), false),
    rounds: (opts) => opts.rounds,
  },
  {
    id: "memory-idle",
    label: "Heap per idle WebSocket session",
    unit: "B",
    higherIsBetter: false,
    appliesTo: all,
    targets: [{ against: "socket.io", ratio: 0.6, direction: "<=" }],
    warmup: (child) => memoryRound(child, 100),
    round: async (child, opts) => {
      const m = await memoryRound(child, opts.idleSessions);
      return { value: m.heapPerSession, extra: { rssB: m.rssPerSession, externalB: m.externalPerSession } };
    },
    rounds: (opts) => opts.memoryRounds,
  },
];
