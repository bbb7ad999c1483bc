// The raw TCP client, the black-holing proxy and the timing window, against small local servers.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { defineChapter, type CaseDefinition } from "../../conformance/case.js";
import { runSuite } from "../../conformance/index.js";
import { RawConnection, parseResponse } from "../../conformance/client/tcp.js";
import { TcpProxy } from "../../conformance/client/proxy.js";
import { Transcript } from "../../conformance/runner/transcript.js";
import { window } from "../../conformance/runner/timing.js";
import { startStub, type StubServer } from "./stub-server.js";

let server: Server | undefined;
let stub: StubServer | undefined;
const serverSockets: Socket[] = [];
const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const s of serverSockets.splice(0)) s.destroy();
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
  await stub?.close();
  stub = undefined;
});

/** An HTTP server that answers `/ok` and holds `/hold` forever; it logs how each socket ended. */
async function startServer(ended: string[]): Promise<number> {
  server = createServer((req, res) => {
    if (req.url === "/ok") res.writeHead(200, { "content-type": "text/plain" }).end("fine");
  });
  server.on("connection", (s) => {
    serverSockets.push(s);
    s.on("end", () => ended.push("fin"));
    s.on("error", (e: NodeJS.ErrnoException) => ended.push(e.code ?? "error"));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

describe("raw TCP client", () => {
  it("sends a request and reads the response, recording both", async () => {
    const port = await startServer([]);
    const t = new Transcript();
    const conn = new RawConnection(t, "127.0.0.1", port, 1000);
    cleanups.push(() => conn.destroy());
    await conn.connected;
    conn.sendRequest("GET", "/ok");
    const res = await conn.readResponse();
    expect([res.status, res.text]).toEqual([200, "fine"]);
    expect(t.events.map((e) => e.kind)).toEqual(["tcp", "http-request", "http-response"]);
  });

  it("a reset reaches the server as ECONNRESET, not as a FIN", async () => {
    const ended: string[] = [];
    const port = await startServer(ended);
    const conn = new RawConnection(new Transcript(), "127.0.0.1", port, 1000);
    await conn.connected;
    conn.write("GET /hold HTTP/1.1\r\nhost: x\r\n");
    await new Promise((r) => setTimeout(r, 50));
    conn.reset();
    for (let i = 0; i < 50 && ended.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ended).toEqual(["ECONNRESET"]);
  });

  it("parses Content-Length, chunked and read-to-end bodies", () => {
    expect(parseResponse(Buffer.from("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokEXTRA"), false)).toMatchObject({
      status: 200,
      consumed: 40,
    });
    const chunked = parseResponse(
      Buffer.from("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"),
      false,
    )!;
    expect(Buffer.from(chunked.body).toString()).toBe("abcde");
    expect(parseResponse(Buffer.from("HTTP/1.1 200 OK\r\n\r\npartial"), false)).toBeUndefined();
    expect(Buffer.from(parseResponse(Buffer.from("HTTP/1.1 200 OK\r\n\r\nall"), true)!.body).toString()).toBe("all");
  });
});

describe("black-holing proxy", () => {
  it("forwards until black-holed, then passes nothing and sends no FIN either way", async () => {
    const ended: string[] = [];
    const port = await startServer(ended);
    const t = new Transcript();
    const proxy = await new TcpProxy(t, "127.0.0.1", port).listen();
    cleanups.push(() => proxy.close());
    const { port: proxyPort } = new URL(proxy.baseUrl);
    const conn = new RawConnection(t, "127.0.0.1", Number(proxyPort), 300);
    cleanups.push(() => conn.destroy());
    await conn.connected;
    conn.sendRequest("GET", "/ok");
    expect((await conn.readResponse()).text).toBe("fine");
    proxy.blackhole();
    conn.sendRequest("GET", "/ok");
    await expect(conn.readResponse()).rejects.toMatchObject({ verdict: "fail" });
    expect(ended).toEqual([]); // the server's socket is still open, with no FIN
    expect(t.events.some((e) => e.kind === "tcp" && e.event === "blackhole")).toBe(true);
  });
});

describe("timing window", () => {
  it("allows max(50 ms, 25 %) on each side, and scales the late bound", () => {
    const t = {
      pingInterval: 300,
      pingTimeout: 200,
      multiplier: 1,
      graceMinMs: 50,
      graceRatio: 0.25,
      upgradeTimeout: 1000,
    };
    expect(window(t, 300, 300)).toEqual({ from: 225, to: 375 });
    expect(window(t, 100, 100)).toEqual({ from: 50, to: 150 });
    expect(window({ ...t, multiplier: 2 }, 300, 300)).toEqual({ from: 225, to: 750 });
  });

  it("within() fails what comes too early or too late and passes what comes on time", async () => {
    stub = await startStub();
    const at = (id: string, ms: number): CaseDefinition => ({
      id,
      title: id,
      rules: [],
      level: "MUST",
      timing: "waits",
      async run(ctx) {
        await ctx.within(new Promise((r) => setTimeout(r, ms)), { earliest: 300, latest: 300, what: "the event" });
      },
    });
    const report = await runSuite({
      url: stub.url,
      cases: defineChapter("t", [at("t.early", 100), at("t.on-time", 300), at("t.late", 1000)]),
    });
    expect(report.cases.map((c) => c.verdict)).toEqual(["fail", "pass", "fail"]);
    expect(report.cases[0]!.reason).toMatch(/too early/);
    // 300 ms plus its grace (75 ms), plus the round trip the probe measured.
    const bound = Number(/^the event did not happen within (\d+) ms$/.exec(report.cases[2]!.reason ?? "")?.[1]);
    expect(bound).toBeGreaterThanOrEqual(375);
    expect(bound).toBeLessThan(425);
  }, 10_000);
});

describe("the Engine.IO client's guards", () => {
  it("tells random sids from counted ones", async () => {
    const { sidLooksRandom } = await import("../../conformance/checks/sid-entropy.js");
    const { randomBytes, randomUUID } = await import("node:crypto");
    expect(sidLooksRandom(Array.from({ length: 8 }, () => randomBytes(15).toString("base64url")))).toBe(true);
    expect(sidLooksRandom(Array.from({ length: 8 }, () => randomUUID()))).toBe(true);
    expect(sidLooksRandom(Array.from({ length: 8 }, (_, i) => `S${String(i + 1).padStart(19, "0")}`))).toMatch(
      /^only 1 of 20 positions vary/,
    );
  });

  it("a frame a guard refuses ends every later take with the guard's outcome; earlier frames are still taken", async () => {
    const { WebSocketServer } = await import("ws");
    const { WsConnection } = await import("../../conformance/client/ws.js");
    const { CaseOutcome } = await import("../../conformance/case.js");
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    wss.on("connection", (ws) => {
      for (const f of ["a", "bad", "c"]) ws.send(f);
    });
    await new Promise((r) => wss.once("listening", r));
    const ws = new WsConnection(new Transcript(), `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, 1000);
    cleanups.push(() => {
      ws.terminate();
      for (const c of wss.clients) c.terminate();
      return new Promise<void>((r) => wss.close(() => r()));
    });
    const refusal = new CaseOutcome("fail", "a bad frame", {}, { rule: "EIO4-WS-02", checkedBy: "eio4.ws.text-echo" });
    ws.guard((f) => (f === "bad" ? refusal : undefined));
    expect(await ws.next()).toBe("a");
    await expect(ws.next({ timeoutMs: 500 })).rejects.toBe(refusal);
    expect(ws.framesReceived).toBeGreaterThanOrEqual(2);
    expect(() => ws.drain()).toThrow(refusal);
  });
});
