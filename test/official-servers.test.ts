/**
 * The official servers started by test/support/official-servers.ts really run the echo contract:
 * each behaviour is checked with the official clients.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { io as ioClient, type Socket as ClientSocket } from "socket.io-client";
import { Socket as EngineClient } from "engine.io-client";
import { startOfficialServers, type OfficialServers } from "./support/official-servers.js";

const WAIT_MS = 3000;

/** Resolve with the promise, or fail once `ms` have passed. */
function within<T>(promise: Promise<T>, label: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once<T extends unknown[]>(
  target: { once(event: string, fn: (...args: T) => void): unknown },
  event: string,
): Promise<T> {
  return within(new Promise<T>((resolve) => target.once(event, (...args: T) => resolve(args))), `"${event}"`);
}

let servers: OfficialServers;
const opened: Array<{ close(): unknown }> = [];

beforeAll(async () => {
  servers = await startOfficialServers({
    pingInterval: 300,
    pingTimeout: 200,
    connectTimeout: 1000,
    upgradeTimeout: 1000,
  });
});
afterEach(() => {
  for (const client of opened.splice(0)) client.close();
});
afterAll(async () => {
  await servers?.close();
});

function engineClient(transport: "polling" | "websocket"): EngineClient {
  const client = new EngineClient(servers.url, { path: "/engine.io/", transports: [transport] });
  opened.push(client);
  return client;
}

function sioClient(nsp = "/", auth?: Record<string, unknown>): ClientSocket {
  const client = ioClient(servers.url + nsp, {
    path: "/socket.io/",
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    ...(auth ? { auth } : {}),
  });
  opened.push(client);
  return client;
}

/** The official server's session object for an Engine.IO session ID (its `clients` map is not public). */
function serverSession(sid: string): { once(event: "close", fn: (reason: string) => void): unknown } | undefined {
  const engine = servers.io.engine as unknown as {
    clients: Record<string, { once(event: "close", fn: (reason: string) => void): unknown }>;
  };
  return engine.clients[sid];
}

/** Collect the next `count` messages of an Engine.IO client. */
function nextMessages(client: EngineClient, count: number): Promise<unknown[]> {
  return within(
    new Promise((resolve) => {
      const got: unknown[] = [];
      const onMessage = (data: unknown) => {
        got.push(data);
        if (got.length === count) {
          client.off("message", onMessage);
          resolve(got);
        }
      };
      client.on("message", onMessage);
    }),
    `${count} message(s)`,
  );
}

describe("bare Engine.IO endpoint", () => {
  for (const transport of ["polling", "websocket"] as const) {
    it(`echoes text and binary over ${transport}`, async () => {
      const client = engineClient(transport);
      await once(client, "open");
      const replies = nextMessages(client, 2);
      client.send("hello");
      client.send(new Uint8Array([1, 2, 3]));
      const [text, binary] = await replies;
      expect(text).toBe("hello");
      expect(new Uint8Array(binary as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    });
  }

  it("sends burst:1..N in order for sockspec:burst:N", async () => {
    const client = engineClient("websocket");
    await once(client, "open");
    const replies = nextMessages(client, 5);
    client.send("sockspec:burst:5");
    expect(await replies).toEqual(["burst:1", "burst:2", "burst:3", "burst:4", "burst:5"]);
  });

  it("echoes a burst command whose count is out of range or malformed", async () => {
    const client = engineClient("websocket");
    await once(client, "open");
    const replies = nextMessages(client, 3);
    client.send("sockspec:burst:1001");
    client.send("sockspec:burst:0");
    client.send("sockspec:burst:02");
    expect(await replies).toEqual(["sockspec:burst:1001", "sockspec:burst:0", "sockspec:burst:02"]);
  });

  it("closes the session on sockspec:close", async () => {
    const client = engineClient("polling");
    await once(client, "open");
    const closed = once<[string]>(client, "close");
    client.send("sockspec:close");
    const [reason] = await closed;
    expect(reason).toBe("transport close");
  });

  it("advertises the options it was given", async () => {
    const client = engineClient("polling");
    await once(client, "open");
    expect(client.id).toEqual(expect.any(String));
    // The client keeps the handshake's pingInterval/pingTimeout; read them through a fresh handshake.
    const res = await fetch(`${servers.url}/engine.io/?EIO=4&transport=polling`);
    const body = await res.text();
    const handshake = JSON.parse(body.slice(1)) as Record<string, unknown>;
    expect(handshake).toMatchObject({ pingInterval: 300, pingTimeout: 200, maxPayload: 1e6, upgrades: ["websocket"] });
  });
});

describe("Socket.IO endpoint", () => {
  for (const nsp of ["/", "/custom"]) {
    it(`emits auth with the CONNECT payload on ${nsp}`, async () => {
      const withAuth = sioClient(nsp, { user: "ada" });
      const [auth] = await once<[unknown]>(withAuth, "auth");
      expect(auth).toEqual({ user: "ada" });
      const withoutAuth = sioClient(nsp);
      const [empty] = await once<[unknown]>(withoutAuth, "auth");
      expect(empty).toEqual({});
    });
  }

  it("echoes message as message-back, binary included", async () => {
    const client = sioClient("/custom");
    await once(client, "connect");
    const back = once<unknown[]>(client, "message-back");
    client.emit("message", 1, "two", { three: [3] }, new Uint8Array([4, 5]));
    const args = await back;
    expect(args.slice(0, 3)).toEqual([1, "two", { three: [3] }]);
    expect(new Uint8Array(args[3] as ArrayBuffer)).toEqual(new Uint8Array([4, 5]));
  });

  it("acks message-with-ack with the same arguments", async () => {
    const client = sioClient();
    await once(client, "connect");
    const reply = await within(client.emitWithAck("message-with-ack", "a", 2, { c: true }), "ack");
    expect(reply).toBe("a"); // emitWithAck resolves with the first argument
    const all = await within(
      new Promise<unknown[]>((resolve) =>
        client.emit("message-with-ack", "x", 9, (...args: unknown[]) => resolve(args)),
      ),
      "ack",
    );
    expect(all).toEqual(["x", 9]);
  });

  it("emits emit-with-ack back asking for an ack, then reports the ack as ack-back", async () => {
    const client = sioClient();
    await once(client, "connect");
    client.on("emit-with-ack", (...args: unknown[]) => {
      const ack = args.pop() as (...reply: unknown[]) => void;
      ack("got", ...args);
    });
    const back = once<unknown[]>(client, "ack-back");
    client.emit("emit-with-ack", 7, "seven");
    expect(await back).toEqual(["got", 7, "seven"]);
  });

  it("disconnects the namespace socket on disconnect-me, leaving the session open", async () => {
    const main = sioClient();
    await once(main, "connect");
    const custom = main.io.socket("/custom"); // same manager, so the same Engine.IO session
    custom.connect();
    await once(custom, "connect");
    const gone = once<[string]>(custom, "disconnect");
    custom.emit("disconnect-me");
    expect((await gone)[0]).toBe("io server disconnect");
    expect(main.connected).toBe(true);
    expect(serverSession(main.io.engine.id)).toBeDefined();
  });

  it("closes the whole session on close-me", async () => {
    const client = sioClient();
    await once(client, "connect");
    const sid = client.io.engine.id;
    const session = serverSession(sid);
    expect(session).toBeDefined();
    // The client closes its side too once its last namespace is gone, so judge the server's side.
    const serverClosed = new Promise<string>((resolve) => session!.once("close", resolve));
    client.emit("close-me");
    expect(await within(serverClosed, "the session to close")).toBe("forced close");
  });

  it("refuses /private without the token, with the agreed error", async () => {
    const refused = sioClient("/private", { token: "wrong" });
    const [err] = await once<[Error & { data?: unknown }]>(refused, "connect_error");
    expect(err.message).toBe("not authorized");
    expect(err.data).toEqual({ reason: "token required" });
    const accepted = sioClient("/private", { token: "sockspec" });
    expect((await once<[unknown]>(accepted, "auth"))[0]).toEqual({ token: "sockspec" });
  });

  it("has no /random namespace", async () => {
    const client = sioClient("/random");
    const [err] = await once<[Error]>(client, "connect_error");
    expect(err.message).toBe("Invalid namespace");
  });

  it("answers 404 outside both endpoints", async () => {
    const res = await fetch(`${servers.url}/elsewhere`);
    expect(res.status).toBe(404);
    await res.text();
  });
});

describe("close()", () => {
  it("ends open sessions and stops listening", async () => {
    const own = await startOfficialServers({ pingInterval: 300, pingTimeout: 200, connectionStateRecovery: true });
    const ws = new EngineClient(own.url, { path: "/engine.io/", transports: ["websocket"] });
    const polling = ioClient(own.url, {
      path: "/socket.io/",
      transports: ["polling"],
      reconnection: false,
      forceNew: true,
    });
    opened.push(ws, polling);
    await Promise.all([once(ws, "open"), once(polling, "connect")]);
    const wsClosed = once(ws, "close");
    const pollingGone = once(polling, "disconnect");
    await within(own.close(), "close()");
    await Promise.all([wsClosed, pollingGone]);
    expect(own.io.httpServer.listening).toBe(false);
    await expect(fetch(`${own.url}/engine.io/?EIO=4&transport=polling`)).rejects.toThrow();
    await within(own.close(), "second close()"); // idempotent
  });
});
