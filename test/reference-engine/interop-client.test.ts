/**
 * The reference Engine.IO server against the official engine.io-client@6 in Node: polling only,
 * WebSocket only, and polling upgraded to WebSocket, with text and binary messages both ways.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Socket, type SocketOptions } from "engine.io-client";
import { startServer, type Running } from "./net.js";

let run: Running | undefined;
const clients: Socket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await run?.close();
  run = undefined;
});

function within<T>(
  ms: number,
  what: string,
  fn: (resolve: (v: T) => void, reject: (e: Error) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    fn(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

async function connect(r: Running, opts: Partial<SocketOptions>): Promise<Socket> {
  const client = new Socket(`http://127.0.0.1:${r.port}`, opts);
  clients.push(client);
  await within<void>(3000, "open", (resolve, reject) => {
    client.on("open", () => resolve());
    client.on("error", (e) => reject(e instanceof Error ? e : new Error(String(e))));
  });
  return client;
}

/** Sends each message and collects as many echoes. */
async function roundTrip(client: Socket, messages: Array<string | Uint8Array>): Promise<Array<string | number[]>> {
  const got: Array<string | number[]> = [];
  const done = within<void>(3000, "echoes", (resolve) => {
    client.on("message", (data: unknown) => {
      got.push(typeof data === "string" ? data : Array.from(new Uint8Array(data as ArrayBuffer)));
      if (got.length === messages.length) resolve();
    });
  });
  for (const m of messages) client.send(m);
  await done;
  return got;
}

const sample: Array<string | Uint8Array> = ["hello", "h€llo 😀", new Uint8Array([1, 2, 3, 4]), "last"];
const expected = ["hello", "h€llo 😀", [1, 2, 3, 4], "last"];

describe("engine.io-client@6 against the reference server", () => {
  it("polling only", async () => {
    run = await startServer();
    const client = await connect(run, { transports: ["polling"] });
    expect(client.transport.name).toBe("polling");
    expect(await roundTrip(client, sample)).toEqual(expected);
  });

  it("websocket only", async () => {
    run = await startServer();
    const client = await connect(run, { transports: ["websocket"] });
    expect(client.transport.name).toBe("websocket");
    expect(await roundTrip(client, sample)).toEqual(expected);
  });

  it("upgrades from polling to websocket and keeps the messages flowing", async () => {
    run = await startServer();
    const client = await connect(run, { transports: ["polling", "websocket"] });
    await within<void>(3000, "upgrade", (resolve) => {
      if (client.transport.name === "websocket") resolve();
      client.on("upgrade", () => resolve());
    });
    expect(client.transport.name).toBe("websocket");
    expect(await roundTrip(client, sample)).toEqual(expected);
  });

  it("survives several heartbeat cycles", async () => {
    run = await startServer();
    const client = await connect(run, { transports: ["websocket"] });
    let pings = 0;
    client.on("ping", () => pings++);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(client.readyState).toBe("open");
    expect(run.engine.clientsCount).toBe(1);
  });

  it("sees the server's close over polling and over websocket", async () => {
    run = await startServer();
    for (const transports of [["polling"], ["websocket"]] as const) {
      const client = await connect(run, { transports: [...transports] });
      const closed = within<string>(3000, "close", (resolve) =>
        client.on("close", (reason: string) => resolve(reason)),
      );
      client.send("sockspec:close");
      expect(await closed).toMatch(/transport close|forced close/);
    }
    expect(run.engine.clientsCount).toBe(0);
  });

  it("the client's close frees the session", async () => {
    run = await startServer();
    const client = await connect(run, { transports: ["polling"] });
    expect(run.engine.clientsCount).toBe(1);
    client.close();
    for (let i = 0; i < 50 && run.engine.clientsCount > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(run.engine.clientsCount).toBe(0);
  });
});
