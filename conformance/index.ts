/**
 * The conformance suite as a library: run it from your own tests or tools.
 * @example
 * ```ts
 * import { runSuite, exitStatus } from "sockspec/conformance";
 * const report = await runSuite({ url: "http://127.0.0.1:3000", enginePath: null, only: ["eio4.**"] });
 * if (exitStatus(report) !== 0) console.log(report.cases.filter((c) => c.verdict === "fail"));
 * ```
 */
export { runSuite, exitStatus, UnreachableError, type SuiteOptions } from "./runner/run.js";
export { ProtocolNotSpokenError, type ProtocolChoice, type ProtocolVersion } from "./runner/versions.js";
export { allCases } from "./cases/index.js";
export {
  defineChapter,
  CaseOutcome,
  assert,
  fail,
  skip,
  show,
  canonical,
  FEATURES,
  type Case,
  type CaseDefinition,
  type Feature,
  type Level,
  type Verdict,
  type OutcomeDetails,
} from "./case.js";
export { CaseContext, type TargetConfig, type ObservedHandshake, type AcceptVerdict } from "./runner/context.js";
export type { Reporter, ReporterFactory, ReporterOptions, RunPlan, PlannedCase } from "./runner/reporter.js";
export { jsonReporter } from "./runner/json-reporter.js";
export {
  loadExpectations,
  parseExpectations,
  ExpectationsError,
  type ConformanceExpectations,
} from "./expectations.js";
export { globToRegExp, matchGlob, selectIds } from "./runner/glob.js";
export type { ConformanceReport, CaseResult, TranscriptEvent } from "../schemas/generated/conformance/report.js";
