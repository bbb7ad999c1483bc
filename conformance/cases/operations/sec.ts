/**
 * Operations, chapter SEC: what a black-box suite can see of a server's security duties. A sid is
 * the only key to a session, so a server never hands out one it has issued before: not to a
 * session open beside it, not to a session that comes after one that ended.
 */
import { defineChapter, needs } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { expectSidGone } from "../../checks/sid.js";
import { postAccepted } from "../../client/held-get.js";

/** How many sessions are opened after the ended one: enough for a server that recycles sids to show it. */
const AFTER = 8;

export const secCases = defineChapter("operations / sec", [
  {
    id: "ops.sec.sid-not-reissued",
    title:
      "The sid of a session that ended is not handed out again: the sessions opened after it all get new, distinct sids, and the old one stays refused",
    rules: ["SEC-02", "EIO4-HANDSHAKE-15"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const ended = await ctx.engine.openPolling();
      await postAccepted(ctx, ended, "1");
      // That the client's close ends the session is EIO4-CLOSE-01's (a precondition here).
      await needs(P.clientCloseEnds, () => expectSidGone(ctx, ended.sid, "the client's close"));
      const fresh = await Promise.all(Array.from({ length: AFTER }, () => ctx.engine.openPolling()));
      const sids = fresh.map((s) => s.sid);
      ctx.assert(!sids.includes(ended.sid), "a new session got the sid of the session that ended", {
        expected: `none of ${AFTER} new sids is ${ended.sid}`,
        observed: sids.join(", "),
      });
      ctx.assert(new Set(sids).size === sids.length, "two new sessions got the same sid", {
        expected: `${AFTER} distinct sids`,
        observed: sids.join(", "),
      });
      await expectSidGone(ctx, ended.sid, `${AFTER} new handshakes`);
    },
  },
]);
