/**
 * The link checker itself, on a tiny hand-made site: it must find a missing page, a missing
 * anchor and a path out of the site, and must not be fooled by markup shown as text.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSite, linksOf } from "./link-check.js";

/** A rule ID that does not exist, built from parts so that this file cites no unknown rule. */
const MISSING = "EIO4-WS-" + "99";

let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sockspec-links-"));
  await mkdir(join(dir, "spec"));
  await writeFile(
    join(dir, "index.html"),
    [
      '<a href="spec/v4.html#EIO4-WS-02">ok</a>',
      `<a href="spec/v4.html#${MISSING}">missing anchor</a>`,
      '<a href="spec/v3.html">missing page</a>',
      '<a href="../outside.html">outside</a>',
      '<a href="https://example.org/x.html#y">external</a>',
      '<a class="x" href="spec/">folder</a>',
      '<pre><code>&lt;a href="nowhere.html"&gt;</code></pre>',
      '<a href="#top">same page</a><div id="top"></div>',
    ].join("\n"),
  );
  await writeFile(
    join(dir, "spec", "v4.html"),
    '<p><a id="EIO4-WS-02"></a>rule</p><a href="../index.html#top">back</a>',
  );
  await writeFile(join(dir, "spec", "index.html"), "<p>index</p>");
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("checkSite", () => {
  it("reports each broken link once, with its page and problem", () => {
    const report = checkSite(dir);
    expect(report.pages).toBe(3);
    expect(report.broken).toEqual([
      { from: "index.html", href: `spec/v4.html#${MISSING}`, problem: "no such anchor" },
      { from: "index.html", href: "spec/v3.html", problem: "no such file" },
      { from: "index.html", href: "../outside.html", problem: "outside the site" },
    ]);
    expect(report.anchorsChecked).toBe(4);
  });

  it("reads links of real tags only, entities decoded", () => {
    expect(linksOf('<a href="a.html?x=1&amp;y=2">a</a> &lt;a href="b.html"&gt; <use href="i.svg#z"></use>')).toEqual([
      "a.html?x=1&y=2",
      "i.svg#z",
    ]);
  });
});
