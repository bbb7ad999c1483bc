/** Heartbeat timing of the session core on a manual clock (EIO4-HEARTBEAT, EIO3-HEARTBEAT). */
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../reference/engine/clock.js";
import { makeSession, poll, post, FakeSocket } from "./helpers.js";

describe("manual clock", () => {
  it("fires due timers in order, including ones scheduled while advancing", () => {
    const clock = new ManualClock();
    const log: string[] = [];
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => {
      log.push(`a@${clock.now()}`);
      clock.setTimeout(() => log.push(`c@${clock.now()}`), 5);
    }, 10);
    const dropped = clock.setTimeout(() => log.push("never"), 15);
    clock.clearTimeout(dropped);
    clock.advance(14);
    expect(log).toEqual(["a@10"]);
    clock.advance(10);
    expect(log).toEqual(["a@10", "c@15", "b@20"]);
    expect(clock.now()).toBe(24);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe("v4 heartbeat", () => {
  it("pings pingInterval after the open, not before", () => {
    const { session, clock } = makeSession();
    const { get } = poll(session);
    clock.advance(299);
    expect(get.packets).toBeUndefined();
    clock.advance(1);
    expect(get.packets).toEqual([{ type: "ping" }]);
  });

  it("closes pingTimeout after an unanswered ping; the pending GET gets the close packet", () => {
    const { session, clock, closes } = makeSession();
    poll(session);
    clock.advance(300);
    const { get } = poll(session);
    clock.advance(199);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes.map((c) => c[0])).toEqual(["ping timeout"]);
    expect(get.packets).toEqual([{ type: "close" }]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("sends the next ping pingInterval after the pong", () => {
    const { session, clock, closes } = makeSession();
    poll(session);
    clock.advance(300);
    clock.advance(150);
    expect(post(session, "3")).toBe("ok");
    const { get } = poll(session);
    clock.advance(299);
    expect(get.packets).toBeUndefined();
    clock.advance(1);
    expect(get.packets).toEqual([{ type: "ping" }]);
    expect(clock.now()).toBe(750);
    expect(closes).toEqual([]);
  });

  it("counts only pongs as liveness: messages do not keep the session open", () => {
    const { session, clock, closes, messages } = makeSession();
    for (let t = 0; t < 4; t++) {
      clock.advance(100);
      expect(post(session, "4x")).toBe("ok");
    }
    clock.advance(100);
    expect(messages).toHaveLength(4);
    expect(closes.map((c) => c[0])).toEqual(["ping timeout"]);
    expect(clock.now()).toBe(500);
  });

  it("ignores an unsolicited pong", () => {
    const { session, clock, closes } = makeSession();
    clock.advance(100);
    expect(post(session, "3\x1e3")).toBe("ok");
    const { get } = poll(session);
    clock.advance(199);
    expect(get.packets).toBeUndefined();
    clock.advance(1);
    expect(get.packets).toEqual([{ type: "ping" }]);
    expect(closes).toEqual([]);
  });

  it("closes the session on a ping from the client", () => {
    const { session, closes } = makeSession();
    const { get } = poll(session);
    expect(post(session, "2")).toBe("bad");
    expect(closes[0]?.[0]).toBe("transport error");
    expect(get.packets).toEqual([{ type: "close" }]);
  });

  it("runs the heartbeat over WebSocket too", () => {
    const { session, clock, closes } = makeSession({ transport: "websocket" });
    const ws = new FakeSocket();
    session.openOn(ws);
    clock.advance(300);
    expect(ws.frames.slice(1)).toEqual(["2"]);
    session.onFrame(ws, "3");
    clock.advance(300);
    expect(ws.frames.slice(1)).toEqual(["2", "2"]);
    clock.advance(200);
    expect(closes.map((c) => c[0])).toEqual(["ping timeout"]);
    expect(ws.closedWith).toBe(1000);
  });

  it("fault first-ping-early pings at pingInterval/2", () => {
    const { session, clock } = makeSession({}, ["first-ping-early"]);
    const { get } = poll(session);
    clock.advance(150);
    expect(get.packets).toEqual([{ type: "ping" }]);
  });

  it("fault ping-never-sent never writes the ping", () => {
    const { session, clock, closes } = makeSession({}, ["ping-never-sent"]);
    const { get } = poll(session);
    clock.advance(499);
    expect(get.packets).toBeUndefined();
    clock.advance(1);
    expect(closes.map((c) => c[0])).toEqual(["ping timeout"]);
  });

  it("fault pong-ignored drops an answering client", () => {
    const { session, clock, closes } = makeSession({}, ["pong-ignored"]);
    clock.advance(300);
    post(session, "3");
    clock.advance(200);
    expect(closes.map((c) => c[0])).toEqual(["ping timeout"]);
  });
});

describe("v3 heartbeat", () => {
  it("answers a ping with a pong carrying its data, and never pings itself", () => {
    const { session, clock } = makeSession({ protocol: 3 });
    clock.advance(250);
    expect(post(session, "1:2")).toBe("ok");
    expect(post(session, "2:2x")).toBe("ok");
    const { get } = poll(session);
    expect(get.packets).toEqual([{ type: "pong" }, { type: "pong", data: "x" }]);
    const next = poll(session);
    clock.advance(400);
    expect(next.get.packets).toBeUndefined();
  });

  it("closes after pingInterval + pingTimeout without a ping, counted from the last ping", () => {
    const { session, clock, closes } = makeSession({ protocol: 3 });
    clock.advance(250);
    post(session, "1:2");
    poll(session); // takes the pong
    const { get } = poll(session);
    clock.advance(499);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes.map((c) => c[0])).toEqual(["ping timeout"]);
    expect(get.packets).toEqual([{ type: "close" }]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("treats a pong from the client as a protocol error", () => {
    const { session, closes } = makeSession({ protocol: 3 });
    expect(post(session, "1:3")).toBe("bad");
    expect(closes).toHaveLength(1);
  });
});
