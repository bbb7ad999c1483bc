/**
 * A whole run: probe the server, select the cases, schedule them under a run deadline, apply
 * the expectations, and hand every result to the reporters.
 */
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { CaseOutcome, type Case } from "../case.js";
import type { ConformanceReport, CaseResult } from "../../schemas/generated/conformance/report.js";
import { classify, failsRun, loadExpectations, type ConformanceExpectations } from "../expectations.js";
import { ENGINE_DEFAULTS } from "../../protocol/engine.io/constants.js";
import { selectIds } from "./glob.js";
import { probe, type ProbeResult } from "./probe.js";
import { probeV3 } from "./probe-v3.js";
import { chooseVersions, detectVersions, versionOf, type ProtocolChoice, type ProtocolVersion } from "./versions.js";
import type { CaseEnvironment } from "./run-case.js";
import type { Reporter } from "./reporter.js";
import { runCase } from "./run-case.js";
import { schedule } from "./scheduler.js";
import {
  caseWatchdog,
  isQuiet,
  quietConcurrency,
  runDeadline,
  waitFor,
  type CaseTiming,
  type Timing,
} from "./timing.js";
import { toolVersion } from "./version.js";

/** Options of {@link runSuite}; only `url` is required. */
export interface SuiteOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Socket.IO endpoint (default `/socket.io/`). */
  path?: string;
  /** Bare Engine.IO echo endpoint (default `/engine.io/`); null: the server has none. */
  enginePath?: string | null;
  /** Globs over case IDs (`*` within a segment, `**` across). */
  only?: string[];
  skip?: string[];
  /** A broken SHOULD fails the run. */
  strict?: boolean;
  /** Factor on every protocol deadline (default 1). */
  timeoutMultiplier?: number;
  /** Instant cases run at once (default 8). */
  concurrency?: number;
  /** The expectations, or the path of an expectations file. */
  expectations?: ConformanceExpectations | string;
  /**
   * The server's upgradeTimeout in ms (it is not advertised). Given, the upgrade timeout is
   * judged against it; not given, 10000 (the official default) is assumed for the cases that
   * need a value, and the timeout the server shows is reported as `info`, not judged.
   */
  upgradeTimeout?: number;
  /**
   * --cors: how the server is configured, declared by whoever runs it. The probe can only see
   * CORS headers, so a server that sends them where it should not looks like one configured for
   * CORS and would skip the CORS-off cases; declared `off`, those cases run and judge it.
   */
  cors?: "on" | "off";
  /**
   * Whether the server is configured for connection state recovery, declared by whoever runs it.
   * The probe sees recovery only through the `pid` of a CONNECT reply, so a server configured
   * for it that leaves the pid out (SIO5-RECOVERY-01) would look like one without it and skip
   * the recovery cases; declared `on`, they run and judge it.
   */
  recovery?: "on" | "off";
  /**
   * --connect-timeout: the longest the run waits for any one thing the server does, in ms. A
   * case that would wait longer to reach its verdict (a heartbeat of 25 s, a recovery window) is
   * skipped, with the wait it needed; one watching for a timer of unknown length waits this
   * long and is skipped if nothing came. Default: no limit.
   */
  connectTimeout?: number;
  /** Smallest grace around a timing bound (default 50 ms) and its share of the bound (default 0.25). */
  graceMinMs?: number;
  graceRatio?: number;
  reporters?: Reporter[];
  /** Where file reporters write (default ./sockspec-report); passed to reporters in the plan. */
  outDir?: string;
  /** The cases to choose from (default: every case of the suite). */
  cases?: readonly Case[];
  /** Per-case watchdog override (ms); default derived from the timings. */
  watchdogMs?: number;
  /** Whole-run deadline override (ms); default derived from the timings. */
  runDeadlineMs?: number;
  /**
   * --protocol: the Engine.IO versions to judge (`eio4`, `eio3`, or `all` for both). Default:
   * every version the server speaks, as the run detects first. A version chosen that the server
   * does not speak ends the run with {@link ProtocolNotSpokenError} (exit status 2).
   */
  protocol?: ProtocolChoice;
}

/** The server could not be tested at all: unreachable, or no Engine.IO handshake anywhere. */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
}

/** Exit status for a finished run: 1 when any result counts against it, else 0. */
export function exitStatus(report: ConformanceReport): 0 | 1 {
  return report.cases.some((c) => failsRun(c, report.options.strict)) ? 1 : 0;
}

/**
 * Runs the conformance suite against a server and resolves with the report (it never rejects
 * because a case failed; it rejects with {@link UnreachableError} when nothing can be tested).
 * @example
 * ```ts
 * import { runSuite, exitStatus } from "sockspec/conformance";
 * const report = await runSuite({ url: "http://127.0.0.1:3000", only: ["eio4.handshake.*"] });
 * console.log(report.summary, exitStatus(report));
 * ```
 */
export async function runSuite(options: SuiteOptions): Promise<ConformanceReport> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const config = {
    url: options.url.replace(/\/+$/, ""),
    path: options.path ?? "/socket.io/",
    enginePath: options.enginePath === undefined ? "/engine.io/" : options.enginePath,
  };
  const reportOptions: ConformanceReport["options"] = {
    strict: options.strict ?? false,
    timeoutMultiplier: options.timeoutMultiplier ?? 1,
    concurrency: options.concurrency ?? 8,
    only: options.only ?? [],
    skip: options.skip ?? [],
  };
  const expectations =
    typeof options.expectations === "string" ? await loadExpectations(options.expectations) : options.expectations;
  const reporters = options.reporters ?? [];
  const timing: Timing = {
    pingInterval: ENGINE_DEFAULTS.pingInterval,
    pingTimeout: ENGINE_DEFAULTS.pingTimeout,
    multiplier: reportOptions.timeoutMultiplier,
    graceMinMs: options.graceMinMs ?? 50,
    graceRatio: options.graceRatio ?? 0.25,
    upgradeTimeout: options.upgradeTimeout ?? ENGINE_DEFAULTS.upgradeTimeout,
    upgradeTimeoutAssumed: options.upgradeTimeout === undefined,
    ...(options.connectTimeout !== undefined ? { maxWaitMs: options.connectTimeout } : {}),
  };

  const runAbort = new AbortController();
  // Every running case listens to the run's deadline: one listener per case, by design.
  setMaxListeners(0, runAbort.signal);
  const { spoken, answers } = await detectVersions(config, waitFor(timing, 5000), runAbort.signal);
  const versions = chooseVersions(options.protocol, spoken, config.url);
  const probed: ProbeResult = versions.includes("eio4")
    ? await probe(config, timing, runAbort.signal, answers)
    : await probeV3(config, timing, runAbort.signal);
  if (probed.unreachable || !probed.handshake)
    throw new UnreachableError(probed.unreachable ?? "the server gave no handshake");
  timing.pingInterval = probed.handshake.pingInterval;
  timing.pingTimeout = probed.handshake.pingTimeout;
  if (probed.rttMs !== undefined) timing.rttMs = probed.rttMs;
  // With both versions, the version 3 cases get a probe (and timings) of their own.
  const probedV3 =
    versions.includes("eio3") && versions.includes("eio4")
      ? await probeV3(config, timing, runAbort.signal, probed.rttMs)
      : undefined;
  if (probedV3?.unreachable) throw new UnreachableError(probedV3.unreachable);
  const index = await import("../cases/index.js");
  const pool = options.cases ?? index.allCases;
  const all = pool.filter((c) => versions.includes(versionOf(c.id)));
  const selected = selectIds(all, reportOptions.only, reportOptions.skip);
  if (options.cors === "off") {
    probed.features.delete("cors");
    probed.missing.set("cors", "declared off (--cors off)");
  } else if (options.cors === "on") {
    probed.features.add("cors");
    probed.missing.delete("cors");
  }
  if (options.recovery === "on") {
    probed.features.add("recovery");
    probed.missing.delete("recovery");
  }

  for (const r of reporters) {
    await r.onStart?.({
      cases: selected.map((c) => ({
        id: c.id,
        title: c.title,
        chapter: c.chapter,
        rules: [...c.rules],
        level: c.level,
        timing: c.timing ?? "instant",
      })),
      target: config,
      options: reportOptions,
      outDir: options.outDir ?? "sockspec-report",
    });
  }

  const watchdogMs = options.watchdogMs ?? caseWatchdog(timing);
  const instantCount = selected.filter((c) => c.timing !== "waits").length;
  const runDeadlineMs =
    options.runDeadlineMs ?? runDeadline(timing, watchdogMs, instantCount, reportOptions.concurrency);
  const deadline = setTimeout(() => runAbort.abort(new Error("run deadline")), runDeadlineMs);
  const env: CaseEnvironment = {
    config,
    timing,
    handshake: probed.handshake,
    features: probed.features,
    missing: probed.missing,
    signal: runAbort.signal,
    watchdogMs,
  };
  const envV3: CaseEnvironment | undefined = probedV3?.handshake
    ? {
        ...env,
        timing: {
          ...timing,
          pingInterval: probedV3.handshake.pingInterval,
          pingTimeout: probedV3.handshake.pingTimeout,
        },
        handshake: probedV3.handshake,
        features: probedV3.features,
        missing: probedV3.missing,
      }
    : undefined;
  const envOf = (c: Case): CaseEnvironment => (versionOf(c.id) === "eio3" && envV3 ? envV3 : env);
  let results: CaseResult[];
  // A case abandoned by its watchdog, or one that failed before it awaited a request it had
  // started, can leave a rejection that nobody awaits any more. What a server does to the
  // runner's own requests must never end the run, so those rejections are dropped while it runs
  // (only the runner's own outcomes: anything else still surfaces).
  const dropStray = (reason: unknown) => {
    if (!(reason instanceof CaseOutcome)) throw reason;
  };
  process.on("unhandledRejection", dropStray);
  try {
    const lanes = {
      concurrency: reportOptions.concurrency,
      quiet: (c: Case) => isQuiet(timing, c.timing as CaseTiming | undefined),
      quietConcurrency: quietConcurrency(timing),
    };
    results = await schedule(
      selected,
      lanes,
      async (c) => classify(await runCase(c, envOf(c)), expectations),
      async (r) => {
        for (const rep of reporters) await rep.onCaseEnd?.(r);
      },
    );
  } finally {
    clearTimeout(deadline);
    process.off("unhandledRejection", dropStray);
  }

  const summary = summarize(results);
  const hs = probed.handshake;
  const report: ConformanceReport = {
    tool: { name: "sockspec", version: toolVersion() },
    target: config,
    startedAt,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    options: reportOptions,
    observed: {
      pingInterval: hs.pingInterval,
      pingTimeout: hs.pingTimeout,
      ...(hs.maxPayload !== undefined ? { maxPayload: hs.maxPayload } : {}),
      ...(probed.rttMs !== undefined ? { rttMs: probed.rttMs } : {}),
      protocols: protocolsOf(versions, spoken),
    },
    summary,
    cases: results,
  };
  for (const r of reporters) await r.onEnd(report);
  return report;
}

/** The versions the run judged, each with the paths that speak it (report.observed.protocols). */
function protocolsOf(
  versions: readonly ProtocolVersion[],
  spoken: Record<ProtocolVersion, string[]>,
): ConformanceReport["observed"]["protocols"] {
  const out: NonNullable<ConformanceReport["observed"]["protocols"]> = {};
  for (const v of versions) out[v] = spoken[v];
  return out;
}

/** The summary of a report: how many results took each verdict and each expectation. */
export function summarize(results: readonly CaseResult[]): ConformanceReport["summary"] {
  const summary: ConformanceReport["summary"] = {
    total: results.length,
    pass: 0,
    fail: 0,
    warn: 0,
    info: 0,
    skip: 0,
    blocked: 0,
    error: 0,
    knownFailing: 0,
    flaky: 0,
    stale: 0,
  };
  for (const r of results) {
    summary[r.verdict]++;
    if (r.expectation === "known-failing") summary.knownFailing++;
    if (r.expectation === "known-flaky") summary.flaky++;
    if (r.expectation === "stale") summary.stale++;
  }
  return summary;
}
