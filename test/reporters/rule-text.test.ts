import { describe, expect, it } from "vitest";
import { ruleHref, specRule } from "../../conformance/reporters/rule-text.js";

describe("rule lookup", () => {
  it("finds a rule of the generated spec index and links to its anchor", () => {
    const rule = specRule("EIO4-HANDSHAKE-02");
    expect(rule).toMatchObject({ level: "MUST", file: "spec/engine.io-v4.md" });
    expect(rule!.text.length).toBeGreaterThan(10);
    expect(ruleHref("EIO4-HANDSHAKE-02", rule)).toBe("spec/engine.io-v4.md#EIO4-HANDSHAKE-02");
  });

  it("answers undefined for an unknown ID, including inherited property names", () => {
    for (const id of ["X-UNKNOWN-1", "constructor", "__proto__", "toString", ""]) expect(specRule(id)).toBeUndefined();
    expect(ruleHref("X-UNKNOWN-1", undefined)).toBeUndefined();
    expect(ruleHref("A-1", { level: "MUST", file: "operations.md", chapter: "", text: "" })).toBe(
      "spec/operations.md#A-1",
    );
  });
});
