import { describe, expect, it } from "vitest";
import { Server } from "../../reference/socket.io/server.js";
import { installSocketEcho } from "../../reference/apps/echo.js";
import { ManualClock } from "../../reference/engine/clock.js";
import { FakeConnection, jsonAfter, settle } from "./fake-connection.js";

function setup(options: ConstructorParameters<typeof Server>[1] = {}) {
  const clock = new ManualClock();
  const io = new Server(undefined, { clock, ...options });
  installSocketEcho(io);
  const conn = new FakeConnection();
  io.accept(conn);
  return { io, conn, clock };
}

describe("CONNECT (SIO5-CONNECT)", () => {
  it("answers 40 with exactly {sid}, then the app's auth event", async () => {
    const { conn } = setup();
    conn.receive("0");
    await settle();
    const [reply, auth] = conn.take();
    const data = jsonAfter(reply, "0") as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(["sid"]);
    expect(typeof data.sid).toBe("string");
    expect(data.sid).not.toBe(conn.id);
    expect(auth).toBe('2["auth",{}]');
  });

  it("passes the CONNECT payload as handshake.auth", async () => {
    const { conn } = setup();
    conn.receive('0{"token":"123"}');
    await settle();
    expect(conn.take()[1]).toBe('2["auth",{"token":"123"}]');
  });

  it("joins a custom namespace with or without the trailing comma", async () => {
    for (const input of ["0/custom,", "0/custom", '0/custom,{"token":"abc"}']) {
      const { conn } = setup();
      conn.receive(input);
      await settle();
      const [reply, auth] = conn.take();
      expect(Object.keys(jsonAfter(reply, "0/custom,") as object)).toEqual(["sid"]);
      expect(auth).toBe(input.endsWith("}") ? '2/custom,["auth",{"token":"abc"}]' : '2/custom,["auth",{}]');
    }
  });

  it("refuses an unknown namespace with the object form and keeps the session", async () => {
    const { conn } = setup();
    conn.receive("0/random");
    await settle();
    expect(conn.take()).toEqual(['4/random,{"message":"Invalid namespace"}']);
    expect(conn.closed).toBe(false);
    conn.receive("0");
    await settle();
    expect(conn.take()).toHaveLength(2);
  });

  it("sends the middleware error's message and data as CONNECT_ERROR", async () => {
    const { conn } = setup();
    conn.receive("0/private,");
    await settle();
    expect(conn.take()).toEqual(['4/private,{"message":"not authorized","data":{"reason":"token required"}}']);
    expect(conn.closed).toBe(false);
    conn.receive('0/private,{"token":"sockspec"}');
    await settle();
    const [reply, auth] = conn.take();
    expect(jsonAfter(reply, "0/private,")).toHaveProperty("sid");
    expect(auth).toBe('2/private,["auth",{"token":"sockspec"}]');
  });

  it("omits data from CONNECT_ERROR when the error has none, and runs middleware in order", async () => {
    const { io, conn } = setup();
    const order: string[] = [];
    io.of("/gate")
      .use((_s, next) => {
        order.push("a");
        setTimeout(next, 1);
      })
      .use((_s, next) => {
        order.push("b");
        next(new Error("closed"));
      });
    conn.receive("0/gate,");
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(["a", "b"]);
    expect(conn.take()).toEqual(['4/gate,{"message":"closed"}']);
  });

  it("serves dynamic namespaces by pattern and by function", async () => {
    const { io, conn } = setup();
    const joined: string[] = [];
    io.of(/^\/dyn-\d+$/).on("connection", (s) => joined.push(s.nsp.name));
    io.of((name, auth) => name === "/fn" && auth.ok === true).on("connection", (s) => joined.push(s.nsp.name));
    for (const m of ["0/dyn-12,", "0/dyn-x,", "0/fn,", '0/fn,{"ok":true}']) {
      conn.receive(m);
      await settle();
    }
    const sent = conn.take();
    expect(sent.filter((m) => typeof m === "string" && m.startsWith("4"))).toEqual([
      '4/dyn-x,{"message":"Invalid namespace"}',
      '4/fn,{"message":"Invalid namespace"}',
    ]);
    expect(joined).toEqual(["/dyn-12", "/fn"]);
    expect(conn.closed).toBe(false);
  });

  it("answers a CONNECT repeated before its reply only once", async () => {
    const { io, conn } = setup();
    let joins = 0;
    io.of("/slow")
      .use((_s, next) => setTimeout(next, 5))
      .on("connection", () => joins++);
    conn.receive("0/slow,", "0/slow,");
    await new Promise((r) => setTimeout(r, 30));
    expect(conn.closed).toBe(false);
    expect(conn.sent).toHaveLength(1);
    expect(joins).toBe(1);
    conn.receive("0/slow,");
    expect(conn.closed).toBe(true);
  });

  it("gives each namespace socket its own sid", async () => {
    const { io, conn } = setup();
    const ids: string[] = [];
    io.on("connection", (s) => ids.push(s.id));
    io.of("/custom").on("connection", (s) => ids.push(s.id));
    conn.receive("0", "0/custom,");
    await settle();
    expect(new Set(ids).size).toBe(2);
    expect(
      conn.sent
        .filter((m) => typeof m === "string" && m.startsWith("0"))
        .map((m) => jsonAfter(m, String(m).startsWith("0/") ? "0/custom," : "0")),
    ).toEqual(ids.map((sid) => ({ sid })));
  });
});

describe("connectTimeout (SIO5-TIMEOUT)", () => {
  it("closes a session that joins no namespace in time", () => {
    const { conn, clock } = setup({ connectTimeout: 1000 });
    clock.advance(999);
    expect(conn.closed).toBe(false);
    clock.advance(1);
    expect(conn.closed).toBe(true);
    expect(conn.sent).toEqual([]);
  });

  it("uses 45000 ms by default", () => {
    const { conn, clock } = setup();
    clock.advance(44999);
    expect(conn.closed).toBe(false);
    clock.advance(1);
    expect(conn.closed).toBe(true);
  });

  it("is cleared by a successful CONNECT, not by a refused one", async () => {
    const a = setup({ connectTimeout: 1000 });
    a.conn.receive("0");
    await settle();
    a.clock.advance(5000);
    expect(a.conn.closed).toBe(false);
    expect(a.clock.pendingTimers).toBe(0);

    const b = setup({ connectTimeout: 1000 });
    b.conn.receive("0/random,");
    await settle();
    b.clock.advance(1000);
    expect(b.conn.closed).toBe(true);
  });

  it("leaves no timer behind when the session ends", () => {
    const { conn, clock } = setup({ connectTimeout: 1000 });
    conn.drop("ping timeout");
    expect(clock.pendingTimers).toBe(0);
  });
});
