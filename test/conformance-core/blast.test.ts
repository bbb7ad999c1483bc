// The blast radius arithmetic on a hand-made matrix: what counts as failing, as blocked, as off-rule.
import type { FaultId } from "../../reference/faults/index.js";
import { describe, expect, it } from "vitest";
import { blastRadius, blastSummary, formatBlast, related } from "../../conformance/mutants/blast.js";
import type { KillMatrix } from "../../conformance/mutants/matrix.js";
import type { Verdict } from "../../conformance/case.js";

function matrixOf(cells: Verdict[][], baseline: Verdict[]): KillMatrix {
  return {
    cases: [
      { id: "t.a.post", level: "MUST", chapter: "t" },
      { id: "t.a.echo", level: "MUST", chapter: "t" },
      { id: "t.a.batch", level: "SHOULD", chapter: "t" },
    ],
    mutants: [
      {
        id: "eio:post-ok-wrong-body",
        layer: "engine.io",
        fault: "post-ok-wrong-body",
        rule: "EIO4-POLLING-02",
        options: {},
        seams: {},
      },
      {
        id: "eio:other" as FaultId,
        layer: "engine.io",
        fault: "other",
        rule: "EIO4-PACKET-09",
        options: {},
        seams: {},
      },
    ],
    baseline,
    configBaselines: {},
    cells,
    durationMs: 0,
    mutantDurationMs: [0, 0],
  };
}

describe("blast radius", () => {
  const caseRules = new Map([
    ["t.a.post", ["EIO4-POLLING-02"]],
    ["t.a.echo", ["EIO4-PACKET-09"]],
    ["t.a.batch", ["EIO4-POLLING-06"]],
  ]);

  it("counts fails and warns against a passing baseline, counts blocked apart, and names off-rule failures", () => {
    // rows: cases; columns: mutants
    const m = matrixOf(
      [
        ["fail", "pass"],
        ["blocked", "fail"],
        ["warn", "blocked"],
      ],
      ["pass", "pass", "info"],
    );
    const [post, other] = blastRadius(m, caseRules);
    expect(post).toEqual({
      mutant: "eio:post-ok-wrong-body",
      rule: "EIO4-POLLING-02",
      failing: ["t.a.post", "t.a.batch"],
      offRule: ["t.a.batch"],
      blocked: 1,
    });
    expect(other).toEqual({
      mutant: "eio:other",
      rule: "EIO4-PACKET-09",
      failing: ["t.a.echo"],
      offRule: [],
      blocked: 1,
    });
    expect(blastSummary([post!, other!])).toEqual({ max: 2, median: 1.5 });
    expect(formatBlast([post!, other!])).toContain("off-rule: t.a.batch");
  });

  it("does not count a case whose baseline did not pass", () => {
    const m = matrixOf(
      [
        ["fail", "fail"],
        ["pass", "pass"],
        ["pass", "pass"],
      ],
      ["skip", "pass", "pass"],
    );
    expect(blastRadius(m, caseRules).map((b) => b.failing.length)).toEqual([0, 0]);
  });

  it("relates two rules when either one's text or Note names the other", () => {
    expect(related("EIO4-POLLING-02", "EIO4-POLLING-02")).toBe(true);
    expect(related("EIO4-HANDSHAKE-12", "EIO4-TRANSPORT-06")).toBe(true); // HANDSHAKE-12 cites TRANSPORT-06
    expect(related("EIO4-TRANSPORT-06", "EIO4-HANDSHAKE-12")).toBe(true);
    expect(related("EIO4-POLLING-02", "EIO4-HEARTBEAT-01")).toBe(false);
  });
});
