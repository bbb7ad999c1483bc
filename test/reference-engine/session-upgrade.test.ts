/** The upgrade state machine and WebSocket close behaviour of the session core. */
import { describe, expect, it } from "vitest";
import { NOOP_REPEAT_MS } from "../../reference/engine/session.js";
import { FakeSocket, makeSession, poll, post } from "./helpers.js";

function probed(faults: Parameters<typeof makeSession>[1] = []) {
  const h = makeSession({ pingInterval: 10000, pingTimeout: 5000 }, faults);
  const ws = new FakeSocket();
  expect(h.session.beginProbe(ws)).toBe(true);
  return { ...h, ws };
}

describe("upgrade", () => {
  it("answers the probe, sends a noop to the pending GET at once and then every 100 ms", () => {
    const { session, clock, ws } = probed();
    const first = poll(session);
    session.onFrame(ws, "2probe");
    expect(ws.frames).toEqual(["3probe"]);
    expect(first.get.packets).toEqual([{ type: "noop" }]);
    const second = poll(session);
    clock.advance(NOOP_REPEAT_MS - 1);
    expect(second.get.packets).toBeUndefined();
    clock.advance(1);
    expect(second.get.packets).toEqual([{ type: "noop" }]);
    expect(session.upgradeStatus()).toBe("upgrading");
  });

  it("sends messages over polling between probe and upgrade, then flushes the rest in order on the WebSocket", () => {
    const { session, ws, messages } = probed();
    session.onFrame(ws, "2probe");
    const get = poll(session).get;
    session.send("between");
    expect(get.packets).toEqual([{ type: "message", data: "between" }]);
    session.send("one");
    session.send(new Uint8Array([9]));
    session.send("two");
    const pending = poll(session).get; // gets the buffered three right away
    expect(pending.packets).toHaveLength(3);
    session.send("three");
    session.send("four");
    const last = poll(session).get;
    expect(last.packets).toHaveLength(2);
    const held = poll(session).get;
    session.onFrame(ws, "5");
    expect(held.packets).toEqual([{ type: "noop" }]);
    expect(session.transport).toBe("websocket");
    session.send("after");
    expect(ws.frames.slice(1)).toEqual(["4after"]);
    session.onFrame(ws, "4hi");
    expect(messages).toEqual(["hi"]);
    expect(session.upgradeStatus()).toBe("upgraded");
  });

  it("flushes a buffer waiting at the upgrade in order (fault: reversed)", () => {
    for (const [faults, expected] of [
      [[], ["4a", "4b"]],
      [["upgrade-flush-reordered"], ["4b", "4a"]],
    ] as const) {
      const { session, ws } = probed([...faults]);
      session.onFrame(ws, "2probe");
      session.send("a");
      session.send("b");
      session.onFrame(ws, "5");
      expect(ws.frames.slice(1)).toEqual(expected);
    }
  });

  it("closes only the probing socket after upgradeTimeout", () => {
    const { session, clock, ws, closes } = probed();
    session.onFrame(ws, "2probe");
    clock.advance(999);
    expect(ws.closedWith).toBeUndefined();
    clock.advance(1);
    expect(ws.closedWith).toBe(1000);
    expect(closes).toEqual([]);
    expect(session.transport).toBe("polling");
    expect(session.upgradeStatus()).toBe("ready");
    session.send("still here");
    expect(poll(session).get.packets).toEqual([{ type: "message", data: "still here" }]);
  });

  it("closes only the probing socket on a bad first frame", () => {
    for (const frame of ["4hello", "abc", "2", "5"]) {
      const { session, ws, closes, messages } = probed();
      session.onFrame(ws, frame);
      expect(ws.closedWith).toBe(1002);
      expect(closes).toEqual([]);
      expect(messages).toEqual([]);
    }
  });

  it("refuses a second probe while one is in progress or after the upgrade", () => {
    const { session, ws } = probed();
    expect(session.beginProbe(new FakeSocket())).toBe(false);
    session.onFrame(ws, "2probe");
    session.onFrame(ws, "5");
    expect(session.beginProbe(new FakeSocket())).toBe(false);
  });

  it("keeps the polling session when the probing socket drops", () => {
    const { session, ws, closes } = probed();
    session.onFrame(ws, "2probe");
    session.onSocketClosed(ws, true);
    expect(closes).toEqual([]);
    expect(session.upgradeStatus()).toBe("ready");
  });

  it("fault no-noop-during-upgrade leaves the GET pending", () => {
    const { session, ws, clock } = probed(["no-noop-during-upgrade"]);
    const { get } = poll(session);
    session.onFrame(ws, "2probe");
    clock.advance(500);
    expect(get.packets).toBeUndefined();
  });

  it("fault probe-answer-missing does not answer 2probe", () => {
    const { session, ws } = probed(["probe-answer-missing"]);
    session.onFrame(ws, "2probe");
    expect(ws.frames).toEqual([]);
  });

  it("a client close during the probe ends the session over polling", () => {
    const { session, ws, closes, clock } = probed();
    session.onFrame(ws, "2probe");
    expect(post(session, "1")).toBe("ok");
    expect(closes.map((c) => c[0])).toEqual(["client close"]);
    expect(ws.closedWith).toBe(1000);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe("WebSocket sessions", () => {
  function wsSession(faults: Parameters<typeof makeSession>[1] = []) {
    const h = makeSession({ transport: "websocket" }, faults);
    const ws = new FakeSocket();
    h.session.openOn(ws);
    return { ...h, ws };
  }

  it("sends the open packet first, then one packet per frame", () => {
    const { session, ws } = wsSession();
    session.send("a");
    session.send(new Uint8Array([1, 2]));
    expect(ws.frames[0]).toMatch(/^0\{"sid":/);
    expect(ws.frames.slice(1).map((f) => (typeof f === "string" ? f : Array.from(f)))).toEqual(["4a", [1, 2]]);
  });

  it("a close packet from the client ends the session (fault: ignored)", () => {
    const ok = wsSession();
    ok.session.onFrame(ok.ws, "1");
    expect(ok.closes.map((c) => c[0])).toEqual(["client close"]);
    expect(ok.ws.closedWith).toBe(1000);
    const faulty = wsSession(["client-close-ignored-on-websocket"]);
    faulty.session.onFrame(faulty.ws, "1");
    expect(faulty.closes).toEqual([]);
  });

  it("server close flushes and closes normally", () => {
    const { session, ws, closes, clock } = wsSession();
    session.send("bye");
    session.close();
    expect(ws.frames.at(-1)).toBe("4bye");
    expect(ws.closedWith).toBe(1000);
    expect(closes.map((c) => c[0])).toEqual(["server close"]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("an undecodable frame closes with 1002 and a parse error", () => {
    const { session, ws, closes } = wsSession();
    session.onFrame(ws, "abc");
    expect(ws.closedWith).toBe(1002);
    expect(closes[0]?.[0]).toBe("parse error");
  });

  it("the socket closing ends the session", () => {
    const clean = wsSession();
    clean.session.onSocketClosed(clean.ws, false);
    expect(clean.closes.map((c) => c[0])).toEqual(["client close"]);
    const failed = wsSession();
    failed.session.onSocketClosed(failed.ws, true, "Max payload size exceeded");
    expect(failed.closes).toEqual([["transport error", "Max payload size exceeded"]]);
  });

  it("v3 sends binary with the type byte, or as b4 base64 text to a b64 client", () => {
    const bin = makeSession({ transport: "websocket", protocol: 3 });
    const ws = new FakeSocket();
    bin.session.openOn(ws);
    bin.session.send(new Uint8Array([1, 2]));
    expect(Array.from(ws.frames[1] as Uint8Array)).toEqual([4, 1, 2]);
    const b64 = makeSession({ transport: "websocket", protocol: 3, supportsBinary: false });
    const ws2 = new FakeSocket();
    b64.session.openOn(ws2);
    b64.session.send(new Uint8Array([1, 2]));
    expect(ws2.frames[1]).toBe("b4AQI=");
  });
});

describe("WebSocket send buffer", () => {
  it("closes the session when a client that does not read lets the socket buffer pass maxBufferedBytes", () => {
    const h = makeSession({ transport: "websocket", maxBufferedBytes: 100 });
    let buffered = 0;
    const ws = new FakeSocket();
    const port = Object.assign(ws, { bufferedAmount: () => buffered });
    h.session.openOn(port);
    h.session.send("x");
    expect(h.closes).toEqual([]);
    buffered = 101;
    h.session.send("y");
    expect(h.closes).toEqual([["transport error", "send buffer overflow"]]);
    expect(ws.closedWith).toBe(1008);
  });
});

describe("server close from a message listener", () => {
  it("over WebSocket sends what the listener sent before closing", () => {
    const h = makeSession({ transport: "websocket" });
    const ws = new FakeSocket();
    h.session.openOn(ws);
    h.session.on("message", () => {
      h.session.send("bye");
      h.session.close();
    });
    h.session.onFrame(ws, "4x");
    expect(ws.frames.slice(1)).toEqual(["4bye"]);
    expect(ws.closedWith).toBe(1000);
  });

  it("over polling with a pending GET sends it along with the close packet", () => {
    const h = makeSession();
    const { get } = poll(h.session);
    h.session.on("message", () => {
      h.session.send("bye");
      h.session.close();
    });
    expect(post(h.session, "4x\x1e4y")).toBe("ok");
    expect(get.packets).toEqual([{ type: "message", data: "bye" }, { type: "close" }]);
    expect(h.closes.map((c) => c[0])).toEqual(["server close"]);
  });
});
