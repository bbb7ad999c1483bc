/** The report types every reporter reads (generated from schemas/conformance/report.json). */
export type {
  CaseResult,
  ConformanceReport,
  TranscriptEvent,
  Verdict,
} from "../../schemas/generated/conformance/report.js";
export type { Reporter, ReporterOptions, RunPlan, PlannedCase } from "../runner/reporter.js";
