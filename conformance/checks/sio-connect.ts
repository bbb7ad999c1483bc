/**
 * Judging the answer to a CONNECT, for the cases whose own rule it is: the reply on the
 * namespace as the client wrote it with a non-empty string `sid` (SIO5-CONNECT-03), no other key
 * but `pid` with recovery (SIO5-CONNECT-13, a warning), the reply before the application's first
 * event (SIO5-CONNECT-07, a warning), and the auth object handed over unchanged (SIO5-CONNECT-06;
 * `{}` rather than null for a CONNECT without payload is SIO5-CONNECT-15, a warning).
 */
import { fail, needs, show, unmet, type OutcomeDetails, type Precondition } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import { eventName, type SocketIOSession } from "../client/socketio.js";
import { argsOf, expectIntactText, join, sameArgs, sendFirst } from "../client/socketio-steps.js";
import { sameJson, type Received } from "../client/socketio-text.js";

/** The parts of a CONNECT reply the cases use. */
export interface Reply {
  sid: string;
  pid?: string;
  received: Received;
}

/** The expected start of a packet of type `type` on `nsp`: `40`, `40/custom,`. */
export function headOf(type: number, nsp: string): string {
  return `4${type}${nsp === "/" ? "" : `${nsp},`}`;
}

/** How the reply and the auth event are judged. */
export interface ReplyCheck {
  /** Warn about keys besides `sid` (and `pid` with recovery): SIO5-CONNECT-13. */
  keys?: boolean;
  /** Warn when the auth event comes before the reply: SIO5-CONNECT-07 (default true). */
  order?: boolean;
  /** A reply of the wrong shape breaks this precondition instead of failing the case. */
  reply?: Precondition;
  /** Other auth arguments break this precondition instead of failing the case. */
  auth?: Precondition;
}

/** Takes the answer to a CONNECT for `nsp` (a CONNECT or CONNECT_ERROR on it), unjudged. */
export function takeAnswer(s: SocketIOSession, nsp: string, what = `the answer to CONNECT ${nsp}`): Promise<Received> {
  return s.nextPacket((r) => (r.text.type === 0 || r.text.type === 4) && r.text.nsp === nsp, { what, nsp });
}

/**
 * Judges a CONNECT reply: `40<nsp,>{"sid":"..."}` with a non-empty string sid (fails otherwise).
 * With `keys`, a key besides `sid` (and `pid` when the server offers recovery) is a warning
 * (SIO5-CONNECT-13).
 */
export function judgeReply(ctx: CaseContext, r: Received, nsp: string, options: ReplyCheck = {}): Reply {
  const expected = `${headOf(0, nsp)}{"sid":"..."}`;
  const data = r.text.data as Record<string, unknown> | undefined;
  const shaped = r.text.head === headOf(0, nsp) && typeof data === "object" && data !== null && !Array.isArray(data);
  const sid = shaped ? data.sid : undefined;
  if (typeof sid !== "string" || sid === "" || !shaped) {
    const reason = shaped
      ? "the CONNECT reply has no non-empty string sid"
      : `the answer to CONNECT ${nsp} is ${show(r.text.text)}`;
    const details: OutcomeDetails = { expected, observed: r.text.text };
    if (options.reply) unmet(options.reply, reason, details);
    fail(reason, details);
  }
  if (options.keys) {
    const allowed = ctx.features.has("recovery") ? ["sid", "pid"] : ["sid"];
    const extra = Object.keys(data).filter((k) => !allowed.includes(k));
    if (extra.length)
      ctx.softFail(
        `the CONNECT reply carries the keys ${show(extra)} besides ${allowed.join(" and ")} (SIO5-CONNECT-13)`,
        { expected, observed: r.text.text },
      );
  }
  return { sid, ...(typeof data.pid === "string" ? { pid: data.pid } : {}), received: r };
}

/** Takes and judges the reply to a CONNECT for `nsp` (see {@link judgeReply}). */
export async function expectReply(
  ctx: CaseContext,
  s: SocketIOSession,
  nsp = "/",
  options: ReplyCheck = {},
): Promise<Reply> {
  return judgeReply(ctx, await takeAnswer(s, nsp), nsp, options);
}

/**
 * The reply, then the echo app's `auth` event on `nsp` carrying `auth` (the CONNECT's payload;
 * undefined when it had none). An auth event before the reply is a warning (SIO5-CONNECT-07);
 * other auth arguments fail (SIO5-CONNECT-06), but `null` for a CONNECT without payload only
 * warns (SIO5-CONNECT-15).
 */
export async function expectReplyThenAuth(
  ctx: CaseContext,
  s: SocketIOSession,
  nsp: string,
  auth: Record<string, unknown> | undefined,
  options: ReplyCheck = {},
): Promise<Reply> {
  const isAuth = (r: Received) => eventName(r) === "auth" && r.text.nsp === nsp;
  const first = await s.nextPacket((r) => r.text.nsp === nsp && (r.text.type === 0 || r.text.type === 4 || isAuth(r)), {
    what: `the answer to CONNECT ${nsp}`,
    nsp,
  });
  let event: Received | undefined;
  if (isAuth(first)) {
    if (options.order !== false)
      ctx.softFail(`the auth event came before the CONNECT reply on ${nsp} (SIO5-CONNECT-07)`, {
        expected: `${headOf(0, nsp)}{"sid":"..."} first`,
        observed: first.text.text,
      });
    event = first;
  }
  const reply = judgeReply(ctx, event ? await takeAnswer(s, nsp) : first, nsp, options);
  event ??= await s.nextEvent("auth", nsp, { what: `the auth event on ${nsp}` });
  const args = argsOf(event);
  const sent = auth ?? {};
  if (sameArgs(s, event, args, [sent])) return reply;
  if (auth === undefined && sameArgs(s, event, args, [null])) {
    ctx.softFail("the application got null as the auth of a CONNECT without payload (SIO5-CONNECT-15)", {
      expected: show(["auth", {}]),
      observed: event.text.text,
    });
    return reply;
  }
  const details = { expected: show(["auth", sent]), observed: event.text.text };
  expectIntactText(args?.[0], sent, `the auth event on ${nsp}`, event.text.text);
  if (options.auth) unmet(options.auth, `the auth event on ${nsp} carries ${show(args)}`, details);
  fail(`the auth event on ${nsp} carries ${show(args)}`, details);
}

/** How a refusal is judged. */
export interface RefusalCheck {
  /** The payload must be this value (its keys besides `message` and `data` only warn: SIO5-ERROR-06). */
  payload?: { message: string; data?: unknown };
  /** The payload `{"message":"Invalid namespace"}` is recommended (SIO5-NAMESPACE-09): another one warns. */
  invalidNamespace?: boolean;
  /** A refusal of the wrong shape breaks this precondition instead of failing the case. */
  as?: Precondition;
}

/**
 * Judges a refusal: a CONNECT_ERROR on `nsp` whose payload is an object with a string `message`
 * (SIO5-CONNECT-10, SIO5-ERROR-01), and what `check` asks for besides.
 */
export function judgeRefusal(ctx: CaseContext, r: Received, nsp: string, check: RefusalCheck = {}): void {
  const expected = `${headOf(4, nsp)}{"message":"..."}`;
  const details = { expected, observed: r.text.text };
  const data = r.text.data as { message?: unknown; data?: unknown } | undefined;
  if (
    r.text.head !== headOf(4, nsp) ||
    typeof data !== "object" ||
    data === null ||
    Array.isArray(data) ||
    typeof data.message !== "string"
  ) {
    if (check.as) unmet(check.as, `the answer to CONNECT ${nsp} is ${show(r.text.text)}`, details);
    fail(`the answer to CONNECT ${nsp} is ${show(r.text.text)}`, details);
  }
  if (check.invalidNamespace && r.text.payload !== '{"message":"Invalid namespace"}') {
    ctx.softFail(
      `the refusal of ${nsp} is not exactly ${headOf(4, nsp)}{"message":"Invalid namespace"} (SIO5-NAMESPACE-09)`,
      { expected: `${headOf(4, nsp)}{"message":"Invalid namespace"}`, observed: r.text.text },
    );
  }
  if (check.payload) {
    const want = show(check.payload);
    if (data.message !== check.payload.message || !sameJson(data.data, check.payload.data))
      fail(`the refusal of ${nsp} carries ${show(data)}`, { expected: want, observed: r.text.text });
    const extra = Object.keys(data).filter((k) => k !== "message" && k !== "data");
    if (extra.length)
      ctx.softFail(`the refusal of ${nsp} carries the keys ${show(extra)} besides message and data (SIO5-ERROR-06)`, {
        expected: want,
        observed: r.text.text,
      });
  }
}

/** Takes and judges the answer to a CONNECT for `nsp` as a refusal (see {@link judgeRefusal}). */
export async function expectRefusal(
  ctx: CaseContext,
  s: SocketIOSession,
  nsp: string,
  check: RefusalCheck = {},
): Promise<Received> {
  const r = await takeAnswer(s, nsp);
  judgeRefusal(ctx, r, nsp, check);
  return r;
}

/**
 * Sends a CONNECT for a name the server does not serve and expects it not to be admitted: a
 * CONNECT reply fails the case; an answer that is no well-formed refusal, or none, breaks
 * SIO5-NAMESPACE-02's precondition.
 */
export async function expectNotAdmitted(
  ctx: CaseContext,
  s: SocketIOSession,
  text: string,
  nsp: string,
): Promise<void> {
  await sendFirst(s, text);
  // Any answer counts: a server that reads the name otherwise answers on the name it read.
  const r = await needs(P.refusalAnswered, () =>
    s.nextPacket((r) => r.text.type === 0 || r.text.type === 4, { what: `the answer to ${text}`, nsp }),
  );
  if (r.text.type === 0)
    fail(
      `${text} was admitted${r.text.nsp === nsp ? "" : ` as ${r.text.nsp}`}: ${nsp} is not a namespace the server serves`,
      { expected: `${headOf(4, nsp)}{"message":"..."}`, observed: r.text.text },
    );
  judgeRefusal(ctx, r, nsp, { as: P.refusalAnswered });
}

/**
 * After a refusal the session must still be open and work: it must not have closed, and CONNECT
 * `/` must be admitted (a step).
 */
export async function expectStillOpen(s: SocketIOSession, after: string): Promise<void> {
  try {
    if (!s.ending) await join(s, "/");
  } catch (err) {
    if (!s.ending) throw err;
  }
  if (s.ending)
    fail(`the session closed after ${after}`, { expected: "the session stays open", observed: s.ending.detail });
}
