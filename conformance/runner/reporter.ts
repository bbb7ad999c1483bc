/**
 * The reporter contract: how the runner tells a reporter (terminal, JSON, JUnit, HTML) what is
 * happening. The runner calls `onStart` once with the plan, `onCaseEnd` as each case finishes
 * (in completion order, which is not the plan's order), and `onEnd` once with the full report.
 * A reporter that writes files does so in `onEnd`; the runner awaits it before it exits.
 */
import type { CaseResult, ConformanceReport } from "../../schemas/generated/conformance/report.js";
import type { CaseTiming } from "./timing.js";

/** One planned case, as a reporter sees it before it runs. */
export interface PlannedCase {
  id: string;
  title: string;
  chapter: string;
  rules: string[];
  level: "MUST" | "SHOULD" | "MAY";
  /** How the case spends time, which decides when it runs (see {@link CaseTiming}). */
  timing: CaseTiming;
}

/** What the runner is about to do. */
export interface RunPlan {
  /** The cases that will run, in plan order (after --only/--skip filtering). */
  cases: PlannedCase[];
  target: ConformanceReport["target"];
  options: ConformanceReport["options"];
  /** Where file reporters write (the --out directory). */
  outDir: string;
}

/** Options every reporter factory receives. */
export interface ReporterOptions {
  /** Directory for report files (created by the reporter if needed). */
  outDir: string;
  /** Stream for human output (the terminal reporter); defaults to process.stdout. */
  stream?: NodeJS.WritableStream;
}

/**
 * A reporter. Every method may be sync or async; the runner awaits each one, and an error
 * thrown by a reporter is reported on stderr and turns the exit status into 2.
 */
export interface Reporter {
  onStart?(plan: RunPlan): Promise<void> | void;
  onCaseEnd?(result: CaseResult): Promise<void> | void;
  onEnd(report: ConformanceReport): Promise<void> | void;
}

/** Makes a reporter from its options (the shape each module in conformance/reporters/ exports). */
export type ReporterFactory = (options: ReporterOptions) => Reporter;
