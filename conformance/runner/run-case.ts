/**
 * Runs one case: skip it if the server lacks a feature it needs, otherwise give it a fresh
 * context, race it against its watchdog, close everything it opened, and turn what happened
 * into a verdict.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, type Case, type Feature, type Verdict } from "../case.js";
import type { CaseResult } from "../../schemas/generated/conformance/report.js";
import { CaseContext, type ObservedHandshake, type RecordedOutcome, type TargetConfig } from "./context.js";
import { caseWatchdog, waitFor, type Timing } from "./timing.js";

/** Everything a case needs from the run. */
export interface CaseEnvironment {
  config: TargetConfig;
  timing: Timing;
  handshake: ObservedHandshake;
  features: ReadonlySet<Feature>;
  /** Why each absent feature is absent. */
  missing: ReadonlyMap<Feature, string>;
  /** Aborted when the whole run is cut short. */
  signal: AbortSignal;
  /** Override of the per-case watchdog (ms), for tests. */
  watchdogMs?: number;
}

/**
 * Which outcome wins when a case records several. `blocked` outranks a warning recorded on the
 * way (the case never got to finish) but not a failure of its own rule recorded before the
 * precondition broke.
 */
const SEVERITY: Record<Verdict, number> = { pass: 0, info: 1, warn: 2, blocked: 3, fail: 4, error: 5, skip: 6 };

/** What decides a verdict about a case: its identity and what it checks. */
type Judged = Pick<Case, "id" | "rules" | "level">;

/**
 * A broken precondition is the case's own failure when the case checks that rule (or is the case
 * named as checking it); for any other case it is `blocked`, pointing at the case that checks it.
 */
function ownsPrecondition(c: Judged, outcome: CaseOutcome): boolean {
  const p = outcome.precondition!;
  return c.id === p.checkedBy || c.rules.includes(p.rule);
}

/** Marks a watchdog stop, which is the harness giving up, not the server failing a rule. */
class WatchdogError extends Error {}

/** The verdict of a case from what it threw (if anything) and what it recorded on the way. */
export function decideVerdict(
  c: Judged,
  thrown: unknown,
  recorded: readonly RecordedOutcome[],
): Pick<CaseResult, "verdict" | "reason" | "expected" | "observed" | "blockedBy"> {
  const soften = (v: Verdict): Verdict => (v === "fail" && c.level !== "MUST" ? "warn" : v);
  type Candidate = {
    verdict: Verdict;
    reason?: string;
    expected?: string;
    observed?: string;
    blockedBy?: CaseResult["blockedBy"];
  };
  const candidates: Candidate[] = recorded.map((r) => ({
    verdict: soften(r.verdict),
    reason: r.reason,
    ...r.details,
  }));
  if (
    thrown instanceof CaseOutcome &&
    thrown.precondition &&
    thrown.verdict === "fail" &&
    !ownsPrecondition(c, thrown)
  ) {
    const { rule, checkedBy } = thrown.precondition;
    candidates.push({
      verdict: "blocked",
      reason: `blocked: ${thrown.reason} — see ${checkedBy} (${rule})`,
      ...thrown.details,
      blockedBy: { case: checkedBy, rule },
    });
  } else if (thrown instanceof CaseOutcome)
    candidates.push({ verdict: soften(thrown.verdict), reason: thrown.reason, ...thrown.details });
  else if (thrown !== undefined)
    candidates.push({ verdict: "error", reason: thrown instanceof Error ? thrown.message : String(thrown) });
  let worst: (typeof candidates)[number] = { verdict: "pass" };
  for (const c of candidates) if (SEVERITY[c.verdict] > SEVERITY[worst.verdict]) worst = c;
  const out: Pick<CaseResult, "verdict" | "reason" | "expected" | "observed" | "blockedBy"> = {
    verdict: worst.verdict,
  };
  if (worst.reason !== undefined) out.reason = worst.reason;
  if (worst.blockedBy) out.blockedBy = worst.blockedBy;
  if (worst.verdict === "fail" || worst.verdict === "warn" || worst.verdict === "blocked") {
    if (worst.expected !== undefined) out.expected = worst.expected;
    if (worst.observed !== undefined) out.observed = worst.observed;
  }
  return out;
}

/** Runs one case to its result; never throws. */
export async function runCase(c: Case, env: CaseEnvironment): Promise<CaseResult> {
  const base = { id: c.id, title: c.title, chapter: c.chapter, rules: [...c.rules], level: c.level };
  const absent = (c.requires ?? []).filter((f) => !env.features.has(f));
  if (absent.length > 0) {
    const why = absent.map((f) => `${f}: ${env.missing.get(f) ?? "not offered"}`).join("; ");
    return { ...base, verdict: "skip", reason: `the server does not offer ${why}`, durationMs: 0, transcript: [] };
  }
  if (env.signal.aborted)
    return {
      ...base,
      verdict: "error",
      reason: "the run deadline passed before this case started",
      durationMs: 0,
      transcript: [],
    };
  const started = performance.now();
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(new WatchdogError("the run deadline passed while this case ran"));
  env.signal.addEventListener("abort", onRunAbort, { once: true });
  const ctx = new CaseContext(env.config, env.timing, env.handshake, env.features, controller.signal);
  const watchdogMs = env.watchdogMs ?? caseWatchdog(env.timing);
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new WatchdogError(`watchdog: the case did not finish within ${watchdogMs} ms`);
      controller.abort(err);
      reject(err);
    }, watchdogMs);
  });
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true }),
  );
  let thrown: unknown;
  try {
    await Promise.race([c.run(ctx), watchdog, aborted]);
  } catch (err) {
    thrown = err;
  } finally {
    clearTimeout(timer);
    env.signal.removeEventListener("abort", onRunAbort);
  }
  // A case stopped by its watchdog may still be running: the result keeps a copy of the transcript.
  if (thrown instanceof WatchdogError) ctx.note(thrown.message);
  // Closing must not hang either: a server that never lets go gets one second.
  await Promise.race([ctx.dispose(), new Promise((r) => setTimeout(r, waitFor(env.timing, 1000)).unref())]);
  const verdict = decideVerdict(c, thrown, ctx.recorded);
  return {
    ...base,
    ...verdict,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    transcript: [...ctx.transcript.events],
  };
}
