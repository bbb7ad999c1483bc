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

/**
 * Sets `expectation` on a result from the expectations: `known-flaky` if listed as flaky;
 * `known-failing` if listed as failing and it failed; `stale` if listed as failing and it did
 * not fail (skipped cases are left alone: they did not run).
 */
export function classify(result: CaseResult, expectations: ConformanceExpectations | undefined, strict: boolean): CaseResult {
  if (!expectations) return result;
  const listed = (entries: ConformanceExpectations["knownFailing"]) => (entries ?? []).some((e) => globToRegExp(e.id).test(result.id));
  if (listed(expectations.knownFlaky)) return { ...result, expectation: "known-flaky" };
  if (listed(expectations.knownFailing) && result.verdict !== "skip") {
    return { ...result, expectation: isFailure(result.verdict, strict) ? "known-failing" : "stale" };
  }
  return result;
}

/** True when a classified result makes the run fail (exit status 1). */
export function failsRun(result: CaseResult, strict: boolean): boolean {
  if (result.expectation === "known-flaky" || result.expectation === "known-failing") return false;
  if (result.expectation === "stale") return true;
  return isFailure(result.verdict, strict);
}
