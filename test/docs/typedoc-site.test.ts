/**
 * The site's typedoc setup on a few hand-made pages: a link to a rule's explicit `<a id>`
 * anchor passes, a link to an anchor or a page that does not exist fails the build (warnings
 * are errors), and a page lands at the path its front matter names. Uses the real typedoc.json
 * with a one-export API, so each run takes a second or two.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Logger, LogLevel } from "typedoc";
import { afterAll, describe, expect, it } from "vitest";
import { runTypedoc, type TypedocResult } from "../../scripts/docs/run-typedoc.js";
import { repoRoot } from "../support/repo-root.js";

/** Keeps typedoc's messages for the assertions instead of printing them. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(message);
  }
}

const root = repoRoot();
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const RULES_PAGE = `---
title: "Rules"
path: "spec/rules"
---
# Rules

<a id="R-01"></a>**R-01** (MUST) A rule.
`;

/** Builds a site of a landing page (with `body`) and one rules page; returns typedoc's verdict and messages. */
async function site(body: string): Promise<{ result: TypedocResult; messages: string[]; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sockspec-typedoc-"));
  dirs.push(dir);
  const files: Record<string, string> = { "index.md": `# Home\n\n${body}\n`, "spec/rules.md": RULES_PAGE };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, "pages", path)), { recursive: true });
    await writeFile(join(dir, "pages", path), text);
  }
  // typedoc reads the tsconfig named in its options file: a file extending the site's swaps it.
  const config = join(dir, "typedoc.json");
  await writeFile(
    config,
    JSON.stringify({
      extends: [join(root, "typedoc.json")],
      entryPoints: [join(root, "test/docs/fixtures/api.ts")],
      tsconfig: join(root, "test/docs/fixtures/tsconfig.json"),
      intentionallyNotExported: [],
    }),
  );
  const logger = new CollectingLogger();
  const out = join(dir, "site");
  const result = await runTypedoc({
    root,
    staging: join(dir, "pages"),
    documents: ["spec/rules.md"],
    out,
    config,
    logger,
    overrides: { logLevel: "Error" },
  });
  return { result, messages: logger.messages, out };
}

describe("typedoc with the site's options", () => {
  it("accepts a link to a rule's explicit anchor and writes the page at its front-matter path", async () => {
    const { result, messages, out } = await site("See [R-01](spec/rules.md#R-01).");
    expect(messages).toEqual([]);
    expect(result.ok).toBe(true);
    expect(existsSync(join(out, "spec", "rules.html"))).toBe(true);
  }, 60_000);

  it("fails the build on a link to an anchor that does not exist", async () => {
    const { result, messages } = await site("See [R-99](spec/rules.md#R-99).");
    expect(result).toMatchObject({ ok: false, failedAt: "render" });
    expect(messages.join("\n")).toMatch(/R-99.*anchor does not exist/);
  }, 60_000);

  it("fails the build on a link to a page that does not exist", async () => {
    const { result, messages } = await site("See [the v3 rules](spec/v3.md).");
    expect(result.ok).toBe(false);
    expect(messages.join("\n")).toMatch(/spec\/v3\.md/);
  }, 60_000);
});
