/**
 * The plainest terminal reporter: one line per case as it ends, and a summary. It stands in
 * when no richer terminal reporter is available.
 */
import type { Reporter, ReporterOptions } from "./reporter.js";

export function lineReporter(options: ReporterOptions): Reporter {
  const out = options.stream ?? process.stdout;
  return {
    onStart(plan) {
      out.write(`sockspec: ${plan.cases.length} cases against ${plan.target.url}\n`);
    },
    onCaseEnd(r) {
      const tag = r.expectation ? ` [${r.expectation}]` : "";
      out.write(`${r.verdict.toUpperCase().padEnd(5)} ${r.id}${tag}${r.reason ? ` — ${r.reason}` : ""}\n`);
    },
    onEnd(report) {
      const s = report.summary;
      out.write(
        `\n${s.total} cases: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.info} info, ${s.skip} skip, ${s.error} error` +
          (s.knownFailing || s.flaky || s.stale
            ? `; ${s.knownFailing} known failing, ${s.flaky} flaky, ${s.stale} stale`
            : "") +
          ` (${Math.round(report.durationMs)} ms)\n`,
      );
    },
  };
}
