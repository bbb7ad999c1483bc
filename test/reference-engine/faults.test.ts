/**
 * Every fault switch changes what the server does on the wire (the conformance suite's mutants
 * rely on it), and a server with no fault does the opposite. The faults not covered here are
 * covered next to the rule they break, in the other test files.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ENGINE_FAULTS, type EngineFault } from "../../reference/faults/index.js";
import { httpRequest, openPolling, sleep, startServer, TestSocket, type Running } from "./net.js";

let run: Running | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await run?.close();
  run = undefined;
});

async function serve(fault?: EngineFault): Promise<Running> {
  await run?.close();
  run = await startServer({ faults: new Set(fault ? [fault] : []) });
  return run;
}

function socket(url: string): TestSocket {
  const s = new TestSocket(url);
  sockets.push(s);
  return s;
}

/** Runs `probe` on a conforming server and on the mutant; returns both observations. */
async function compare<T>(fault: EngineFault, probe: (r: Running) => Promise<T>): Promise<[T, T]> {
  const good = await probe(await serve());
  const bad = await probe(await serve(fault));
  return [good, bad];
}

describe("fault switches", () => {
  it("each names an existing rule and says what it breaks", () => {
    // The drop and security rules of the operations chapter bind the engine too, and the v3 path has faults of its own.
    const spec = ["engine.io-v4.md", "engine.io-v3.md", "operations.md"]
      .map((f) => readFileSync(new URL(`../../spec/${f}`, import.meta.url), "utf8"))
      .join("\n");
    for (const [name, info] of Object.entries(ENGINE_FAULTS)) {
      expect([name, spec.includes(`<a id="${info.rule}"></a>`), info.breaks.length > 10]).toEqual([name, true, true]);
    }
  });

  it("wrong-separator", async () => {
    const [good, bad] = await compare("wrong-separator", async (r) => {
      const q = `EIO=4&transport=polling&sid=${await openPolling(r)}`;
      await httpRequest("POST", r.url(q), { body: "4a\x1e4b" });
      return (await httpRequest("GET", r.url(q))).text;
    });
    expect([good, bad]).toEqual(["4a\x1e4b", "4a\n4b"]);
  });

  it("post-ok-wrong-body and get-wrong-content-type", async () => {
    const [good, bad] = await compare("post-ok-wrong-body", async (r) => {
      const q = `EIO=4&transport=polling&sid=${await openPolling(r)}`;
      return (await httpRequest("POST", r.url(q), { body: "4a" })).text;
    });
    expect([good, bad]).toEqual(["ok", "OK"]);
    const [goodType, badType] = await compare("get-wrong-content-type", async (r) => {
      return (await httpRequest("GET", r.url("EIO=4&transport=polling"))).headers["content-type"];
    });
    expect([goodType, badType]).toEqual(["text/plain; charset=UTF-8", "text/html"]);
  });

  it("session-not-freed-after-timeout", async () => {
    const [good, bad] = await compare("session-not-freed-after-timeout", async (r) => {
      const sid = await openPolling(r);
      await sleep(800);
      return (await httpRequest("GET", r.url(`EIO=4&transport=polling&sid=${sid}`))).status;
    });
    expect([good, bad]).toEqual([400, 200]);
  });

  it("client-ping-answered", async () => {
    const [good, bad] = await compare("client-ping-answered", async (r) => {
      const q = `EIO=4&transport=polling&sid=${await openPolling(r)}`;
      await httpRequest("POST", r.url(q), { body: "2" });
      return (await httpRequest("GET", r.url(q))).text;
    });
    expect(good).toContain('"code":1');
    expect(bad).toBe("3");
  });

  it("polling-after-upgrade-accepted and second-websocket-accepted", async () => {
    const upgrade = async (r: Running) => {
      const sid = await openPolling(r);
      const ws = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
      await ws.open();
      ws.send("2probe");
      await ws.next();
      ws.send("5");
      await sleep(30);
      return sid;
    };
    const [good, bad] = await compare("polling-after-upgrade-accepted", async (r) => {
      const sid = await upgrade(r);
      return (await httpRequest("GET", r.url(`EIO=4&transport=polling&sid=${sid}`))).status;
    });
    expect([good, bad]).toEqual([400, 200]);
    const [goodWs, badWs] = await compare("second-websocket-accepted", async (r) => {
      const sid = await upgrade(r);
      const second = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
      await second.open();
      await sleep(100);
      return second.closeCode;
    });
    expect(goodWs).toBeDefined();
    expect(badWs).toBeUndefined();
  });
});
