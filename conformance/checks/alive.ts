/**
 * Shared check, family "alive": the session still serves the client after something that must
 * not end it. That the session is still open is the judgement of the case that calls it — a
 * request refused with a 4xx, or a poll that brings the close packet, fails the case; what it
 * needs on the way (the POST accepted with `ok`, the echo working) is a precondition, so a server
 * whose echo is broken blocks these cases instead of failing them on a rule they do not check.
 */
import { performance } from "node:perf_hooks";
import { fail, show, unmet } from "../case.js";
import { decodeBody, type PollingSession } from "../client/engine.js";
import type { MessagePacket, Polled } from "../client/reading.js";
import { expectEchoWorks } from "./echo.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import { refused } from "./gone.js";

/** The text message the liveness checks send and expect back from the echo server. */
export const ALIVE = "sockspec-alive";

/**
 * Fails unless the session still echoes: a POST of {@link ALIVE} is accepted (not a 4xx: that
 * would mean the session is gone) and echoed back, with no close packet and no refused poll on
 * the way. Pings met while polling are answered.
 */
export async function expectAlive(ctx: CaseContext, session: PollingSession, why: string): Promise<Polled> {
  const post = await session.post([{ type: "message", data: ALIVE }]);
  if (refused(post))
    fail(`the session did not survive ${why}: a POST got ${post.status}`, {
      expected: "200 ok",
      observed: `${post.status} ${post.text.slice(0, 120)}`,
    });
  if (post.status !== 200 || post.text !== "ok")
    unmet(P.postOk, `the POST after ${why} was answered ${post.status} ${JSON.stringify(post.text.slice(0, 60))}`, {
      expected: "200 ok",
      observed: `${post.status} ${post.text.slice(0, 120)}`,
    });
  /** The session is gone: the case's failure, unless a broken echo or a held POST explains it. */
  const gone = async (reason: string, observed: string): Promise<never> => {
    session.blameHeldPosts(ctx.handshake.pingInterval, reason);
    await expectEchoWorks(ctx, "polling", reason);
    fail(reason, { expected: `the echo of ${ALIVE}`, observed });
  };
  const out: Polled = { messages: [], packets: [], responses: [] };
  const deadline = performance.now() + ctx.answerTimeoutMs * 2;
  for (let polls = 0; !out.messages.some((m) => m.data === ALIVE); polls++) {
    if (polls > 50 || performance.now() > deadline)
      unmet(P.pollingEcho, `the echo of ${ALIVE} after ${why} did not arrive`, {
        expected: ALIVE,
        observed: show(out.messages.map((m) => m.data)),
      });
    const res = await ctx.http.request({ path: ctx.engine.options.path, query: session.query() });
    out.responses.push(res);
    if (refused(res))
      await gone(
        `the session did not survive ${why}: a poll got ${res.status}`,
        `${res.status} ${res.text.slice(0, 120)}`,
      );
    if (res.status !== 200)
      unmet(P.pollAnswered, `a poll after ${why} got ${res.status}`, {
        expected: "200",
        observed: `${res.status} ${res.text.slice(0, 120)}`,
      });
    const packets = decodeBody(res);
    out.packets.push(...packets);
    out.messages.push(...packets.filter((p): p is MessagePacket => p.type === "message"));
    if (packets.some((p) => p.type === "close"))
      await gone(`the session did not survive ${why}: a poll brought the close packet`, show(res.text.slice(0, 200)));
    if (packets.some((p) => p.type === "ping")) await session.post("3");
  }
  return out;
}
