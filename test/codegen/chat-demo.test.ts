/**
 * The chat demo runs on the code generated from its catalogue (reference/apps/chat/catalogue.json):
 * the checked-in TypeScript is what `sockspec codegen --lang ts` makes of it today, the page
 * imports the JavaScript the same generator makes, the server refuses what the catalogue
 * refuses, and in a real browser the page checks what it sends and asks for the history.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { io as connect, type Socket } from "socket.io-client";
import { serve } from "../../cli/serve.js";
import { readCatalogue } from "../../codegen/catalogue/load.js";
import { generatePackage } from "../../codegen/emit/generate.js";
import { comparePackage } from "../../codegen/emit/write.js";
import { MAX_CHAT_HISTORY, MAX_CHAT_MESSAGE } from "../../reference/apps/chat/index.js";
import { launchChromium } from "../support/chromium.js";
import { repoRoot } from "../support/repo-root.js";
import { until } from "./support.js";

const chatDir = join(repoRoot(), "reference", "apps", "chat");

describe("the chat demo's generated code", () => {
  it("is what sockspec codegen makes of its catalogue today", async () => {
    const { catalogue } = await readCatalogue(join(chatDir, "catalogue.json"));
    const files = await generatePackage(catalogue, { lang: "ts", source: "catalogue.json" });
    expect(
      await comparePackage(join(chatDir, "generated"), files),
      "regenerate: sockspec codegen reference/apps/chat/catalogue.json --out reference/apps/chat/generated --lang ts",
    ).toEqual([]);
  }, 60000);

  it("has the limits the server code names", async () => {
    const { catalogue } = await readCatalogue(join(chatDir, "catalogue.json"));
    expect(catalogue.$defs?.["ChatText"]).toMatchObject({ minLength: 1, maxLength: MAX_CHAT_MESSAGE });
    expect(catalogue.$defs?.["ChatHistory"]).toMatchObject({ maxItems: MAX_CHAT_HISTORY });
  });
});

describe("the chat demo served", () => {
  let url = "";
  const stopper = new AbortController();
  let served: Promise<number> | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    served = serve(["--port", "0", "--app", "chat"], {
      signal: stopper.signal,
      stdout: { write: () => true },
      onListening: (u) => (url = u),
    });
    await until(() => url !== "", 5000, "the chat server");
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    stopper.abort();
    await served;
  });

  async function chatter(): Promise<{ socket: Socket; heard: unknown[] }> {
    const socket = connect(url, { forceNew: true, reconnection: false });
    sockets.push(socket);
    const heard: unknown[] = [];
    socket.on("chat message", (m: unknown) => heard.push(m));
    await new Promise((r) => socket.once("connect", () => r(undefined)));
    return { socket, heard };
  }

  it("serves the page the generated JavaScript, and nothing else under /generated/", async () => {
    const { catalogue } = await readCatalogue(join(chatDir, "catalogue.json"));
    const files = await generatePackage(catalogue, { lang: "js", source: "catalogue.json" });
    for (const path of ["client.js", "validators.js", "validators.raw.js", "runtime/peer.js", "runtime/client.js"]) {
      const response = await fetch(`${url}/generated/${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/javascript/);
      expect(await response.text(), path).toBe(files.get(path));
    }
    for (const path of ["types.d.ts", "README.md", "nope.js", "../index.ts"])
      expect((await fetch(`${url}/generated/${path}`)).status, path).toBe(404);
    const script = await (await fetch(`${url}/chat.js`)).text();
    expect(script).toContain('import { wrap } from "/generated/client.js";');
    expect(readFileSync(join(chatDir, "index.ts"), "utf8")).toContain('import { wrap } from "./generated/server.js";');
  });

  it("passes valid messages on, drops what the catalogue refuses, and answers history", async () => {
    const a = await chatter();
    const b = await chatter();
    a.socket.emit("chat message", "");
    a.socket.emit("chat message", "x".repeat(MAX_CHAT_MESSAGE + 1));
    a.socket.emit("chat message", 42);
    a.socket.emit("chat message", "first", "second");
    a.socket.emit("chat message", "\u{1F44B}".repeat(MAX_CHAT_MESSAGE)); // 1000 code points, 2000 UTF-16 units: valid
    a.socket.emit("chat message", "hello");
    await until(() => b.heard.length === 2, 3000, "the two valid messages");
    expect(b.heard).toEqual(["\u{1F44B}".repeat(MAX_CHAT_MESSAGE), "hello"]);
    expect(await b.socket.timeout(2000).emitWithAck("history")).toEqual([
      "\u{1F44B}".repeat(MAX_CHAT_MESSAGE),
      "hello",
    ]);
    // history takes an acknowledgement: without one it is refused, and the envelope answers a wrong one.
    expect(await b.socket.timeout(2000).emitWithAck("history", "extra")).toMatchObject({
      code: "REQUEST_VALIDATION_ERROR",
      event: "history",
      keyword: "maxItems",
      message: "expects at most 0 arguments, got 1",
    });
  });
});

describe("the chat page in chromium", () => {
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
    await until(() => url !== "", 5000, "the chat server");
    browser = await launchChromium();
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    stopper.abort();
    await served;
  });

  it("keeps an over-long message on the page, and shows a late page the history", async () => {
    const page = await browser!.newPage();
    const warnings: string[] = [];
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url + "/", { timeout: 5000 });
    await page.waitForSelector('body[data-connected="true"]', { timeout: 5000 });
    await page.fill("#input", "kept on the page");
    await page.click("#send");
    await page.locator("#messages li", { hasText: "kept on the page" }).waitFor({ timeout: 5000 });
    const tooLong = "y".repeat(MAX_CHAT_MESSAGE + 1);
    // The input's maxlength would stop typing; a script can still set the value, and the generated check stops it.
    await page.locator("#input").evaluate((input, v) => ((input as unknown as { value: string }).value = v), tooLong);
    await page.click("#send");
    await until(
      () => warnings.some((w) => w.includes("REQUEST_VALIDATION_ERROR")),
      5000,
      "the page to refuse the message",
    );
    expect(warnings.find((w) => w.includes("REQUEST_VALIDATION_ERROR"))).toContain(
      '"chat message" on /: /0 (text) must NOT have more than 1000 characters',
    );
    expect(await page.inputValue("#input")).toBe(tooLong);

    const late = await browser!.newPage();
    await late.goto(url + "/", { timeout: 5000 });
    await late.waitForSelector('body[data-connected="true"]', { timeout: 5000 });
    expect(await late.locator("#messages li").allTextContents()).toEqual(["kept on the page"]);
    expect(errors).toEqual([]);
    await page.close();
    await late.close();
  }, 30000);
});
