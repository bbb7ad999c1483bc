/**
 * Reads the .cpuprofile files a `--cpu-prof` run leaves and lists the functions with the most
 * self time, so a missed target can be traced to its hottest code.
 * Also runnable alone: `node dist-bench/bench/server/profile-summary.js <dir> [top] [file filter for inclusive times]`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  children?: number[];
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
    const file = url
      .replace(/^file:\/\//, "")
      .replace(/^.*\/node_modules\//, "node_modules/")
      .replace(/^.*\/dist-bench\//, "");
    const key = `${functionName || "(anonymous)"}  ${file || "(native)"}${file ? `:${lineNumber + 1}` : ""}`;
    times.set(key, (times.get(key) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0) / 1000);
  }
  return times;
}

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^file:\/\//, "")
    .replace(/^.*\/node_modules\//, "node_modules/")
    .replace(/^.*\/dist-bench\//, "");
  return `${functionName || "(anonymous)"}  ${file || "(native)"}${file ? `:${lineNumber + 1}` : ""}`;
}

/**
 * Inclusive time (the function and everything it called) per function whose file contains
 * `fileFilter`, in ms: where the time of a project's own code really goes.
 */
export function inclusiveTimes(profile: CpuProfile, fileFilter: string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const times = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)!;
      if (!node.callFrame.url.includes(fileFilter)) continue;
      const key = keyOf(node);
      if (seen.has(key)) continue; // recursion counts once
      seen.add(key);
      times.set(key, (times.get(key) ?? 0) + ms);
    }
  }
  return times;
}

/** A text summary of every profile in `dir`: the `top` functions by self time, with their share. */
export function summariseProfiles(dir: string, top = 25, inclusiveFilter?: string): string {
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
    out.push(
      `${join(dir, file)}: ${total.toFixed(0)} ms sampled, ${busyTotal.toFixed(0)} ms busy (excluding idle/program)`,
    );
    for (const [name, ms] of busy.sort((a, b) => b[1] - a[1]).slice(0, top)) {
      out.push(`  ${ms.toFixed(1).padStart(8)} ms  ${((100 * ms) / busyTotal).toFixed(1).padStart(5)}%  ${name}`);
    }
    if (inclusiveFilter) {
      out.push(`  inclusive time of functions in files matching "${inclusiveFilter}":`);
      const incl = [...inclusiveTimes(profile, inclusiveFilter).entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
      for (const [name, ms] of incl)
        out.push(`  ${ms.toFixed(1).padStart(8)} ms  ${((100 * ms) / busyTotal).toFixed(1).padStart(5)}%  ${name}`);
    }
  }
  return out.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [dir = "bench-results/profiles", top = "25", inclusive] = process.argv.slice(2);
  process.stdout.write(summariseProfiles(dir, Number(top), inclusive) + "\n");
}
