import { describe, expect, it } from "vitest";
import { Server } from "../../reference/socket.io/server.js";
import { installSocketEcho } from "../../reference/apps/echo.js";
import { ManualClock } from "../../reference/engine/clock.js";
import { FakeConnection, settle } from "./fake-connection.js";

async function session(url = "/socket.io/?EIO=3&transport=polling") {
  const io = new Server(undefined, { clock: new ManualClock() });
  installSocketEcho(io);
  const conn = new FakeConnection(3, url);
  io.accept(conn);
  await settle();
  return { io, conn };
}

describe("Socket.IO v4 over Engine.IO v3 (SIO4)", () => {
  it("joins / unprompted, with a CONNECT that has no payload", async () => {
    const { conn } = await session();
    expect(conn.take()).toEqual(["0", '2["auth",{}]']);
  });

  it("reads a namespace's query string as auth and answers without payload", async () => {
    const { conn } = await session();
    conn.take();
    conn.receive("0/custom?token=abc,");
    await settle();
    expect(conn.take()).toEqual(["0/custom,", '2/custom,["auth",{"token":"abc"}]']);
    conn.receive('2/custom,["message",1]');
    expect(conn.take()).toEqual(['2/custom,["message-back",1]']);
  });

  it("sends a middleware error as its message, a JSON string (SIO4-ERROR-01)", async () => {
    const { io, conn } = await session();
    io.of("/str").use((_s, next) => next(new Error("Not authorized")));
    conn.take();
    conn.receive("0/private,");
    conn.receive("0/str,");
    await settle();
    expect(conn.take()).toEqual(['4/private,"not authorized"', '4/str,"Not authorized"']);
  });

  it("sends 'Invalid namespace' in the object form", async () => {
    const { conn } = await session();
    conn.take();
    conn.receive("0/random,");
    await settle();
    expect(conn.take()).toEqual(['4/random,{"message":"Invalid namespace"}']);
    expect(conn.closed).toBe(false);
  });

  it("treats a CONNECT to / as a duplicate", async () => {
    const { conn } = await session();
    conn.receive("0");
    expect(conn.closed).toBe(true);
  });

  it("passes the session URL query in the handshake", async () => {
    const io = new Server(undefined, { clock: new ManualClock() });
    let query: Record<string, string> | undefined;
    io.on("connection", (s) => (query = s.handshake.query));
    io.accept(new FakeConnection(3, "/socket.io/?EIO=3&transport=polling&room=7"));
    await settle();
    expect(query).toMatchObject({ EIO: "3", room: "7" });
  });
});
