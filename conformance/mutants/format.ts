/**
 * The kill matrix as plain text: one row per case, one column per mutant (numbered, with a
 * legend), a mark where the mutant kills the case, then the kill rate and the mutant count.
 */
import type { Verdict } from "../case.js";
import { INVISIBLE_MUTANTS } from "./catalogue.js";
import { baselineOf, isKill, killsAt, summarise, type KillMatrix } from "./matrix.js";

/** The mark of one cell: `X` killed (fail), `W` killed (warn), else the verdict's lower-case letter or `.` for pass. */
export function cellMark(baseline: Verdict, verdict: Verdict): string {
  if (isKill(baseline, verdict)) return verdict === "warn" ? "W" : "X";
  switch (verdict) {
    case "pass":
    case "info":
      return ".";
    case "skip":
      return "-";
    default:
      return verdict[0]!; // f / w against a baseline that did not pass, e for error
  }
}

/** Renders the whole matrix, its legend and its summary. */
export function formatMatrix(matrix: KillMatrix): string {
  const n = matrix.mutants.length;
  const width = Math.max(...matrix.cases.map((c) => c.id.length), 10);
  const numbers = matrix.mutants.map((_, i) => String(i + 1).padStart(2, " "));
  const lines: string[] = [];
  lines.push(" ".repeat(width + 1) + numbers.map((s) => s[0]).join(""));
  lines.push(" ".repeat(width + 1) + numbers.map((s) => s[1]).join("") + "  kills");
  matrix.cases.forEach((c, ci) => {
    const base = matrix.baseline[ci]!;
    const marks = matrix.mutants.map((_, mi) => cellMark(baselineOf(matrix, mi)[ci]!, matrix.cells[ci]![mi]!)).join("");
    const count = matrix.mutants.filter((_, mi) => killsAt(matrix, ci, mi)).length;
    const note = base === "pass" || base === "info" ? "" : `  (baseline ${base})`;
    lines.push(`${c.id.padEnd(width)} ${marks}  ${count}${note}`);
  });
  lines.push("");
  lines.push("Mutants (X: killed with fail, W: killed with warn, .: pass, -: skip, e: error):");
  matrix.mutants.forEach((m, i) => {
    const kills = matrix.cases.filter((_, ci) => killsAt(matrix, ci, i)).length;
    const invisible = INVISIBLE_MUTANTS[m.id] ? " [invisible by design]" : "";
    const configured = m.config ? ` [own configuration: ${JSON.stringify(m.config.options)}]` : "";
    lines.push(
      `${String(i + 1).padStart(3)} ${m.id}${m.rule ? ` (${m.rule})` : ""}: kills ${kills} case(s), ${(matrix.mutantDurationMs[i]! / 1000).toFixed(1)} s${invisible}${configured}`,
    );
  });
  const s = summarise(matrix);
  lines.push("");
  lines.push(`Mutants: ${n}`);
  lines.push(
    `Kill rate: ${s.killed}/${s.total} cases killed by at least one mutant (${(100 * s.killRate).toFixed(1)} %)`,
  );
  if (s.unkilled.length > 0) lines.push(`Killed by no mutant (${s.unkilled.length}): ${s.unkilled.join(", ")}`);
  if (s.useless.length > 0) lines.push(`Mutants that kill no case (${s.useless.length}): ${s.useless.join(", ")}`);
  if (s.baselineNotPassing.length > 0)
    lines.push(
      `Not passing against the reference server: ${s.baselineNotPassing.map((b) => `${b.id} (${b.verdict})`).join(", ")}`,
    );
  lines.push(`Wall time: ${(matrix.durationMs / 1000).toFixed(1)} s`);
  return lines.join("\n");
}
