/**
 * Runs typedoc on the staged pages and the API entry points, the way its own CLI does, with the
 * options of typedoc.json plus what only the build knows (where the pages were staged, the
 * site's URL). Warnings are errors (typedoc.json sets treatWarningsAsErrors): a broken link, a
 * missing anchor or an undocumented export fails the build at the step that found it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  Application,
  PackageJsonReader,
  TSConfigReader,
  TypeDocReader,
  type Logger,
  type TypeDocOptions,
} from "typedoc";
import { installSite } from "./typedoc-site.js";

/** What the build tells typedoc beyond typedoc.json. */
export interface TypedocRun {
  root: string;
  /** Where the generated Markdown is (readme: `index.md`; documents: `documents`). */
  staging: string;
  /** Staging paths of the top-level documents, in sidebar order. */
  documents: readonly string[];
  /** Output folder (default: typedoc.json's `out`). */
  out?: string;
  /** Options from the command line that override typedoc.json (site URL, source links). */
  overrides?: Partial<TypeDocOptions>;
  /**
   * The typedoc options file (default typedoc.json at the root). A file that `extends` it is
   * how a test swaps the tsconfig: typedoc reads the tsconfig named in the file, before any
   * option given here applies.
   */
  config?: string;
  /** Where typedoc's messages go after the options are read (default: its console logger). */
  logger?: Logger;
}

/** The outcome: `ok` is false when typedoc reported an error (or a warning, as an error). */
export interface TypedocResult {
  ok: boolean;
  out: string;
  /** Where it stopped when not ok. */
  failedAt?: "options" | "convert" | "validate" | "render";
}

/** Converts, validates and renders; never throws for a documentation problem, reports it. */
export async function runTypedoc(run: TypedocRun): Promise<TypedocResult> {
  const pkg = JSON.parse(readFileSync(join(run.root, "package.json"), "utf8")) as {
    name: string;
    exports?: Record<string, unknown>;
  };
  const app = await Application.bootstrapWithPlugins(
    {
      options: run.config ?? join(run.root, "typedoc.json"),
      readme: join(run.staging, "index.md"),
      projectDocuments: run.documents.map((d) => join(run.staging, d)),
      ...(run.out ? { out: run.out } : {}),
      ...run.overrides,
    },
    [new TypeDocReader(), new PackageJsonReader(), new TSConfigReader()],
  );
  const out = app.options.getValue("out");
  const asErrors = app.options.getValue("treatWarningsAsErrors");
  if (app.logger.hasErrors() || (asErrors && app.logger.hasWarnings())) return { ok: false, out, failedAt: "options" };
  if (run.logger) app.logger = run.logger;
  const logger = app.logger;
  // The same checks, in the same order, as typedoc's own CLI.
  const failed = () => logger.hasErrors() || (asErrors && logger.hasWarnings());
  installSite(app, pkg);
  const project = await app.convert();
  if (!project || failed()) return summary({ ok: false, out, failedAt: "convert" });
  const before = logger.warningCount;
  app.validate(project);
  const validationWarnings = logger.warningCount !== before || logger.validationWarningCount !== 0;
  if (
    logger.hasErrors() ||
    (validationWarnings && (asErrors || app.options.getValue("treatValidationWarningsAsErrors")))
  )
    return summary({ ok: false, out, failedAt: "validate" });
  await app.generateOutputs(project);
  if (failed()) return summary({ ok: false, out, failedAt: "render" });
  return summary({ ok: true, out });

  function summary(result: TypedocResult): TypedocResult {
    if (logger.errorCount || logger.warningCount)
      logger.info(
        `typedoc: ${logger.errorCount} errors and ${logger.warningCount} warnings${asErrors ? " (warnings count as errors)" : ""}`,
      );
    return result;
  }
}
