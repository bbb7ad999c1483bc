/**
 * The rule changelog's two sources: the Level sentences of the spec's Notes, in the phrasings
 * the spec editors use, and the comparison of two versions of the rule index; then how the
 * site merges them per rule.
 */
import { describe, expect, it } from "vitest";
import {
  diffVersions,
  hasChanges,
  parseLevelNote,
  type Changelog,
  type IndexVersion,
} from "../../scripts/docs/changelog.js";
import { levelChangesByRule } from "../../scripts/docs/site.js";

const known = new Set([
  "EIO4-HANDSHAKE-04",
  "EIO4-HANDSHAKE-13",
  "EIO4-PACKET-07",
  "SIO5-PACKET-04",
  "SIO5-PACKET-08",
  "SIO5-PACKET-09",
]);

describe("Level notes", () => {
  it("reads a level change with its date, levels and reason", () => {
    const note = parseLevelNote(
      {
        id: "EIO4-PACKET-07",
        note: "The official server ignores data. Level: MUST until 2026-12; now SHOULD, because no official client rejects data after them.",
      },
      known,
    );
    expect(note).toMatchObject({
      rule: "EIO4-PACKET-07",
      kind: "changed",
      date: "2026-12",
      from: "MUST",
      to: "SHOULD",
      related: [],
    });
    expect(note!.text).toBe("MUST until 2026-12; now SHOULD, because no official client rejects data after them.");
  });

  it("reads a split and the rules that took over part of the rule", () => {
    const note = parseLevelNote(
      {
        id: "EIO4-HANDSHAKE-04",
        note: "Level: split on 2026-12; integers of at least 1 are now EIO4-HANDSHAKE-13 (SHOULD). See EIO9-NOPE-01.",
      },
      known,
    );
    expect(note).toMatchObject({ kind: "split", date: "2026-12", related: ["EIO4-HANDSHAKE-13"] });
  });

  it("keeps the NOT of a negated level", () => {
    const note = parseLevelNote(
      {
        id: "SIO5-PACKET-04",
        note: "Level: the client's clause was MUST NOT until 2026-12; now SHOULD NOT, because it binds only a client.",
      },
      known,
    );
    expect(note).toMatchObject({ kind: "changed", from: "MUST NOT", to: "SHOULD NOT" });
  });

  it("keeps an undated or free-form level remark as a clarification", () => {
    expect(
      parseLevelNote(
        { id: "SIO5-PACKET-08", note: "Level: the close that follows is SIO5-PACKET-04's, a SHOULD." },
        known,
      ),
    ).toMatchObject({ kind: "clarified", related: ["SIO5-PACKET-04"] });
    expect(parseLevelNote({ id: "SIO5-PACKET-08", note: "The official parser is lenient." }, known)).toBeUndefined();
  });
});

const v = (sha: string, rules: IndexVersion["rules"]): IndexVersion => ({
  sha,
  date: "2026-12-05",
  subject: `commit ${sha}`,
  rules,
});

describe("versions of the rule index", () => {
  const first = v("a", [
    { id: "R-1", level: "MUST", text: "one" },
    { id: "R-2", level: "MUST", text: "two" },
    { id: "R-3", level: "SHOULD", text: "three" },
  ]);
  const second = v("b", [
    { id: "R-1", level: "SHOULD", provenance: "sockspec", text: "one" },
    { id: "R-2", level: "MUST", scope: "client", provenance: "official", text: "two, reworded" },
    { id: "R-4", level: "SHOULD", text: "four" },
  ]);

  it("lists every rule of the first version as added, and marks it initial", () => {
    const c = diffVersions(undefined, first);
    expect(c.initial).toBe(true);
    expect(c.added.map((r) => r.id)).toEqual(["R-1", "R-2", "R-3"]);
  });

  it("finds added, removed, level, scope and text changes; a provenance appearing is not a change", () => {
    const c = diffVersions(first, second);
    expect(c.added.map((r) => r.id)).toEqual(["R-4"]);
    expect(c.removed).toEqual(["R-3"]);
    expect(c.levels).toEqual([{ id: "R-1", from: "MUST", to: "SHOULD" }]);
    expect(c.scopes).toEqual([{ id: "R-2", to: "client" }]);
    expect(c.provenances).toEqual([]);
    expect(c.reworded).toEqual(["R-2"]);
    expect(hasChanges(diffVersions(second, { ...second, sha: "c" }))).toBe(false);
  });

  it("merges a git level change with the Note that explains it, and keeps a Note git cannot see", () => {
    const changelog: Changelog = {
      source: "git",
      versions: [{ ...diffVersions(first, second), sha: "b" }],
      notes: [
        {
          rule: "R-1",
          kind: "changed",
          date: "2026-12",
          from: "MUST",
          to: "SHOULD",
          related: [],
          text: "MUST until 2026-12; now SHOULD, because.",
        },
        { rule: "R-9", kind: "split", date: "2026-12", related: ["R-4"], text: "split on 2026-12; part is now R-4." },
      ],
    };
    const byRule = levelChangesByRule(changelog);
    expect(byRule.get("R-1")).toEqual([
      expect.objectContaining({
        rule: "R-1",
        from: "MUST",
        to: "SHOULD",
        date: "2026-12-05",
        commit: expect.objectContaining({ sha: "b" }),
        note: expect.objectContaining({ kind: "changed" }),
      }),
    ]);
    expect(byRule.get("R-9")).toEqual([
      expect.objectContaining({ rule: "R-9", date: "2026-12", note: expect.objectContaining({ kind: "split" }) }),
    ]);
  });
});
