/**
 * Shared check, family "alive": the session still serves the client after something that must
 * not end it. That the session is still open is the judgement of the case that calls it; what
 * it needs on the way (the POST accepted, the echo working) is a precondition, so a server whose
 * echo is broken blocks these cases instead of failing them on a rule they do not check.
 */
import { fail, needs } from "../case.js";
import type { PollingSession } from "../client/engine.js";
import { pollUntil, type Polled } from "../client/reading.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";

/** The text message the liveness checks send and expect back from the echo server. */
export const ALIVE = "sockspec-alive";

/**
 * Fails unless the session still echoes: a POST of {@link ALIVE} is accepted (not a 4xx: that
 * would mean the session is gone) and echoed back.
 */
export async function expectAlive(ctx: CaseContext, session: PollingSession, why: string): Promise<Polled> {
  const post = await session.post([{ type: "message", data: ALIVE }]);
  if (post.status >= 400 && post.status < 500) fail(`the session did not survive ${why}: a POST got ${post.status}`, { expected: "200 ok", observed: `${post.status} ${post.text.slice(0, 120)}` });
  if (post.status !== 200 || post.text !== "ok") return needs(P.postOk, async () => fail(`the POST after ${why} was answered ${post.status} ${JSON.stringify(post.text.slice(0, 60))}`, { expected: "200 ok", observed: `${post.status} ${post.text.slice(0, 120)}` }));
  return needs(P.pollingEcho, () => pollUntil(ctx, session, (m) => m.some((p) => p.data === ALIVE), `the echo of ${ALIVE} after ${why}`));
}
