// Portable timing: the probe measures the round trip and every upper bound grows by it,
// --timeout-multiplier scales every window, --connect-timeout skips the cases that would wait
// longer, the quiet phase keeps tight windows away from the instant pool, and the upgrade
// timeout is judged only when its value was given. Loopback only, port 0.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { defineChapter, type Case, type CaseDefinition } from "../../conformance/case.js";
import { parseTestArgs, testUsage } from "../../cli/test.js";
import { startDelayRelay, type DelayRelay } from "../../conformance/mutants/relay.js";
import { startEmbeddedServer, type EmbeddedServer } from "../../conformance/runner/embedded.js";
import { runSuite } from "../../conformance/runner/run.js";
import { QUIET_CONCURRENCY, schedule } from "../../conformance/runner/scheduler.js";
import {
  answerTimeout,
  caseWatchdog,
  isQuiet,
  quietConcurrency,
  window,
  type CaseTiming,
  type Timing,
} from "../../conformance/runner/timing.js";
import type { CaseContext } from "../../conformance/runner/context.js";
import type { CaseResult } from "../../schemas/generated/conformance/report.js";
import { TIMING } from "../../vitest.config.js";
import { startStub, type StubServer } from "./stub-server.js";

let stub: StubServer | undefined;
let relay: DelayRelay | undefined;
let embedded: EmbeddedServer | undefined;

afterEach(async () => {
  await relay?.close();
  await stub?.close();
  await embedded?.close();
  relay = stub = embedded = undefined;
});

const chapter = (cases: CaseDefinition[]) => defineChapter("test / timing", cases);

/** A case that hands its context to `look` and passes. */
function peek(look: (ctx: CaseContext) => void): Case[] {
  return chapter([
    {
      id: "test.timing.peek",
      title: "looks at the timing",
      rules: [],
      level: "MUST",
      async run(ctx) {
        look(ctx);
      },
    },
  ]);
}

/** The timing of one run, seen from inside a case. */
async function timingOf(
  url: string,
  options: { timeoutMultiplier?: number } = {},
): Promise<{ timing: Timing; scale0: number; answer: number; reported?: number }> {
  let seen: { timing: Timing; scale0: number; answer: number } | undefined;
  const report = await runSuite({
    url,
    cases: peek((ctx) => (seen = { timing: { ...ctx.timing }, scale0: ctx.scale(0), answer: ctx.answerTimeoutMs })),
    ...options,
  });
  return { ...seen!, reported: report.observed.rttMs };
}

const T300: Timing = {
  pingInterval: 300,
  pingTimeout: 200,
  multiplier: 1,
  graceMinMs: 50,
  graceRatio: 0.25,
  upgradeTimeout: 1000,
};

describe("round-trip time", () => {
  it("the probe measures the delay a relay adds, and every upper bound grows by it", async () => {
    stub = await startStub();
    const direct = await timingOf(stub.url);
    expect(direct.timing.rttMs).toBeGreaterThan(0);
    expect(direct.timing.rttMs).toBeLessThan(20);

    relay = await startDelayRelay(stub.url, 20);
    const far = await timingOf(relay.url);
    // 20 ms each way: a round trip of about 40 ms, a little more for the hops.
    expect(far.timing.rttMs).toBeGreaterThanOrEqual(38);
    expect(far.timing.rttMs).toBeLessThan(80);
    expect(far.reported).toBe(far.timing.rttMs);
    const rtt = Math.ceil(far.timing.rttMs!);
    expect(far.scale0).toBe(rtt);
    expect(far.answer - direct.answer).toBe(rtt - Math.ceil(direct.timing.rttMs!));
    const t = { ...T300, rttMs: far.timing.rttMs };
    expect(window(t, 300, 300).to - window(T300, 300, 300).to).toBe(rtt);
    // Latency only ever makes an event look later: the lower bound stays.
    expect(window(t, 300, 300).from).toBe(window(T300, 300, 300).from);
    expect(answerTimeout(t) - answerTimeout(T300)).toBe(rtt);
    expect(caseWatchdog(t) - caseWatchdog(T300)).toBe(100 * rtt);
  }, 20_000);

  it("an answer that comes one round trip late is still within the window", async () => {
    stub = await startStub();
    relay = await startDelayRelay(stub.url, 40);
    // Due within 100 ms of being asked; across the relay it arrives about 80 ms later still.
    const cases = chapter([
      {
        id: "test.timing.late-by-rtt",
        title: "a poll answered at once, seen one round trip later",
        rules: [],
        level: "MUST",
        async run(ctx) {
          await ctx.within(
            ctx.http
              .request({ query: { EIO: "4", transport: "polling", sid: "x" } })
              .then(() => new Promise((r) => setTimeout(r, 60))),
            { latest: 100, what: "the refusal" },
          );
        },
      },
    ]);
    const report = await runSuite({ url: relay.url, cases, graceMinMs: 10, graceRatio: 0 });
    expect(report.cases[0]!.verdict, report.cases[0]!.reason).toBe("pass");
  }, 20_000);
});

describe("--timeout-multiplier", () => {
  /** A case that sees its event 250 ms after it starts, when it is due within 100 ms. */
  const slow = chapter([
    {
      id: "test.timing.slow",
      title: "an event at 250 ms, due within 100 ms",
      rules: [],
      level: "MUST",
      async run(ctx) {
        await ctx.within(new Promise((r) => setTimeout(r, 250)), { latest: 100, what: "the slow event" });
      },
    },
  ]);

  it("scales every window: late at 1, on time at 3", async () => {
    stub = await startStub();
    const at1 = await runSuite({ url: stub.url, cases: slow });
    expect(at1.cases[0]!.verdict).toBe("fail");
    const at3 = await runSuite({ url: stub.url, cases: slow, timeoutMultiplier: 3 });
    expect(at3.cases[0]!.verdict, at3.cases[0]!.reason).toBe("pass");
  }, 20_000);

  it("scales the waits a case makes, the answer timeout and the watchdog", async () => {
    stub = await startStub();
    const one = await timingOf(stub.url);
    const three = await timingOf(stub.url, { timeoutMultiplier: 3 });
    const rtt = (t: Timing) => Math.ceil(t.rttMs ?? 0);
    expect(three.answer - rtt(three.timing)).toBe(3 * (one.answer - rtt(one.timing)));
    expect(caseWatchdog({ ...T300, multiplier: 3 })).toBe(3 * caseWatchdog(T300));
    expect(window({ ...T300, multiplier: 3 }, 0, 100).to).toBe(300 + 75);
  }, 20_000);
});

describe("--connect-timeout", () => {
  it("parses, and --help says what it does", () => {
    expect(parseTestArgs(["--connect-timeout", "5000"]).connectTimeout).toBe(5000);
    expect(parseTestArgs([]).connectTimeout).toBeUndefined();
    expect(() => parseTestArgs(["--connect-timeout", "0"])).toThrow(/positive integer/);
    expect(testUsage).toMatch(/--connect-timeout <ms> {2,}the longest the runner waits/);
  });

  it("skips at once a case whose event cannot come before the limit, naming the wait", async () => {
    stub = await startStub();
    const cases = chapter([
      {
        id: "test.timing.heartbeat",
        title: "a 25 s ping",
        rules: [],
        level: "MUST",
        timing: "waits",
        run: (ctx) =>
          ctx
            .within(new Promise(() => undefined), { earliest: 25_000, latest: 25_000, what: "the first ping" })
            .then(() => undefined),
      },
      {
        id: "test.timing.pause",
        title: "a long pause",
        rules: [],
        level: "MUST",
        timing: "waits",
        run: (ctx) => ctx.sleep(90_000),
      },
    ]);
    const started = performance.now();
    const report = await runSuite({ url: stub.url, cases, connectTimeout: 1000 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(report.cases.map((c) => c.verdict)).toEqual(["skip", "skip"]);
    expect(report.cases[0]!.reason).toMatch(
      /^would wait 31\d\d\d ms for the first ping, more than --connect-timeout 1000$/,
    );
    expect(report.cases[1]!.reason).toBe("would wait 90000 ms for a pause, more than --connect-timeout 1000");
  }, 20_000);

  it("watches a timer of unknown length up to the limit: judged if it fires by then, skipped if not", async () => {
    stub = await startStub();
    // Unref'd: the never-firing one must not keep the test process alive.
    const resolveAfter = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
    const cases = chapter([
      {
        id: "test.timing.soon",
        title: "fires at 100 ms",
        rules: [],
        level: "MUST",
        run: (ctx) => ctx.within(resolveAfter(100), { latest: 45_000, what: "the close" }).then(() => undefined),
      },
      {
        id: "test.timing.never",
        title: "never fires",
        rules: [],
        level: "MUST",
        run: (ctx) =>
          ctx.within((left) => resolveAfter(left + 1000), { latest: 45_000, what: "the close" }).then(() => undefined),
      },
      {
        id: "test.timing.short",
        title: "a window under the limit",
        rules: [],
        level: "MUST",
        run: (ctx) => ctx.within(resolveAfter(5000), { latest: 100, what: "the noop" }).then(() => undefined),
      },
    ]);
    const started = performance.now();
    const report = await runSuite({ url: stub.url, cases, connectTimeout: 400 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(report.cases.map((c) => c.verdict)).toEqual(["pass", "skip", "fail"]);
    expect(report.cases[1]!.reason).toMatch(/^would wait 5\d\d\d\d ms for the close, more than --connect-timeout 400$/);
    // The skip came at the limit, not at the window's end.
    expect(report.cases[1]!.durationMs).toBeLessThan(1500);
  }, 20_000);
});

describe("the quiet phase", () => {
  it("waiting cases are quiet when the heartbeat is under a second; tight cases always", () => {
    expect(isQuiet(T300, "waits")).toBe(true);
    expect(isQuiet({ ...T300, pingInterval: 25_000, pingTimeout: 20_000 }, "waits")).toBe(false);
    expect(isQuiet({ ...T300, multiplier: 5 }, "waits")).toBe(false);
    expect(isQuiet({ ...T300, pingInterval: 25_000, pingTimeout: 20_000 }, "tight")).toBe(true);
    expect(isQuiet(T300, "instant")).toBe(false);
    expect(isQuiet(T300, undefined)).toBe(false);
    // Over a slow network the quiet cases wait on answers, not the CPU: a few more run at once.
    expect(quietConcurrency({ ...T300, rttMs: 0.4 })).toBe(QUIET_CONCURRENCY);
    expect(quietConcurrency({ ...T300, rttMs: 50 })).toBe(4);
  });

  /** Cases of each timing that record when they ran. */
  function recorded(spec: Array<[string, CaseTiming, number]>): {
    cases: Case[];
    spans: Map<string, [number, number]>;
  } {
    const spans = new Map<string, [number, number]>();
    const cases = spec.map(([id, timing, ms]) => ({
      id,
      title: id,
      chapter: "test",
      rules: [],
      level: "MUST" as const,
      timing: timing as "instant",
      async run(ctx: CaseContext) {
        const start = performance.now();
        await ctx.sleep(ms);
        spans.set(id, [start, performance.now()]);
      },
    }));
    return { cases, spans };
  }

  const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

  it("tight and quiet waiting cases never overlap the instant pool; tight ones run two at a time", async () => {
    stub = await startStub(); // its handshake says 300/200: waiting cases are quiet
    const spec: Array<[string, CaseTiming, number]> = [
      ...Array.from({ length: 6 }, (_, i) => [`pool.${i}`, "instant", 80] as [string, CaseTiming, number]),
      ...Array.from({ length: 5 }, (_, i) => [`tight.${i}`, "tight", 60] as [string, CaseTiming, number]),
      ["waits.0", "waits", 200],
      ["waits.1", "waits", 250],
    ];
    const { cases, spans } = recorded(spec);
    const report = await runSuite({ url: stub.url, cases, concurrency: 3 });
    expect(report.summary.pass).toBe(spec.length);
    const of = (prefix: string) => [...spans].filter(([id]) => id.startsWith(prefix)).map(([, s]) => s);
    for (const quiet of [...of("tight."), ...of("waits.")])
      for (const busy of of("pool.")) expect(overlaps(quiet, busy)).toBe(false);
    // At any moment, at most QUIET_CONCURRENCY tight cases run.
    for (const [start] of of("tight."))
      expect(of("tight.").filter((s) => s[0] <= start && start < s[1]).length).toBeLessThanOrEqual(QUIET_CONCURRENCY);
    // The quiet waiting cases run at once, beside the tight ones: the phase lasts about the longest wait.
    const [w0, w1] = of("waits.");
    expect(overlaps(w0!, w1!)).toBe(true);
  }, 20_000);

  it("waiting cases with wide windows start at once beside the pool, and results keep the cases' order", async () => {
    const { cases, spans } = recorded([
      ["pool.0", "instant", 100],
      ["wide.0", "waits", 150],
      ["tight.0", "tight", 20],
      ["pool.1", "instant", 100],
    ]);
    const done: string[] = [];
    const results = await schedule(
      cases,
      { concurrency: 2, quiet: (c) => c.timing === ("tight" as string) },
      async (c) => {
        const { CaseContext } = await import("../../conformance/runner/context.js");
        const ctx = new CaseContext(
          { url: "http://127.0.0.1:9", path: "/socket.io/", enginePath: null },
          T300,
          { pingInterval: 300, pingTimeout: 200 },
          new Set(),
          new AbortController().signal,
        );
        await c.run(ctx).finally(() => ctx.dispose());
        return {
          id: c.id,
          title: c.title,
          chapter: c.chapter,
          rules: [],
          level: c.level,
          verdict: "pass",
          durationMs: 0,
          transcript: [],
        } as CaseResult;
      },
      (r) => void done.push(r.id),
    );
    expect(results.map((r) => r.id)).toEqual(["pool.0", "wide.0", "tight.0", "pool.1"]);
    expect(overlaps(spans.get("wide.0")!, spans.get("pool.0")!)).toBe(true);
    expect(spans.get("tight.0")![0]).toBeGreaterThanOrEqual(Math.max(spans.get("pool.0")![1], spans.get("pool.1")![1]));
    expect(done).toHaveLength(4);
  }, 20_000);
});

describe("eio4.upgrade.timeout", () => {
  const only = ["eio4.upgrade.timeout"];

  it("reports the observed timeout as info when --upgrade-timeout is not given", async () => {
    embedded = await startEmbeddedServer(); // upgradeTimeout 1000
    const report = await runSuite({ url: embedded.url, only });
    const c = report.cases[0]!;
    expect(c.verdict, c.reason).toBe("info");
    expect(c.reason).toMatch(
      /^probe closed \d+(\.\d)? ms after it opened \(the server's upgradeTimeout, observed; --upgrade-timeout not given, so not judged\)$/,
    );
  }, 30_000);

  it("judges against --upgrade-timeout when given: on time it reports the value, against a wrong value it fails", async () => {
    embedded = await startEmbeddedServer();
    const right = (await runSuite({ url: embedded.url, only, upgradeTimeout: 1000 })).cases[0]!;
    expect(right.verdict, right.reason).toBe("info");
    expect(right.reason).toMatch(/\(upgradeTimeout 1000 ms\)$/);
    const wrong = (await runSuite({ url: embedded.url, only, upgradeTimeout: 3000 })).cases[0]!;
    // Judged: a fail, softened to a warning while the rule is a SHOULD.
    expect(["fail", "warn"]).toContain(wrong.verdict);
    expect(wrong.reason).toMatch(/came too early/);
  }, 30_000);
});

describe("the test layout", () => {
  /** Every test file under test/, as `test/…/x.test.ts`. */
  function testFiles(dir = "test"): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
    );
  }
  const timing = TIMING.map((glob) => new RegExp(`^${glob.replace(/[.]/g, "\\.").replace(/\*/g, "[^/]*")}$`));

  it("puts every test file that runs the suite or bounds an elapsed time from above in the timing project", () => {
    // A lower bound (at least 140 ms passed) holds on any machine; an upper bound does not.
    const measures = /\b(runSuite|runFullSuite|runKillMatrix)\(|now\(\) - \w+\)\.toBeLessThan/;
    const measuring = testFiles().filter((f) => measures.test(readFileSync(f, "utf8")));
    expect(measuring.length).toBeGreaterThan(10);
    expect(measuring.filter((f) => !timing.some((r) => r.test(f)))).toEqual([]);
  });
});
