/**
 * Codec benchmark: our Engine.IO and Socket.IO codecs against the official parsers, case by
 * case, same input, same work. Prints ops/s for each side and their ratio (ours / official).
 *
 *   npm run bench:codec [-- --filter <text>] [--rounds <n>] [--round-ms <ms>] [--json]
 *
 * Each case is warmed up, then measured in rounds that alternate ours and official, so that a
 * burst of load on a shared machine hits both sides alike; the median round is reported.
 * This is a measurement, never a test: it prints and exits 0.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { engineCases } from "./codec-engine.js";
import { socketioCases } from "./codec-socketio.js";

/** One thing to measure: the same work done by our codec and by the official one. */
export interface BenchCase {
  /** Shown in the table, e.g. `engine.io v4 decode batch of 100 messages`. */
  name: string;
  /** One operation with our codec; its result is kept so the work is not optimised away. */
  ours: () => unknown;
  /** The same operation with the official parser. */
  official: () => unknown;
}

/** The result of one case. */
export interface BenchResult {
  name: string;
  oursOpsPerSec: number;
  officialOpsPerSec: number;
  /** ours / official: above 1 means ours is faster. */
  ratio: number;
}

/** The options of a micro-benchmark run (`npm run bench:codec`, `npm run bench:codegen`). */
export interface Options {
  filter: string | undefined;
  rounds: number;
  roundMs: number;
  warmupMs: number;
  json: boolean;
}

let sink: unknown;

/** Calls `fn` `count` times and returns the elapsed milliseconds. */
function timeBatch(fn: () => unknown, count: number): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) sink = fn();
  return performance.now() - start;
}

/** How many calls of `fn` take about `ms` milliseconds (at least 1). */
function calibrate(fn: () => unknown, ms: number): number {
  let count = 1;
  for (;;) {
    const elapsed = timeBatch(fn, count);
    if (elapsed >= ms / 4 || count >= 1 << 30) return Math.max(1, Math.round((count * ms) / Math.max(elapsed, 0.001)));
    count *= 4;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Measures one case: warmup, calibration, then alternating rounds; median ops/s of each side. */
export function measure(bench: BenchCase, options: Pick<Options, "rounds" | "roundMs" | "warmupMs">): BenchResult {
  const warmEnd = performance.now() + options.warmupMs;
  while (performance.now() < warmEnd) {
    timeBatch(bench.ours, 64);
    timeBatch(bench.official, 64);
  }
  const oursCount = calibrate(bench.ours, options.roundMs);
  const officialCount = calibrate(bench.official, options.roundMs);
  const ours: number[] = [];
  const official: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    // Alternate who goes first, so neither side always runs on a warmer or cooler machine.
    if (round % 2 === 0) {
      ours.push((oursCount * 1000) / timeBatch(bench.ours, oursCount));
      official.push((officialCount * 1000) / timeBatch(bench.official, officialCount));
    } else {
      official.push((officialCount * 1000) / timeBatch(bench.official, officialCount));
      ours.push((oursCount * 1000) / timeBatch(bench.ours, oursCount));
    }
  }
  const oursOpsPerSec = median(ours);
  const officialOpsPerSec = median(official);
  return { name: bench.name, oursOpsPerSec, officialOpsPerSec, ratio: oursOpsPerSec / officialOpsPerSec };
}

/** Reads the options both micro-benchmarks take: --filter, --rounds, --round-ms, --warmup-ms, --json. */
export function parseOptions(argv: string[]): Options {
  // Many short rounds rather than a few long ones: on a shared machine a stall then spoils one
  // round of one side, and the median drops it.
  const options: Options = { filter: undefined, rounds: 21, roundMs: 25, warmupMs: 200, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--filter") options.filter = value();
    else if (arg === "--rounds") options.rounds = Math.max(1, Number(value()));
    else if (arg === "--round-ms") options.roundMs = Math.max(1, Number(value()));
    else if (arg === "--warmup-ms") options.warmupMs = Math.max(0, Number(value()));
    else if (arg === "--json") options.json = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

function formatOps(ops: number): string {
  return Math.round(ops).toLocaleString("en-US");
}

function printTable(results: BenchResult[]): void {
  const header = ["case", "ours ops/s", "official ops/s", "ratio"];
  const rows = results.map((r) => [
    r.name,
    formatOps(r.oursOpsPerSec),
    formatOps(r.officialOpsPerSec),
    r.ratio.toFixed(2) + "x",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cases = [...engineCases, ...socketioCases].filter((c) => !options.filter || c.name.includes(options.filter));
  const results: BenchResult[] = [];
  for (const bench of cases) {
    results.push(measure(bench, options));
    if (!options.json) process.stderr.write(".");
  }
  if (options.json) {
    console.log(
      JSON.stringify({ node: process.version, rounds: options.rounds, roundMs: options.roundMs, results }, null, 2),
    );
    return;
  }
  process.stderr.write("\n");
  console.log(
    `codec benchmark, Node ${process.version}, median of ${options.rounds} rounds of ~${options.roundMs} ms (ratio = ours / official)\n`,
  );
  printTable(results);
  const slowest = results.reduce<BenchResult | undefined>(
    (min, r) => (!min || r.ratio < min.ratio ? r : min),
    undefined,
  );
  if (slowest) console.log(`\nlowest ratio: ${slowest.ratio.toFixed(2)}x (${slowest.name})`);
  void sink;
}

// Runs only as a script, so measure() can be imported without starting a run.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
