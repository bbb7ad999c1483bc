import { afterEach, describe, expect, it } from "vitest";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import WebSocket from "ws";
import { parseServeArgs, serve } from "../../cli/serve.js";

function sink() {
  let text = "";
  return {
    write: (t: string) => (text += t),
    get text() {
      return text;
    },
  };
}

/** Runs `serve` until the returned stop() is called; resolves once it listens. */
async function start(argv: string[]) {
  const controller = new AbortController();
  const stdout = sink();
  let resolveUrl!: (url: string) => void;
  const listening = new Promise<string>((r) => (resolveUrl = r));
  const done = serve(argv, { stdout, stderr: sink(), signal: controller.signal, onListening: resolveUrl });
  const url = await Promise.race([listening, done.then((code) => Promise.reject(new Error(`exited ${code}`)))]);
  running.push(async () => {
    controller.abort();
    await done;
  });
  return { url, stdout, done, stop: () => controller.abort() };
}

const running: (() => Promise<void>)[] = [];
const clients: ClientSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const stop of running.splice(0)) await stop();
});

describe("sockspec serve: arguments", () => {
  it("has the documented defaults", () => {
    expect(parseServeArgs([])).toEqual({ port: 3000, host: "127.0.0.1", app: "echo", attach: {} });
  });

  it("maps flags to the official option names", () => {
    const c = parseServeArgs([
      "--port",
      "0",
      "--ping-interval",
      "300",
      "--ping-timeout",
      "200",
      "--upgrade-timeout",
      "1000",
      "--connect-timeout",
      "1000",
      "--max-payload",
      "5000",
      "--transports",
      "websocket",
      "--cors",
      "*",
      "--allow-eio3",
      "--app",
      "chat",
    ]);
    expect(c).toEqual({
      port: 0,
      host: "127.0.0.1",
      app: "chat",
      attach: {
        pingInterval: 300,
        pingTimeout: 200,
        upgradeTimeout: 1000,
        connectTimeout: 1000,
        maxHttpBufferSize: 5000,
        transports: ["websocket"],
        cors: { origin: true },
        allowEIO3: true,
      },
    });
    expect(parseServeArgs(["--help"])).toBeUndefined();
  });

  it("exits 2 on bad flags and values, 0 on --help", async () => {
    for (const argv of [
      ["--nope"],
      ["--port", "x"],
      ["--ping-interval", "0"],
      ["--transports", "carrier-pigeon"],
      ["--app", "game"],
      ["extra"],
    ]) {
      const stderr = sink();
      expect(await serve(argv, { stderr, stdout: sink() })).toBe(2);
      expect(stderr.text).toMatch(/Usage: sockspec serve/);
    }
    const stdout = sink();
    expect(await serve(["--help"], { stdout })).toBe(0);
    expect(stdout.text).toMatch(/--ping-interval/);
  });
});

describe("sockspec serve: running", () => {
  it("serves the echo contract on both endpoints and stops when told", async () => {
    const { url, stdout, done, stop } = await start(["--port", "0", "--ping-interval", "300", "--ping-timeout", "200"]);
    expect(stdout.text).toContain(`listening on ${url}`);

    const socket = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false });
    clients.push(socket);
    const [auth] = await Promise.race([
      new Promise<unknown[]>((r) => socket.once("auth", (...a: unknown[]) => r(a))),
      new Promise<never>((_r, j) => setTimeout(() => j(new Error("no auth")), 3000)),
    ]);
    expect(auth).toEqual({});

    const ws = new WebSocket(`${url.replace("http", "ws")}/engine.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    const echoed = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no echo")), 3000);
      ws.on("message", (data) => {
        frames.push(String(data));
        if (frames.length === 1) ws.send("4hello");
        if (String(data) === "4hello") {
          clearTimeout(t);
          resolve();
        }
      });
    });
    await echoed;
    expect(JSON.parse(frames[0]!.slice(1))).toMatchObject({ pingInterval: 300, pingTimeout: 200 });
    ws.close();

    stop();
    expect(await done).toBe(0);
    expect(stdout.text).toContain("stopped");
  });

  it("serves the chat page, its script and the official browser client", async () => {
    const { url } = await start(["--port", "0", "--app", "chat"]);
    const page = await fetch(url + "/");
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('id="transport"');
    expect(html).toContain('src="/socket.io.min.js"');
    const script = await (await fetch(url + "/chat.js")).text();
    expect(script).toContain('"upgrade"');
    const client = await fetch(url + "/socket.io.min.js");
    expect(client.status).toBe(200);
    expect((await client.text()).length).toBeGreaterThan(10000);
    expect((await fetch(url + "/nope")).status).toBe(404);

    // Two chat users: a message from one reaches both.
    const a = connect(url, { forceNew: true, reconnection: false, transports: ["polling"] });
    const b = connect(url, { forceNew: true, reconnection: false });
    clients.push(a, b);
    await Promise.all([a, b].map((s) => new Promise((r) => s.once("connect", () => r(undefined)))));
    const got = Promise.all([a, b].map((s) => new Promise((r) => s.once("chat message", r))));
    a.emit("chat message", "hi all");
    const timeout = new Promise<never>((_r, j) => setTimeout(() => j(new Error("no broadcast")), 3000));
    expect(await Promise.race([got, timeout])).toEqual(["hi all", "hi all"]);
  });

  it("exits 1 when the port is taken", async () => {
    const first = await start(["--port", "0"]);
    const port = new URL(first.url).port;
    const stderr = sink();
    expect(await serve(["--port", port], { stderr, stdout: sink() })).toBe(1);
    expect(stderr.text).toMatch(/cannot listen/);
  });
});
