/**
 * The chat demo in a real browser (Debian's chromium driven by playwright-core): two pages
 * chat through the reference server; the transport badge shows the upgrade to WebSocket; with
 * every WebSocket refused the chat still works over long-polling. Screenshots of both runs go to
 * test-artifacts/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { serve } from "../../cli/serve.js";
import { launchChromium } from "../support/chromium.js";

let browser: Browser | undefined;
let url = "";
const stopper = new AbortController();
let served: Promise<number> | undefined;

beforeAll(async () => {
  served = serve(["--port", "0", "--app", "chat"], {
    signal: stopper.signal,
    stdout: { write: () => true },
    onListening: (u) => (url = u),
  });
  for (let i = 0; i < 100 && !url; i++) await new Promise((r) => setTimeout(r, 20));
  browser = await launchChromium();
  mkdirSync("test-artifacts", { recursive: true });
}, 60000);

afterAll(async () => {
  await browser?.close();
  stopper.abort();
  await served;
});

async function openChat(query = "", blockWebSocket = false): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  if (blockWebSocket) await page.routeWebSocket(/.*/, (ws) => ws.close());
  await page.goto(`${url}/${query}`, { timeout: 5000 });
  await page.waitForSelector('body[data-connected="true"]', { timeout: 5000 });
  return { page, errors };
}

async function say(from: Page, to: Page, text: string): Promise<void> {
  const before = await to.locator("#messages li").count();
  await from.fill("#input", text);
  await from.click("#send");
  await to.locator("#messages li").nth(before).waitFor({ timeout: 5000 });
  expect(await to.locator("#messages li").nth(before).textContent()).toBe(text);
}

describe("chat demo in chromium", () => {
  it("upgrades to WebSocket and broadcasts to every page", async () => {
    const a = await openChat();
    const b = await openChat();
    await a.page.locator("#transport", { hasText: "websocket" }).waitFor({ timeout: 5000 });
    await say(a.page, b.page, "hello <b>from a</b>");
    await say(b.page, a.page, "hi from b");
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.page.screenshot({ path: "test-artifacts/chat-websocket.png" });
    await a.page.close();
    await b.page.close();
  }, 20000);

  it("keeps working over polling when every WebSocket is refused", async () => {
    const a = await openChat("", true);
    const b = await openChat("?transports=polling");
    await say(a.page, b.page, "over polling");
    await say(b.page, a.page, "back over polling");
    expect(await a.page.textContent("#transport")).toBe("polling");
    expect(await b.page.textContent("#transport")).toBe("polling");
    await a.page.screenshot({ path: "test-artifacts/chat-polling.png" });
    await a.page.close();
    await b.page.close();
  }, 20000);
});
