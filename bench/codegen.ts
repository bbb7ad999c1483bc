/**
 * Codegen benchmark: the validators `sockspec codegen` generates (ajv standalone code) against
 * zod 4 (what zod-sockets validates with), on the same schemas and the same argument lists.
 * Prints ops/s for each and their ratio (generated / zod); the target is 5x or more.
 *
 *   npm run bench:codegen [-- --filter <text>] [--rounds <n>] [--round-ms <ms>] [--json]
 *
 * The generated package is written to a temporary folder and imported like any app would. Before
 * timing, both sides must agree on every case (valid ones accepted, invalid ones refused), so the
 * comparison is of the same work. This is a measurement, never a test: it prints and exits 0.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkCatalogue } from "../codegen/catalogue/load.js";
import { generatePackage } from "../codegen/emit/generate.js";
import { writePackage } from "../codegen/emit/write.js";
import type { ValidationTable } from "../codegen/runtime/check.js";
import { measure, parseOptions, type BenchResult } from "./codec.js";
import { benchCatalogue, validationCases, zodSchemas } from "./codegen-cases.js";

/** The generated validation table, from a package written and imported the way an app would. */
async function generatedTable(): Promise<{ table: ValidationTable; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "sockspec-bench-codegen-"));
  const catalogue = checkCatalogue(benchCatalogue, "bench catalogue");
  await writePackage(
    join(dir, "pkg"),
    await generatePackage(catalogue, { lang: "js", source: "bench", runtimeOnly: true }),
  );
  const module = (await import(pathToFileURL(join(dir, "pkg", "validators.js")).href)) as { table: ValidationTable };
  return { table: module.table, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function printTable(results: BenchResult[]): void {
  const header = ["case", "generated ops/s", "zod 4 ops/s", "ratio"];
  const rows = results.map((r) => [
    r.name,
    Math.round(r.oursOpsPerSec).toLocaleString("en-US"),
    Math.round(r.officialOpsPerSec).toLocaleString("en-US"),
    `${r.ratio.toFixed(1)}x`,
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
  const { table, cleanup } = await generatedTable();
  try {
    const results: BenchResult[] = [];
    for (const c of validationCases.filter((v) => !options.filter || v.name.includes(options.filter))) {
      const validate = table["/"]![c.direction][c.event]!.args;
      const zod = zodSchemas[c.event]!;
      // Same verdict on both sides, or the timing compares different work.
      if (validate(c.args) !== c.valid || zod.safeParse(c.args).success !== c.valid)
        throw new Error(`${c.name}: the two validators disagree`);
      results.push(
        measure({ name: c.name, ours: () => validate(c.args), official: () => zod.safeParse(c.args) }, options),
      );
      if (!options.json) process.stderr.write(".");
    }
    const geomean = Math.exp(results.reduce((sum, r) => sum + Math.log(r.ratio), 0) / Math.max(1, results.length));
    if (options.json) {
      console.log(
        JSON.stringify(
          { node: process.version, rounds: options.rounds, roundMs: options.roundMs, geomean, results },
          null,
          2,
        ),
      );
      return;
    }
    process.stderr.write("\n");
    console.log(
      `codegen validators vs zod 4, Node ${process.version}, median of ${options.rounds} rounds of ~${options.roundMs} ms (ratio = generated / zod)\n`,
    );
    printTable(results);
    const lowest = results.reduce<BenchResult | undefined>(
      (min, r) => (!min || r.ratio < min.ratio ? r : min),
      undefined,
    );
    console.log(
      `\ngeometric mean ratio: ${geomean.toFixed(1)}x; lowest: ${lowest ? `${lowest.ratio.toFixed(1)}x (${lowest.name})` : "-"}; target: 5x`,
    );
  } finally {
    await cleanup();
  }
}

// Runs only as a script, so its parts can be imported without starting a run.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
