/**
 * The docs site, built once for real (`buildDocs`, what `npm run docs` runs: the suite against
 * the embedded reference server, then typedoc with warnings as errors) into a temporary folder,
 * then checked three ways: the build passes, every internal link and anchor of the HTML
 * resolves (every rule ID and case ID included), and Chromium renders the landing page, a spec
 * page, a case page and the matrix without a console error, leaving screenshots in
 * test-artifacts/docs-*.png for a person to look at.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCases } from "../../conformance/cases/index.js";
import { casePagePath, casePageUrl } from "../../conformance/reporters/docs-links.js";
import { buildDocs, type BuildResult } from "../../scripts/docs/build.js";
import { loadSpec, type SpecFile } from "../../scripts/docs/spec.js";
import { launchChromium } from "../support/chromium.js";
import { repoRoot } from "../support/repo-root.js";
import { checkSite, type LinkReport } from "./link-check.js";
import { serveStatic, type StaticServer } from "./static-server.js";

const root = repoRoot();
let dir = "";
let build: BuildResult;
let spec: SpecFile[];
const log: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sockspec-docs-"));
  spec = await loadSpec(root);
  build = await buildDocs({ root, out: join(dir, "site"), staging: join(dir, "pages"), log: (l) => log.push(l) });
}, 240_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("npm run docs", () => {
  it("builds with typedoc's warnings as errors", () => {
    const config = readFileSync(join(root, "typedoc.json"), "utf8");
    expect(config).toMatch(/"treatWarningsAsErrors": true/);
    expect(build.ok, log.join("\n")).toBe(true);
    expect(existsSync(join(build.out, "index.html"))).toBe(true);
  });

  it("writes a page per spec file, per case, per schema, and the API reference", () => {
    expect(build.html.spec).toBe(spec.length + 1);
    expect(build.html.cases).toBeGreaterThan(allCases.length);
    expect(build.html.schemas).toBeGreaterThan(10);
    expect(existsSync(join(build.out, "modules", "sockspec.html"))).toBe(true);
    expect(existsSync(join(build.out, "matrix.html"))).toBe(true);
    expect(existsSync(join(build.out, "changelog.html"))).toBe(true);
    expect(existsSync(join(build.out, "results", "index.html"))).toBe(true);
  });

  it("ran the suite against the reference server for the results and the case pages", () => {
    const reference = build.runs.find((r) => r.key === "reference")!;
    expect(reference.origin).toBe("built");
    expect(reference.report.cases.map((c) => c.id)).toEqual(allCases.map((c) => c.id));
  });
});

describe("links of the built site", () => {
  let report: LinkReport;
  beforeAll(() => {
    report = checkSite(build.out);
  });

  it("has no broken internal link or anchor", () => {
    expect(report.links).toBeGreaterThan(10_000);
    expect(report.anchorsChecked).toBeGreaterThan(1_000);
    expect(report.broken.slice(0, 20)).toEqual([]);
  });

  it("has an anchor for every rule ID on its spec page", () => {
    const missing: string[] = [];
    for (const file of spec) {
      const html = readFileSync(join(build.out, "spec", `${file.name}.html`), "utf8");
      for (const r of file.rules) if (!html.includes(`id="${r.id}"`)) missing.push(r.id);
    }
    expect(missing).toEqual([]);
  });

  it("has a page for every case ID, where the reporters link", () => {
    const missing = allCases.filter((c) => !existsSync(join(build.out, casePagePath(c.id)))).map((c) => c.id);
    expect(missing).toEqual([]);
    expect(casePageUrl("eio4.handshake.polling-status", "https://example.org/docs")).toBe(
      "https://example.org/docs/cases/eio4.handshake.polling-status.html",
    );
  });

  it("offers the reports and schemas as JSON downloads", () => {
    const results = readFileSync(join(build.out, "results", "index.html"), "utf8");
    const downloads = [...results.matchAll(/href="([^"]+\.json)"/g)].map((m) => m[1]!);
    expect(downloads.length).toBeGreaterThanOrEqual(build.runs.length);
    for (const href of downloads) expect(existsSync(resolve(build.out, "results", href)), href).toBe(true);
  });
});

describe("the site in Chromium", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let server: StaticServer;
  const consoleErrors: string[] = [];
  const artifacts = resolve(root, "test-artifacts");
  const firstCase = allCases[0]!.id;

  beforeAll(async () => {
    server = await serveStatic(build.out);
    browser = await launchChromium();
    await mkdir(artifacts, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * Opens a page in a fresh context (typedoc remembers the sidebar's state in local storage, so
   * each screenshot shows the page as a first visit does), waits for typedoc's script to have
   * drawn the navigation, and screenshots it.
   */
  async function visit(path: string, shot: string): Promise<void> {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(`${path}: ${m.text()}`);
    });
    page.on("pageerror", (e) => {
      consoleErrors.push(`${path}: ${String(e)}`);
    });
    page.setDefaultTimeout(15_000);
    const response = await page.goto(server.url + path);
    expect(response?.status(), path).toBe(200);
    await page.locator(".tsd-navigation a").first().waitFor();
    await page.screenshot({ path: join(artifacts, `docs-${shot}.png`) });
  }

  it("opens the landing page with a door for each kind of reader", async () => {
    await visit("index.html", "landing");
    expect(await page.locator(".ss-door h3").allTextContents()).toEqual([
      "I implement a server",
      "I build an app on Socket.IO",
      "I read the spec",
    ]);
    expect(await page.locator(".ss-door a").count()).toBeGreaterThan(10);
  });

  it("opens a spec page at a rule anchor, with its level and the cases that check it", async () => {
    await visit("spec/engine.io-v4.html#EIO4-HANDSHAKE-01", "spec");
    const anchor = page.locator('[id="EIO4-HANDSHAKE-01"]');
    expect(await anchor.count()).toBe(1);
    const box = await anchor.boundingBox();
    expect(box && box.y >= 0 && box.y < 1000).toBe(true); // scrolled to the rule
    expect(await page.locator(".ss-level-must").count()).toBeGreaterThan(50);
    expect(await page.locator('a[href*="../cases/"]').count()).toBeGreaterThan(50);
  });

  it("opens a case page with its command, rules and transcript", async () => {
    await visit(casePagePath(firstCase), "case");
    const text = await page.locator(".col-content").innerText();
    expect(text).toContain(`npx sockspec test http://localhost:3000 --only ${firstCase}`);
    expect(await page.locator('a[href*="../spec/"]').count()).toBeGreaterThan(0);
    expect(text).toMatch(/→ GET \/engine\.io\//);
  });

  it("opens the matrix with coverage per chapter", async () => {
    await visit("matrix.html", "matrix");
    expect(await page.locator("h2").allTextContents()).toContain("Coverage per chapter");
    expect(await page.locator("table").count()).toBeGreaterThan(spec.reduce((n, f) => n + f.chapters.length, 0));
  });

  it("finds a case by its ID in the site search", async () => {
    await page.locator("#tsd-search-trigger").click();
    await page.locator("#tsd-search-input").fill(firstCase);
    await page.locator("#tsd-search-results li a").first().waitFor();
    expect(await page.locator("#tsd-search-results li").first().innerText()).toContain(firstCase);
  });

  it("logs no console error and asks for no missing file", () => {
    expect(consoleErrors).toEqual([]);
    expect(server.missing).toEqual([]);
  });
}, 180_000);
