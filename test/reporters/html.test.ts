import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createHtmlReporter, HTML_FILE, jsonForScript, renderHtml } from "../../conformance/reporters/html.js";
import { HTML_SCRIPT } from "../../conformance/reporters/html-script.js";
import { HOSTILE, sampleReport, sampleRules } from "./sample-report.js";

/** The text of the one <script type="application/json"> element. */
function embedded(html: string): string {
  const open = '<script type="application/json" id="report-data">';
  const start = html.indexOf(open);
  expect(start).toBeGreaterThan(0);
  return html.slice(start + open.length, html.indexOf("</script>", start));
}

describe("HTML reporter", () => {
  const report = sampleReport();
  const html = renderHtml(report, sampleRules);

  it("embeds the whole report and the cited rules as JSON", () => {
    const data = JSON.parse(embedded(html)) as {
      report: unknown;
      rules: Record<string, { href?: string; text: string }>;
    };
    expect(data.report).toEqual(report);
    expect(data.rules["EIO4-PAYLOAD-01"]).toMatchObject({
      href: "spec/engine.io-v4.md#EIO4-PAYLOAD-01",
      level: "MUST",
    });
    expect(Object.hasOwn(data.rules, "X-UNKNOWN-1")).toBe(false);
  });

  it("never lets report data close the script element or open markup", () => {
    expect(html.split("<script").length - 1).toBe(2);
    expect(html.split("</script>").length - 1).toBe(2);
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain("<img");
    expect(embedded(html)).not.toMatch(/[<>&\u2028\u2029]/);
    expect(jsonForScript({ a: "</script><!--\u2028&" })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u0026"}');
    expect(HTML_SCRIPT).not.toMatch(/<\/script|<!--/i);
    expect(HTML_SCRIPT).not.toContain("innerHTML");
    expect(() => new Function(HTML_SCRIPT)).not.toThrow(); // parses as plain script
  });

  it("is self-contained: no external URL, and a CSP that pins the inline script", () => {
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toMatch(
      /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/]+=*'/,
    );
  });

  it("escapes the target in the static title", () => {
    const hostile = sampleReport();
    hostile.target.url = HOSTILE;
    const page = renderHtml(hostile, sampleRules);
    expect(page).toContain(
      "<title>sockspec conformance: &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;/socket.io/</title>",
    );
    expect(page).not.toContain(HOSTILE);
  });

  describe("writing the file", () => {
    let dir = "";
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    it("writes conformance.html into outDir on onEnd", async () => {
      dir = await mkdtemp(join(tmpdir(), "sockspec-html-"));
      await createHtmlReporter({ outDir: dir, rules: sampleRules }).onEnd(report);
      expect(await readFile(join(dir, HTML_FILE), "utf8")).toBe(html);
    });
  });
});
