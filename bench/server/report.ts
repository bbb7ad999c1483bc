/** The benchmark's results: collected per metric and server, printed as a table, written as JSON. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import os from "node:os";
import type { TargetName } from "./children.js";
import type { Metric, RoundResult, Target } from "./metrics.js";
import type { BenchOptions } from "./options.js";
import { median } from "./stats.js";

/** One server's figures for one metric: medians over the rounds, and the rounds themselves. */
export interface ServerFigures {
  median: number;
  extra: Record<string, number>;
  rounds: RoundResult[];
}

export interface TargetVerdict extends Target {
  measured: number | null;
  met: boolean | null;
  /**
   * The same target judged on server CPU time per operation (throughput targets only): a server
   * reaches k x another's throughput when it needs at most 1/k of its CPU per operation. Far less
   * sensitive to a shared machine's load than throughput itself.
   */
  cpuRatio: number | null;
  metByCpu: boolean | null;
}

export interface MetricResult {
  id: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  servers: Partial<Record<TargetName, ServerFigures>>;
  /** reference divided by the other server, for the headline figure. */
  ratios: Partial<Record<"reference/socket.io" | "reference/ws", number>>;
  targets: TargetVerdict[];
}

/** Summarise the rounds of each server into medians, ratios and target verdicts. */
export function summarise(metric: Metric, rounds: Partial<Record<TargetName, RoundResult[]>>): MetricResult {
  const servers: Partial<Record<TargetName, ServerFigures>> = {};
  for (const [name, list] of Object.entries(rounds) as [TargetName, RoundResult[]][]) {
    if (list.length === 0) continue;
    const extraKeys = Object.keys(list[0]!.extra ?? {});
    servers[name] = {
      median: median(list.map((r) => r.value)),
      extra: Object.fromEntries(extraKeys.map((k) => [k, median(list.map((r) => r.extra?.[k] ?? Number.NaN))])),
      rounds: list,
    };
  }
  const ratio = (other: TargetName) => {
    const ref = servers.reference?.median;
    const base = servers[other]?.median;
    return ref !== undefined && base !== undefined && base !== 0 ? ref / base : undefined;
  };
  const ratios: MetricResult["ratios"] = {};
  const rs = ratio("socket.io");
  const rw = ratio("ws");
  if (rs !== undefined) ratios["reference/socket.io"] = rs;
  if (rw !== undefined) ratios["reference/ws"] = rw;
  const targets = metric.targets.map((t): TargetVerdict => {
    const measured = ratio(t.against) ?? null;
    const met = measured === null ? null : t.direction === ">=" ? measured >= t.ratio : measured <= t.ratio;
    const refCpu = servers.reference?.extra["cpuUsPerOp"];
    const baseCpu = servers[t.against]?.extra["cpuUsPerOp"];
    const cpuRatio = refCpu !== undefined && baseCpu !== undefined && baseCpu > 0 ? refCpu / baseCpu : null;
    const metByCpu = cpuRatio === null || t.direction !== ">=" ? null : cpuRatio <= 1 / t.ratio;
    return { ...t, measured, met, cpuRatio, metByCpu };
  });
  return {
    id: metric.id,
    label: metric.label,
    unit: metric.unit,
    higherIsBetter: metric.higherIsBetter,
    servers,
    ratios,
    targets,
  };
}

function num(n: number | undefined, digits = 0): string {
  if (n === undefined || Number.isNaN(n)) return "-";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratioText(n: number | undefined): string {
  return n === undefined || Number.isNaN(n) ? "-" : `${n.toFixed(2)}x`;
}

/** The results as a fixed-width table: absolute figures, ratios, targets. */
export function formatTable(results: readonly MetricResult[], names: readonly TargetName[]): string {
  const header = ["measurement", ...names, "ref/sio", "ref/ws", "target", "met", "met by CPU"];
  const rows: string[][] = [];
  for (const r of results) {
    const verdicts = r.targets
      .map((t) => `${t.direction}${t.ratio}x ${t.against === "socket.io" ? "sio" : t.against}`)
      .join(", ");
    const yesNo = (v: boolean | null) => (v === null ? "n/a" : v ? "yes" : "NO");
    const met = r.targets.map((t) => yesNo(t.met)).join(", ");
    const metByCpu = r.targets
      .map((t) => (t.direction === ">=" ? `${yesNo(t.metByCpu)} (<=${(1 / t.ratio).toFixed(2)}x)` : ""))
      .join(", ");
    rows.push([
      `${r.label} (${r.unit})`,
      ...names.map((n) => num(r.servers[n]?.median)),
      ratioText(r.ratios["reference/socket.io"]),
      ratioText(r.ratios["reference/ws"]),
      verdicts,
      met,
      metByCpu,
    ]);
    const extraKeys = Object.keys(Object.values(r.servers)[0]?.extra ?? {});
    for (const key of extraKeys) {
      const value = (n: TargetName) => r.servers[n]?.extra[key];
      const ratio = (other: TargetName) => {
        const ref = value("reference");
        const base = value(other);
        return ref !== undefined && base !== undefined && base !== 0 ? ref / base : undefined;
      };
      const digits = key.endsWith("ms") ? 3 : key === "cpuUsPerOp" ? 1 : 0;
      const label =
        key === "cpuUsPerOp"
          ? "server CPU per op (µs)"
          : key.replace(/ms$/, " latency (ms)").replace(/B$/, " per session (B)");
      rows.push([
        `  ${label}`,
        ...names.map((n) => num(value(n), digits)),
        ratioText(ratio("socket.io")),
        ratioText(ratio("ws")),
        "",
        "",
        "",
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Write the results (with the run's conditions) as JSON. */
export function writeJson(
  path: string,
  opts: BenchOptions,
  results: readonly MetricResult[],
  unavailable: Partial<Record<TargetName, string>>,
  startedAt: Date,
): void {
  mkdirSync(dirname(path), { recursive: true });
  const doc = {
    tool: "sockspec bench:server",
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    environment: {
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "",
    },
    options: opts,
    notes: {
      wsEcho:
        'one WebSocket connection per round, a fixed window of messages in flight; Socket.IO: 42["message",p] -> 42["message-back",p]; ws: plain echo',
      polling: `${opts.concurrency} sessions, each POSTs the payload then GETs its echo, over a keep-alive undici Pool`,
      handshakes: `${opts.concurrency} concurrent loops; one count = GET open + POST 40 + GET CONNECT reply + POST close (1); ws: the same four requests on a bare node:http handler`,
      memory: `${opts.idleSessions} WebSocket sessions held open (Socket.IO: connected to /), child heapUsed/rss delta after forced GC, divided by the session count`,
      cpu: "server CPU per op: the server child's user+system CPU time over a timed round divided by the operations completed (less sensitive to a shared machine's load than throughput)",
      medians: "each figure is the median over the timed rounds; rounds of different servers are interleaved",
    },
    unavailable,
    results,
  };
  writeFileSync(path, JSON.stringify(doc, null, 2) + "\n");
}
