/**
 * Shared check, family "sequence": the messages that crossed one or two transports (across an
 * upgrade, before a close, around a dropped probe) are exactly the expected ones, once each and in
 * order. A failure names the first lost, doubled or misplaced message.
 */
import { fail, show, unmet } from "../case.js";
import { glued } from "../client/messages.js";
import { expectEchoWorks } from "./echo.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";

/**
 * Fails unless `got` is exactly `expected`: names the first lost, doubled or misplaced message,
 * which makes a failure across an upgrade readable. Before it fails, it asks whether the echo
 * itself still works over both transports: a server whose echo garbles every message is blocked
 * on the echo's own case, not failed here.
 * @example `await expectSequence(ctx, got, burstOf(10, "pre"), "the messages over both transports")`
 */
export async function expectSequence(
  ctx: CaseContext,
  got: readonly string[],
  expected: readonly string[],
  what: string,
): Promise<void> {
  if (got.length === expected.length && got.every((m, i) => m === expected[i])) {
    ctx.note(`${what}: all ${got.length} messages, once each, in order`);
    return;
  }
  if (got.some(glued))
    unmet(P.payloadBatches, `${what}: a message holds several packets glued together`, {
      expected: "one message per record",
      observed: show(got.slice(0, 4)),
    });
  const mismatch = `${what}: ${show(got.slice(0, 4))}, expected ${show(expected.slice(0, 4))}`;
  await expectEchoWorks(ctx, "polling", mismatch);
  if (ctx.features.has("websocket")) await expectEchoWorks(ctx, "websocket", mismatch);
  const i = got.findIndex((m, k) => m !== expected[k]);
  const at = i === -1 ? Math.min(got.length, expected.length) : i;
  const lost = expected.length - got.length;
  fail(
    `${what}: ${got.length} messages instead of ${expected.length}${lost > 0 ? ` (${lost} lost)` : lost < 0 ? ` (${-lost} extra)` : ""}; first difference at #${at + 1}`,
    {
      expected: show(expected.slice(Math.max(0, at - 2), at + 4)),
      observed: show(got.slice(Math.max(0, at - 2), at + 4)),
    },
  );
}
