/**
 * Links from the tools to the docs site: every fail, warn, blocked and error case in the
 * terminal, JUnit and HTML reports names its case page, at the default GitHub Pages URL, at the
 * URL `sockspec test --docs-url` gives, or nowhere with `--docs-url none`. The pages exist: the
 * site test checks that every case ID has one at `casePagePath`.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseTestArgs, UsageError } from "../../cli/test.js";
import { DEFAULT_DOCS_BASE_URL, casePageUrl } from "../../conformance/reporters/docs-links.js";
import { renderHtml } from "../../conformance/reporters/html.js";
import { detailText, renderJUnit } from "../../conformance/reporters/junit.js";
import { createPrettyReporter } from "../../conformance/reporters/pretty.js";
import { stripAnsi } from "../../conformance/reporters/style.js";
import { sampleReport, sampleRules } from "../reporters/sample-report.js";

const LINKED = ["eio4.payload.records", "eio4.handshake.key-order", "eio4.payload.batch", "sio5.event.ack"]; // fail, warn, blocked, error
const UNLINKED = ["eio4.handshake.open", "eio4.handshake.ping-interval", "sio5.event.binary"]; // pass, info, skip
const page = (id: string, base = DEFAULT_DOCS_BASE_URL) => casePageUrl(id, base)!;

async function pretty(docsBaseUrl?: string | false): Promise<string> {
  const stream = new PassThrough();
  let out = "";
  stream.on("data", (b: Buffer) => (out += b.toString("utf8")));
  const reporter = createPrettyReporter({
    stream,
    rules: sampleRules,
    color: false,
    progress: false,
    ...(docsBaseUrl !== undefined ? { docsBaseUrl } : {}),
  });
  await reporter.onEnd(sampleReport());
  return stripAnsi(out);
}

describe("links to case pages", () => {
  it("point at the GitHub Pages site by default", () => {
    expect(DEFAULT_DOCS_BASE_URL).toBe("https://sockspec.github.io/sockspec/");
    expect(page("eio4.payload.records")).toBe("https://sockspec.github.io/sockspec/cases/eio4.payload.records.html");
    expect(casePageUrl("a.b", "https://docs.example.com/sockspec")).toBe(
      "https://docs.example.com/sockspec/cases/a.b.html",
    );
  });

  it("appear in the terminal report for every fail, warn, blocked and error case", async () => {
    const out = await pretty();
    for (const id of LINKED) expect(out, id).toContain(page(id));
    for (const id of UNLINKED) expect(out, id).not.toContain(page(id));
    expect(out).toMatch(
      /\n {2}docs {5}https:\/\/sockspec\.github\.io\/sockspec\/cases\/eio4\.payload\.records\.html\n/,
    );
    expect(await pretty("https://docs.example.com/x/")).toContain(
      "https://docs.example.com/x/cases/eio4.payload.batch.html",
    );
    expect(await pretty(false)).not.toContain("/cases/");
  });

  it("appear in JUnit as a property and in the failure text", () => {
    const xml = renderJUnit(sampleReport(), sampleRules);
    for (const id of LINKED) expect(xml, id).toContain(`<property name="docs" value="${page(id)}"/>`);
    for (const id of UNLINKED) expect(xml, id).not.toContain(page(id));
    expect(detailText(sampleReport().cases[1]!, sampleRules)).toContain(`docs: ${page("eio4.payload.records")}`);
    expect(renderJUnit(sampleReport(), sampleRules, { docsBaseUrl: false })).not.toContain("/cases/");
  });

  it("travel in the HTML report's data for the cases that need them", () => {
    const html = renderHtml(sampleReport(), sampleRules, { docsBaseUrl: "https://docs.example.com/" });
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!) as {
      docs: Record<string, string>;
    };
    expect(Object.keys(data.docs).sort()).toEqual([...LINKED].sort());
    expect(data.docs["eio4.payload.batch"]).toBe("https://docs.example.com/cases/eio4.payload.batch.html");
    expect(html).toContain(".docs-link");
  });

  it("are set from the command line with --docs-url", () => {
    expect(parseTestArgs(["--docs-url", "https://docs.example.com/sockspec/"]).docsUrl).toBe(
      "https://docs.example.com/sockspec/",
    );
    expect(parseTestArgs(["--docs-url=none"]).docsUrl).toBe(false);
    expect(parseTestArgs([]).docsUrl).toBeUndefined();
    expect(() => parseTestArgs(["--docs-url", "javascript:alert(1)"])).toThrow(UsageError);
    expect(() => parseTestArgs(["--docs-url", "docs"])).toThrow(UsageError);
  });
});
