// Mutation testing of the conformance suite: the whole suite against every mutant of the
// reference server (one fault switch on each). Every case must be killed by some mutant (fail,
// or warn for a SHOULD/MAY case) — a case no mutant can make fail checks nothing — and every
// mutant must kill some case — a fault the suite cannot see is a hole in the suite.
import { beforeAll, describe, expect, it } from "vitest";
import { allCases } from "../conformance/cases/index.js";
import { blastRadius, blastSummary, BLAST_LIMITS, formatBlast, type Blast } from "../conformance/mutants/blast.js";
import { allMutants, INVISIBLE_MUTANTS } from "../conformance/mutants/catalogue.js";
import { formatMatrix } from "../conformance/mutants/format.js";
import { runKillMatrix, summarise, type KillMatrix } from "../conformance/mutants/matrix.js";
import { REFERENCE_SKIPS } from "../conformance/mutants/skips.js";
import { FAULTS } from "../reference/faults/index.js";

let matrix: KillMatrix;
let blasts: Blast[];

beforeAll(async () => {
  // Three mutant servers at once: each run mostly waits on protocol timers, and the timing project
  // gives this file the machine to itself.
  matrix = await runKillMatrix({ parallel: 3 });
  blasts = blastRadius(matrix, new Map(allCases.map((c) => [c.id, c.rules])));
  console.log(formatMatrix(matrix) + "\n\n" + formatBlast(blasts));
}, 660_000);

describe("the kill matrix of the conformance suite", () => {
  it("has one mutant per fault switch of both layers", () => {
    expect(matrix.mutants.length).toBe(FAULTS.size);
    expect(new Set(allMutants().map((m) => m.id)).size).toBe(matrix.mutants.length);
  });

  it("judges against a baseline where every case passes (but the listed skips)", () => {
    expect(
      summarise(matrix).baselineNotPassing.filter(
        (b) => !(b.verdict === "skip" && REFERENCE_SKIPS[b.id] !== undefined),
      ),
    ).toEqual([]);
  });

  it("kills every case with at least one mutant", () => {
    expect(summarise(matrix).unkilled).toEqual([]);
  });

  it("keeps each fault's blast small: at most 8 cases fail per mutant, 3 at the median", () => {
    const { max, median } = blastSummary(blasts);
    expect(
      blasts.filter((b) => b.failing.length > BLAST_LIMITS.max).map((b) => `${b.mutant}: ${b.failing.length}`),
    ).toEqual([]);
    expect(max).toBeLessThanOrEqual(BLAST_LIMITS.max);
    expect(median).toBeLessThanOrEqual(BLAST_LIMITS.median);
  });

  it("shows each fault on its own rule: every mutant fails a case that cites the rule it breaks", () => {
    const caseRules = new Map(allCases.map((c) => [c.id, c.rules]));
    const silent = blasts.filter(
      (b) =>
        b.rule &&
        INVISIBLE_MUTANTS[b.mutant] === undefined &&
        !b.failing.some((id) => caseRules.get(id)?.includes(b.rule!)),
    );
    expect(silent.map((b) => `${b.mutant} (${b.rule}): fails ${b.failing.join(", ") || "nothing"}`)).toEqual([]);
  });

  it("fails only cases that cite the fault's rule or a rule the spec ties to it; the rest are blocked", () => {
    expect(
      blasts.filter((b) => b.offRule.length > 0).map((b) => `${b.mutant} (${b.rule}): ${b.offRule.join(", ")}`),
    ).toEqual([]);
  });

  it("has no mutant that kills no case (but the invisible ones, which must indeed kill none)", () => {
    const useless = summarise(matrix).useless;
    expect(useless.filter((id) => INVISIBLE_MUTANTS[id] === undefined)).toEqual([]);
    expect(
      Object.keys(INVISIBLE_MUTANTS).filter((id) => !useless.includes(id)),
      "invisible mutants that kill a case after all",
    ).toEqual([]);
  });
});
