// The preconditions of the suite point somewhere real: each names a rule of the spec and a case
// that exists and cites that rule, so a server that breaks the precondition gets exactly that case
// failed and every other case that needs it blocked with a pointer there.
import { describe, expect, it } from "vitest";
import { allCases } from "../../conformance/cases/index.js";
import { rules } from "../../conformance/generated/rules.js";
import { PRECONDITIONS } from "../../conformance/preconditions.js";

describe("preconditions", () => {
  const byId = new Map(allCases.map((c) => [c.id, c]));

  it("each name a rule of the spec that binds the server", () => {
    const bad = Object.entries(PRECONDITIONS).filter(
      ([, p]) => !Object.hasOwn(rules, p.rule) || "scope" in rules[p.rule as keyof typeof rules],
    );
    expect(bad.map(([name, p]) => `${name}: ${p.rule}`)).toEqual([]);
  });

  it("each name a case that exists and cites the rule, so the case fails where the others are blocked", () => {
    const bad = Object.entries(PRECONDITIONS).filter(([, p]) => !byId.get(p.checkedBy)?.rules.includes(p.rule));
    expect(
      bad.map(
        ([name, p]) =>
          `${name}: ${p.checkedBy} ${byId.has(p.checkedBy) ? `does not cite ${p.rule}` : "does not exist"}`,
      ),
    ).toEqual([]);
  });

  it("name a checking case of the same level as the rule, so the blocked case points at a verdict that says what broke", () => {
    const levels = Object.entries(PRECONDITIONS).filter(
      ([, p]) => byId.get(p.checkedBy) && byId.get(p.checkedBy)!.level !== rules[p.rule as keyof typeof rules].level,
    );
    expect(
      levels.map(
        ([name, p]) =>
          `${name}: ${p.checkedBy} is ${byId.get(p.checkedBy)!.level}, ${p.rule} is ${rules[p.rule as keyof typeof rules].level}`,
      ),
    ).toEqual([]);
  });
});
