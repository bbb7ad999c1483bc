import { describe, expect, it } from "vitest";
import { Server } from "../../reference/socket.io/server.js";
import { installSocketEcho } from "../../reference/apps/echo.js";
import { ManualClock } from "../../reference/engine/clock.js";
import { FakeConnection, settle } from "./fake-connection.js";

async function joined(nsps: string[] = ["0"]) {
  const io = new Server(undefined, { clock: new ManualClock() });
  installSocketEcho(io);
  const conn = new FakeConnection();
  io.accept(conn);
  for (const n of nsps) conn.receive(n);
  await settle();
  conn.take();
  return { io, conn };
}

const bytes = (...b: number[]) => new Uint8Array(b);

describe("EVENT and ACK (SIO5-EVENT, SIO5-ACK)", () => {
  it("echoes a plain event", async () => {
    const { conn } = await joined();
    conn.receive('2["message",1,"2",{"3":[true]}]');
    expect(conn.take()).toEqual(['2["message-back",1,"2",{"3":[true]}]']);
  });

  it("accepts a numeric event name", async () => {
    const { io, conn } = await joined([]);
    const got: unknown[][] = [];
    io.of("/n").on("connection", (s) => s.on("7", (...a: unknown[]) => got.push(a)));
    conn.receive("0/n,");
    await settle();
    conn.receive('2/n,[7,"x"]');
    expect(got).toEqual([["x"]]);
    expect(conn.closed).toBe(false);
  });

  it("answers a client ack with the same id", async () => {
    const { conn } = await joined();
    conn.receive('2456["message-with-ack",1,"2",{"3":[false]}]');
    expect(conn.take()).toEqual(['3456[1,"2",{"3":[false]}]']);
  });

  it("answers only once even if the handler calls the ack twice", async () => {
    const { io, conn } = await joined([]);
    io.of("/twice").on("connection", (s) =>
      s.on("x", (ack: (...a: unknown[]) => void) => {
        ack(1);
        ack(2);
      }),
    );
    conn.receive("0/twice,");
    await settle();
    conn.take();
    conn.receive('2/twice,9["x"]');
    expect(conn.take()).toEqual(["3/twice,9[1]"]);
  });

  it("asks the client for acks with ids from a per-socket counter and resolves emitWithAck", async () => {
    const { conn } = await joined();
    conn.receive('2["emit-with-ack",1]', '2["emit-with-ack",2]');
    expect(conn.take()).toEqual(['20["emit-with-ack",1]', '21["emit-with-ack",2]']);
    conn.receive('31["b"]');
    await settle();
    conn.receive('30["a",{"k":1}]');
    await settle();
    expect(conn.take()).toEqual(['2["ack-back","b"]', '2["ack-back","a",{"k":1}]']);
  });

  it("ignores an ACK for an unknown or already answered id", async () => {
    const { conn } = await joined();
    conn.receive('2["emit-with-ack"]');
    conn.take();
    conn.receive('30["a"]');
    await settle();
    conn.receive('30["again"]', '3999["x"]');
    await settle();
    expect(conn.take()).toEqual(['2["ack-back","a"]']);
    expect(conn.closed).toBe(false);
  });

  it("rejects emitWithAck when the socket leaves first", async () => {
    const { io, conn } = await joined([]);
    let pending: Promise<unknown[]> | undefined;
    io.of("/w").on("connection", (s) => {
      pending = s.emitWithAck("q");
    });
    conn.receive("0/w,");
    await settle();
    conn.receive("1/w,");
    await expect(pending).rejects.toThrow(/client namespace disconnect/);
  });

  it("does not let a throwing handler end the session", async () => {
    const { io, conn } = await joined([]);
    io.of("/boom").on("connection", (s) =>
      s.on("x", () => {
        throw new Error("app bug");
      }),
    );
    conn.receive("0/boom,");
    await settle();
    conn.receive('2/boom,["x"]');
    expect(conn.closed).toBe(false);
  });

  it("refuses to emit a reserved event name", async () => {
    const { io, conn } = await joined([]);
    let thrown: unknown;
    io.of("/r").on("connection", (s) => {
      try {
        s.emit("disconnect");
      } catch (e) {
        thrown = e;
      }
    });
    conn.receive("0/r,");
    await settle();
    expect(String(thrown)).toMatch(/reserved/);
  });
});

describe("binary (SIO5-BINARY)", () => {
  it("echoes an event with attachments, placeholders in order", async () => {
    const { conn } = await joined();
    conn.receive(
      '52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
      bytes(1, 2, 3),
      bytes(4, 5, 6),
    );
    const out = conn.take();
    expect(out[0]).toBe('52-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    expect(Array.from(out[1] as Uint8Array)).toEqual([1, 2, 3]);
    expect(Array.from(out[2] as Uint8Array)).toEqual([4, 5, 6]);
  });

  it("answers a binary ack as BINARY_ACK", async () => {
    const { conn } = await joined();
    conn.receive(
      '52-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
      bytes(1),
      bytes(2),
    );
    const out = conn.take();
    expect(out[0]).toBe('62-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    expect(out).toHaveLength(3);
  });

  it("sends binary emitted by the app as BINARY_EVENT and takes a binary ack", async () => {
    const { io, conn } = await joined([]);
    let acked: unknown[] | undefined;
    io.of("/bin").on("connection", (s) => {
      void s.emitWithAck("file", { name: "a", body: Buffer.from([9, 8]) }).then((a) => (acked = a));
    });
    conn.receive("0/bin,");
    await settle();
    const out = conn.take();
    expect(out[1]).toBe('51-/bin,0["file",{"name":"a","body":{"_placeholder":true,"num":0}}]');
    expect(Array.from(out[2] as Uint8Array)).toEqual([9, 8]);
    conn.receive('61-/bin,0[{"_placeholder":true,"num":0}]', bytes(7));
    await settle();
    expect(Array.from(acked![0] as Uint8Array)).toEqual([7]);
  });

  it("keeps a lone placeholder in a plain EVENT as a plain object", async () => {
    const { conn } = await joined();
    conn.receive('2["message",{"_placeholder":true,"num":0}]');
    expect(conn.take()).toEqual(['2["message-back",{"_placeholder":true,"num":0}]']);
  });
});

describe("DISCONNECT (SIO5-DISCONNECT)", () => {
  it("leaves the namespace silently and keeps the session open; re-CONNECT works", async () => {
    const { conn } = await joined();
    conn.receive("1");
    expect(conn.take()).toEqual([]);
    expect(conn.closed).toBe(false);
    conn.receive("0");
    await settle();
    expect(conn.take()).toHaveLength(2);
  });

  it("leaving one namespace leaves the others joined", async () => {
    const { conn } = await joined(["0", "0/custom,"]);
    conn.receive("1/custom", '2["message","to main"]');
    expect(conn.take()).toEqual(['2["message-back","to main"]']);
  });

  it("tells the app why a socket left", async () => {
    const { io, conn } = await joined([]);
    const reasons: string[] = [];
    io.of("/a").on("connection", (s) => s.on("disconnect", (r: string) => reasons.push(r)));
    conn.receive("0/a,");
    await settle();
    conn.receive("1/a,");
    conn.receive("0/a,");
    await settle();
    conn.drop("ping timeout");
    expect(reasons).toEqual(["client namespace disconnect", "ping timeout"]);
  });

  it("disconnect-me: the server sends DISCONNECT for that namespace only", async () => {
    const { conn } = await joined(["0", "0/custom,"]);
    conn.receive('2/custom,["disconnect-me"]');
    expect(conn.take()).toEqual(["1/custom,"]);
    conn.receive('2["message",1]');
    expect(conn.take()).toEqual(['2["message-back",1]']);
    expect(conn.closed).toBe(false);
  });

  it("close-me: DISCONNECT for each namespace, then the session closes", async () => {
    const { io, conn } = await joined(["0", "0/custom,"]);
    conn.receive('2["close-me"]');
    expect(conn.take()).toEqual(["1", "1/custom,"]);
    expect(conn.closed).toBe(true);
    expect(io.sessionCount).toBe(0);
  });
});
