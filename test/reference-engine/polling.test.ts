/** The polling binding over loopback: handshake shape, errors, batching, binary, overlap, abort, limits, CORS, v3. */
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest, openPolling, sleep, startServer, type Running, type ServerSetup } from "./net.js";

let run: Running | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function serve(options: ServerSetup = {}): Promise<Running> {
  run = await startServer(options);
  return run;
}

describe("handshake", () => {
  it("answers 200 text/plain with the open packet alone", async () => {
    const r = await serve();
    const res = await httpRequest("GET", r.url("EIO=4&transport=polling"));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.text).toMatch(
      /^0\{"sid":"[A-Za-z0-9_-]{20}","upgrades":\["websocket"\],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000\}$/,
    );
    expect(r.engine.clientsCount).toBe(1);
  });

  it("advertises no upgrade when websocket is off", async () => {
    const r = await serve({ transports: ["polling"] });
    const res = await httpRequest("GET", r.url("EIO=4&transport=polling"));
    expect(JSON.parse(res.text.slice(1)).upgrades).toEqual([]);
  });

  it("refuses a handshake allowRequest denies with 403 and its message", async () => {
    const r = await serve({ allowRequest: async () => ({ message: "no thanks" }) });
    const res = await httpRequest("GET", r.url("EIO=4&transport=polling"));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ code: 4, message: "no thanks" });
    expect(r.engine.clientsCount).toBe(0);
  });
});

describe("errors", () => {
  it("answers each bad request with the documented code, in the spec's order of checks", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const cases: Array<[string, string, number, number]> = [
      ["GET", "transport=polling", 400, 5],
      ["GET", "EIO=abc&transport=polling", 400, 5],
      ["GET", "EIO=3&transport=polling", 400, 5],
      ["GET", "EIO=4", 400, 0],
      ["GET", "EIO=4&transport=abc", 400, 0],
      ["GET", "transport=abc", 400, 0],
      ["GET", "EIO=4&transport=websocket", 400, 3],
      ["POST", "EIO=4&transport=polling", 400, 2],
      ["PUT", "EIO=4&transport=polling", 400, 2],
      ["GET", "EIO=4&transport=polling&sid=nope", 400, 1],
      ["POST", "EIO=4&transport=polling&sid=nope", 400, 1],
      ["PUT", `EIO=4&transport=polling&sid=${sid}`, 400, 3],
      ["GET", `EIO=4&transport=websocket&sid=${sid}`, 400, 3],
      ["GET", `EIO=3&transport=polling&sid=${sid}`, 400, 3],
      ["GET", `transport=polling&sid=${sid}`, 400, 3],
      ["GET", "EIO=5&transport=abc&sid=nope", 400, 0],
      ["GET", "EIO=5&transport=polling&sid=nope", 400, 1],
      ["POST", "EIO=5&transport=polling", 400, 2],
    ];
    for (const [method, query, status, code] of cases) {
      const res = await httpRequest(method, r.url(query));
      expect([method, query, res.status]).toEqual([method, query, status]);
      expect(res.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(res.text).code).toBe(code);
    }
    // the PUT with a sid did not end the session
    expect(r.engine.clientsCount).toBe(1);
  });

  it("runs admission before the version check", async () => {
    const r = await serve({ allowRequest: async () => ({ message: "no thanks" }) });
    const res = await httpRequest("GET", r.url("EIO=5&transport=polling"));
    expect([res.status, JSON.parse(res.text).code]).toEqual([403, 4]);
  });

  it("fault unknown-sid-wrong-code answers an unknown sid with code 3", async () => {
    const r = await serve({ faults: new Set(["unknown-sid-wrong-code"]) });
    const res = await httpRequest("GET", r.url("EIO=4&transport=polling&sid=nope"));
    expect(JSON.parse(res.text).code).toBe(3);
  });
});

describe("messages", () => {
  it("POST answers 200 text/html ok; the echo comes back on the next GET", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const posted = await httpRequest("POST", r.url(q), { body: "4hello" });
    expect([posted.status, posted.text, posted.headers["content-type"], posted.headers["cache-control"]]).toEqual([
      200,
      "ok",
      "text/html",
      "no-store",
    ]);
    expect((await httpRequest("GET", r.url(q))).text).toBe("4hello");
  });

  it("batches several echoes, text and binary, into one GET response", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    await httpRequest("POST", r.url(q), { body: "4test1\x1e4test2\x1ebAQIDBA==\x1e4€😀" });
    expect((await httpRequest("GET", r.url(q))).text).toBe("4test1\x1e4test2\x1ebAQIDBA==\x1e4€😀");
  });

  it("serves a burst requested over polling in order", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    await httpRequest("POST", r.url(q), { body: "4sockspec:burst:3" });
    expect((await httpRequest("GET", r.url(q))).text).toBe("4burst:1\x1e4burst:2\x1e4burst:3");
  });

  it("closes the session on an invalid payload with 400 code 3", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const res = await httpRequest("POST", r.url(q), { body: "abc" });
    expect([res.status, JSON.parse(res.text).code]).toEqual([400, 3]);
    expect(JSON.parse((await httpRequest("GET", r.url(q))).text).code).toBe(1);
  });

  it("reads a v4 application/octet-stream POST as the text payload it holds (EIO4-POLLING-13)", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const res = await httpRequest("POST", r.url(q), {
      body: "4hello",
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect([res.status, res.text]).toEqual([200, "ok"]);
    expect(r.engine.clientsCount).toBe(1);
  });
});

describe("limits", () => {
  it("accepts a POST of exactly maxHttpBufferSize bytes, refuses one more with 413 and keeps the session", async () => {
    const r = await serve({ maxHttpBufferSize: 1000 });
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const exact = "4" + "é".repeat(499) + "x"; // 1 + 998 + 1 bytes
    expect((await httpRequest("POST", r.url(q), { body: exact })).status).toBe(200);
    const over = await httpRequest("POST", r.url(q), { body: exact + "y" });
    expect(over.status).toBe(413);
    expect(r.engine.clientsCount).toBe(1);
    expect((await httpRequest("GET", r.url(q))).text).toBe(exact);
  });

  it("fault no-413 accepts the oversize POST", async () => {
    const r = await serve({ maxHttpBufferSize: 10, faults: new Set(["no-413"]) });
    const sid = await openPolling(r);
    const res = await httpRequest("POST", r.url(`EIO=4&transport=polling&sid=${sid}`), { body: "4" + "x".repeat(20) });
    expect(res.status).toBe(200);
  });
});

describe("overlap and abort", () => {
  it("an overlapping GET gets 400, the pending one gets 1, and the session is gone", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const first = httpRequest("GET", r.url(q));
    await sleep(30);
    const second = await httpRequest("GET", r.url(q));
    expect(second.status).toBe(400);
    expect((await first).text).toBe("1");
    expect(JSON.parse((await httpRequest("GET", r.url(q))).text).code).toBe(1);
  });

  it("fault status-500-instead-of-400 answers the overlap with 500", async () => {
    const r = await serve({ faults: new Set(["status-500-instead-of-400"]) });
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const first = httpRequest("GET", r.url(q));
    await sleep(30);
    expect((await httpRequest("GET", r.url(q))).status).toBe(500);
    await first;
  });

  it("an aborted GET ends the session", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const ac = new AbortController();
    const pending = httpRequest("GET", r.url(q), { signal: ac.signal }).catch(() => "aborted");
    await sleep(30);
    ac.abort();
    expect(await pending).toBe("aborted");
    for (let i = 0; i < 50 && r.engine.clientsCount > 0; i++) await sleep(10);
    expect(JSON.parse((await httpRequest("GET", r.url(q))).text).code).toBe(1);
  });
});

describe("heartbeat and close", () => {
  it("pings after pingInterval and keeps a ponging session", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      expect((await httpRequest("GET", r.url(q))).text).toBe("2");
      expect(Date.now() - started).toBeGreaterThan(200);
      expect((await httpRequest("POST", r.url(q), { body: "3" })).text).toBe("ok");
    }
  });

  it("a session without pongs is gone after pingInterval + pingTimeout", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    await sleep(800);
    const res = await httpRequest("GET", r.url(`EIO=4&transport=polling&sid=${sid}`));
    expect([res.status, JSON.parse(res.text).code]).toEqual([400, 1]);
  });

  it("client close: POST 1 gets ok, the pending GET gets 6", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const get = httpRequest("GET", r.url(q));
    await sleep(30);
    expect((await httpRequest("POST", r.url(q), { body: "1" })).text).toBe("ok");
    expect((await get).text).toBe("6");
    expect(r.engine.clientsCount).toBe(0);
  });

  it("server close over polling: buffered packets, then 6 and 1", async () => {
    const r = await serve();
    const sid = await openPolling(r);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    await httpRequest("POST", r.url(q), { body: "4bye\x1e4sockspec:close" });
    expect((await httpRequest("GET", r.url(q))).text).toBe("4bye");
    expect((await httpRequest("GET", r.url(q))).text).toBe("6\x1e1");
    expect(JSON.parse((await httpRequest("GET", r.url(q))).text).code).toBe(1);
  });
});

describe("CORS", () => {
  it("is off by default (fault cors-always-on turns it on)", async () => {
    const r = await serve();
    const res = await httpRequest("GET", r.url("EIO=4&transport=polling"), {
      headers: { Origin: "https://a.example" },
    });
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    await r.close();
    run = await startServer({ faults: new Set(["cors-always-on"]) });
    const faulty = await httpRequest("GET", run.url("EIO=4&transport=polling"));
    expect(faulty.headers["access-control-allow-origin"]).toBe("*");
  });

  it("when on, answers the preflight and puts the headers on every response, errors included", async () => {
    const r = await serve({ cors: { origin: ["https://a.example"], credentials: true } });
    const headers = { Origin: "https://a.example" };
    const pre = await httpRequest("OPTIONS", r.url("EIO=4&transport=polling"), {
      headers: { ...headers, "Access-Control-Request-Headers": "content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-methods"]).toContain("POST");
    expect(pre.headers["access-control-allow-headers"]).toBe("content-type");
    expect(pre.headers["access-control-allow-origin"]).toBe("https://a.example");
    const err = await httpRequest("GET", r.url("EIO=4&transport=nope"), { headers });
    expect(err.status).toBe(400);
    expect(err.headers["access-control-allow-origin"]).toBe("https://a.example");
    expect(err.headers["access-control-allow-credentials"]).toBe("true");
    const other = await httpRequest("GET", r.url("EIO=4&transport=polling"), {
      headers: { Origin: "https://b.example" },
    });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("Engine.IO v3 over polling", () => {
  it("is refused unless allowEIO3", async () => {
    const r = await serve();
    expect(JSON.parse((await httpRequest("GET", r.url("EIO=3&transport=polling"))).text).code).toBe(5);
  });

  it("speaks length-prefixed payloads and answers pings with pongs", async () => {
    const r = await serve({ allowEIO3: true });
    const hs = await httpRequest("GET", r.url("EIO=3&transport=polling&b64=1"));
    expect(hs.text).toMatch(/^\d+:0\{"sid"/);
    const sid = await openPolling(r, "EIO=3&transport=polling&b64=1");
    const q = `EIO=3&transport=polling&b64=1&sid=${sid}`;
    await httpRequest("POST", r.url(q), { body: "6:4hello10:b4AQIDBA==1:2" });
    expect((await httpRequest("GET", r.url(q))).text).toBe("6:4hello10:b4AQIDBA==1:3");
  });

  it("sends an XHR2 binary payload to a client without b64", async () => {
    const r = await serve({ allowEIO3: true });
    const sid = await openPolling(r, "EIO=3&transport=polling");
    const q = `EIO=3&transport=polling&sid=${sid}`;
    await httpRequest("POST", r.url(q), { body: "6:4hello10:b4AQIDBA==" });
    const res = await httpRequest("GET", r.url(q));
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    expect([...res.body]).toEqual([
      0x00, 0x06, 0xff, 0x34, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x01, 0x05, 0xff, 0x04, 0x01, 0x02, 0x03, 0x04,
    ]);
  });
});

describe("POST body text", () => {
  it("closes the session on a body that is not UTF-8, and keeps a leading U+FEFF as data", async () => {
    run = await startServer();
    const sid = await openPolling(run);
    const q = `EIO=4&transport=polling&sid=${sid}`;
    const bad = await httpRequest("POST", run.url(q), { body: new Uint8Array([0x34, 0xff, 0xfe]) });
    expect([bad.status, JSON.parse(bad.text).code]).toEqual([400, 3]);
    expect(run.engine.clientsCount).toBe(0);
    const sid2 = await openPolling(run);
    const q2 = `EIO=4&transport=polling&sid=${sid2}`;
    await httpRequest("POST", run.url(q2), { body: "4\ufeffx" });
    expect((await httpRequest("GET", run.url(q2))).text).toBe("4\ufeffx");
  });
});
