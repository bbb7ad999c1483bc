/**
 * The case API: a conformance case is data (what it checks, at which level, what it needs) plus
 * one async function that drives the server through a {@link CaseContext}.
 *
 * Writing a case, in short:
 * - Put it in the file of its spec chapter (`conformance/cases/engine.io-v4/upgrade.ts` for
 *   chapter UPGRADE), in the array that file exports through {@link defineChapter}; a new file
 *   gets one import line in `conformance/cases/index.ts`.
 * - `id` is `<eio4|sio5|eio3|sio4|ops>.<chapter>.<what>`, lower case, never reused. `rules` cite
 *   IDs that exist in spec/*.md (a test checks). `level` is the strongest keyword among them.
 * - `requires` names what the server must offer (the probe finds out); without it the case is
 *   skipped with the reason. Set `timing: "waits"` when the case waits on a protocol timer,
 *   `timing: "tight"` when it judges a fixed bound under a second.
 * - Drive the server with `ctx.engine` (Engine.IO: openPolling, openWebSocket, upgrade,
 *   rawWebSocket), `ctx.socketio()` (Socket.IO), `ctx.http` (any request), `ctx.tcp()` (raw
 *   bytes, resets) and `ctx.proxy()` (black-holing). Everything is recorded and closed for you.
 * - Judge with `ctx.equal`, `ctx.deepEqual`, `ctx.match`, `ctx.assert`, `ctx.accept` (several
 *   acceptable outcomes), `ctx.softFail` (a broken SHOULD inside a MUST case), `ctx.info`
 *   (an observed value), `ctx.within` (timing, both bounds), or throw via `fail`/`skip`.
 *   A failure of a SHOULD or MAY case is reported as `warn`; any other exception is `error`.
 * - Derive every wait from the handshake (`ctx.handshake`, `ctx.scale`, `ctx.within`); never
 *   hard-code a time. `ctx.scale(ms)` is ms × --timeout-multiplier plus the measured round trip:
 *   use it for every wait on the server; give bounds to `ctx.within` unscaled.
 * - What the case needs on the way to its rule is a precondition (conformance/preconditions.ts):
 *   the clients raise them; raise your own with `unmet`/`needs`. A broken precondition blocks the
 *   case (pointing at the case that checks it) unless the case cites that rule.
 *
 * @example
 * ```ts
 * import { defineChapter } from "../../case.js";
 *
 * export const handshakeCases = defineChapter("engine.io v4 / handshake", [
 *   {
 *     id: "eio4.handshake.polling-status",
 *     title: "A polling handshake is answered with 200",
 *     rules: ["EIO4-HANDSHAKE-01"],
 *     level: "MUST",
 *     requires: ["polling"],
 *     async run(ctx) {
 *       const res = await ctx.http.request({ query: { EIO: "4", transport: "polling" } });
 *       ctx.equal(res.status, 200, "status of the handshake response");
 *     },
 *   },
 * ]);
 * ```
 */
import type { CaseContext } from "./runner/context.js";
import type { CaseTiming } from "./runner/timing.js";

/**
 * What a case needs the server to offer. The runner probes the server first; a case whose
 * requirement is missing is skipped, with the reason, instead of failing.
 * - `polling`, `websocket`: the Engine.IO transports (at the Socket.IO path or the engine path).
 * - `binary`: binary messages (assumed whenever echo is offered).
 * - `engine-echo`: the bare Engine.IO echo endpoint (--engine-path), see docs/echo-contract.md.
 * - `control`: the control messages of that endpoint (`sockspec:close`, `sockspec:burst:N`).
 * - `socketio`: a Socket.IO endpoint at --path; `socketio-echo`: it runs the echo app.
 * - `cors`: the server answers with CORS headers; `recovery`: connection state recovery;
 *   `private-namespace`: `/private` refuses a CONNECT without the token; `eio3`: Engine.IO v3.
 */
export type Feature =
  | "polling"
  | "websocket"
  | "binary"
  | "engine-echo"
  | "control"
  | "socketio"
  | "socketio-echo"
  | "cors"
  | "recovery"
  | "private-namespace"
  | "eio3";

/** Every feature, in a stable order (for reports and the probe). */
export const FEATURES: readonly Feature[] = [
  "polling",
  "websocket",
  "binary",
  "engine-echo",
  "control",
  "socketio",
  "socketio-echo",
  "cors",
  "recovery",
  "private-namespace",
  "eio3",
];

/** The RFC 2119 level of the rules a case checks. A broken SHOULD case is reported as `warn`. */
export type Level = "MUST" | "SHOULD" | "MAY";

/** The outcome of a case. See {@link CaseOutcome} for how a case produces each. */
export type Verdict = "pass" | "fail" | "warn" | "info" | "skip" | "blocked" | "error";

/**
 * Something a case needs on the way to its own rule (a session opens, a POST is accepted, an echo
 * comes back, a session ends), named by the rule it belongs to and the case that checks that
 * rule. When it does not hold, the case is `blocked` and points there, unless the case itself
 * checks that rule: then it is the case's own failure. So one fault makes the cases of its rule
 * fail and only blocks the rest.
 */
export interface Precondition {
  /** The spec rule the precondition belongs to, e.g. `EIO4-POLLING-05`. */
  rule: string;
  /** The case that checks that rule, e.g. `eio4.polling.post-ok`. */
  checkedBy: string;
}

/**
 * A case as its author writes it. Everything but `run` is data that reports, docs and the
 * `--only`/`--skip` globs read without running anything.
 */
export interface CaseDefinition {
  /** Stable dotted ID: `<protocol>.<chapter>.<name>`, e.g. `eio4.handshake.polling-open`. Never reused. */
  id: string;
  /** One line, in the present tense, saying what the server does when it conforms. */
  title: string;
  /** The spec rule IDs the case checks (they must exist in spec/*.md). */
  rules: string[];
  level: Level;
  /** Features the server must offer; otherwise the case is skipped with the reason. */
  requires?: Feature[];
  /**
   * How the case spends time, which decides when the scheduler runs it (see `CaseTiming` in
   * runner/timing.ts): `instant` (default) in the --concurrency pool; `waits` (on a protocol
   * timer) all at once, in the quiet phase when the run's heartbeat is under a second; `tight`
   * (a fixed bound under a second, e.g. the 100 ms noop) always in the quiet phase, so that no
   * other case shares the CPU while it measures.
   */
  timing?: CaseTiming;
  /** Drives the server. Resolve: pass (or the worst outcome recorded). Throw: see {@link CaseOutcome}. */
  run(ctx: CaseContext): Promise<void>;
}

/** A case with the chapter its file mirrors, as the registry holds it. */
export interface Case extends CaseDefinition {
  /** The spec chapter, e.g. `engine.io v4 / handshake`. */
  chapter: string;
}

/**
 * Stamps the chapter on every case of one file. Each case file exports the result:
 * `export const upgradeCases = defineChapter("engine.io v4 / upgrade", [ ... ])`.
 */
export function defineChapter(chapter: string, cases: CaseDefinition[]): Case[] {
  return cases.map((c) => ({ ...c, chapter }));
}

/** Details that make a failure readable next to its transcript. */
export interface OutcomeDetails {
  /** What the rule demands, e.g. `status 400`. */
  expected?: string;
  /** What the server did, e.g. `status 500`. */
  observed?: string;
}

/**
 * Thrown to end a case with a verdict. Assertion helpers on the context throw it; a case may
 * throw one itself with the helpers below. Any other thrown value makes the verdict `error`
 * (the harness could not finish), never `fail`.
 */
export class CaseOutcome extends Error {
  override readonly name = "CaseOutcome";
  constructor(
    readonly verdict: Exclude<Verdict, "pass">,
    /** One line: why. */
    readonly reason: string,
    readonly details: OutcomeDetails = {},
    /** Set when what failed is a precondition of the case rather than its own rule. */
    readonly precondition?: Precondition,
  ) {
    super(reason);
  }

  /** The same outcome, marked as the failure of a precondition (keeps an existing mark). */
  asPrecondition(precondition: Precondition): CaseOutcome {
    return this.precondition ? this : new CaseOutcome(this.verdict, this.reason, this.details, precondition);
  }
}

/** Ends the case as a failure (a `warn` if the case's level is SHOULD or MAY). */
export function fail(reason: string, details?: OutcomeDetails): never {
  throw new CaseOutcome("fail", reason, details);
}

/**
 * Fails the case unless `condition` holds, and narrows types like any assertion.
 * @example `assert(typeof frame === "string", "the first frame is binary", { observed: show(frame) })`
 */
export function assert(condition: unknown, reason: string, details?: OutcomeDetails): asserts condition {
  if (!condition) fail(reason, details);
}

/**
 * Ends the case because a precondition does not hold: `blocked` (pointing at the case that checks
 * it) unless the case checks that rule itself, in which case it fails.
 * @example `unmet({ rule: "EIO4-POLLING-05", checkedBy: "eio4.polling.post-ok" }, "the POST answer is OK, not ok")`
 */
export function unmet(precondition: Precondition, reason: string, details?: OutcomeDetails): never {
  throw new CaseOutcome("fail", reason, details, precondition);
}

/**
 * Runs `step`, and turns any failure inside it into the failure of `precondition` (see
 * {@link unmet}); other errors pass through unchanged.
 * @example `const session = await needs(OPENS_POLLING, () => ctx.engine.openPolling())`
 */
export async function needs<T>(precondition: Precondition, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw err instanceof CaseOutcome && err.verdict === "fail" ? err.asPrecondition(precondition) : err;
  }
}

/** Ends the case as skipped, e.g. when a probe inside the case shows a feature is absent. */
export function skip(reason: string): never {
  throw new CaseOutcome("skip", reason);
}

/** Bytes on one line: `<3 bytes 010203>` (the first 64 bytes in hex). */
function showBytes(value: ArrayBufferView): string {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return `<${bytes.byteLength} bytes ${bytes.subarray(0, 64).toString("hex")}${bytes.byteLength > 64 ? "…" : ""}>`;
}

/**
 * Renders any observed value on one line for `expected`/`observed`: JSON, with bytes anywhere
 * in it (Uint8Array, Buffer) as `<N bytes hex>`, so equal bytes compare equal whatever their class.
 */
export function show(value: unknown): string {
  const text = canonical(value, 64);
  return text.length > 300 ? text.slice(0, 300) + "…" : text;
}

/**
 * The full one-line form of a value that {@link show} shortens; two values are deep-equal for
 * the suite when their canonical forms are equal (key order counts; bytes compare by content).
 */
export function canonical(value: unknown, maxBytes = Infinity): string {
  const bytes = (v: ArrayBufferView) =>
    maxBytes === Infinity
      ? `<${v.byteLength} bytes ${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")}>`
      : showBytes(v);
  if (ArrayBuffer.isView(value)) return bytes(value);
  if (value === undefined) return "undefined";
  try {
    const text = JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
      const raw = this[key];
      return ArrayBuffer.isView(raw) ? bytes(raw) : v;
    });
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}
