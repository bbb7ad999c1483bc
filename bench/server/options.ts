/** Command-line options of `npm run bench:server`. */
import { TARGET_NAMES, type TargetName } from "./children.js";

export interface BenchOptions {
  /** Measurements to run (ids from bench/server/metrics.ts); empty: all. */
  metrics: string[];
  /** Servers to run, in this order. */
  targets: TargetName[];
  /** Timed rounds per measurement and server; the median is reported. */
  rounds: number;
  /** Length of one timed round, ms. */
  roundMs: number;
  /** Untimed warm-up per measurement and server, ms. */
  warmupMs: number;
  /** Concurrent sessions of the polling and handshake measurements. */
  concurrency: number;
  /** Idle sessions held open for the memory measurement, and its rounds. */
  idleSessions: number;
  memoryRounds: number;
  /** Where the JSON results go. */
  out: string;
  /** Servers whose child runs under --cpu-prof (profiles go next to the JSON results). */
  cpuProfile: TargetName[];
  quick: boolean;
}

const USAGE = `usage: node dist-bench/bench/server.js [--quick] [--only=reference,socket.io,ws]
  [--metrics=ws-echo-w1,ws-echo-w16,polling-rtt,handshakes,memory-idle]
  [--rounds=N] [--round-ms=MS] [--warmup-ms=MS] [--concurrency=N] [--sessions=N]
  [--cpu-prof[=reference,...]] [--out=bench-results/server.json]`;

function targetList(value: string): TargetName[] {
  const names = value.split(",").filter(Boolean);
  for (const name of names) {
    if (!(TARGET_NAMES as readonly string[]).includes(name)) throw new Error(`unknown server "${name}"\n${USAGE}`);
  }
  return names as TargetName[];
}

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number\n${USAGE}`);
  return n;
}

/** Parse argv (without node and the script). `--quick` sets short durations; explicit flags still win. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const opts: BenchOptions = {
    targets: [...TARGET_NAMES],
    metrics: [],
    rounds: quick ? 3 : 5,
    roundMs: quick ? 400 : 1500,
    warmupMs: quick ? 200 : 700,
    concurrency: 8,
    idleSessions: 1000,
    memoryRounds: quick ? 1 : 3,
    out: "bench-results/server.json",
    cpuProfile: [],
    quick,
  };
  for (const arg of argv) {
    const [flag, value = ""] = arg.split("=", 2) as [string, string?];
    switch (flag) {
      case "--quick":
        break;
      case "--only":
        opts.targets = targetList(value);
        break;
      case "--metrics":
        opts.metrics = value.split(",").filter(Boolean);
        break;
      case "--rounds":
        opts.rounds = Math.round(positive("rounds", value));
        break;
      case "--round-ms":
        opts.roundMs = positive("round-ms", value);
        break;
      case "--warmup-ms":
        opts.warmupMs = positive("warmup-ms", value);
        break;
      case "--concurrency":
        opts.concurrency = Math.round(positive("concurrency", value));
        break;
      case "--sessions":
        opts.idleSessions = Math.round(positive("sessions", value));
        break;
      case "--memory-rounds":
        opts.memoryRounds = Math.round(positive("memory-rounds", value));
        break;
      case "--out":
        opts.out = value;
        break;
      case "--cpu-prof":
        opts.cpuProfile = value ? targetList(value) : ["reference"];
        break;
      case "--help":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return opts;
}
