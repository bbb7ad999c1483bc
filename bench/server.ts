/**
 * `npm run bench:server`: the reference server against the official socket.io@4 server and a
 * bare `ws` echo server, side by side in one run. Each server runs in its own child process;
 * this process is the client driver. Prints absolute figures, ratios and targets, and writes
 * bench-results/server.json. Options: see bench/server/options.ts (`--quick` for a smoke run).
 */
import { resolve, dirname } from "node:path";
import { startChild, type ServerChild, type TargetName } from "./server/children.js";
import { METRICS } from "./server/metrics.js";
import type { RoundResult } from "./server/metrics.js";
import { parseOptions } from "./server/options.js";
import { formatTable, summarise, writeJson, type MetricResult } from "./server/report.js";
import { summariseProfiles } from "./server/profile-summary.js";
import { checkEcho } from "./server/wire.js";

function log(text: string): void {
  process.stderr.write(text + "\n");
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    log((err as Error).message);
    return 2;
  }
  const startedAt = new Date();
  const profileDir = resolve(dirname(opts.out), "profiles");
  const children: ServerChild[] = [];
  const unavailable: Partial<Record<TargetName, string>> = {};
  try {
    for (const name of opts.targets) {
      const started = await startChild(name, opts.cpuProfile.includes(name) ? { cpuProfileDir: profileDir } : {});
      if ("unavailable" in started) {
        unavailable[name] = started.unavailable;
        log(`${name}: not available (${started.unavailable}); left out`);
        continue;
      }
      await checkEcho(started.port, started.protocol);
      children.push(started);
      log(`${name}: listening on 127.0.0.1:${started.port} (${started.protocol})`);
    }
    if (children.length === 0) {
      log("no server could be started");
      return 1;
    }

    const results: MetricResult[] = [];
    const unknown = opts.metrics.filter((id) => !METRICS.some((m) => m.id === id));
    if (unknown.length > 0) {
      log(`unknown measurement(s): ${unknown.join(", ")}; known: ${METRICS.map((m) => m.id).join(", ")}`);
      return 2;
    }
    for (const metric of METRICS.filter((m) => opts.metrics.length === 0 || opts.metrics.includes(m.id))) {
      const measured = children.filter((c) => metric.appliesTo(c.name));
      const rounds: Partial<Record<TargetName, RoundResult[]>> = {};
      for (const child of measured) {
        rounds[child.name] = [];
        await metric.warmup(child, opts);
      }
      // Interleave the servers' rounds, rotating who goes first, so that a slow patch of the
      // (shared) machine does not land on one server alone.
      const count = metric.rounds(opts);
      for (let round = 0; round < count; round++) {
        for (let i = 0; i < measured.length; i++) {
          const child = measured[(i + round) % measured.length]!;
          rounds[child.name]!.push(await metric.round(child, opts));
        }
      }
      const result = summarise(metric, rounds);
      results.push(result);
      log(
        `${metric.label}: ${measured.map((c) => `${c.name} ${Math.round(result.servers[c.name]?.median ?? 0)}`).join(", ")} ${metric.unit}`,
      );
    }

    const names = opts.targets.filter((n) => children.some((c) => c.name === n));
    process.stdout.write(
      `\nServer benchmark (${opts.quick ? "quick" : "full"}; medians of ${opts.rounds} rounds x ${opts.roundMs} ms, memory: ${opts.memoryRounds} x ${opts.idleSessions} sessions)\n\n`,
    );
    process.stdout.write(formatTable(results, names) + "\n\n");
    for (const [name, reason] of Object.entries(unavailable))
      process.stdout.write(`${name}: not measured (${reason})\n`);
    writeJson(opts.out, opts, results, unavailable, startedAt);
    process.stdout.write(`results written to ${opts.out}\n`);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
  if (opts.cpuProfile.length > 0) process.stdout.write("\n" + summariseProfiles(profileDir, 25) + "\n");
  return 0;
}

process.exitCode = await main();
