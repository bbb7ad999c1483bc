/**
 * Reads the .cpuprofile files a `--cpu-prof` run leaves and lists the functions with the most
 * self time, so a missed target can be traced to its hottest code.
 * Also runnable alone: `node dist-bench/bench/server/profile-summary.js <dir> [top]`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function (name + file + line), in ms, from one profile. */
function selfTimes(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "node_modules/").replace(/^.*\/dist-bench\//, "");
    const key = `${functionName || "(anonymous)"}  ${file || "(native)"}${file ? `:${lineNumber + 1}` : ""}`;
    times.set(key, (times.get(key) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0) / 1000);
  }
  return times;
}

/** A text summary of every profile in `dir`: the `top` functions by self time, with their share. */
export function summariseProfiles(dir: string, top = 25): string {
  if (!existsSync(dir)) return `no profiles in ${dir}`;
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) return `no profiles in ${dir}`;
  const out: string[] = [];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
    const times = selfTimes(profile);
    const total = [...times.values()].reduce((a, b) => a + b, 0);
    const busy = [...times.entries()].filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(program)"));
    const busyTotal = busy.reduce((a, [, v]) => a + v, 0);
    out.push(`${join(dir, file)}: ${total.toFixed(0)} ms sampled, ${busyTotal.toFixed(0)} ms busy (excluding idle/program)`);
    for (const [name, ms] of busy.sort((a, b) => b[1] - a[1]).slice(0, top)) {
      out.push(`  ${ms.toFixed(1).padStart(8)} ms  ${((100 * ms) / busyTotal).toFixed(1).padStart(5)}%  ${name}`);
    }
  }
  return out.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [dir = "bench-results/profiles", top = "25"] = process.argv.slice(2);
  process.stdout.write(summariseProfiles(dir, Number(top)) + "\n");
}
