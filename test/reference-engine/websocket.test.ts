/** The WebSocket binding over loopback: handshake, refusals before the 101, echo, upgrade, limits. */
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest, openPolling, sleep, startServer, TestSocket, type Running, type ServerSetup } from "./net.js";

let run: Running | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await run?.close();
  run = undefined;
});

async function serve(options: ServerSetup = {}): Promise<Running> {
  run = await startServer(options);
  return run;
}

function socket(url: string): TestSocket {
  const s = new TestSocket(url);
  sockets.push(s);
  return s;
}

/** Polling handshake, then a WebSocket probe through to the upgrade. */
async function upgraded(r: Running): Promise<{ sid: string; ws: TestSocket }> {
  const sid = await openPolling(r);
  const ws = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
  await ws.open();
  ws.send("2probe");
  expect(await ws.next()).toBe("3probe");
  ws.send("5");
  return { sid, ws };
}

describe("WebSocket sessions", () => {
  it("sends the open packet first, with no upgrades, then echoes text and binary", async () => {
    const r = await serve();
    const ws = socket(r.url("EIO=4&transport=websocket", "ws"));
    const open = (await ws.next()) as string;
    expect(open).toMatch(
      /^0\{"sid":"[A-Za-z0-9_-]{20}","upgrades":\[\],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000\}$/,
    );
    ws.send("4hello");
    expect(await ws.next()).toBe("4hello");
    ws.send(new Uint8Array([1, 2, 3, 4]));
    expect([...((await ws.next()) as Buffer)]).toEqual([1, 2, 3, 4]);
  });

  it("refuses bad requests before the 101 with a JSON body", async () => {
    const r = await serve();
    for (const [query, code] of [
      ["transport=websocket", 5],
      ["EIO=abc&transport=websocket", 5],
      ["EIO=4", 0],
      ["EIO=4&transport=abc", 0],
      ["EIO=4&transport=websocket&sid=nope", 1],
      ["EIO=4&transport=polling", 3],
    ] as const) {
      const ws = socket(r.url(query, "ws"));
      await ws.closed();
      expect(ws.opened).toBe(false);
      expect(ws.unexpected?.status).toBe(400);
      expect(JSON.parse(ws.unexpected!.body).code).toBe(code);
    }
  });

  it("a close packet ends the session (fault: ignored)", async () => {
    const r = await serve();
    const ws = socket(r.url("EIO=4&transport=websocket", "ws"));
    await ws.next();
    ws.send("1");
    expect(await ws.closed()).toBe(1000);
    expect(r.engine.clientsCount).toBe(0);
    await r.close();
    run = await startServer({ faults: new Set(["client-close-ignored-on-websocket"]) });
    const faulty = socket(run.url("EIO=4&transport=websocket", "ws"));
    await faulty.next();
    faulty.send("1");
    await sleep(100);
    expect(faulty.closeCode).toBeUndefined();
  });

  it("closes with 1009 on a frame over maxHttpBufferSize, and the session is gone", async () => {
    const r = await serve({ maxHttpBufferSize: 100 });
    const ws = socket(r.url("EIO=4&transport=websocket", "ws"));
    await ws.next();
    ws.send("4" + "x".repeat(99));
    expect((await ws.next()) as string).toHaveLength(100);
    ws.send("4" + "x".repeat(100));
    expect(await ws.closed()).toBe(1009);
    for (let i = 0; i < 50 && r.engine.clientsCount > 0; i++) await sleep(10);
    expect(r.engine.clientsCount).toBe(0);
  });

  it("the server's own close (sockspec:close) is a normal close", async () => {
    const r = await serve();
    const ws = socket(r.url("EIO=4&transport=websocket", "ws"));
    await ws.next();
    ws.send("4sockspec:close");
    expect(await ws.closed()).toBe(1000);
  });

  it("times out a session that never pongs", async () => {
    const r = await serve();
    const ws = socket(r.url("EIO=4&transport=websocket", "ws"));
    await ws.next();
    expect(await ws.next(1000, false)).toBe("2");
    await ws.closed(1000);
    expect(r.engine.clientsCount).toBe(0);
  });
});

describe("upgrade", () => {
  it("probe, noop to the pending GET, upgrade, then messages over WebSocket; polling refused with code 3", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const pending = httpRequest("GET", r.url(q));
    await sleep(20);
    const ws = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    await ws.open();
    ws.send("2probe");
    expect(await ws.next()).toBe("3probe");
    expect((await pending).text).toBe("6");
    ws.send("5");
    ws.send("4hello");
    expect(await ws.next()).toBe("4hello");
    const refused = await httpRequest("GET", r.url(q));
    expect([refused.status, JSON.parse(refused.text).code]).toEqual([400, 3]);
    ws.send("4still");
    expect(await ws.next()).toBe("4still");
  });

  it("repeats the noop to a GET that arrives during the probe", async () => {
    const r = await serve({ pingInterval: 5000, pingTimeout: 5000 });
    const sid = await openPolling(r);
    const ws = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    await ws.open();
    ws.send("2probe");
    await ws.next();
    const started = Date.now();
    const res = await httpRequest("GET", r.url(`EIO=4&transport=polling&sid=${sid}`));
    expect(res.text).toBe("6");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("loses no message across the upgrade: between probe and upgrade they go over polling", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const ws = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    await ws.open();
    ws.send("2probe");
    await ws.next();
    await httpRequest("POST", r.url(q), { body: "4sockspec:burst:3" });
    expect((await httpRequest("GET", r.url(q))).text).toBe("4burst:1\x1e4burst:2\x1e4burst:3");
    await httpRequest("POST", r.url(q), { body: "4sockspec:burst:2" });
    ws.send("5");
    expect([await ws.next(), await ws.next()]).toEqual(["4burst:1", "4burst:2"]);
  });

  it("a second WebSocket on an upgraded session gets 101 then a close; the first goes on", async () => {
    const r = await serve();
    const { sid, ws } = await upgraded(r);
    const second = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    await second.closed();
    expect(second.opened).toBe(true);
    ws.send("4hello");
    expect(await ws.next()).toBe("4hello");
  });

  it("closes only the probing socket after upgradeTimeout", async () => {
    const r = await serve({ upgradeTimeout: 150 });
    const sid = await openPolling(r);
    const ws = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    await ws.open();
    await ws.closed(1000);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    await httpRequest("POST", r.url(q), { body: "4alive" });
    expect((await httpRequest("GET", r.url(q))).text).toBe("4alive");
  });

  it("closes only the probing socket on a bad first frame", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const ws = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    await ws.open();
    ws.send("4hello");
    await ws.closed();
    expect(r.engine.clientsCount).toBe(1);
  });

  it("refuses upgrades when allowUpgrades is off, and serves only the enabled transports", async () => {
    const r = await serve({ allowUpgrades: false });
    const sid = await openPolling(r);
    const ws = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    await ws.closed();
    expect([ws.opened, ws.unexpected?.status]).toEqual([false, 400]);
    await r.close();
    run = await startServer({ transports: ["websocket"] });
    const refused = await httpRequest("GET", run.url("EIO=4&transport=polling"));
    expect([refused.status, JSON.parse(refused.text).code]).toEqual([400, 0]);
    const only = socket(run.url("EIO=4&transport=websocket", "ws"));
    expect((await only.next()) as string).toMatch(/^0\{/);
  });

  it("refuses an upgrade of a session opened over WebSocket", async () => {
    const r = await serve();
    const first = socket(r.url("EIO=4&transport=websocket", "ws"));
    const sid = JSON.parse(((await first.next()) as string).slice(1)).sid as string;
    const second = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    await second.closed();
    expect(second.unexpected?.status).toBe(400);
  });
});

describe("server close", () => {
  it("ends every session and leaves no client behind", async () => {
    const r = await serve();
    await openPolling(r);
    const ws = socket(r.url("EIO=4&transport=websocket", "ws"));
    await ws.next();
    expect(r.engine.clientsCount).toBe(2);
    r.engine.close();
    expect(r.engine.clientsCount).toBe(0);
    await ws.closed();
  });

  it("leaves requests outside the path to other listeners", async () => {
    const r = await serve();
    const res = await httpRequest("GET", `http://127.0.0.1:${r.port}/elsewhere`);
    expect(res.status).toBe(404);
  });
});
