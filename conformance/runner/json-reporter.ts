/** The JSON reporter: writes the whole report, as schemas/conformance/report.json describes it, to `<out>/report.json`. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Reporter, ReporterOptions } from "./reporter.js";

export function jsonReporter(options: ReporterOptions): Reporter {
  return {
    async onEnd(report) {
      await mkdir(options.outDir, { recursive: true });
      await writeFile(join(options.outDir, "report.json"), JSON.stringify(report, null, 2) + "\n");
    },
  };
}
