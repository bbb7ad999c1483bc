import { describe, expect, it } from "vitest";
import { EventEmitter } from "node:events";
import { installEngineEcho, MAX_BURST } from "../../reference/apps/echo.js";
import { FakeConnection } from "./fake-connection.js";

function session() {
  const engine = new EventEmitter();
  installEngineEcho(engine as never);
  const conn = new FakeConnection(4, "/engine.io/?EIO=4&transport=websocket");
  engine.emit("connection", conn);
  return conn;
}

describe("bare Engine.IO echo", () => {
  it("echoes text as text and binary as binary", () => {
    const conn = session();
    const bytes = new Uint8Array([1, 2, 3]);
    conn.receive("hello", bytes, "");
    expect(conn.sent).toEqual(["hello", bytes, ""]);
  });

  it("closes the session on sockspec:close without echoing it", () => {
    const conn = session();
    conn.receive("sockspec:close");
    expect(conn.closed).toBe(true);
    expect(conn.sent).toEqual([]);
  });

  it("sends burst:1..N in order on sockspec:burst:N", () => {
    const conn = session();
    conn.receive("sockspec:burst:3");
    expect(conn.sent).toEqual(["burst:1", "burst:2", "burst:3"]);
    conn.take();
    conn.receive(`sockspec:burst:${MAX_BURST}`);
    expect(conn.sent).toHaveLength(MAX_BURST);
    expect(conn.sent.at(-1)).toBe(`burst:${MAX_BURST}`);
  });

  it("echoes a burst request it does not honour", () => {
    const conn = session();
    const odd = [
      "sockspec:burst:0",
      "sockspec:burst:1001",
      "sockspec:burst:x",
      "sockspec:burst:-1",
      "sockspec:burst:01",
    ];
    conn.receive(...odd);
    expect(conn.sent).toEqual(odd);
  });
});
