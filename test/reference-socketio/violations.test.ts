import { describe, expect, it } from "vitest";
import { Server } from "../../reference/socket.io/server.js";
import { installSocketEcho } from "../../reference/apps/echo.js";
import { ManualClock } from "../../reference/engine/clock.js";
import { FakeConnection, settle } from "./fake-connection.js";

/** A session joined to `/` (and `/custom` when asked), with what was sent so far cleared. */
async function joined(extra: string[] = []) {
  const violations: string[] = [];
  const io = new Server(undefined, { clock: new ManualClock(), onViolation: (_id, reason) => violations.push(reason) });
  installSocketEcho(io);
  const conn = new FakeConnection();
  io.accept(conn);
  conn.receive("0", ...extra);
  await settle();
  conn.take();
  return { io, conn, violations };
}

// Each input breaks one rule; each must close the whole Engine.IO session with no packet sent.
const violations: [string, (string | Uint8Array)[]][] = [
  ["unknown packet type", ["abc"]],
  ["packet type 7", ["7"]],
  ["empty message", [""]],
  ["namespace without slash", ["0custom"]],
  ["CONNECT with an array payload", ["0/custom,[]"]],
  ["CONNECT with a string payload", ['0/custom,"x"']],
  ["EVENT payload not an array", ["2{}"]],
  ["EVENT payload empty array", ["2[]"]],
  ["EVENT name null", ["2[null]"]],
  ["EVENT with a reserved name", ['2["disconnect"]']],
  ["EVENT with a reserved name, connect", ['2["connect"]']],
  ["truncated JSON", ['2["message"']],
  ["garbage ack id", ['2abc["message-with-ack",1]']],
  ["negative ack id", ['2-1["message"]']],
  ["ACK payload not an array", ["3{}"]],
  ["DISCONNECT with payload", ["1{}"]],
  ["CONNECT_ERROR from the client", ["4{}"]],
  ["duplicate CONNECT", ["0"]],
  ["EVENT for a namespace not joined", ['2/custom,["message"]']],
  ["DISCONNECT for a namespace not joined", ["1/custom,"]],
  ["too many attachments", ['511-["message",{"_placeholder":true,"num":0}]']],
  ["attachment count zero", ['50-["message"]']],
  ["placeholder out of range", ['51-["message",{"_placeholder":true,"num":5}]', new Uint8Array([1])]],
  ["text while attachments pending", ['51-["message",{"_placeholder":true,"num":0}]', '2["message"]']],
  ["binary with nothing pending", [new Uint8Array([1, 2])]],
];

describe("protocol violations close the session silently (SIO5-PACKET)", () => {
  for (const [name, input] of violations) {
    it(name, async () => {
      const { conn, violations: seen } = await joined();
      conn.receive(...input);
      await settle();
      expect(conn.closed).toBe(true);
      expect(conn.sent).toEqual([]);
      expect(seen).toHaveLength(1);
    });
  }

  it("a packet before any CONNECT closes the session", async () => {
    const io = new Server(undefined, { clock: new ManualClock() });
    installSocketEcho(io);
    for (const input of ["1", '2["message",1]', '30["x"]']) {
      const conn = new FakeConnection();
      io.accept(conn);
      conn.receive(input);
      expect(conn.closed).toBe(true);
      expect(conn.sent).toEqual([]);
    }
  });

  it("a DISCONNECT then an EVENT for that namespace closes the session", async () => {
    const { conn } = await joined(["0/custom,"]);
    conn.receive("1/custom,");
    expect(conn.closed).toBe(false);
    conn.receive('2/custom,["message"]');
    expect(conn.closed).toBe(true);
  });

  it("every socket on the session is told 'forced close'", async () => {
    const { io, conn } = await joined();
    const reasons: string[] = [];
    io.of("/custom").on("connection", (s) => s.on("disconnect", (r: string) => reasons.push(r)));
    conn.receive("0/custom,");
    await settle();
    conn.receive("abc");
    expect(reasons).toEqual(["forced close"]);
    expect(io.sessionCount).toBe(0);
  });

  it("nothing is sent after the close, even from a late middleware", async () => {
    const io = new Server(undefined, { clock: new ManualClock() });
    let release: (() => void) | undefined;
    io.of("/late").use((_s, next) => {
      release = () => next();
    });
    const conn = new FakeConnection();
    io.accept(conn);
    conn.receive("0/late,");
    await settle();
    conn.receive("abc");
    release!();
    await settle();
    expect(conn.sent).toEqual([]);
  });
});
