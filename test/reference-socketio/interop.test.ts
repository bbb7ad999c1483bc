/**
 * The reference server against the official socket.io-client@4 in Node, over each transport:
 * polling only, WebSocket only, and polling upgraded to WebSocket.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { attach, type Attached } from "../../reference/attach.js";
import { installSocketEcho } from "../../reference/apps/echo.js";

/** Rejects when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms = 3000, what = "wait"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once<T extends unknown[]>(socket: ClientSocket, event: string): Promise<T> {
  return within(
    new Promise<T>((resolve) => socket.once(event, (...args: unknown[]) => resolve(args as T))),
    3000,
    event,
  );
}

let http: HttpServer;
let server: Attached;
let url: string;
const clients: ClientSocket[] = [];

beforeEach(async () => {
  http = createServer();
  server = attach(http, { pingInterval: 300, pingTimeout: 200, connectTimeout: 1000, upgradeTimeout: 1000 });
  installSocketEcho(server.io);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await server.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

const modes: [string, ("polling" | "websocket")[], boolean][] = [
  ["polling only", ["polling"], false],
  ["websocket only", ["websocket"], false],
  ["polling upgraded to websocket", ["polling", "websocket"], true],
];

function open(nsp: string, transports: ("polling" | "websocket")[], auth?: Record<string, unknown>): ClientSocket {
  const socket = connect(url + nsp, {
    transports,
    forceNew: true,
    reconnection: false,
    timeout: 3000,
    ...(auth ? { auth } : {}),
  });
  clients.push(socket);
  return socket;
}

describe.each(modes)("socket.io-client@4, %s", (_name, transports, upgrades) => {
  it("connects, gets its auth back, and echoes plain and binary events", async () => {
    const socket = open("/", transports);
    const [auth] = await once<[unknown]>(socket, "auth");
    expect(auth).toEqual({});
    expect(socket.connected).toBe(true);

    const back = once<unknown[]>(socket, "message-back");
    socket.emit("message", 1, "2", { 3: [true] });
    expect(await back).toEqual([1, "2", { 3: [true] }]);

    const binBack = once<unknown[]>(socket, "message-back");
    socket.emit("message", Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) });
    const [bytes, nested] = await binBack;
    expect([...(bytes as Buffer)]).toEqual([1, 2, 3]);
    expect([...(nested as { nested: Buffer }).nested]).toEqual([4]);

    if (upgrades) {
      await within(
        new Promise<void>((resolve) => {
          const engine = socket.io.engine;
          if (engine.transport.name === "websocket") return resolve();
          engine.once("upgrade", () => resolve());
        }),
        3000,
        "upgrade",
      );
      expect(socket.io.engine.transport.name).toBe("websocket");
      const after = once<unknown[]>(socket, "message-back");
      socket.emit("message", "after upgrade");
      expect(await after).toEqual(["after upgrade"]);
    } else {
      expect(socket.io.engine.transport.name).toBe(transports[0]);
    }
  });

  it("answers client acks and asks for acks, with binary both ways", async () => {
    const socket = open("/", transports);
    await once(socket, "auth");
    const acked = await within(socket.timeout(3000).emitWithAck("message-with-ack", { a: 1 }));
    expect(acked).toEqual({ a: 1 });
    const binAck = await within(socket.timeout(3000).emitWithAck("message-with-ack", Buffer.from([9, 9])));
    expect([...(binAck as Buffer)]).toEqual([9, 9]);

    socket.on("emit-with-ack", (...args: unknown[]) => {
      const ack = args.pop() as (...a: unknown[]) => void;
      ack("answer", Buffer.from([7]), ...args);
    });
    const back = once<unknown[]>(socket, "ack-back");
    socket.emit("emit-with-ack", 42);
    const [word, bytes, original] = await back;
    expect(word).toBe("answer");
    expect([...(bytes as Buffer)]).toEqual([7]);
    expect(original).toBe(42);
  });

  it("joins /custom with auth over the same session, and is refused on /private without the token", async () => {
    const main = open("/", transports);
    await once(main, "auth");
    const custom = main.io.socket("/custom", { auth: { token: "abc" } });
    clients.push(custom);
    const [auth] = await once<[unknown]>(custom, "auth");
    expect(auth).toEqual({ token: "abc" });
    expect(server.io.sessionCount).toBe(1); // both namespaces over one Engine.IO session

    const refused = open("/private", transports);
    const [err] = await once<[Error & { data?: unknown }]>(refused, "connect_error");
    expect(err.message).toBe("not authorized");
    expect(err.data).toEqual({ reason: "token required" });

    const admitted = open("/private", transports, { token: "sockspec" });
    expect(await once(admitted, "auth")).toEqual([{ token: "sockspec" }]);

    const unknown = open("/random", transports);
    const [invalid] = await once<[Error]>(unknown, "connect_error");
    expect(invalid.message).toBe("Invalid namespace");
  });

  it("sees a server-side namespace disconnect and a session close", async () => {
    const socket = open("/", transports);
    await once(socket, "auth");
    const left = once<[string]>(socket, "disconnect");
    socket.emit("disconnect-me");
    expect((await left)[0]).toBe("io server disconnect");

    const other = open("/", transports);
    await once(other, "auth");
    const closed = once<[string]>(other, "disconnect");
    other.emit("close-me");
    const [reason] = await closed;
    expect(["io server disconnect", "transport close"]).toContain(reason);
  });

  it("keeps the session alive through heartbeats (pingInterval 300, pingTimeout 200)", async () => {
    const socket = open("/", transports);
    await once(socket, "auth");
    const drops: string[] = [];
    socket.on("disconnect", (reason: string) => drops.push(reason));
    await new Promise((r) => setTimeout(r, 1200));
    expect(drops).toEqual([]);
    expect(socket.connected).toBe(true);
    const back = once<unknown[]>(socket, "message-back");
    socket.emit("message", "still here");
    expect(await back).toEqual(["still here"]);
  });
});

describe("connection-state recovery with socket.io-client@4", () => {
  it("restores the sid and replays missed events after a transport drop", async () => {
    await server.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    http = createServer();
    server = attach(http, { pingInterval: 300, pingTimeout: 200, connectionStateRecovery: {} });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    const serverSockets: import("../../reference/socket.io/socket.js").Socket[] = [];
    server.io.on("connection", (s) => {
      serverSockets.push(s);
      if (!s.recovered) s.emit("first", 1);
    });
    const socket = connect(url, {
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 50,
    });
    clients.push(socket);
    await once(socket, "first");
    const sid = socket.id;

    const reconnected = within(
      new Promise<void>((resolve) => socket.io.once("reconnect", () => resolve())),
      3000,
      "reconnect",
    );
    (socket.io.engine as unknown as { close(): void }).close(); // the client's transport drops
    // Emitted while the client is away: replayed on recovery.
    await new Promise((r) => setTimeout(r, 10));
    server.io.emit("missed", 2);
    const missed = once<unknown[]>(socket, "missed");
    await reconnected;
    // The offset stays as the last argument: the client reads it but does not remove it.
    expect(await missed).toEqual([2, expect.any(String)]);
    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(sid);
    expect(serverSockets.at(-1)!.recovered).toBe(true);
  });
});

describe("Server creating its own EngineServer", () => {
  it("serves /socket.io/ on an HTTP server from engine options alone", async () => {
    const { Server } = await import("../../reference/socket.io/server.js");
    const own = createServer();
    const io = new Server({ pingInterval: 300, pingTimeout: 200 }).attach(own);
    io.on("connection", (s) => s.emit("hi", s.handshake.auth));
    await new Promise<void>((resolve) => own.listen(0, "127.0.0.1", resolve));
    try {
      const socket = connect(`http://127.0.0.1:${(own.address() as AddressInfo).port}`, {
        forceNew: true,
        reconnection: false,
        auth: { k: 1 },
      });
      clients.push(socket);
      expect(await once(socket, "hi")).toEqual([{ k: 1 }]);
    } finally {
      for (const c of clients.splice(0)) c.disconnect();
      await io.close();
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    }
  });
});
