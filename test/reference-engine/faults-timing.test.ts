/**
 * The fault switches of the upgrade, heartbeat and close chapters: each one changes what goes
 * over the wire in a small probe, and a session with no fault shows the conforming answer to the
 * same probe. The probes drive the session core on a manual clock (fake GETs and WebSockets);
 * only the checks of the request router (which transports are offered, which sid is known) run on a
 * loopback server.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { EngineFault } from "../../reference/faults/index.js";
import { NOOP_REPEAT_MS } from "../../reference/engine/session.js";
import { FakeSocket, makeSession, poll, post, type Harness } from "./helpers.js";
import { httpRequest, openPolling, startServer, TestSocket, type Running } from "./net.js";

/** The timings of the embedded server: ping 300 ms after the open (or a pong), pong due 200 ms after a ping. */
const TIMINGS = { pingInterval: 300, pingTimeout: 200, upgradeTimeout: 1000 };

/** Runs `probe` on a session with no fault and on one with `fault`; returns both observations. */
function compare<T>(fault: EngineFault, probe: (h: Harness) => T, timings: Partial<typeof TIMINGS> = {}): [T, T] {
  return [probe(makeSession({ ...TIMINGS, ...timings })), probe(makeSession({ ...TIMINGS, ...timings }, [fault]))];
}

/** A probe WebSocket begun on the session; `answered` also sends `2probe`. */
function probeOn(h: Harness, answered = true): FakeSocket {
  const ws = new FakeSocket();
  expect(h.session.beginProbe(ws)).toBe(true);
  if (answered) h.session.onFrame(ws, "2probe");
  return ws;
}

/** What a fake GET was answered with, as wire text of the packet types (`pending` while held). */
function answer(get: { packets?: ReadonlyArray<{ type: string; data?: unknown }> }): string {
  if (!get.packets) return "pending";
  return get.packets.map((p) => (p.type === "message" ? `message:${String(p.data)}` : p.type)).join(",");
}

describe("upgrade faults", () => {
  it("probe-close-ends-session: a probe the client closes after 3probe takes the session with it", () => {
    const [good, bad] = compare("probe-close-ends-session", (h) => {
      const ws = probeOn(h);
      const get = poll(h.session).get;
      h.session.onSocketClosed(ws, false);
      return [answer(get), h.session.readyState];
    });
    expect(good).toEqual(["pending", "open"]);
    expect(bad).toEqual(["close", "closed"]);
  });

  it("probe-drop-loses-buffer: what was buffered for polling is gone once the probe drops", () => {
    const [good, bad] = compare("probe-drop-loses-buffer", (h) => {
      const ws = probeOn(h);
      h.session.send("mid");
      h.session.onSocketClosed(ws, true, "dropped");
      return answer(poll(h.session).get);
    });
    expect([good, bad]).toEqual(["message:mid", "pending"]);
  });

  it("probe-slot-not-freed: after a rejected probe, a new probe is refused", () => {
    const [good, bad] = compare("probe-slot-not-freed", (h) => {
      const first = probeOn(h, false);
      h.session.onFrame(first, "2notprobe");
      expect(first.closedWith).toBe(1002);
      return h.session.beginProbe(new FakeSocket());
    });
    expect([good, bad]).toEqual([true, false]);
  });

  it("second-websocket-closes-probe: a second WebSocket during the probe takes the probe down with it", () => {
    const [good, bad] = compare("second-websocket-closes-probe", (h) => {
      const first = probeOn(h);
      const accepted = h.session.beginProbe(new FakeSocket());
      return [accepted, first.closedWith];
    });
    expect(good).toEqual([false, undefined]);
    expect(bad).toEqual([false, 1000]);
  });

  it("heartbeat-stops-at-upgrade: no ping comes over the WebSocket after the upgrade", () => {
    const [good, bad] = compare("heartbeat-stops-at-upgrade", (h) => {
      const ws = probeOn(h);
      h.session.onFrame(ws, "5");
      h.clock.advance(TIMINGS.pingInterval);
      return ws.frames;
    });
    expect(good).toEqual(["3probe", "2"]);
    expect(bad).toEqual(["3probe"]);
  });

  it("packets-on-probe-before-upgrade: a message sent during the probe goes on the probe instead of over polling", () => {
    const [good, bad] = compare("packets-on-probe-before-upgrade", (h) => {
      const ws = probeOn(h);
      h.session.send("during");
      return [ws.frames, answer(poll(h.session).get)];
    });
    expect(good).toEqual([["3probe"], "message:during"]);
    expect(bad).toEqual([["3probe", "4during"], "pending"]);
  });

  it("pending-get-closed-at-upgrade: the first noop waits for the 100 ms check, and 5 before it gives the GET 1", () => {
    const [good, bad] = compare("pending-get-closed-at-upgrade", (h) => {
      const get = poll(h.session).get;
      const ws = probeOn(h);
      const atProbe = answer(get);
      h.session.onFrame(ws, "5");
      return [atProbe, answer(get), h.session.transport];
    });
    expect(good).toEqual(["noop", "noop", "websocket"]);
    expect(bad).toEqual(["pending", "close", "websocket"]);
    // With no 5 early, the mutant's noop still comes at the first check.
    const h = makeSession(TIMINGS, ["pending-get-closed-at-upgrade"]);
    const get = poll(h.session).get;
    probeOn(h);
    h.clock.advance(NOOP_REPEAT_MS);
    expect(answer(get)).toBe("noop");
  });

  it("bad-probe-closes-session: a wrong first frame on the probe ends the session, not only the probe", () => {
    const [good, bad] = compare("bad-probe-closes-session", (h) => {
      const ws = probeOn(h, false);
      const get = poll(h.session).get;
      h.session.onFrame(ws, "4hello");
      return [ws.closedWith, answer(get), h.session.readyState];
    });
    expect(good).toEqual([1002, "pending", "open"]);
    expect(bad).toEqual([1002, "close", "closed"]);
  });

  it("no-upgrade-timeout: a probe that never sends 5 stays open past upgradeTimeout", () => {
    const [good, bad] = compare(
      "no-upgrade-timeout",
      (h) => {
        const ws = probeOn(h);
        h.clock.advance(TIMINGS.upgradeTimeout);
        return [ws.closedWith, h.session.upgradeStatus()];
      },
      // No ping falls due meanwhile, so the session needs no pong.
      { pingInterval: 5000 },
    );
    expect(good).toEqual([1000, "ready"]);
    expect(bad).toEqual([undefined, "upgrading"]);
  });
});

describe("request checks", () => {
  let run: Running | undefined;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.terminate();
    await run?.close();
    run = undefined;
  });

  /** On a polling-only server: the status a WebSocket naming a live session gets (101 when accepted). */
  async function probeStatus(faults: EngineFault[]): Promise<number> {
    await run?.close();
    run = await startServer({ ...TIMINGS, transports: ["polling"], faults: new Set(faults) });
    const sid = await openPolling(run);
    const ws = new TestSocket(run.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
    sockets.push(ws);
    await ws.closed(2000).catch(() => undefined);
    return ws.opened ? 101 : (ws.unexpected?.status ?? 0);
  }

  it("websocket-accepted-when-disabled: a WebSocket is accepted by a server that offers polling only", async () => {
    expect(await probeStatus([])).toBe(400);
    expect(await probeStatus(["websocket-accepted-when-disabled"])).toBe(101);
  });

  it("unknown-sid-websocket-accepted: a WebSocket naming no session gets 101 and a close instead of 400", async () => {
    const attempt = async (faults: EngineFault[]) => {
      await run?.close();
      run = await startServer({ ...TIMINGS, faults: new Set(faults) });
      const ws = new TestSocket(run.url("EIO=4&transport=websocket&sid=sockspecUnknownSid000", "ws"));
      sockets.push(ws);
      const code = await ws.closed(2000);
      return ws.opened ? `101, then close ${code}` : `${ws.unexpected?.status} ${ws.unexpected?.body}`;
    };
    expect(await attempt([])).toBe(`400 {"code":1,"message":"Session ID unknown"}`);
    expect(await attempt(["unknown-sid-websocket-accepted"])).toBe("101, then close 1000");
  });

  it("websocket-session-polled: a GET naming a session opened over WebSocket is served instead of refused (an upgraded one still is)", async () => {
    const statuses = async (faults: EngineFault[]) => {
      await run?.close();
      run = await startServer({ ...TIMINGS, faults: new Set(faults) });
      const ws = new TestSocket(run.url("EIO=4&transport=websocket", "ws"));
      sockets.push(ws);
      const open = JSON.parse(String(await ws.next()).slice(1)) as { sid: string };
      return (await httpRequest("GET", run.url(`EIO=4&transport=polling&sid=${open.sid}`))).status;
    };
    expect(await statuses([])).toBe(400);
    expect(await statuses(["websocket-session-polled"])).toBe(200);
    expect(await statuses(["polling-after-upgrade-accepted"])).toBe(400);
  });

  it("sid-reissued: a handshake on the connection that closed a session gets that session's sid again", async () => {
    const sids = async (faults: EngineFault[]) => {
      await run?.close();
      run = await startServer({ ...TIMINGS, faults: new Set(faults) });
      // One keep-alive connection for every request, as a client's connection pool does.
      const { createConnection } = await import("node:net");
      const { port } = new URL(run.url("EIO=4&transport=polling"));
      const conn = createConnection({ port: Number(port), host: "127.0.0.1" });
      const exchange = (method: string, query: string, body = "") =>
        new Promise<string>((resolve) => {
          let got = "";
          const onData = (chunk: Buffer) => {
            got += chunk.toString("utf8");
            const head = got.indexOf("\r\n\r\n");
            const length = Number(/content-length: (\d+)/i.exec(got)?.[1] ?? -1);
            if (head !== -1 && length >= 0 && got.length >= head + 4 + length) {
              conn.off("data", onData);
              resolve(got.slice(head + 4, head + 4 + length));
            }
          };
          conn.on("data", onData);
          conn.write(
            `${method} /engine.io/?${query} HTTP/1.1\r\nhost: x\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
        });
      const sidOf = (text: string) => (JSON.parse(text.slice(text.indexOf("0{") + 1)) as { sid: string }).sid;
      const first = sidOf(await exchange("GET", "EIO=4&transport=polling"));
      await exchange("POST", `EIO=4&transport=polling&sid=${first}`, "1");
      const second = sidOf(await exchange("GET", "EIO=4&transport=polling"));
      conn.destroy();
      return second === first;
    };
    expect(await sids([])).toBe(false);
    expect(await sids(["sid-reissued"])).toBe(true);
  });
});

describe("heartbeat faults", () => {
  it("held-get-not-woken-by-ping: the ping waits for the next GET instead of answering the held one", () => {
    const [good, bad] = compare("held-get-not-woken-by-ping", (h) => {
      const get = poll(h.session).get;
      h.clock.advance(TIMINGS.pingInterval);
      return answer(get);
    });
    expect([good, bad]).toEqual(["ping", "pending"]);
  });

  it("next-ping-from-ping: after a late pong, the next ping counts from the ping, not from the pong", () => {
    const [good, bad] = compare("next-ping-from-ping", (h) => {
      h.clock.advance(300);
      expect(answer(poll(h.session).get)).toBe("ping");
      h.clock.advance(100);
      post(h.session, "3");
      const next = poll(h.session).get;
      const seen: string[] = [];
      for (const step of [199, 2, 100]) {
        h.clock.advance(step);
        seen.push(answer(next));
      }
      return seen;
    });
    // Pong at 400 ms: the next ping is due at 700 ms, the mutant's at 600 ms.
    expect(good).toEqual(["pending", "pending", "ping"]);
    expect(bad).toEqual(["pending", "ping", "ping"]);
  });

  it("unsolicited-pong-closes: a pong with no ping awaiting it ends the session", () => {
    const [good, bad] = compare("unsolicited-pong-closes", (h) => {
      const get = poll(h.session).get;
      const status = post(h.session, "3");
      return [status, answer(get), h.session.readyState];
    });
    expect(good).toEqual(["ok", "pending", "open"]);
    expect(bad).toEqual(["bad", "close", "closed"]);
  });

  it("messages-as-liveness: messages every 100 ms keep a session that never pongs alive", () => {
    const [good, bad] = compare("messages-as-liveness", (h) => {
      h.clock.advance(300);
      expect(answer(poll(h.session).get)).toBe("ping");
      const get = poll(h.session).get;
      for (let n = 0; n < 6; n++) {
        h.clock.advance(100);
        post(h.session, `4tick-${n}`);
      }
      return [answer(get), h.session.readyState];
    });
    // The ping at 300 ms wants its pong by 500 ms; the ticks run to 900 ms.
    expect(good).toEqual(["close", "closed"]);
    expect(bad[1]).toBe("open");
  });
});

describe("heartbeat timeout fault", () => {
  it("ping-timeout-late: a session that never pongs ends 2 × pingTimeout after the ping instead of pingTimeout", () => {
    const [good, bad] = compare("ping-timeout-late", (h) => {
      h.clock.advance(300);
      expect(answer(poll(h.session).get)).toBe("ping");
      const get = poll(h.session).get;
      const seen: string[] = [];
      for (const step of [199, 1, 200]) {
        h.clock.advance(step);
        seen.push(answer(get));
      }
      return seen;
    });
    // Ping at 300 ms: the close is due at 500 ms, the mutant's at 700 ms.
    expect(good).toEqual(["pending", "close", "close"]);
    expect(bad).toEqual(["pending", "pending", "close"]);
  });

  it("timeout-waits-for-get: a polling client that takes its ping and stops polling is never dropped", () => {
    const [good, bad] = compare("timeout-waits-for-get", (h) => {
      h.clock.advance(300);
      expect(answer(poll(h.session).get)).toBe("ping");
      // No pong, no GET: the timeout is due at 500 ms.
      h.clock.advance(1000);
      return h.session.readyState;
    });
    expect([good, bad]).toEqual(["closed", "open"]);
  });

  it("aborted-get-closes-late: an aborted GET ends the session only at the heartbeat bound", () => {
    const [good, bad] = compare("aborted-get-closes-late", (h) => {
      h.session.onPollAborted(poll(h.session).get);
      const atOnce = h.session.readyState;
      h.clock.advance(500);
      return [atOnce, h.session.readyState];
    });
    expect(good).toEqual(["closed", "closed"]);
    expect(bad).toEqual(["open", "closed"]);
  });

  it("probe-drop-duplicates-buffer: what was sent during a failed upgrade reaches the poll twice", () => {
    const [good, bad] = compare("probe-drop-duplicates-buffer", (h) => {
      const ws = probeOn(h);
      h.session.send("during");
      h.session.onSocketClosed(ws, false);
      return answer(poll(h.session).get);
    });
    expect([good, bad]).toEqual(["message:during", "message:during,message:during"]);
  });

  it("timeout-only-before-first-pong: a client that answers one ping and then goes silent is never dropped", () => {
    const [good, bad] = compare("timeout-only-before-first-pong", (h) => {
      h.clock.advance(300);
      expect(answer(poll(h.session).get)).toBe("ping");
      post(h.session, "3");
      // The second ping at 600 ms goes unanswered; its timeout is due at 800 ms.
      h.clock.advance(300);
      expect(answer(poll(h.session).get)).toBe("ping");
      const get = poll(h.session).get;
      h.clock.advance(1000);
      return [answer(get), h.session.readyState];
    });
    expect(good).toEqual(["close", "closed"]);
    expect(bad).toEqual(["pending", "open"]);
  });
});

describe("close faults", () => {
  it("client-close-answers-close-packet: the GET pending at the client's close gets 1 instead of 6", () => {
    const [good, bad] = compare("client-close-answers-close-packet", (h) => {
      const get = poll(h.session).get;
      post(h.session, "1");
      return answer(get);
    });
    expect([good, bad]).toEqual(["noop", "close"]);
  });

  it("records-after-close-delivered: the record after 1 in the same POST reaches the application", () => {
    const [good, bad] = compare("records-after-close-delivered", (h) => {
      const status = post(h.session, "4before\x1e1\x1e4after");
      h.clock.advance(0);
      return [status, h.messages, h.session.readyState];
    });
    expect(good).toEqual(["ok", ["before"], "closed"]);
    expect(bad).toEqual(["ok", ["before", "after"], "closed"]);
  });

  it("close-drops-buffer: an application close with no GET pending loses what was buffered", () => {
    const [good, bad] = compare("close-drops-buffer", (h) => {
      h.session.send("bye");
      h.session.close();
      return answer(poll(h.session).get);
    });
    expect([good, bad]).toEqual(["message:bye", "noop,close"]);
  });

  it("server-close-freed-at-once: an application close with no GET pending ends the session at once, so no GET gets the close packet", () => {
    const [good, bad] = compare("server-close-freed-at-once", (h) => {
      h.session.close();
      return [h.session.readyState, answer(poll(h.session).get)];
    });
    expect(good).toEqual(["closing", "noop,close"]);
    expect(bad[0]).toBe("closed");
    expect(bad[1]).not.toBe("noop,close");
  });

  it("polling-deliver-after-close: records after the one that made the application close are still delivered and answered", () => {
    const [good, bad] = compare("polling-deliver-after-close", (h) => {
      // An echo that closes on "close", as the echo contract's sockspec:close does.
      h.session.on("message", (m) => (m === "close" ? h.session.close() : h.session.send(m)));
      post(h.session, "4first\x1e4close\x1e4late");
      h.clock.advance(0);
      return [answer(poll(h.session).get), answer(poll(h.session).get)];
    });
    expect(good).toEqual(["message:first", "noop,close"]);
    expect(bad).toEqual(["message:first,message:late", "noop,close"]);
  });

  it("server-close-leaves-websocket-open: an application close of a WebSocket session leaves the WebSocket open", () => {
    const [good, bad] = compare("server-close-leaves-websocket-open", (h) => {
      const ws = probeOn(h);
      h.session.onFrame(ws, "5");
      h.session.send("bye");
      h.session.close();
      return [ws.frames.slice(1), ws.closedWith, h.session.readyState];
    });
    expect(good).toEqual([["4bye"], 1000, "closed"]);
    expect(bad).toEqual([["4bye"], undefined, "closed"]);
  });

  it("probe-left-open-on-close: a session that ends during an upgrade leaves its probe open", () => {
    for (const end of ["client", "server"] as const) {
      const [good, bad] = compare("probe-left-open-on-close", (h) => {
        const ws = probeOn(h);
        if (end === "client") post(h.session, "1");
        else h.session.close();
        return ws.closedWith;
      });
      expect([end, good, bad]).toEqual([end, 1000, undefined]);
    }
  });
});
