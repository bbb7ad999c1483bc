// The inbox never loses a frame: frames that arrive before a case asks are kept, in order.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { CaseOutcome } from "../../conformance/case.js";
import { Inbox } from "../../conformance/client/inbox.js";
import { WsConnection } from "../../conformance/client/ws.js";
import { Transcript } from "../../conformance/runner/transcript.js";

let http: Server | undefined;
let wss: WebSocketServer | undefined;
const opened: WsConnection[] = [];

afterEach(async () => {
  for (const ws of opened.splice(0)) ws.terminate();
  for (const c of wss?.clients ?? []) c.terminate();
  wss?.close();
  http?.closeAllConnections();
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
  http = undefined;
});

/** A WebSocket server that sends `frames` at once on connection, then closes if asked. */
async function serve(frames: Array<string | Buffer>, closeAfter?: number): Promise<string> {
  http = createServer();
  wss = new WebSocketServer({ server: http });
  wss.on("connection", (ws) => {
    for (const f of frames) ws.send(f);
    if (closeAfter !== undefined) setTimeout(() => ws.close(4000, "bye"), closeAfter);
  });
  await new Promise<void>((r) => http!.listen(0, "127.0.0.1", r));
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`;
}

function connect(url: string, transcript = new Transcript()): WsConnection {
  const ws = new WsConnection(transcript, url, 1000);
  opened.push(ws);
  return ws;
}

describe("WebSocket inbox", () => {
  it("keeps frames that arrived before the case asked, in order, text and binary", async () => {
    const url = await serve(["a", Buffer.from([1, 2, 3]), "c"]);
    const ws = connect(url);
    expect((await ws.opened).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(await ws.next()).toBe("a");
    expect(await ws.next()).toEqual(new Uint8Array([1, 2, 3]));
    expect(await ws.next()).toBe("c");
  });

  it("nextMatching takes a later frame and leaves the earlier ones queued", async () => {
    const url = await serve(["1", "2", "3"]);
    const ws = connect(url);
    expect(await ws.nextMatching((f) => f === "3")).toBe("3");
    expect(await ws.next()).toBe("1");
    expect(await ws.next()).toBe("2");
  });

  it("frames still queued when the connection closes can be taken; after that, waiting fails", async () => {
    const url = await serve(["x", "y"], 20);
    const ws = connect(url);
    const closed = await ws.closed;
    expect(closed.code).toBe(4000);
    expect(await ws.next()).toBe("x");
    expect(await ws.next()).toBe("y");
    const err = await ws.next({ timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaseOutcome);
    expect((err as CaseOutcome).verdict).toBe("fail");
    expect((err as CaseOutcome).reason).toMatch(/closed \(code 4000\)/);
  });

  it("a wait that times out fails the case and names what was awaited", async () => {
    const url = await serve([]);
    const ws = connect(url);
    const started = Date.now();
    const err = (await ws.next({ timeoutMs: 100, what: "the 3probe answer" }).catch((e: unknown) => e)) as CaseOutcome;
    expect(err.reason).toBe(`the 3probe answer did not arrive on the WebSocket ${ws.conn} within 100 ms`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("records every frame and the close in the transcript", async () => {
    const url = await serve(["hello"], 20);
    const transcript = new Transcript();
    const ws = connect(url, transcript);
    await ws.closed;
    ws.send("late");
    const kinds = transcript.events.map((e) => e.kind);
    expect(kinds).toEqual(["ws-open", "ws-frame", "ws-close", "ws-frame"]);
    expect(transcript.events[1]).toMatchObject({ dir: "in", opcode: "text", data: "hello" });
    expect(transcript.events[2]).toMatchObject({ dir: "in", code: 4000, reason: "bye" });
  });
});

describe("generic inbox", () => {
  it("a taker waiting before the item arrives gets it", async () => {
    const inbox = new Inbox<number>("test", 1000);
    const taken = inbox.take((n) => n > 1);
    inbox.push(1);
    setTimeout(() => inbox.push(2), 10);
    expect(await taken).toBe(2);
    expect(inbox.items).toEqual([1]);
  });

  it("many items pushed in a burst are all kept", async () => {
    const inbox = new Inbox<number>("test", 1000);
    for (let i = 0; i < 1000; i++) inbox.push(i);
    const got: number[] = [];
    for (let i = 0; i < 1000; i++) got.push(await inbox.take());
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
