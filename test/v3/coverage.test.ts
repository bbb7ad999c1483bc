// The version 3 chapters cite every MUST of spec/engine.io-v3.md and spec/socket.io-v4.md, each
// case's level is its strongest rule's, and the preconditions they raise point at a v3 case that
// checks that rule (as test/conformance-core/coverage.test.ts and preconditions.test.ts hold the
// version 4 chapters; these join them when v3Cases joins allCases). Until then, the v3 cases stay
// out of allCases: the kill matrix and the docs' catalogue see what they saw before.
import { describe, expect, it } from "vitest";
import { allCases, v3Cases } from "../../conformance/cases/index.js";
import { rules } from "../../conformance/generated/rules.js";
import { V3_PRECONDITIONS } from "../../conformance/preconditions.js";

type RuleId = keyof typeof rules;
const RANK = { MAY: 0, SHOULD: 1, MUST: 2 } as const;

describe("the version 3 chapters", () => {
  it("cite every MUST of engine.io-v3.md and socket.io-v4.md", () => {
    const cited = new Set(v3Cases.flatMap((c) => c.rules));
    const musts = Object.entries(rules)
      .filter(([id, r]) => /^(?:EIO3|SIO4)-/.test(id) && r.level === "MUST" && !("scope" in r))
      .map(([id]) => id);
    expect(musts.length).toBeGreaterThan(30);
    expect(musts.filter((id) => !cited.has(id))).toEqual([]);
  });

  it("cite only rules that exist, at the level of the strongest", () => {
    for (const c of v3Cases) {
      for (const id of c.rules) expect(Object.hasOwn(rules, id), `${c.id} cites ${id}`).toBe(true);
      const strongest = Math.max(...c.rules.map((id) => RANK[rules[id as RuleId].level as keyof typeof RANK]));
      expect(RANK[c.level], `${c.id} is ${c.level}`).toBe(strongest);
    }
  });

  it("have IDs of their own, eio3.* or sio4.*, and stay out of allCases", () => {
    const ids = v3Cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(?:eio3|sio4)\.[a-z0-9-]+\.[a-z0-9-]+$/);
    expect(allCases.filter((c) => /^(?:eio3|sio4)\./.test(c.id))).toEqual([]);
  });

  it("raise preconditions that name a v3 case citing the rule, at the rule's level", () => {
    const byId = new Map(v3Cases.map((c) => [c.id, c]));
    const bad = Object.entries(V3_PRECONDITIONS)
      .filter(([, p]) => {
        const c = byId.get(p.checkedBy);
        return !c?.rules.includes(p.rule) || c.level !== rules[p.rule as RuleId].level;
      })
      .map(([name, p]) => `${name}: ${p.checkedBy} / ${p.rule}`);
    expect(bad).toEqual([]);
  });
});
