/**
 * The pieces every generated page is made of: escaping, links between staged pages, heading
 * anchors as GitHub makes them, and the explicit ids the site registers with typedoc.
 */
import { describe, expect, it } from "vitest";
import { casePageBase, casePageUrl } from "../../conformance/reporters/docs-links.js";
import { cell, code, fence, percent, safeProse, text } from "../../scripts/docs/markdown.js";
import { chapterGlob } from "../../scripts/docs/pages/cases.js";
import { githubSlug } from "../../scripts/docs/pages/spec.js";
import { casePage, chapterSlug, relativeLink } from "../../scripts/docs/paths.js";
import { exportName, htmlIds } from "../../scripts/docs/typedoc-site.js";

describe("markdown helpers", () => {
  it("keeps stray tags in prose as text, but not allowed tags or code spans", () => {
    expect(safeProse('engine.io-client adds t=<random> to `t=<random>` <a id="X"></a>')).toBe(
      'engine.io-client adds t=&lt;random> to `t=<random>` <a id="X"></a>',
    );
    expect(safeProse("a <script>alert(1)</script> b")).toBe("a &lt;script>alert(1)&lt;/script> b");
  });

  it("escapes plain text, code spans and table cells", () => {
    expect(text("a|b *c* <d>")).toBe("a\\|b \\*c\\* \\<d\\>");
    // A brace would open an inline tag for typedoc: a server's JSON in a reason stays text.
    expect(text('body "0{\\"sid\\"')).toBe('body "0&#123;\\\\"sid\\\\"');
    expect(code("4`x`")).toBe("`` 4`x` ``");
    expect(code("a``b")).toBe("```a``b```");
    expect(cell("`x|y` | z\nw")).toBe("`x\\|y` \\| z w");
    expect(fence("has ``` inside")).toBe("````text\nhas ``` inside\n````");
  });

  it("says a percentage without false precision", () => {
    expect(percent(186, 308)).toBe("60 %");
    expect(percent(307, 308)).toBe("99.6 %");
    expect(percent(5, 5)).toBe("100 %");
    expect(percent(0, 0)).toBe("—");
  });
});

describe("site paths", () => {
  it("links staged pages relatively", () => {
    expect(relativeLink("cases/index.md", "spec/engine.io-v4.md", "EIO4-WS-02")).toBe(
      "../spec/engine.io-v4.md#EIO4-WS-02",
    );
    expect(relativeLink("index.md", "cases/chapters/x.md")).toBe("cases/chapters/x.md");
    expect(relativeLink("docs/guides/ci.md", "docs/echo-contract.md")).toBe("../echo-contract.md");
    expect(relativeLink("cases/a.md", "cases/b.md")).toBe("b.md");
  });

  it("puts a case page where the reporters link", () => {
    expect(casePage("eio4.upgrade.probe")).toEqual({
      md: "cases/eio4.upgrade.probe.md",
      html: casePageBase("eio4.upgrade.probe"),
    });
    expect(casePageUrl("eio4.upgrade.probe")).toBe("https://sockspec.github.io/sockspec/cases/eio4.upgrade.probe.html");
    expect(casePageUrl("x", false)).toBeUndefined();
    expect(chapterSlug("engine.io v4 / handshake")).toBe("engine.io-v4-handshake");
  });

  it("finds the narrowest --only glob of a chapter", () => {
    const meta = (id: string) => ({ id, title: "", chapter: "", rules: [], level: "MUST" as const });
    expect(chapterGlob([meta("eio4.upgrade.probe"), meta("eio4.upgrade.noop")])).toBe("eio4.upgrade.**");
    expect(chapterGlob([meta("eio4.a.x"), meta("sio5.a.y")])).toBe("**");
  });
});

describe("anchors and names", () => {
  it("makes heading anchors as GitHub does", () => {
    expect(githubSlug("1. TRANSPORT — Transports, path and query parameters")).toBe(
      "1-transport--transports-path-and-query-parameters",
    );
    expect(githubSlug("The official Node.js server (socket.io 4 and engine.io 6)")).toBe(
      "the-official-nodejs-server-socketio-4-and-engineio-6",
    );
  });

  it("reads the explicit ids of raw HTML in Markdown", () => {
    expect([...htmlIds('<a id="EIO4-WS-02"></a>**EIO4-WS-02** <span class="x" id="y">')]).toEqual(["EIO4-WS-02", "y"]);
  });

  it("names API modules after the package exports", () => {
    const keys = [".", "./protocol", "./reference", "./conformance", "./schemas/*"];
    expect(exportName("index", "sockspec", keys)).toBe("sockspec");
    expect(exportName("protocol", "sockspec", keys)).toBe("sockspec/protocol");
    expect(exportName("other", "sockspec", keys)).toBe("other");
  });
});
