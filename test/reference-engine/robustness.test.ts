/** Bad input never crashes the server nor leaks a session or a timer; close() stops everything. */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../reference/engine/clock.js";
import { httpRequest, openPolling, sleep, startServer, TestSocket, type Running } from "./net.js";

let run: Running | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await run?.close();
  run = undefined;
});

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

describe("robustness", () => {
  it("answers random requests with documented statuses only, and stays up", async () => {
    run = await startServer({ maxHttpBufferSize: 200 });
    const sid = await openPolling(run);
    const rand = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const methods = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"] as const;
    const queries = [
      "",
      "EIO=4",
      "EIO=4&transport=polling",
      `EIO=4&transport=polling&sid=${sid}`,
      "EIO=3&transport=polling",
      "EIO=4&transport=websocket",
      "EIO=4&transport=polling&sid=%zz",
      "EIO=4&EIO=3&transport=polling&transport=x",
    ];
    const bodies = [
      "",
      "4a",
      "abc",
      "\x1e",
      "b!!!",
      "4a\x1e",
      "1",
      "2",
      "3",
      "5",
      "6",
      "0{}",
      "x".repeat(300),
      "bAQIDBA==",
      "\u00ff\u0000",
    ];
    for (let i = 0; i < 120; i++) {
      const method = pick(methods);
      const res = await httpRequest(
        method,
        run.url(pick(queries)),
        method === "GET" || method === "OPTIONS" ? {} : { body: pick(bodies) },
      ).catch((e: Error) => ({ status: -1, text: e.message }));
      expect([200, 400, 403, 413, -1]).toContain(res.status);
    }
    // Every session the handshakes among them opened times out: none is leaked.
    await sleep(900);
    expect(run.engine.clientsCount).toBe(0);
    const hs = await httpRequest("GET", run.url("EIO=4&transport=polling"));
    expect(hs.status).toBe(200);
  });

  it("survives garbage on the socket and malformed upgrade requests", async () => {
    run = await startServer();
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const s = connect(run!.port, "127.0.0.1");
        let got = "";
        s.on("data", (d) => (got += d.toString("latin1")));
        s.on("error", () => resolve(got));
        s.on("close", () => resolve(got));
        s.write(text);
        setTimeout(() => s.destroy(), 300);
      });
    expect(await raw("\x00\x01\x02 not http at all\r\n\r\n")).toMatch(/^HTTP\/1\.1 400|^$/);
    const noKey = await raw(
      "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    );
    expect(noKey).toMatch(/^HTTP\/1\.1 400/);
    const badVersion = await raw(
      "GET /engine.io/?EIO=9&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    expect(badVersion).toMatch(/^HTTP\/1\.1 400[\s\S]*\{"code":5,"message":"Unsupported protocol version"\}$/);
    expect((await httpRequest("GET", run.url("EIO=4&transport=polling"))).status).toBe(200);
  });

  it("closes a WebSocket session on junk frames without crashing", async () => {
    run = await startServer();
    const rand = rng(7);
    for (let i = 0; i < 10; i++) {
      const ws = new TestSocket(run.url("EIO=4&transport=websocket", "ws"));
      sockets.push(ws);
      await ws.next();
      const bytes = new Uint8Array(1 + Math.floor(rand() * 20)).map(() => Math.floor(rand() * 256));
      ws.send(
        i % 2
          ? Buffer.from(bytes)
              .toString("latin1")
              .replace(/^[0-6b]/, "x")
          : "",
      );
      await ws.closed();
    }
    for (let i = 0; i < 50 && run.engine.clientsCount > 0; i++) await sleep(10);
    expect(run.engine.clientsCount).toBe(0);
  });

  it("close() answers pending requests, closes sockets and leaves no timer", async () => {
    const clock = new ManualClock();
    run = await startServer({ clock });
    const sid = await openPolling(run);
    const pending = httpRequest("GET", run.url(`EIO=4&transport=polling&sid=${sid}`));
    const probeSid = await openPolling(run);
    const probe = new TestSocket(run.url(`EIO=4&transport=websocket&sid=${probeSid}`, "ws"));
    const ws = new TestSocket(run.url("EIO=4&transport=websocket", "ws"));
    sockets.push(probe, ws);
    await probe.open();
    probe.send("2probe");
    expect(await probe.next()).toBe("3probe");
    await ws.next();
    expect(run.engine.clientsCount).toBe(3);
    expect(clock.pendingTimers).toBeGreaterThan(0);
    run.engine.close();
    expect((await pending).text).toBe("1");
    await ws.closed();
    await probe.closed();
    expect(run.engine.clientsCount).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
