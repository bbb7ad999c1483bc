/**
 * The expectations file an implementer keeps in their own repository (see
 * schemas/conformance/expectations.json): cases known to fail and cases known to be flaky.
 * A known-failing case that passes fails the run as stale, so the list cannot rot.
 */
import { readFile } from "node:fs/promises";
import { describeErrors, validator } from "../protocol/validators.js";
import type { ConformanceExpectations } from "../schemas/generated/conformance/expectations.js";
import type { CaseResult } from "../schemas/generated/conformance/report.js";
import { globToRegExp } from "./runner/glob.js";

export type { ConformanceExpectations };

/** Thrown for an expectations file that cannot be read or does not fit its schema. */
export class ExpectationsError extends Error {
  override readonly name = "ExpectationsError";
}

/** Validates parsed JSON as an expectations object. */
export function parseExpectations(value: unknown, source = "expectations"): ConformanceExpectations {
  const validate = validator<ConformanceExpectations>("conformance/expectations.json");
  if (!validate(value)) throw new ExpectationsError(`${source}: ${describeErrors(validate.errors)}`);
  return value;
}

/** Reads and validates an expectations file. */
export async function loadExpectations(file: string): Promise<ConformanceExpectations> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new ExpectationsError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ExpectationsError(`${file} is not JSON: ${(err as Error).message}`);
  }
  return parseExpectations(value, file);
}

/** True when a result counts against the run by itself (before expectations). */
export function isFailure(verdict: CaseResult["verdict"], strict: boolean): boolean {
  return verdict === "fail" || verdict === "error" || (strict && verdict === "warn");
}

/** Verdicts that show a listed known-failing case still falls short, in either mode. */
const STILL_FAILING: ReadonlySet<CaseResult["verdict"]> = new Set(["fail", "warn", "error"]);
/** Verdicts that show a listed known-failing case now conforms, so its entry is stale. */
const NOW_PASSING: ReadonlySet<CaseResult["verdict"]> = new Set(["pass", "info"]);

/**
 * Sets `expectation` on a result from the expectations: `known-flaky` if listed as flaky;
 * `known-failing` if listed as failing and it still falls short — a fail, or a warn (one file
 * serves runs with and without --strict: a broken SHOULD is a warn in one and a fail in the
 * other); `stale` only if listed as failing and it passed. Skipped and blocked cases are left
 * alone: they did not judge their rule.
 */
export function classify(result: CaseResult, expectations: ConformanceExpectations | undefined): CaseResult {
  if (!expectations) return result;
  const listed = (entries: ConformanceExpectations["knownFailing"]) =>
    (entries ?? []).some((e) => globToRegExp(e.id).test(result.id));
  if (listed(expectations.knownFlaky)) return { ...result, expectation: "known-flaky" };
  if (listed(expectations.knownFailing)) {
    if (STILL_FAILING.has(result.verdict)) return { ...result, expectation: "known-failing" };
    if (NOW_PASSING.has(result.verdict)) return { ...result, expectation: "stale" };
  }
  return result;
}

/** True when a classified result makes the run fail (exit status 1). */
export function failsRun(result: CaseResult, strict: boolean): boolean {
  if (result.expectation === "known-flaky" || result.expectation === "known-failing") return false;
  if (result.expectation === "stale") return true;
  return isFailure(result.verdict, strict);
}
