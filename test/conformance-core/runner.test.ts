// The runner's own guarantees: a hung server never hangs it, verdicts follow the levels,
// expectations classify results, globs select cases, and the report fits its schema.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { allCases } from "../../conformance/cases/index.js";
import { defineChapter, fail, needs, skip, unmet, type CaseDefinition } from "../../conformance/case.js";
import {
  exitStatus,
  runSuite,
  UnreachableError,
  globToRegExp,
  selectIds,
  parseExpectations,
  ExpectationsError,
} from "../../conformance/index.js";
import { decideVerdict } from "../../conformance/runner/run-case.js";
import { describeErrors, validator } from "../../protocol/validators.js";
import { startStub, type StubServer } from "./stub-server.js";

let stub: StubServer | undefined;
let hostile: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  await stub?.close();
  stub = undefined;
  for (const s of sockets.splice(0)) s.destroy();
  if (hostile) await new Promise<void>((r) => hostile!.close(() => r()));
  hostile = undefined;
});

/** A server that answers the handshake like the stub but never answers anything under /hang. */
async function startHanging(): Promise<string> {
  stub = await startStub();
  const target = new URL(stub.url);
  hostile = createServer((req, res) => {
    if (req.url?.startsWith("/hang")) return; // never answers
    // Forward everything else to the stub.
    fetch(new URL(req.url ?? "/", target), { method: req.method }).then(
      async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      },
      () => res.destroy(),
    );
  });
  hostile.on("connection", (s) => sockets.push(s));
  await new Promise<void>((r) => hostile!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
}

const chapter = (cases: CaseDefinition[]) => defineChapter("test / runner", cases);

describe("watchdog and deadlines", () => {
  it("a case waiting on a server that never answers is stopped by its watchdog as error", async () => {
    const url = await startHanging();
    const cases = chapter([
      {
        id: "test.hang.http",
        title: "waits forever on a request",
        rules: [],
        level: "MUST",
        async run(ctx) {
          await ctx.http.request({ path: "/hang", timeoutMs: 60_000 });
        },
      },
      {
        id: "test.hang.promise",
        title: "ignores its signal",
        rules: [],
        level: "MUST",
        run: () => new Promise(() => undefined),
      },
    ]);
    const started = Date.now();
    const report = await runSuite({ url, enginePath: "/engine.io/", cases, watchdogMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    for (const c of report.cases) {
      expect(c.verdict).toBe("error");
      expect(c.reason).toMatch(/watchdog/);
    }
    expect(exitStatus(report)).toBe(1);
  }, 20_000);

  it("the run deadline stops every case still running", async () => {
    stub = await startStub();
    const cases = chapter([
      {
        id: "test.deadline.a",
        title: "sleeps long",
        rules: [],
        level: "MUST",
        timing: "waits",
        run: (ctx) => ctx.sleep(60_000),
      },
      {
        id: "test.deadline.b",
        title: "sleeps long",
        rules: [],
        level: "MUST",
        timing: "waits",
        run: (ctx) => ctx.sleep(60_000),
      },
    ]);
    const started = Date.now();
    const report = await runSuite({ url: stub.url, cases, runDeadlineMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.cases.map((c) => [c.verdict, c.reason])).toEqual([
      ["error", "the run deadline passed while this case ran"],
      ["error", "the run deadline passed while this case ran"],
    ]);
  }, 20_000);

  it("waiting cases run concurrently: wall time is near the longest wait", async () => {
    stub = await startStub();
    const cases = chapter(
      Array.from({ length: 6 }, (_, i) => ({
        id: `test.wait.c${i}`,
        title: "waits",
        rules: [],
        level: "MUST" as const,
        timing: "waits" as const,
        run: (ctx: { sleep(ms: number): Promise<void> }) => ctx.sleep(400),
      })),
    );
    const started = Date.now();
    const report = await runSuite({ url: stub.url, cases, concurrency: 1 });
    expect(report.summary.pass).toBe(6);
    expect(Date.now() - started).toBeLessThan(2000);
  }, 20_000);

  it("an unreachable server is an UnreachableError, not a report", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    await expect(runSuite({ url: `http://127.0.0.1:${port}`, cases: [] })).rejects.toBeInstanceOf(UnreachableError);
  });

  it("a server that accepts connections but never answers is unreachable within the probe timeout", async () => {
    hostile = createServer(() => undefined);
    hostile.on("connection", (s) => sockets.push(s));
    await new Promise<void>((r) => hostile!.listen(0, "127.0.0.1", r));
    const started = Date.now();
    const err = await runSuite({
      url: `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`,
      cases: [],
      timeoutMultiplier: 0.05,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(Date.now() - started).toBeLessThan(3000);
  }, 10_000);
});

const SHOULD_CASE = { id: "test.verdict.should", rules: ["EIO4-TRANSPORT-10"], level: "SHOULD" as const };
const MUST_CASE = { id: "test.verdict.must", rules: ["EIO4-PAYLOAD-01"], level: "MUST" as const };

describe("verdicts", () => {
  it("a broken precondition blocks a case that does not check its rule, and fails one that does", async () => {
    const pre = { rule: "EIO4-POLLING-05", checkedBy: "eio4.polling.post-ok" };
    const thrown = await needs(pre, async () =>
      fail("the POST answer is 200 OK", { expected: "200 ok", observed: "200 OK" }),
    ).catch((e: unknown) => e);
    expect(decideVerdict(MUST_CASE, thrown, [])).toEqual({
      verdict: "blocked",
      reason: "blocked: the POST answer is 200 OK — see eio4.polling.post-ok (EIO4-POLLING-05)",
      expected: "200 ok",
      observed: "200 OK",
      blockedBy: { case: "eio4.polling.post-ok", rule: "EIO4-POLLING-05" },
    });
    // The case that checks the rule, or any case citing it, fails on it instead.
    expect(decideVerdict({ ...MUST_CASE, id: "eio4.polling.post-ok" }, thrown, []).verdict).toBe("fail");
    expect(decideVerdict({ ...MUST_CASE, rules: ["EIO4-POLLING-05"] }, thrown, []).verdict).toBe("fail");
    // A SHOULD case is blocked the same way (never softened to warn), and a warning recorded before
    // the precondition broke does not hide that the case never finished.
    expect(decideVerdict(SHOULD_CASE, thrown, [{ verdict: "warn", reason: "w", details: {} }]).verdict).toBe("blocked");
    // A failure of the case's own rule recorded before the precondition broke still stands.
    expect(decideVerdict(MUST_CASE, thrown, [{ verdict: "fail", reason: "own", details: {} }]).verdict).toBe("fail");
    // The innermost precondition is the one named.
    const inner = await needs(pre, () =>
      needs({ rule: "EIO4-HANDSHAKE-01", checkedBy: "eio4.handshake.polling-open" }, async () =>
        fail("no open packet"),
      ),
    ).catch((e: unknown) => e);
    expect(decideVerdict(MUST_CASE, inner, []).blockedBy).toEqual({
      case: "eio4.handshake.polling-open",
      rule: "EIO4-HANDSHAKE-01",
    });
    // Only failures become blocked: a skip inside a precondition stays a skip.
    const skipped = await needs(pre, async () => skip("no echo")).catch((e: unknown) => e);
    expect(decideVerdict(MUST_CASE, skipped, []).verdict).toBe("skip");
  });

  it("a failure in a SHOULD case is a warn; a thrown non-assertion error is an error", () => {
    expect(decideVerdict(SHOULD_CASE, new (class extends Error {})("x"), []).verdict).toBe("error");
    let thrown: unknown;
    try {
      fail("bad", { expected: "a", observed: "b" });
    } catch (e) {
      thrown = e;
    }
    expect(decideVerdict(SHOULD_CASE, thrown, [])).toEqual({
      verdict: "warn",
      reason: "bad",
      expected: "a",
      observed: "b",
    });
    expect(decideVerdict(MUST_CASE, thrown, [])).toEqual({
      verdict: "fail",
      reason: "bad",
      expected: "a",
      observed: "b",
    });
    expect(decideVerdict(MUST_CASE, undefined, [{ verdict: "info", reason: "v=1", details: {} }])).toEqual({
      verdict: "info",
      reason: "v=1",
    });
    expect(
      decideVerdict(MUST_CASE, undefined, [
        { verdict: "info", reason: "v", details: {} },
        { verdict: "warn", reason: "w", details: {} },
      ]).verdict,
    ).toBe("warn");
  });

  it("accept() maps values to verdicts; unlisted values fail", async () => {
    stub = await startStub();
    const mk = (id: string, status: number) => ({
      id,
      title: id,
      rules: [],
      level: "MUST" as const,
      async run(ctx: import("../../conformance/runner/context.js").CaseContext) {
        ctx.accept(status, { 400: "pass", 500: "warn", 418: "info" }, "status");
      },
    });
    const report = await runSuite({
      url: stub.url,
      cases: chapter([
        mk("test.accept.a", 400),
        mk("test.accept.b", 500),
        mk("test.accept.c", 418),
        mk("test.accept.d", 200),
      ]),
    });
    expect(report.cases.map((c) => c.verdict)).toEqual(["pass", "warn", "info", "fail"]);
    expect(report.cases[3]!.expected).toBe("400");
  });

  it("a case requiring an absent feature is skipped with the reason", async () => {
    stub = await startStub();
    const cases = chapter([
      {
        id: "test.skip.sio",
        title: "needs socket.io",
        rules: [],
        level: "MUST",
        requires: ["socketio-echo"],
        run: async () => undefined,
      },
    ]);
    const report = await runSuite({ url: stub.url, cases });
    expect(report.cases[0]!.verdict).toBe("skip");
    expect(report.cases[0]!.reason).toMatch(/^the server does not offer socketio-echo: /);
    const none = await runSuite({
      url: stub.url,
      path: "/engine.io/",
      enginePath: null,
      cases: chapter([
        {
          id: "test.skip.echo",
          title: "needs echo",
          rules: [],
          level: "MUST",
          requires: ["engine-echo"],
          run: async () => undefined,
        },
      ]),
    });
    expect(none.cases[0]!.reason).toMatch(/engine-echo: .*--engine-path none/);
  });
});

describe("declared configuration", () => {
  it("--cors overrides what the probe sees: off skips the CORS cases as declared, on runs them", async () => {
    stub = await startStub();
    const cases = chapter([
      {
        id: "test.cors.needs",
        title: "needs CORS",
        rules: [],
        level: "MUST",
        requires: ["cors"],
        run: async () => undefined,
      },
    ]);
    const guessed = await runSuite({ url: stub.url, cases });
    expect(guessed.cases[0]!.verdict).toBe("skip"); // the stub sends no CORS headers
    const on = await runSuite({ url: stub.url, cases, cors: "on" });
    expect(on.cases[0]!.verdict).toBe("pass");
    const off = await runSuite({ url: stub.url, cases, cors: "off" });
    expect(off.cases[0]).toMatchObject({
      verdict: "skip",
      reason: "the server does not offer cors: declared off (--cors off)",
    });
  });
});

describe("expectations", () => {
  const passing = chapter([
    { id: "test.exp.passes", title: "passes", rules: [], level: "MUST", run: async () => undefined },
    { id: "test.exp.fails", title: "fails", rules: [], level: "MUST", run: async () => fail("always") },
  ]);

  it("a known-failing case that fails does not fail the run", async () => {
    stub = await startStub();
    const report = await runSuite({
      url: stub.url,
      cases: passing,
      expectations: { knownFailing: [{ id: "test.exp.fails", reason: "tracked" }] },
    });
    expect(report.cases[1]!.expectation).toBe("known-failing");
    expect(report.summary.knownFailing).toBe(1);
    expect(exitStatus(report)).toBe(0);
  });

  it("a known-failing case that passes is stale and fails the run", async () => {
    stub = await startStub();
    const report = await runSuite({
      url: stub.url,
      cases: passing,
      expectations: { knownFailing: [{ id: "test.exp.*", reason: "tracked" }] },
    });
    expect(report.cases.map((c) => c.expectation)).toEqual(["stale", "known-failing"]);
    expect(report.summary.stale).toBe(1);
    expect(exitStatus(report)).toBe(1);
  });

  it("one expectations file serves both modes: a listed SHOULD case that warns is known failing with and without --strict", async () => {
    stub = await startStub();
    const cases = chapter([
      { id: "test.exp.warns", title: "warns", rules: [], level: "SHOULD", run: async () => fail("detail") },
      {
        id: "test.exp.blocked",
        title: "blocked",
        rules: [],
        level: "MUST",
        run: async () => unmet({ rule: "EIO4-POLLING-05", checkedBy: "test.exp.root" }, "no ok"),
      },
    ]);
    const expectations = { knownFailing: [{ id: "test.exp.*", reason: "tracked" }] };
    for (const strict of [false, true]) {
      const report = await runSuite({ url: stub.url, cases, expectations, strict });
      expect(report.cases.map((c) => [c.verdict, c.expectation])).toEqual([
        ["warn", "known-failing"],
        ["blocked", undefined],
      ]);
      expect(report.summary).toMatchObject({ stale: 0, knownFailing: 1, blocked: 1 });
      // A blocked case neither fails the run nor makes its entry stale: it never judged its rule.
      expect(exitStatus(report)).toBe(0);
    }
  });

  it("a known-flaky case never fails the run", async () => {
    stub = await startStub();
    const report = await runSuite({
      url: stub.url,
      cases: passing,
      expectations: { knownFlaky: [{ id: "**.fails", reason: "timing" }] },
    });
    expect(report.cases[1]).toMatchObject({ verdict: "fail", expectation: "known-flaky" });
    expect(exitStatus(report)).toBe(0);
  });

  it("an expectations object that does not fit the schema is refused", () => {
    expect(() => parseExpectations({ knownFailing: [{ id: "x" }] })).toThrow(ExpectationsError);
    expect(() => parseExpectations({ knownFailng: [] })).toThrow(ExpectationsError);
    expect(parseExpectations({ knownFailing: [{ id: "eio4.**", reason: "r" }] })).toEqual({
      knownFailing: [{ id: "eio4.**", reason: "r" }],
    });
  });
});

describe("globs", () => {
  it("* stays within a segment, ** crosses segments", () => {
    expect(globToRegExp("eio4.*.probe").test("eio4.upgrade.probe")).toBe(true);
    expect(globToRegExp("eio4.*.probe").test("eio4.upgrade.ws.probe")).toBe(false);
    expect(globToRegExp("eio4.**").test("eio4.upgrade.ws.probe")).toBe(true);
    expect(globToRegExp("eio4.**.probe").test("eio4.probe")).toBe(true);
    expect(globToRegExp("**.probe").test("eio4.upgrade.probe")).toBe(true);
    expect(globToRegExp("eio4.handshake.ws-*").test("eio4.handshake.ws-error-version")).toBe(true);
    expect(globToRegExp("eio4.handshake").test("eio4.handshakes")).toBe(false);
    expect(globToRegExp("a+b.(c)").test("a+b.(c)")).toBe(true);
  });

  it("--only and --skip combine", () => {
    const ids = selectIds(allCases, ["eio4.handshake.*"], ["eio4.handshake.ws-*", "**.error-*"]).map((c) => c.id);
    expect(ids.length).toBeGreaterThan(10);
    expect(ids.some((id) => id.startsWith("eio4.handshake.ws-") || id.includes(".error-"))).toBe(false);
    expect(selectIds(allCases, ["nothing.*"], []).length).toBe(0);
  });
});

describe("the report", () => {
  it("fits schemas/conformance/report.json, transcripts included", async () => {
    stub = await startStub(["status201"]);
    const report = await runSuite({ url: stub.url, only: ["eio4.handshake.**"] });
    const validate = validator("conformance/report.json");
    expect(validate(report), describeErrors(validate.errors)).toBe(true);
    expect(report.cases.some((c) => c.verdict === "fail")).toBe(true);
    expect(report.cases.every((c) => c.verdict === "skip" || c.transcript.length > 0)).toBe(true);
  }, 20_000);
});

describe("the registry", () => {
  it("has unique, well-formed ids, and every cited rule exists in spec/", async () => {
    const { readFileSync } = await import("node:fs");
    const rules = new Set(
      (
        JSON.parse(readFileSync(new URL("../../spec/rules.json", import.meta.url), "utf8")) as Array<{ id: string }>
      ).map((r) => r.id),
    );
    const ids = allCases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of allCases) {
      expect(c.id).toMatch(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/);
      expect(c.rules.length, c.id).toBeGreaterThan(0);
      for (const r of c.rules) expect(rules.has(r), `${c.id} cites ${r}`).toBe(true);
    }
  });
});

describe("show and canonical", async () => {
  const { canonical, show } = await import("../../conformance/case.js");
  it("bytes compare by content whatever their class, anywhere in a value", () => {
    expect(canonical([1, { b: Buffer.from([5, 6]) }])).toBe(canonical([1, { b: new Uint8Array([5, 6]) }]));
    expect(show(new Uint8Array([1, 2, 3]))).toBe("<3 bytes 010203>");
  });
  it("values that differ past the display limit are still different", () => {
    const a = "x".repeat(400) + "a";
    const b = "x".repeat(400) + "b";
    expect(show(a)).toBe(show(b));
    expect(canonical(a)).not.toBe(canonical(b));
  });
});
