/**
 * Engine.IO v4, chapter CORS: off unless configured; when on, a preflight that touches no
 * session, and Access-Control-Allow-Origin on every answer (refusals too, a SHOULD).
 */
import { defineChapter, fail, skip } from "../../case.js";
import type { HttpResponse } from "../../client/http.js";
import type { CaseContext } from "../../runner/context.js";
import { expectAlive } from "../../checks/alive.js";
import { refused } from "../../checks/gone.js";

/** The origin the probe uses, so a server that allows only some origins is judged the same way. */
const ORIGIN = "http://sockspec.invalid";
const OPEN = { EIO: "4", transport: "polling" } as const;

/** Fails if any response carries Access-Control-Allow-Origin. */
function noAcao(answers: Array<[string, HttpResponse]>): void {
  for (const [what, res] of answers) {
    const acao = res.headers["access-control-allow-origin"];
    if (acao !== undefined)
      fail(`${what} carries Access-Control-Allow-Origin although CORS is off`, {
        expected: "no Access-Control-Allow-Origin",
        observed: acao,
      });
  }
}

/** Fails unless every response allows the origin (`*` or the origin itself). */
function allowsOrigin(ctx: CaseContext, answers: Array<[string, HttpResponse]>): void {
  for (const [what, res] of answers) {
    const acao = res.headers["access-control-allow-origin"];
    ctx.assert(acao === "*" || acao === ORIGIN, `${what} (status ${res.status}) does not allow the origin`, {
      expected: `Access-Control-Allow-Origin: ${ORIGIN} or *`,
      observed: acao ?? "(none)",
    });
  }
}

/** A handshake from the origin (a working handshake is a precondition), and the sid it opened. */
async function openFromOrigin(ctx: CaseContext): Promise<{ res: HttpResponse; sid: string }> {
  const { response, handshake } = await ctx.engine.handshake({ headers: { origin: ORIGIN } });
  return { res: response, sid: handshake.sid };
}

function preflightHeaders(method: string): Record<string, string> {
  return { origin: ORIGIN, "access-control-request-method": method, "access-control-request-headers": "content-type" };
}

export const corsCases = defineChapter("engine.io v4 / cors", [
  {
    id: "eio4.cors.off-by-default",
    title: "With CORS off, no answer to a cross-origin request carries Access-Control-Allow-Origin",
    rules: ["EIO4-CORS-01"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      if (ctx.features.has("cors")) skip("the server has CORS on");
      const { res, sid } = await openFromOrigin(ctx);
      const post = await ctx.http.request({
        method: "POST",
        query: { ...OPEN, sid },
        body: "3",
        headers: { origin: ORIGIN },
      });
      noAcao([
        ["the handshake", res],
        ["the POST", post],
      ]);
    },
  },
  {
    id: "eio4.cors.off-errors-and-preflight",
    title: "With CORS off, refusals and preflights carry no Access-Control-Allow-Origin either",
    rules: ["EIO4-CORS-01"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      if (ctx.features.has("cors")) skip("the server has CORS on");
      const refused = await ctx.http.request({
        query: { ...OPEN, sid: "sockspec-unknown-sid" },
        headers: { origin: ORIGIN },
      });
      const preflight = await ctx.http.request({ method: "OPTIONS", query: OPEN, headers: preflightHeaders("POST") });
      noAcao([
        ["the code 1 refusal", refused],
        ["the preflight", preflight],
      ]);
    },
  },
  {
    id: "eio4.cors.preflight",
    title:
      "A preflight is answered with a 2xx allowing the origin and the asked headers (204, GET and POST, no session opened)",
    rules: ["EIO4-CORS-02", "EIO4-CORS-05"],
    level: "MUST",
    requires: ["polling", "cors"],
    async run(ctx) {
      const res = await ctx.http.request({ method: "OPTIONS", query: OPEN, headers: preflightHeaders("POST") });
      ctx.assert(res.status >= 200 && res.status < 300, `the preflight was answered ${res.status}`, {
        expected: "a 2xx (204)",
        observed: String(res.status),
      });
      allowsOrigin(ctx, [["the preflight", res]]);
      const headers = (res.headers["access-control-allow-headers"] ?? "").toLowerCase().split(/\s*,\s*/);
      ctx.assert(
        headers.includes("content-type") || headers.includes("*"),
        "the preflight does not allow the asked header content-type",
        { expected: "content-type", observed: res.headers["access-control-allow-headers"] ?? "(none)" },
      );
      // EIO4-CORS-05, a SHOULD: the official server's answer.
      if (res.status !== 204)
        ctx.softFail(`the preflight was answered ${res.status}, not 204 (EIO4-CORS-05)`, {
          expected: "204",
          observed: String(res.status),
        });
      const methods = (res.headers["access-control-allow-methods"] ?? "").toUpperCase().split(/\s*,\s*/);
      if (!methods.includes("GET") || !methods.includes("POST"))
        ctx.softFail("the preflight does not list GET and POST (EIO4-CORS-05)", {
          expected: "GET, POST",
          observed: res.headers["access-control-allow-methods"] ?? "(none)",
        });
      if (res.text.startsWith("0{"))
        ctx.softFail("the preflight opened a session (EIO4-CORS-05)", {
          expected: "no open packet",
          observed: res.text.slice(0, 80),
        });
    },
  },
  {
    id: "eio4.cors.preflight-keeps-session",
    title: "A preflight naming a session leaves it as it was",
    rules: ["EIO4-CORS-05"],
    level: "SHOULD",
    requires: ["polling", "cors", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const res = await ctx.http.request({
        method: "OPTIONS",
        query: session.query(),
        headers: preflightHeaders("POST"),
      });
      ctx.assert(res.status >= 200 && res.status < 300, `the preflight was answered ${res.status}`, {
        expected: "a 2xx (204)",
        observed: String(res.status),
      });
      // A preflight served as a poll would take the session's packets away from its client.
      ctx.assert(!/^[0-6b]/.test(res.text), "the preflight was answered with the session's packets, as a poll", {
        expected: "no body",
        observed: JSON.stringify(res.text.slice(0, 80)),
      });
      await expectAlive(ctx, session, "a preflight");
    },
  },
  {
    id: "eio4.cors.allow-origin",
    title: "With CORS on, the handshake, POST and GET answers allow the origin",
    rules: ["EIO4-CORS-03"],
    level: "MUST",
    requires: ["polling", "cors"],
    async run(ctx) {
      const { res, sid } = await openFromOrigin(ctx);
      const post = await ctx.http.request({
        method: "POST",
        query: { ...OPEN, sid },
        body: ctx.features.has("engine-echo") ? "4x" : "3",
        headers: { origin: ORIGIN },
      });
      const get = await ctx.http.request({ query: { ...OPEN, sid }, headers: { origin: ORIGIN } });
      allowsOrigin(ctx, [
        ["the handshake", res],
        ["the POST", post],
        ["the GET", get],
      ]);
    },
  },
  {
    id: "eio4.cors.allow-origin-on-errors",
    title: "With CORS on, refusals (400, 413) allow the origin too",
    rules: ["EIO4-CORS-06"],
    level: "SHOULD",
    requires: ["polling", "cors"],
    async run(ctx) {
      const answers: Array<[string, HttpResponse]> = [
        [
          "the code 1 refusal",
          await ctx.http.request({ query: { ...OPEN, sid: "sockspec-unknown-sid" }, headers: { origin: ORIGIN } }),
        ],
        [
          "the code 0 refusal",
          await ctx.http.request({ query: { EIO: "4", transport: "abc" }, headers: { origin: ORIGIN } }),
        ],
        [
          "the code 5 refusal",
          await ctx.http.request({ query: { EIO: "5", transport: "polling" }, headers: { origin: ORIGIN } }),
        ],
      ];
      const max = ctx.handshake.maxPayload;
      if (max !== undefined && max <= 4 * 1024 * 1024) {
        const { sid } = await openFromOrigin(ctx);
        answers.push([
          "the 413",
          await ctx.http.request({
            method: "POST",
            query: { ...OPEN, sid },
            body: "4" + "x".repeat(max),
            headers: { origin: ORIGIN },
          }),
        ]);
      }
      // A request this server does not refuse says nothing here (its own chapter judges it).
      for (const [what, res] of answers)
        if (!refused(res)) ctx.note(`${what} was answered ${res.status}, not refused: not judged`);
      const refusals = answers.filter(([, res]) => refused(res));
      if (refusals.length === 0) skip("the server refused none of the requests");
      allowsOrigin(ctx, refusals);
    },
  },
  {
    id: "eio4.cors.credentials",
    title: "With CORS credentials on, the origin itself, never `*`, is allowed",
    rules: ["EIO4-CORS-04"],
    level: "MUST",
    requires: ["polling", "cors"],
    async run(ctx) {
      const { res } = await openFromOrigin(ctx);
      if (res.headers["access-control-allow-credentials"] !== "true") skip("the server does not allow credentials");
      ctx.equal(res.headers["access-control-allow-origin"], ORIGIN, "Access-Control-Allow-Origin with credentials");
    },
  },
]);
