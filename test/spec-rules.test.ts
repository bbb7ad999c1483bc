import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildRuleIndex,
  collectRules,
  LEVELS,
  parseSpecRules,
  PROVENANCES,
  ruleIdPattern,
  SCOPES,
  specFiles,
} from "../scripts/rule-index.mjs";

const root = join(import.meta.dirname, "..");
const rules = collectRules(root);
const known = new Set(rules.map((r) => r.id));

/** Directories and files whose rule-shaped strings are not citations (or are the index itself). */
const SKIP_DIRS = new Set([
  "node_modules",
  "dist",
  ".git",
  "coverage",
  "docs/site",
  "reports",
  "test-artifacts",
  "spec",
  "conformance/generated",
]);
const SKIP_FILES = new Set(["spec/rules.json"]);
const TEXT_EXT = /\.(?:[cm]?[jt]s|tsx|json|md|ya?ml|html|css|txt|py|sh|toml)$/;

/** Every text file of the repository that may cite a rule, as paths relative to the root. */
function citingFiles(dir = root, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const rel = relative(root, full).split("\\").join("/");
    if (entry.isDirectory()) {
      // Build outputs (dist/, dist-bench/...) hold copies of sources, not citations of their own.
      if (!SKIP_DIRS.has(rel) && !SKIP_DIRS.has(entry.name) && !entry.name.startsWith("dist")) citingFiles(full, found);
    } else if (entry.isFile() && TEXT_EXT.test(entry.name) && !SKIP_FILES.has(rel) && statSync(full).size < 5_000_000) {
      found.push(rel);
    }
  }
  return found;
}

/** The rule IDs a text mentions that the spec does not define. */
function unknownIds(text: string): string[] {
  return [...new Set(text.match(ruleIdPattern()) ?? [])].filter((id) => !known.has(id));
}

describe("spec rules", () => {
  it("are found in every spec file that should have them", () => {
    const files = specFiles(root);
    for (const name of ["engine.io-v4.md", "socket.io-v5.md", "engine.io-v3.md", "socket.io-v4.md", "operations.md"]) {
      expect(files).toContain(`spec/${name}`);
      expect(rules.filter((r) => r.file === `spec/${name}`).length, name).toBeGreaterThan(0);
    }
  });

  it("have unique IDs, each the same in its anchor and its label", () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const r of rules) {
      const where = `${r.file}:${r.line}`;
      if (seen.has(r.id)) duplicates.push(`${r.id} at ${seen.get(r.id)} and ${where}`);
      seen.set(r.id, where);
    }
    expect(duplicates).toEqual([]);
    expect(rules.filter((r) => r.headingId !== r.id).map((r) => `${r.file}:${r.line}`)).toEqual([]);
  });

  it("have IDs of the form PREFIX-NN that match their file and chapter", () => {
    const prefixOf: Record<string, RegExp> = {
      "spec/engine.io-v4.md": /^EIO4-[A-Z]+-\d{2,}$/,
      "spec/socket.io-v5.md": /^SIO5-[A-Z]+-\d{2,}$/,
      "spec/engine.io-v3.md": /^EIO3-[A-Z]+-\d{2,}$/,
      "spec/socket.io-v4.md": /^SIO4-[A-Z]+-\d{2,}$/,
      "spec/operations.md": /^(?:DROP|STICKY|SEC)-\d{2,}$/,
    };
    const wrong = rules.filter((r) => prefixOf[r.file] !== undefined && !prefixOf[r.file]!.test(r.id));
    expect(wrong.map((r) => `${r.id} in ${r.file}`)).toEqual([]);
    // A versioned rule's chapter word is the first word of its chapter heading.
    const misplaced = rules.filter(
      (r) => /^(?:EIO|SIO)\d-/.test(r.id) && !r.chapter.startsWith(r.id.split("-")[1]! + " "),
    );
    expect(misplaced.map((r) => `${r.id} under "${r.chapter}"`)).toEqual([]);
  });

  it("each have a level and a text that uses that RFC 2119 keyword", () => {
    const bad: string[] = [];
    for (const r of rules) {
      if (!LEVELS.includes(r.level)) bad.push(`${r.id}: level ${r.level}`);
      else if (r.text.length < 20) bad.push(`${r.id}: no text`);
      else if (!new RegExp(`\\b${r.level}\\b`).test(r.text))
        bad.push(`${r.id}: (${r.level}) but its text never says ${r.level}`);
    }
    expect(bad).toEqual([]);
  });

  it("each state where their level comes from, and no MUST rests on our own choice alone", () => {
    const missing = rules.filter((r) => !r.provenance).map((r) => `${r.file}:${r.line} ${r.id}`);
    expect(missing, "rules without a `Provenance:` line").toEqual([]);
    const unknown = rules
      .filter((r) => r.provenance && !PROVENANCES.includes(r.provenance.kind))
      .map((r) => `${r.id}: ${r.provenance!.kind}`);
    expect(unknown).toEqual([]);
    const unearned = rules.filter((r) => r.level === "MUST" && r.provenance?.kind === "sockspec").map((r) => r.id);
    expect(unearned, "a sockspec rule is a SHOULD or a MAY: its Note says why we are stricter").toEqual([]);
    const official = rules.filter(
      (r) =>
        r.provenance?.kind === "official" &&
        !/^(?:engine|socket)\.io-protocol\/v\d[\w.-]*\.md § \S/.test(r.provenance.source),
    );
    expect(
      official.map((r) => `${r.id}: ${r.provenance!.source}`),
      "an official rule cites the document and its section",
    ).toEqual([]);
    expect(rules.filter((r) => r.scope && !SCOPES.includes(r.scope)).map((r) => `${r.id}: ${r.scope}`)).toEqual([]);
  });

  it("parse a rule paragraph the way the spec writes it", () => {
    // Built from parts so that this file cites no rule that does not exist.
    const [a, b, c] = ["EIO4-PACKET-" + "99", "EIO4-PACKET-" + "98", "EIO4-PACKET-" + "97"];
    const md = [
      "## 3. PACKET — Packets",
      "",
      `<a id="${a}"></a>**${a}** (SHOULD)`,
      `A sender SHOULD`,
      `do this (see ${c}).`,
      "Provenance: sockspec — one form is easier to check",
      "",
      "> **Note.** Level: MUST until 2026-12.",
      `> Compare ${b}.`,
      "",
      `<a id="${c}"></a>**${c}** (MUST, client)`,
      "A client MUST do that.",
      "",
      "```",
      `<a id="${b}"></a>**${b}** (MUST) inside a fence, not a rule`,
      "```",
    ].join("\n");
    expect(parseSpecRules(md, "spec/x.md")).toEqual([
      {
        id: a,
        level: "SHOULD",
        provenance: { kind: "sockspec", source: "one form is easier to check" },
        file: "spec/x.md",
        chapter: "PACKET — Packets",
        anchor: a,
        text: `A sender SHOULD do this (see ${c}).`,
        refs: [c, b],
        headingId: a,
        line: 3,
      },
      {
        id: c,
        level: "MUST",
        scope: "client",
        file: "spec/x.md",
        chapter: "PACKET — Packets",
        anchor: c,
        text: "A client MUST do that.",
        refs: [],
        headingId: c,
        line: 11,
      },
    ]);
  });

  it("include every rule ID cited anywhere in the repository", () => {
    const files = citingFiles();
    expect(files.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const file of files) {
      const ids = unknownIds(readFileSync(join(root, file), "utf8"));
      if (ids.length > 0) problems.push(`${file}: ${ids.join(", ")}`);
    }
    expect(problems, "files citing rule IDs that spec/ does not define").toEqual([]);
  });

  it("include every rule ID that the spec itself refers to", () => {
    const problems: string[] = [];
    for (const file of specFiles(root)) {
      const ids = unknownIds(readFileSync(join(root, file), "utf8"));
      if (ids.length > 0) problems.push(`${file}: ${ids.join(", ")}`);
    }
    expect(problems).toEqual([]);
  });

  it("are indexed in spec/rules.json and conformance/generated/rules.ts exactly as `npm run gen` makes them", () => {
    const stale: string[] = [];
    for (const [path, content] of buildRuleIndex(root)) {
      const full = join(root, path);
      if (!existsSync(full) || readFileSync(full, "utf8") !== content) stale.push(path);
    }
    expect(stale, "stale rule index: run `npm run gen`").toEqual([]);
    const json = JSON.parse(readFileSync(join(root, "spec/rules.json"), "utf8")) as { id: string }[];
    expect(json.map((r) => r.id)).toEqual(rules.map((r) => r.id));
  });
});
