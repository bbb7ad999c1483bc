/**
 * The blast radius of each mutant: how many cases one fault makes fail. The suite promises one
 * fault, one failure: a fault makes the cases of its own rule fail (or of a rule the spec ties
 * to it) and only blocks the rest. A case that fails on a rule unrelated to the fault is a
 * precondition the case judges as if it were its own rule.
 */
import { baselineOf, isKill, type KillMatrix } from "./matrix.js";
import { related } from "./related.js";

export { related };

/** Limits the suite holds itself to, on its own mutants. */
export const BLAST_LIMITS = { max: 8, median: 3 } as const;

/** One mutant's blast. */
export interface Blast {
  mutant: string;
  /** The rule the mutant's fault breaks. */
  rule: string | undefined;
  /** Cases that pass against the baseline and fail (or warn) against the mutant. */
  failing: string[];
  /** Of those, the cases that cite neither the fault's rule nor a rule related to it. */
  offRule: string[];
  /** Cases blocked against the mutant (they point at the case of the broken precondition). */
  blocked: number;
}

/** The blast of every mutant of the matrix, in the matrix's mutant order. */
export function blastRadius(matrix: KillMatrix, caseRules: ReadonlyMap<string, readonly string[]>): Blast[] {
  return matrix.mutants.map((m, mi) => {
    const base = baselineOf(matrix, mi);
    const failing: string[] = [];
    let blocked = 0;
    matrix.cases.forEach((c, ci) => {
      const verdict = matrix.cells[ci]![mi]!;
      if (isKill(base[ci]!, verdict)) failing.push(c.id);
      else if (verdict === "blocked") blocked++;
    });
    const offRule = m.rule ? failing.filter((id) => !(caseRules.get(id) ?? []).some((r) => related(r, m.rule!))) : [];
    return { mutant: m.id, rule: m.rule, failing, offRule, blocked };
  });
}

/** The largest and the median number of failing cases per mutant (mutants that fail nothing count). */
export function blastSummary(blasts: readonly Blast[]): { max: number; median: number } {
  const counts = blasts.map((b) => b.failing.length).sort((a, b) => a - b);
  if (counts.length === 0) return { max: 0, median: 0 };
  const mid = Math.floor(counts.length / 2);
  const median = counts.length % 2 === 1 ? counts[mid]! : (counts[mid - 1]! + counts[mid]!) / 2;
  return { max: counts[counts.length - 1]!, median };
}

/** The blast table as text: one row per mutant, widest blast first, with the off-rule cases named. */
export function formatBlast(blasts: readonly Blast[]): string {
  const { max, median } = blastSummary(blasts);
  const width = Math.max(...blasts.map((b) => b.mutant.length), 10);
  const lines = [
    `Blast radius (cases failing per mutant; limits: max ${BLAST_LIMITS.max}, median ${BLAST_LIMITS.median}):`,
  ];
  lines.push(`${"mutant".padEnd(width)}  fail  blocked  off-rule  rule`);
  for (const b of [...blasts].sort((x, y) => y.failing.length - x.failing.length || x.mutant.localeCompare(y.mutant))) {
    const over = b.failing.length > BLAST_LIMITS.max ? "  OVER" : "";
    lines.push(
      `${b.mutant.padEnd(width)}  ${String(b.failing.length).padStart(4)}  ${String(b.blocked).padStart(7)}  ${String(b.offRule.length).padStart(8)}  ${b.rule ?? "—"}${over}`,
    );
    if (b.offRule.length > 0) lines.push(`${"".padEnd(width)}    off-rule: ${b.offRule.join(", ")}`);
  }
  lines.push(`max ${max}, median ${median}`);
  return lines.join("\n");
}
