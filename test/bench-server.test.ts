/**
 * Smoke test of `npm run bench:server`: compiled on its own, run in --quick mode against the
 * bare ws server only, it must finish and report a number for every measurement. The figures'
 * sizes are not judged: a benchmark is not a timed test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
let outDir: string;

beforeAll(async () => {
  // Inside the repo (not the OS temp dir) so that the compiled files resolve node_modules.
  mkdirSync(join(repo, "dist-bench"), { recursive: true });
  outDir = mkdtempSync(join(repo, "dist-bench", "smoke-"));
  await run(
    process.execPath,
    [join(repo, "node_modules/typescript/bin/tsc"), "-p", "bench/server/tsconfig.json", "--outDir", outDir],
    {
      cwd: repo,
      timeout: 120_000,
    },
  );
}, 130_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("bench:server --quick", () => {
  it("measures the ws floor and writes every figure as a number", async () => {
    const json = join(outDir, "server.json");
    const { stdout } = await run(
      process.execPath,
      [
        join(outDir, "bench/server.js"),
        "--quick",
        "--only=ws",
        "--rounds=1",
        "--round-ms=150",
        "--warmup-ms=50",
        "--sessions=50",
        `--out=${json}`,
      ],
      { cwd: repo, timeout: 60_000 },
    );
    expect(stdout).toContain("WebSocket echo, 1 in flight");
    const doc = JSON.parse(readFileSync(json, "utf8")) as {
      results: Array<{ id: string; servers: { ws?: { median: number; extra: Record<string, number> } } }>;
    };
    expect(doc.results.map((r) => r.id)).toEqual([
      "ws-echo-w1",
      "ws-echo-w16",
      "polling-rtt",
      "handshakes",
      "memory-idle",
    ]);
    for (const result of doc.results) {
      const ws = result.servers.ws;
      expect(ws, result.id).toBeDefined();
      expect(Number.isFinite(ws!.median), result.id).toBe(true);
      for (const [key, value] of Object.entries(ws!.extra))
        expect(Number.isFinite(value), `${result.id} ${key}`).toBe(true);
      if (result.id !== "memory-idle") expect(ws!.median, result.id).toBeGreaterThan(0);
    }
  }, 70_000);
});
