/** Engine.IO v3 sessions (allowEIO3) over polling and WebSocket, and the EngineConnection surface. */
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineConnection } from "../../reference/engine/connection.js";
import type { Session } from "../../reference/engine/session.js";
import { makeSession, post } from "./helpers.js";
import { httpRequest, openPolling, sleep, startServer, TestSocket, type Running } from "./net.js";

// The session core is what the layer above receives as an EngineConnection.
const asConnection = (s: Session<IncomingMessage>): EngineConnection => s;
void asConnection;

let run: Running | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await run?.close();
  run = undefined;
});

describe("Engine.IO v3", () => {
  it("delivers nothing of an invalid payload and closes the session", () => {
    const { session, messages, closes } = makeSession({ protocol: 3 });
    expect(post(session, "6:4hello3")).toBe("bad");
    expect(messages).toEqual([]);
    expect(closes[0]?.[0]).toBe("parse error");
  });

  it("client close over polling completes the pending GET with 1:6; an overlap gives it 1:1", async () => {
    run = await startServer({ allowEIO3: true });
    let sid = await openPolling(run, "EIO=3&transport=polling&b64=1");
    let q = `EIO=3&transport=polling&b64=1&sid=${sid}`;
    const pending = httpRequest("GET", run.url(q));
    await sleep(30);
    expect((await httpRequest("POST", run.url(q), { body: "1:1" })).text).toBe("ok");
    expect((await pending).text).toBe("1:6");
    sid = await openPolling(run, "EIO=3&transport=polling&b64=1");
    q = `EIO=3&transport=polling&b64=1&sid=${sid}`;
    const first = httpRequest("GET", run.url(q));
    await sleep(30);
    expect((await httpRequest("GET", run.url(q))).status).toBe(400);
    expect((await first).text).toBe("1:1");
  });

  it("accepts an XHR2 binary POST", async () => {
    run = await startServer({ allowEIO3: true });
    const sid = await openPolling(run, "EIO=3&transport=polling&b64=1");
    const q = `EIO=3&transport=polling&b64=1&sid=${sid}`;
    const body = new Uint8Array([
      0x00, 0x06, 0xff, 0x34, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x01, 0x03, 0xff, 0x04, 0x01, 0x02,
    ]);
    const res = await httpRequest("POST", run.url(q), {
      body,
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(res.text).toBe("ok");
    expect((await httpRequest("GET", run.url(q))).text).toBe("6:4hello6:b4AQI=");
  });

  it("over WebSocket: answers pings, echoes binary with the type byte, times out without pings", async () => {
    run = await startServer({ allowEIO3: true });
    const ws = new TestSocket(run.url("EIO=3&transport=websocket", "ws"));
    sockets.push(ws);
    expect((await ws.next()) as string).toMatch(/^0\{"sid":".*"upgrades":\[\]/);
    ws.send("2");
    expect(await ws.next()).toBe("3");
    ws.send(new Uint8Array([4, 1, 2, 3]));
    expect([...((await ws.next()) as Buffer)]).toEqual([4, 1, 2, 3]);
    await ws.closed(1500);
  });

  it("sends binary as b4 text frames to a b64 client over WebSocket", async () => {
    run = await startServer({ allowEIO3: true });
    const ws = new TestSocket(run.url("EIO=3&transport=websocket&b64=1", "ws"));
    sockets.push(ws);
    await ws.next();
    ws.send("b4AQID");
    expect(await ws.next()).toBe("b4AQID");
  });
});
