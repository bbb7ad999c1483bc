/**
 * The Socket.IO layer on the real Engine.IO server, seen as raw WebSocket frames: what a
 * conformance runner sees (Engine.IO `4` prefix, binary frames, session close).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { attach, type Attached } from "../../reference/attach.js";
import { installSocketEcho } from "../../reference/apps/echo.js";

let http: HttpServer;
let server: Attached;
let wsUrl: string;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  http = createServer();
  server = attach(http, { pingInterval: 300, pingTimeout: 200, connectTimeout: 1000 });
  installSocketEcho(server.io);
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  wsUrl = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/socket.io/?EIO=4&transport=websocket`;
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server.close();
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});

/** A raw client that answers pings and records every other frame, and when the socket closed. */
function rawClient(recordPings = false) {
  const ws = new WebSocket(wsUrl);
  sockets.push(ws);
  const frames: (string | Buffer)[] = [];
  const waiters: (() => void)[] = [];
  let closedAt: number | undefined;
  const openedAt = Date.now();
  ws.on("message", (data, isBinary) => {
    const frame = isBinary ? (data as Buffer) : String(data);
    if (frame === "2") {
      ws.send("3");
      if (!recordPings) return;
    }
    frames.push(frame);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<number>((resolve) =>
    ws.on("close", () => {
      closedAt = Date.now();
      resolve(closedAt - openedAt);
      for (const w of waiters.splice(0)) w();
    }),
  );
  async function next(count: number, ms = 3000): Promise<(string | Buffer)[]> {
    const deadline = Date.now() + ms;
    while (frames.length < count) {
      if (closedAt !== undefined || Date.now() > deadline) throw new Error(`got ${frames.length} of ${count} frames`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return frames.splice(0, count);
  }
  return { ws, next, closed, frames };
}

function bounded<T>(p: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([p, new Promise<never>((_r, j) => setTimeout(() => j(new Error("timed out")), ms))]);
}

describe("Socket.IO over raw WebSocket frames", () => {
  it("sends no Socket.IO packet after the handshake, then answers 40 and echoes binary as frames", async () => {
    const c = rawClient();
    const [open] = await c.next(1);
    expect(String(open).startsWith("0{")).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.frames).toEqual([]);
    c.ws.send("40");
    const [reply, auth] = await c.next(2);
    expect(Object.keys(JSON.parse(String(reply).slice(2)))).toEqual(["sid"]);
    expect(auth).toBe('42["auth",{}]');
    c.ws.send('451-["message",{"_placeholder":true,"num":0}]');
    c.ws.send(Buffer.from([1, 2, 3]));
    const [header, attachment] = await c.next(2);
    expect(header).toBe('451-["message-back",{"_placeholder":true,"num":0}]');
    expect([...(attachment as Buffer)]).toEqual([1, 2, 3]);
  });

  it("closes a session that sends no CONNECT within connectTimeout, pings answered", async () => {
    const c = rawClient();
    const elapsed = await bounded(c.closed, 4000);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2500);
    expect(c.frames.map(String).filter((f) => !f.startsWith("0{"))).toEqual([]);
  });

  it("closes the WebSocket on a protocol violation without any packet", async () => {
    const c = rawClient();
    await c.next(1);
    c.ws.send("40");
    await c.next(2);
    c.ws.send("4abc");
    await bounded(c.closed);
    expect(c.frames).toEqual([]);
  });

  it("keeps the session after 41: the next frame is a ping", async () => {
    const c = rawClient(true);
    await c.next(1);
    c.ws.send("40");
    // A ping may come before the answer; read up to the auth event.
    let seen: (string | Buffer)[] = [];
    while (!seen.includes('42["auth",{}]')) seen = seen.concat(await c.next(1));
    c.ws.send("41");
    expect(await c.next(1, 1000)).toEqual(["2"]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });
});
