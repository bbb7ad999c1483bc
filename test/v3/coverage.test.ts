// The version 3 chapters (in allCases since their fault switches exist): each case's level is its
// strongest rule's. Every MUST they must cite, and a fault of its own for each, is held by
// test/conformance-core/coverage.test.ts; their preconditions by preconditions.test.ts.
import { describe, expect, it } from "vitest";
import { v3Cases } from "../../conformance/cases/index.js";
import { rules } from "../../conformance/generated/rules.js";

type RuleId = keyof typeof rules;
const RANK = { MAY: 0, SHOULD: 1, MUST: 2 } as const;

describe("the version 3 chapters", () => {
  it("cite only rules that exist, at the level of the strongest", () => {
    for (const c of v3Cases) {
      for (const id of c.rules) expect(Object.hasOwn(rules, id), `${c.id} cites ${id}`).toBe(true);
      const strongest = Math.max(...c.rules.map((id) => RANK[rules[id as RuleId].level as keyof typeof RANK]));
      expect(RANK[c.level], `${c.id} is ${c.level}`).toBe(strongest);
    }
  });

  it("have IDs of their own, eio3.* or sio4.*", () => {
    for (const c of v3Cases) expect(c.id).toMatch(/^(?:eio3|sio4)\.[a-z0-9-]+\.[a-z0-9-]+$/);
  });
});
