import { describe, expect, it } from "vitest";
import { Server } from "../../reference/socket.io/server.js";
import type { Socket } from "../../reference/socket.io/socket.js";
import { ManualClock } from "../../reference/engine/clock.js";
import { FakeConnection, jsonAfter, settle } from "./fake-connection.js";

function setup(maxDisconnectionDuration = 120000) {
  const clock = new ManualClock();
  const io = new Server(undefined, { clock, connectionStateRecovery: { maxDisconnectionDuration } });
  const sockets: Socket[] = [];
  io.on("connection", (s) => sockets.push(s));
  return { io, clock, sockets };
}

async function connect(io: Server, auth?: object) {
  const conn = new FakeConnection();
  io.accept(conn);
  conn.receive(auth ? `0${JSON.stringify(auth)}` : "0");
  await settle();
  const reply = jsonAfter(conn.sent.shift(), "0") as { sid: string; pid?: string };
  return { conn, reply };
}

/** The offset the server appended to an EVENT text (its last argument). */
function offsetOf(text: string | Uint8Array | undefined): string {
  const data = jsonAfter(text, "2") as unknown[];
  return data[data.length - 1] as string;
}

describe("connection-state recovery (SIO5-RECOVERY)", () => {
  it("adds pid to the CONNECT reply and an offset to each EVENT without ack", async () => {
    const { io, sockets } = setup();
    const { conn, reply } = await connect(io);
    expect(Object.keys(reply).sort()).toEqual(["pid", "sid"]);
    sockets[0]!.emit("a", 1);
    io.emit("b", 2);
    void sockets[0]!.emitWithAck("c");
    const [a, b, c] = conn.take();
    expect(jsonAfter(a, "2")).toEqual(["a", 1, expect.any(String)]);
    expect(jsonAfter(b, "2")).toEqual(["b", 2, expect.any(String)]);
    expect(offsetOf(a)).not.toBe(offsetOf(b));
    expect(c).toBe('20["c"]');
  });

  it("restores the sid and replays what the client missed after a drop", async () => {
    const { io, sockets } = setup();
    const first = await connect(io);
    sockets[0]!.emit("seen", 1);
    const offset = offsetOf(first.conn.take()[0]);
    first.conn.drop("transport error");
    io.emit("missed", 2);
    const second = await connect(io, { pid: first.reply.pid, offset });
    expect(second.reply).toEqual(first.reply);
    expect(sockets[1]!.recovered).toBe(true);
    expect(sockets[1]!.id).toBe(sockets[0]!.id);
    // The replay comes right after the CONNECT reply (taken above), so it is the first thing left.
    const [replayed] = second.conn.take();
    expect(jsonAfter(replayed, "2")).toEqual(["missed", 2, expect.any(String)]);
  });

  it("does not keep the session after a deliberate DISCONNECT", async () => {
    const { io, sockets } = setup();
    const first = await connect(io);
    sockets[0]!.emit("seen");
    const offset = offsetOf(first.conn.take()[0]);
    first.conn.receive("1");
    const second = await connect(io, { pid: first.reply.pid, offset });
    expect(second.reply.sid).not.toBe(first.reply.sid);
    expect(sockets[1]!.recovered).toBe(false);
  });

  it("gives up after maxDisconnectionDuration, or with an unknown offset", async () => {
    const { io, clock, sockets } = setup(1000);
    const first = await connect(io);
    sockets[0]!.emit("seen");
    const offset = offsetOf(first.conn.take()[0]);
    first.conn.drop("ping timeout");
    const wrongOffset = await connect(io, { pid: first.reply.pid, offset: "nope" });
    expect(wrongOffset.reply.sid).not.toBe(first.reply.sid);
    // A failed attempt does not use the session up.
    clock.advance(1001);
    const late = await connect(io, { pid: first.reply.pid, offset });
    expect(late.reply.sid).not.toBe(first.reply.sid);
  });

  it("restores a session once only", async () => {
    const { io, sockets } = setup();
    const first = await connect(io);
    sockets[0]!.emit("seen");
    const offset = offsetOf(first.conn.take()[0]);
    first.conn.drop();
    const again = await connect(io, { pid: first.reply.pid, offset });
    const twice = await connect(io, { pid: first.reply.pid, offset });
    expect(again.reply.sid).toBe(first.reply.sid);
    expect(twice.reply.sid).not.toBe(first.reply.sid);
  });

  it("is off by default: no pid, no offset", async () => {
    const io = new Server(undefined, { clock: new ManualClock() });
    let socket: Socket | undefined;
    io.on("connection", (s) => (socket = s));
    const { conn, reply } = await connect(io);
    expect(Object.keys(reply)).toEqual(["sid"]);
    socket!.emit("a", 1);
    expect(conn.take()).toEqual(['2["a",1]']);
  });
});
