/**
 * "The whole suite" against one server implementation. A few cases need a feature that a
 * server offers only when configured for it (CORS, connection state recovery) while others
 * need it off (CORS off by default), so one configuration cannot run them all: every case runs
 * against the plain configuration, except those that require such a feature, which run against
 * a second instance with the features on. The two reports are merged into one.
 */
import type { Case, Feature } from "../case.js";
import { allCases } from "../cases/index.js";
import { runSuite, summarize, type SuiteOptions } from "../runner/run.js";
import { versionOf } from "../runner/versions.js";
import type { CaseResult, ConformanceReport } from "../../schemas/generated/conformance/report.js";

/**
 * `plain`: the recommended options (CORS off, no recovery, version 3 refused); `features`: CORS
 * and recovery on; `v3`: version 3 served (allowEIO3), for the eio3.* and sio4.* cases, which a
 * plain server refuses as eio4.handshake.eio3-refused expects.
 */
export type Variant = "plain" | "features" | "v3";

/** A running server under test. */
export interface ServerHandle {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The server's CORS configuration, when the starter knows it (see SuiteOptions.cors). */
  cors?: "on" | "off";
  /** Whether the server is configured for connection state recovery, when the starter knows it (see SuiteOptions.recovery). */
  recovery?: "on" | "off";
  close(): Promise<void>;
}

/** Starts one instance of the implementation under test in the given configuration. */
export type StartServer = (variant: Variant) => Promise<ServerHandle>;

/** Features that only the `features` configuration offers. */
export const CONFIGURED_FEATURES: readonly Feature[] = ["cors", "recovery"];

/** True when a case needs the `features` configuration. */
export function needsFeatures(c: Case): boolean {
  return (c.requires ?? []).some((f) => CONFIGURED_FEATURES.includes(f));
}

/** True when a case is one of the version 3 chapters, which need the `v3` configuration. */
export function needsV3(c: Case): boolean {
  return versionOf(c.id) === "eio3";
}

/** The configuration a case runs against. */
function variantOf(c: Case): Variant {
  return needsV3(c) ? "v3" : needsFeatures(c) ? "features" : "plain";
}

/**
 * Options of {@link runFullSuite}: those of runSuite but the URL; `cases` defaults to the whole
 * suite. `retryInconclusive` (default 0): how many times to re-run, on fresh servers, the cases
 * that ended inconclusive because the runner itself stalled (see {@link isInconclusive}).
 */
export type FullSuiteOptions = Omit<SuiteOptions, "url" | "cases" | "reporters"> & {
  cases?: readonly Case[];
  retryInconclusive?: number;
  /** Told of each case re-run, with the result that made it inconclusive. */
  onRetry?: (result: CaseResult) => void;
};

/**
 * True for a result the harness could not judge because the runner process itself stalled
 * (a loaded machine): the timing chapters report it as `error` with this reason. It says
 * nothing about the server, so a re-run is the fair answer.
 */
export function isInconclusive(r: CaseResult): boolean {
  return r.verdict === "error" && (r.reason ?? "").startsWith("the runner itself stalled");
}

/**
 * Runs the selected cases (default: all), each against the configuration its {@link Variant}
 * names (`start(variant)`, once per configuration that has cases, every server closed before it
 * returns). The merged report keeps the cases in suite order; `durationMs` is the sum of all
 * runs. With `retryInconclusive`, cases the runner could not judge are run again and their new
 * result kept.
 */
export async function runFullSuite(start: StartServer, options: FullSuiteOptions = {}): Promise<ConformanceReport> {
  const { retryInconclusive = 0, onRetry, ...rest } = options;
  let report = await runOnce(start, rest);
  for (let attempt = 0; attempt < retryInconclusive; attempt++) {
    const again = report.cases.filter(isInconclusive);
    if (again.length === 0) break;
    for (const r of again) onRetry?.(r);
    const ids = new Set(again.map((r) => r.id));
    const all = rest.cases ?? allCases;
    const retried = await runOnce(start, { ...rest, cases: all.filter((c) => ids.has(c.id)) });
    const byId = new Map(retried.cases.map((r) => [r.id, r]));
    report = withCases(
      report,
      report.cases.map((r) => byId.get(r.id) ?? r),
      report.durationMs + retried.durationMs,
    );
  }
  return report;
}

async function runOnce(
  start: StartServer,
  options: Omit<FullSuiteOptions, "retryInconclusive" | "onRetry">,
): Promise<ConformanceReport> {
  const cases = options.cases ?? allCases;
  const runOn = async (variant: Variant, selected: readonly Case[]) => {
    const server = await start(variant);
    try {
      // A starter that knows its server's CORS configuration declares it rather than let the
      // probe guess: a server that leaks CORS headers is then judged by the CORS-off cases.
      return await runSuite({
        ...(server.cors ? { cors: server.cors } : {}),
        ...(server.recovery ? { recovery: server.recovery } : {}),
        ...options,
        url: server.url,
        cases: selected,
      });
    } finally {
      await server.close();
    }
  };
  const reports: ConformanceReport[] = [];
  for (const variant of ["plain", "features", "v3"] as const) {
    const selected = cases.filter((c) => variantOf(c) === variant);
    if (selected.length > 0) reports.push(await runOn(variant, selected));
  }
  // No case at all: the plain run alone says what the server is (an empty report).
  if (reports.length === 0) return runOn("plain", []);
  return reports.slice(1).reduce((merged, next) => mergeReports(merged, next, cases), reports[0]!);
}

/** One report from two runs of disjoint case sets, in the order of `order`. */
export function mergeReports(a: ConformanceReport, b: ConformanceReport, order: readonly Case[]): ConformanceReport {
  const byId = new Map([...a.cases, ...b.cases].map((r) => [r.id, r]));
  const merged = withCases(
    a,
    order.flatMap((c) => byId.get(c.id) ?? []),
    a.durationMs + b.durationMs,
  );
  // The header says every version judged: the v3 run's protocols join the plain run's.
  const protocols = { ...a.observed.protocols, ...b.observed.protocols };
  return { ...merged, observed: { ...merged.observed, protocols } };
}

/** `base` with other results, the summary counted again. */
function withCases(base: ConformanceReport, results: CaseResult[], durationMs: number): ConformanceReport {
  const summary = summarize(results);
  return { ...base, durationMs: Math.round(durationMs * 10) / 10, summary, cases: results };
}
