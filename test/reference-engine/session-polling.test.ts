/** Polling behaviour of the session core: buffering, batching, overlap, abort, close bytes. */
import { describe, expect, it } from "vitest";
import type { Session } from "../../reference/engine/session.js";
import { makeSession, poll, post } from "./helpers.js";

function handshakeData(session: Session<object>): string {
  const open = session.handshake();
  return "data" in open ? String(open.data) : "";
}

describe("handshake", () => {
  it("writes the five keys in the spec's order", () => {
    const { session } = makeSession();
    expect(session.handshake()).toEqual({
      type: "open",
      data: '{"sid":"AAAAAAAAAAAAAAAAAAAA","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}',
    });
  });

  it("advertises no upgrade over WebSocket (fault: advertises websocket)", () => {
    expect(JSON.parse(handshakeData(makeSession({ transport: "websocket" }).session)).upgrades).toEqual([]);
    const faulty = makeSession({ transport: "websocket" }, ["upgrades-wrong-over-websocket"]).session;
    expect(JSON.parse(handshakeData(faulty)).upgrades).toEqual(["websocket"]);
  });

  it("fault handshake-extra-key adds a sixth key", () => {
    const { session } = makeSession({}, ["handshake-extra-key"]);
    expect(Object.keys(JSON.parse(handshakeData(session)))).toHaveLength(6);
  });
});

describe("send buffer", () => {
  it("holds packets until a GET comes, then sends them all in order", () => {
    const { session } = makeSession();
    session.send("a");
    session.send(new Uint8Array([1, 2]));
    session.send("c");
    const { get } = poll(session);
    expect(get.packets).toEqual([
      { type: "message", data: "a" },
      { type: "message", data: new Uint8Array([1, 2]) },
      { type: "message", data: "c" },
    ]);
  });

  it("batches the replies to one POST into one GET response", () => {
    const { session } = makeSession();
    session.on("message", (m) => session.send(m));
    const { get } = poll(session);
    expect(post(session, "4test1\x1e4test2\x1e4test3")).toBe("ok");
    expect(get.answers).toBe(1);
    expect(get.packets?.map((p) => ("data" in p ? p.data : undefined))).toEqual(["test1", "test2", "test3"]);
  });

  it("caps one GET response at maxPacketsPerPayload packets", () => {
    const { session } = makeSession({ maxPacketsPerPayload: 2 });
    for (const m of ["1", "2", "3"]) session.send(m);
    expect(poll(session).get.packets).toHaveLength(2);
    expect(poll(session).get.packets).toEqual([{ type: "message", data: "3" }]);
  });

  it("closes the session when the send buffer grows past maxBufferedBytes", () => {
    const { session, closes } = makeSession({ maxBufferedBytes: 10 });
    session.send("12345");
    expect(closes).toEqual([]);
    session.send("67890");
    expect(closes[0]?.[0]).toBe("transport error");
    const { get } = poll(session);
    expect(get.packets).toEqual([{ type: "noop" }]); // only reachable in a test: the server has removed it
  });

  it("ignores send() once the session is closed", () => {
    const { session } = makeSession();
    session.close();
    session.send("late");
    expect(poll(session).get.packets).toEqual([{ type: "noop" }, { type: "close" }]);
  });
});

describe("POST payloads", () => {
  it("delivers text and binary messages in order", () => {
    const { session, messages } = makeSession();
    expect(post(session, "4hello\x1ebAQIDBA==\x1e4")).toBe("ok");
    expect(messages.map((m) => (typeof m === "string" ? m : Array.from(m)))).toEqual(["hello", [1, 2, 3, 4], ""]);
  });

  it("delivers the records before a bad one, then closes with a parse error", () => {
    const { session, messages, closes } = makeSession();
    const { get } = poll(session);
    expect(post(session, "4hello\x1eabc\x1e4world")).toBe("bad");
    expect(messages).toEqual(["hello"]);
    expect(closes[0]?.[0]).toBe("parse error");
    expect(get.packets).toEqual([{ type: "close" }]);
  });

  it("refuses a payload with more than maxPacketsPerPayload records", () => {
    const { session, messages } = makeSession({ maxPacketsPerPayload: 2 });
    expect(post(session, "4a\x1e4b\x1e4c")).toBe("bad");
    expect(messages).toEqual([]);
  });

  it("refuses invalid base64 (fault base64-lenient accepts it)", () => {
    expect(post(makeSession().session, "b!!!")).toBe("bad");
    const lenient = makeSession({}, ["base64-lenient"]);
    expect(post(lenient.session, "b!!!")).toBe("ok");
    expect(lenient.closes).toEqual([]);
  });

  it("ignores open, upgrade and noop packets from the client", () => {
    const { session, closes, messages } = makeSession();
    expect(post(session, "5\x1e6\x1e4x")).toBe("ok");
    expect(messages).toEqual(["x"]);
    expect(closes).toEqual([]);
  });
});

describe("overlap and abort", () => {
  it("a second GET gets overlap; the pending one gets the close packet and the session ends", () => {
    const { session, closes } = makeSession();
    const first = poll(session);
    const second = poll(session);
    expect(second.result).toBe("overlap");
    expect(first.get.packets).toEqual([{ type: "close" }]);
    expect(closes[0]?.[0]).toBe("transport error");
  });

  it("a second POST in flight gets overlap and ends the session", () => {
    const { session, closes } = makeSession();
    expect(session.beginPost()).toBe(true);
    expect(session.beginPost()).toBe(false);
    expect(closes[0]?.[0]).toBe("transport error");
    expect(session.onPostBody("4late")).toBe("gone");
  });

  it("fault no-close-on-overlap refuses the request but keeps the session", () => {
    const { session, closes } = makeSession({}, ["no-close-on-overlap"]);
    const first = poll(session);
    expect(poll(session).result).toBe("overlap");
    expect(first.get.packets).toBeUndefined();
    expect(closes).toEqual([]);
  });

  it("an aborted GET ends the session", () => {
    const { session, closes, clock } = makeSession();
    const { get } = poll(session);
    session.onPollAborted(get);
    expect(closes[0]?.[0]).toBe("transport error");
    expect(clock.pendingTimers).toBe(0);
  });

  it("an aborted POST ends the session", () => {
    const { session, closes } = makeSession();
    session.beginPost();
    session.onPostAborted();
    expect(closes[0]?.[0]).toBe("transport error");
  });
});

describe("close over polling", () => {
  it("client close: POST ok, pending GET gets noop, later records ignored", () => {
    const { session, closes, messages, clock } = makeSession();
    const { get } = poll(session);
    expect(post(session, "4a\x1e1\x1e4b")).toBe("ok");
    expect(messages).toEqual(["a"]);
    expect(get.packets).toEqual([{ type: "noop" }]);
    expect(closes.map((c) => c[0])).toEqual(["client close"]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("server close with a pending GET answers it with the close packet", () => {
    const { session, closes } = makeSession();
    const { get } = poll(session);
    session.close();
    expect(get.packets).toEqual([{ type: "close" }]);
    expect(closes.map((c) => c[0])).toEqual(["server close"]);
  });

  it("server close with no pending GET: buffered packets first, then noop+close", () => {
    const { session, closes, clock } = makeSession();
    session.send("bye");
    session.close();
    expect(closes).toEqual([]);
    expect(poll(session).get.packets).toEqual([{ type: "message", data: "bye" }]);
    expect(poll(session).get.packets).toEqual([{ type: "noop" }, { type: "close" }]);
    expect(closes.map((c) => c[0])).toEqual(["server close"]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("server close is forced after closeTimeout when no GET comes", () => {
    const { session, closes, clock } = makeSession();
    session.close();
    clock.advance(29999);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes.map((c) => c[0])).toEqual(["server close"]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("fault server-close-without-close-packet answers the pending GET with a noop", () => {
    const { session } = makeSession({}, ["server-close-without-close-packet"]);
    const { get } = poll(session);
    session.close();
    expect(get.packets).toEqual([{ type: "noop" }]);
  });

  it("forceClose stops every timer", () => {
    const { session, closes, clock } = makeSession();
    session.forceClose();
    expect(closes.map((c) => c[0])).toEqual(["forced server close"]);
    expect(clock.pendingTimers).toBe(0);
  });
});
