/**
 * Opens the HTML report in a real Chromium (Debian's, driven by playwright-core) and checks
 * that it renders, filters, draws the transcript as a sequence diagram, and keeps hostile
 * server bytes inert. Leaves a screenshot in test-artifacts/report.png for a human to look at.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../support/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../conformance/reporters/html.js";
import { renderJUnit } from "../../conformance/reporters/junit.js";
import { failTranscript, HOSTILE, sampleReport, sampleRules } from "./sample-report.js";

const FAILED = '[id="case-eio4.payload.records"]';

describe("HTML report in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let dir = "";
  const dialogs: string[] = [];
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sockspec-html-browser-"));
    const file = join(dir, "conformance.html");
    await writeFile(file, renderHtml(sampleReport(), sampleRules), "utf8");
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      requests.push(r.url());
    });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => {
      consoleErrors.push(String(e));
    });
    page.setDefaultTimeout(10_000);
    await page.goto(pathToFileURL(file).href);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("renders the target, the summary counts and every case", async () => {
    expect(await page.textContent("#target")).toBe("http://127.0.0.1:3000/socket.io/");
    const chips = await page.$$eval("#summary .chip", (bs) => bs.map((b) => b.textContent));
    expect(chips).toEqual(["1pass", "1fail", "1warn", "1info", "1skip", "1blocked", "1error"]);
    expect(await page.textContent("#shown")).toBe("7 of 7 cases shown");
    expect(await page.locator("details.case").count()).toBe(7);
    expect(await page.locator("section.chapter h2").count()).toBe(3);
    expect(consoleErrors).toEqual([]); // also proves the CSP hash matches the inline script
  });

  it("draws a failed case's transcript as a sequence diagram, one row per event", async () => {
    await page.click(`${FAILED} > summary`);
    await page.locator(`${FAILED} .seq`).waitFor(); // the body is built on the (async) toggle event
    const rows = page.locator(`${FAILED} .seq .rows > .row`);
    expect(await rows.count()).toBe(failTranscript.length);
    expect(await page.locator(`${FAILED} .seq .rows > .row.full`).count()).toBe(4); // 2 notes, 2 TCP events
    expect(await page.locator(`${FAILED} .seq .rows > .row.msg.out`).count()).toBe(7);
    expect(await page.locator(`${FAILED} .seq .rows > .row.msg.in`).count()).toBe(9);
    expect(await page.textContent(`${FAILED} .seq .heads`)).toBe("timeclient (sockspec)server");
    // Requests point right (out), responses left (in): the first request's arrow starts near the client lifeline.
    expect(await rows.nth(2).getAttribute("class")).toContain("out");
    expect(await rows.nth(3).getAttribute("class")).toContain("in");
    expect(await rows.nth(3).locator(".t").textContent()).toBe("+3.2 ms");
    expect(await rows.nth(4).locator(".body").textContent()).toBe("4hello\\x1e4wörld 🧦\\x1ebAQIDBA==");
    expect(await rows.nth(4).locator(".body .cc").count()).toBe(2); // each record separator is a badge
    expect(await rows.nth(14).locator(".body").textContent()).toBe("binary, 5 bytes: 01 02 03 04 ff");
  });

  it("shows rules with their text and spec links, and expected vs observed", async () => {
    const link = page.locator(`${FAILED} ul.rules a.rule-id`);
    expect(await link.getAttribute("href")).toBe("spec/engine.io-v4.md#EIO4-PAYLOAD-01");
    expect(await page.textContent(`${FAILED} ul.rules`)).toContain(
      "Polling bodies are payloads of records separated by 0x1e <b>not bold</b>.",
    );
    expect(await page.textContent(`${FAILED} ul.rules li:nth-child(2)`)).toBe("X-UNKNOWN-1not in this spec");
    expect(await page.locator('[id="case-eio4.handshake.open"] .case-body').count()).toBe(0); // built on first open
    await page.click('[id="case-eio4.handshake.open"] > summary');
    await page.locator('[id="case-eio4.handshake.open"] ul.rules code').waitFor();
    expect(await page.locator('[id="case-eio4.handshake.open"] ul.rules code').allTextContents()).toEqual(["0"]);
    await page.click('[id="case-eio4.handshake.open"] > summary');
    expect(await page.textContent(`${FAILED} .eo .v.exp`)).toBe("3probe, then no further polling response");
  });

  it("keeps a hostile server's bytes as text: no dialog, no injected element", async () => {
    expect(await page.textContent(`${FAILED} > summary .title`)).toBe(`Payload records are split on 0x1e ${HOSTILE}`);
    expect(await page.textContent(`${FAILED} .eo .v.obs`)).toBe(`400 {"code":1} and then 4${HOSTILE}`);
    const lastFrame = page.locator(`${FAILED} .seq .rows > .row`).nth(18);
    expect(await lastFrame.locator(".body").textContent()).toBe(`4${HOSTILE}`);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("b").count()).toBe(0);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(requests.every((u) => u.startsWith("file://"))).toBe(true);
  });

  it("cuts a long body and expands it on demand", async () => {
    const body = page.locator(`${FAILED} .seq .rows > .row`).nth(7).locator(".body");
    const short = (await body.locator(":scope > span").textContent())!;
    expect(short.length).toBeLessThan(260);
    await body.locator("button.more").click();
    expect(await body.locator(":scope > span").textContent()).toBe(`4${HOSTILE}\\x1e4${"x".repeat(600)}`);
    await body.locator("button.more").click();
    expect(await body.locator(":scope > span").textContent()).toBe(short);
  });

  it("filters by verdict, chapter and text", async () => {
    await page.click('#summary .chip[data-verdict="pass"]');
    expect(await page.textContent("#shown")).toBe("6 of 7 cases shown");
    expect(await page.locator('[id="case-eio4.handshake.open"]').isHidden()).toBe(true);
    await page.click('#summary .chip[data-verdict="pass"]');
    await page.selectOption("#chapter", "socket.io v5 / event");
    expect(await page.textContent("#shown")).toBe("2 of 7 cases shown");
    await page.selectOption("#chapter", "");
    await page.fill("#search", "EIO4-HANDSHAKE-03");
    expect(await page.textContent("#shown")).toBe("1 of 7 cases shown");
    await page.fill("#search", "");
    expect(await page.textContent("#shown")).toBe("7 of 7 cases shown");
  });

  it("groups a blocked case under its root: each links to the other", async () => {
    const blocked = '[id="case-eio4.payload.batch"]';
    await page.click(`${blocked} > summary`);
    await page.locator(`${blocked} .blocked-by`).waitFor();
    expect(await page.textContent(`${blocked} .blocked-by`)).toBe("Blocked by eio4.payload.records (EIO4-PAYLOAD-01)");
    await page.click(`${blocked} .blocked-by a.case-link`);
    await page.locator(`${FAILED} ul.blocks`).waitFor();
    expect(await page.locator(`${FAILED}`).getAttribute("open")).not.toBeNull();
    expect(await page.$$eval(`${FAILED} ul.blocks a`, (as) => as.map((a) => a.textContent))).toEqual([
      "eio4.payload.batch",
    ]);
    expect(consoleErrors).toEqual([]);
  });

  it("reads the JUnit output as well-formed XML too", async () => {
    const xml = renderJUnit(sampleReport(), sampleRules);
    const result = await page.evaluate((text) => {
      // The test's tsconfig has no DOM library; these are the few DOM shapes used here.
      type Found = { length: number; [i: number]: { textContent: string | null } | undefined };
      type Parser = new () => {
        parseFromString(t: string, type: string): { getElementsByTagName(name: string): Found };
      };
      const doc = new (globalThis as unknown as { DOMParser: Parser }).DOMParser().parseFromString(
        text,
        "application/xml",
      );
      const err = doc.getElementsByTagName("parsererror")[0];
      return {
        error: err ? err.textContent : null,
        suites: doc.getElementsByTagName("testsuite").length,
        cases: doc.getElementsByTagName("testcase").length,
      };
    }, xml);
    expect(result).toEqual({ error: null, suites: 3, cases: 7 });
  });

  it("writes a screenshot for a human to review", async () => {
    await page.click('[id="case-eio4.handshake.key-order"] > summary');
    await page.locator('[id="case-eio4.handshake.key-order"] .seq').waitFor();
    await page.evaluate("window.scrollTo(0, 0)");
    const out = resolve("test-artifacts", "report.png");
    await mkdir(resolve("test-artifacts"), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    expect(existsSync(out)).toBe(true);
  });
}, 120_000);
