/**
 * The generated package at run time, on the wire: the code generated from fixtures/orders.json
 * (JavaScript, as `sockspec codegen` writes it) between the official socket.io-client and each
 * server, the official socket.io server and the sockspec reference server (attach()), on
 * 127.0.0.1 port 0. Valid events and acknowledgements pass both ways, binary included; an
 * invalid one is refused with the documented error (code, pointer, keyword) and the connection
 * carries on.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Server as OfficialServer } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { attach } from "../../reference/attach.js";
import {
  artifactDir,
  fixture,
  generateInto,
  importGenerated,
  until,
  type LooseClientModule,
  type LoosePeer,
  type LooseServerModule,
} from "./support.js";

const ORDER_ID = "0b0d7f1e-8a6c-4f2a-9d38-3c1f2b9a7e10";
const LINES = [{ sku: "MUG-0001", quantity: 2 }];

function orderOf(id: string) {
  return {
    id,
    lines: LINES,
    total: { amount: 1200, currency: "EUR" },
    placedAt: "2025-01-02T03:04:05Z",
    status: "placed",
  };
}

/** What the server side saw. */
interface ServerLog {
  invalid: any[];
  errors: unknown[];
  tracked: string[];
  notes: string[];
  confirms: unknown[];
}

interface SocketIOLike {
  on(event: "connection", listener: (socket: any) => void): unknown;
  of(name: string): { on(event: "connection", listener: (socket: any) => void): unknown };
}

/** The order desk's server side, written against the generated `wrap`. */
function installOrderDesk(io: SocketIOLike, server: LooseServerModule, log: ServerLog): void {
  io.on("connection", (socket) => {
    const checkOutgoing = socket.handshake.query.checkOutgoing !== "0";
    const peer = server.wrap("/", socket, {
      onInvalid: (e) => log.invalid.push(e),
      onError: (e) => log.errors.push(e),
      checkOutgoing,
    });
    peer.on("place order", (lines: unknown[], email: string, ack: (receipt: unknown) => void) => {
      if (email === "slow@example.com") return;
      if (email === "throw@example.com") throw new Error("boom");
      if (email === "bad-ack@example.com") return ack({ orderId: "not-a-uuid", accepted: true });
      ack({ orderId: ORDER_ID, accepted: lines.length > 0 });
    });
    peer.on("track", (orderId: string) => {
      log.tracked.push(orderId);
      peer.emit("order updated", orderOf(orderId));
    });
    peer.on("upload scan", (_orderId: string, scan: Uint8Array, ack: (ok: boolean, bytes: number) => void) =>
      ack(true, scan.byteLength),
    );
    peer.on("ping", (ack: () => void) => ack());
    peer.on("note", async (text: string) => {
      log.notes.push(text);
      // The raw socket bypasses the check, as a buggy or foreign server would.
      if (text === "send a bad update") socket.emit("order updated", { id: ORDER_ID });
      if (text === "confirm please")
        log.confirms.push(await peer.request("confirm", ORDER_ID, { timeout: 2000 }).catch((e: unknown) => e));
    });
  });
  io.of("/admin").on("connection", (socket) => {
    const peer = server.wrap("/admin", socket, { onInvalid: (e) => log.invalid.push(e) });
    peer.on("cancel order", (orderId: string, reason: { code: string }, ack: (order: unknown) => void) =>
      ack({ ...orderOf(orderId), status: reason.code === "fraud" ? "cancelled" : "placed" }),
    );
  });
}

interface Running {
  url: string;
  close(): Promise<void>;
}

async function listen(http: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

const servers: Record<string, (install: (io: SocketIOLike) => void) => Promise<Running>> = {
  "official socket.io": async (install) => {
    const http = createServer();
    const io = new OfficialServer(http);
    install(io as unknown as SocketIOLike);
    const url = await listen(http);
    return { url, close: () => new Promise<void>((r) => void io.close(() => r())) };
  },
  "reference server": async (install) => {
    const http = createServer();
    const attached = attach(http);
    install(attached.io as unknown as SocketIOLike);
    const url = await listen(http);
    return {
      url,
      close: async () => {
        await attached.close();
        http.closeAllConnections();
        await new Promise((r) => http.close(r));
      },
    };
  },
};

let serverModule: LooseServerModule;
let clientModule: LooseClientModule;

beforeAll(async () => {
  const dir = artifactDir("roundtrip-orders");
  await generateInto(fixture("orders"), dir, "js");
  serverModule = await importGenerated<LooseServerModule>(dir, "server.js");
  clientModule = await importGenerated<LooseClientModule>(dir, "client.js");
}, 60000);

describe.each(Object.keys(servers))("generated code with the %s", (kind) => {
  let running: Running;
  const log: ServerLog = { invalid: [], errors: [], tracked: [], notes: [], confirms: [] };
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    running = await servers[kind]!((io) => installOrderDesk(io, serverModule, log));
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await running.close();
  });

  async function client(
    options: { namespace?: string; checkOutgoing?: boolean; serverChecks?: boolean; transports?: string[] } = {},
  ) {
    const socket = connect(running.url + (options.namespace ?? ""), {
      forceNew: true,
      reconnection: false,
      transports: options.transports ?? ["polling", "websocket"],
      query: options.serverChecks === false ? { checkOutgoing: "0" } : {},
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const invalid: any[] = [];
    const peer: LoosePeer = clientModule.wrap(options.namespace ?? "/", socket, {
      onInvalid: (e) => invalid.push(e),
      ...(options.checkOutgoing === false ? { checkOutgoing: false } : {}),
    });
    return { socket, peer, invalid };
  }

  it("passes valid events and acknowledgements both ways", async () => {
    const { peer, invalid } = await client();
    expect(await peer.request("place order", LINES, "ann@example.com", { timeout: 2000 })).toEqual({
      orderId: ORDER_ID,
      accepted: true,
    });
    expect(await peer.request("ping", { timeout: 2000 })).toBeUndefined();
    const updates: unknown[] = [];
    peer.on("order updated", (order: unknown) => updates.push(order));
    expect(peer.emit("track", ORDER_ID)).toBe(true);
    await until(() => updates.length === 1, 2000, "order updated");
    expect(updates[0]).toEqual(orderOf(ORDER_ID));
    expect(peer.emit("note", "just a note", { label: "x" })).toBe(true);
    await until(() => log.notes.includes("just a note"));
    expect(invalid).toEqual([]);
  });

  it.each([["polling"], ["websocket"]])(
    "carries a binary argument and a two-argument acknowledgement over %s",
    async (transport) => {
      const { peer } = await client({ transports: [transport] });
      expect(await peer.request("upload scan", ORDER_ID, Buffer.from("a scanned receipt"), { timeout: 2000 })).toEqual([
        true,
        17,
      ]);
      // A string where the catalogue says binary never leaves the client.
      await expect(peer.request("upload scan", ORDER_ID, "not binary", { timeout: 2000 })).rejects.toMatchObject({
        code: "REQUEST_VALIDATION_ERROR",
        side: "sent",
        pointer: "/1",
        keyword: "binary",
      });
    },
  );

  it("refuses an invalid event with the documented error, answers its acknowledgement, and keeps the connection", async () => {
    const { socket, peer } = await client();
    const before = log.invalid.length;
    // Past the client's own check (a foreign or buggy client): the server refuses, and says why in the ack.
    const envelope = await socket.emitWithAck("place order", [{ sku: "mug", quantity: 2 }], "ann@example.com");
    expect(envelope).toEqual({
      code: "REQUEST_VALIDATION_ERROR",
      namespace: "/",
      event: "place order",
      pointer: "/0/0/sku",
      keyword: "pattern",
      message: expect.stringContaining("/0/0/sku"),
    });
    expect(log.invalid.slice(before)).toMatchObject([
      { code: "REQUEST_VALIDATION_ERROR", side: "received", event: "place order", pointer: "/0/0/sku" },
    ]);
    // The same through the wrapper with its own check off: the request rejects with the peer's error.
    const lax = await client({ checkOutgoing: false });
    await expect(lax.peer.request("place order", LINES, "not an address", { timeout: 2000 })).rejects.toMatchObject({
      name: "SocketContractError",
      code: "REQUEST_VALIDATION_ERROR",
      side: "peer",
      pointer: "/1",
      keyword: "format",
    });
    // Still connected, still served.
    expect(socket.connected).toBe(true);
    expect(await peer.request("ping", { timeout: 2000 })).toBeUndefined();
  });

  it("refuses wrong arguments, a missing or unexpected ack callback, without calling the handler", async () => {
    const { socket } = await client();
    const before = log.invalid.length;
    const tracked = log.tracked.length;
    socket.emit("track", 42);
    socket.emit("track", ORDER_ID, "extra");
    socket.emit("place order", LINES, "ann@example.com"); // asks for no acknowledgement
    const unexpected = await socket.emitWithAck("track", ORDER_ID); // track has none
    await until(() => log.invalid.length >= before + 4);
    expect(log.invalid.slice(before).map((e) => [e.event, e.pointer, e.keyword])).toEqual([
      ["track", "/0", "type"],
      ["track", "", "items"],
      ["place order", "", "ack"],
      ["track", "", "ack"],
    ]);
    expect(log.invalid[before + 1].message).toContain("expects at most 1 argument, got 2");
    expect(unexpected).toMatchObject({ code: "REQUEST_VALIDATION_ERROR", keyword: "ack" });
    expect(log.tracked.length).toBe(tracked);
    expect(socket.connected).toBe(true);
  });

  it("checks acknowledgements: the server's own, and the one the client gets", async () => {
    const { peer } = await client();
    const before = log.invalid.length;
    // The server's answer fails the catalogue: it sends the error instead, and the request fails at once.
    await expect(peer.request("place order", LINES, "bad-ack@example.com", { timeout: 2000 })).rejects.toMatchObject({
      code: "RESPONSE_VALIDATION_ERROR",
      side: "peer",
      pointer: "/0/orderId",
      keyword: "format",
    });
    expect(log.invalid.slice(before)).toMatchObject([{ code: "RESPONSE_VALIDATION_ERROR", side: "sent" }]);
    // With the server's check off, the bad answer goes out, and the client refuses it.
    const lax = await client({ serverChecks: false });
    await expect(
      lax.peer.request("place order", LINES, "bad-ack@example.com", { timeout: 2000 }),
    ).rejects.toMatchObject({
      code: "RESPONSE_VALIDATION_ERROR",
      side: "received",
      pointer: "/0/orderId",
    });
    expect(lax.invalid).toMatchObject([{ code: "RESPONSE_VALIDATION_ERROR", side: "received" }]);
  });

  it("reports a handler that throws and answers UNKNOWN_ERROR; times out a request nobody answers", async () => {
    const { peer } = await client();
    const errors = log.errors.length;
    await expect(peer.request("place order", LINES, "throw@example.com", { timeout: 2000 })).rejects.toMatchObject({
      code: "UNKNOWN_ERROR",
      side: "peer",
    });
    expect(String(log.errors[errors])).toContain("boom");
    const started = Date.now();
    await expect(peer.request("place order", LINES, "slow@example.com", { timeout: 150 })).rejects.toMatchObject({
      name: "AckTimeoutError",
      code: "ACK_TIMEOUT",
      timeout: 150,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("checks what the server sends: an invalid event never reaches the client's listener", async () => {
    const { peer, invalid } = await client();
    const got: unknown[] = [];
    peer.on("order updated", (order: unknown) => got.push(order));
    peer.emit("note", "send a bad update");
    await until(() => invalid.length === 1, 2000, "the client to refuse the update");
    expect(invalid[0]).toMatchObject({
      code: "REQUEST_VALIDATION_ERROR",
      side: "received",
      event: "order updated",
      pointer: "/0",
    });
    expect(got).toEqual([]);
  });

  it("lets the server request from the client, and checks the client's answer", async () => {
    const { peer } = await client();
    peer.on("confirm", (orderId: string, ack: (ok: boolean) => void) => ack(orderId === ORDER_ID));
    peer.emit("note", "confirm please");
    await until(() => log.confirms.length === 1);
    expect(log.confirms[0]).toBe(true);
    // A client without the generated code answers with a string: the server's request fails.
    const { socket, peer: raw } = await client();
    socket.on("confirm", (_orderId: string, ack: (answer: unknown) => void) => ack("yes"));
    raw.emit("note", "confirm please");
    await until(() => log.confirms.length === 2);
    expect(log.confirms[1]).toMatchObject({
      code: "RESPONSE_VALIDATION_ERROR",
      side: "received",
      event: "confirm",
      pointer: "/0",
    });
  });

  it("serves a second namespace with its own events", async () => {
    const { peer } = await client({ namespace: "/admin" });
    const order = await peer.request("cancel order", ORDER_ID, { code: "fraud" }, { timeout: 2000 });
    expect(order).toMatchObject({ id: ORDER_ID, status: "cancelled" });
    await expect(peer.request("cancel order", ORDER_ID, { code: "bored" }, { timeout: 2000 })).rejects.toMatchObject({
      side: "sent",
      pointer: "/1/code",
    });
    // "/" events are not "/admin" events.
    expect(() => peer.emit("track", ORDER_ID)).toThrow(/not an event this side may send on \/admin/);
  });
});

describe("the socket.use guard on the official server", () => {
  let running: Running;
  const invalid: any[] = [];
  const tracked: string[] = [];
  const socketErrors: unknown[] = [];

  beforeAll(async () => {
    running = await servers["official socket.io"]!((io) =>
      io.on("connection", (socket) => {
        socket.on("error", (err: unknown) => socketErrors.push(err));
        socket.use(serverModule.guard("/", { onInvalid: (e) => invalid.push(e) }));
        // socket.io's own listeners: the guard stands in front of them.
        socket.on("place order", (_lines: unknown, email: string, ack: (receipt: unknown) => void) =>
          ack(email === "bad-ack@example.com" ? { orderId: 1, accepted: true } : { orderId: ORDER_ID, accepted: true }),
        );
        socket.on("track", (orderId: string) => tracked.push(orderId));
      }),
    );
  });
  afterAll(() => running.close());

  it("lets valid events through to socket.io's listeners and refuses the rest, ack answered, no error event", async () => {
    const socket = connect(running.url, { forceNew: true, reconnection: false });
    await new Promise((r) => socket.once("connect", () => r(undefined)));
    expect(await socket.emitWithAck("place order", LINES, "ann@example.com")).toEqual({
      orderId: ORDER_ID,
      accepted: true,
    });
    socket.emit("track", ORDER_ID);
    socket.emit("track", 7);
    expect(await socket.emitWithAck("no such event", 1)).toMatchObject({
      code: "REQUEST_VALIDATION_ERROR",
      keyword: "event",
      event: "no such event",
    });
    expect(await socket.emitWithAck("place order", LINES, 3)).toMatchObject({
      code: "REQUEST_VALIDATION_ERROR",
      pointer: "/1",
      keyword: "type",
    });
    expect(await socket.emitWithAck("place order", LINES, "bad-ack@example.com")).toMatchObject({
      code: "RESPONSE_VALIDATION_ERROR",
      pointer: "/0/orderId",
      keyword: "type",
    });
    await until(() => invalid.length === 4);
    expect(tracked).toEqual([ORDER_ID]);
    expect(invalid.map((e) => [e.code, e.side, e.event])).toEqual([
      ["REQUEST_VALIDATION_ERROR", "received", "track"],
      ["REQUEST_VALIDATION_ERROR", "received", "no such event"],
      ["REQUEST_VALIDATION_ERROR", "received", "place order"],
      ["RESPONSE_VALIDATION_ERROR", "sent", "place order"],
    ]);
    // Refusing does not go through socket.io's "error" event (which throws when nobody listens).
    expect(socketErrors).toEqual([]);
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });
});
