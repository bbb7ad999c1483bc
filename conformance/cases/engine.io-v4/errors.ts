/**
 * Engine.IO v4, chapter ERROR, for requests of an existing session (the handshake chapter
 * covers the refusals of a handshake): unknown and ended sids whatever the method, transport
 * mismatch, the order of checks when a sid is present, refusals that leave the session alone,
 * and no 5xx for a client's fault.
 */
import { defineChapter, fail, unmet } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import type { HttpRequest } from "../../client/http.js";
import type { CaseContext } from "../../runner/context.js";
import { expectAlive } from "../../checks/alive.js";
import { expectEchoed } from "../../checks/echo.js";
import { errorCode, expectEngineError } from "../../checks/error.js";
import { refused } from "../../checks/gone.js";
import { frameOf, nextFrame } from "../../client/reading.js";

const UNKNOWN = "sockspec-unknown-sid";
const POLL = { EIO: "4", transport: "polling" } as const;

/**
 * EIO4-ERROR-07 judged on its own, for a request with a sid and several faults: each fault
 * alone is asked first (the codes themselves are EIO4-ERROR-02's business), and the request
 * with all of them must get the code of the first in the spec's order. Faults whose codes alone
 * are alike cannot be told apart and are not judged.
 */
async function expectFirstFaultWins(
  ctx: CaseContext,
  what: string,
  request: HttpRequest,
  alone: Array<[fault: string, request: HttpRequest]>,
): Promise<void> {
  const codes: Array<[string, number | undefined]> = [];
  for (const [fault, req] of alone) codes.push([fault, errorCode(await ctx.http.request(req))]);
  const [[firstFault, firstCode], ...rest] = codes as [
    [string, number | undefined],
    ...Array<[string, number | undefined]>,
  ];
  if (firstCode === undefined || rest.some(([, c]) => c === undefined || c === firstCode)) {
    ctx.note(
      `${what}: the faults alone get the codes ${codes.map(([f, c]) => `${f} ${c ?? "(none)"}`).join(", ")}, so their order cannot be told`,
    );
    return;
  }
  const res = await ctx.http.request(request);
  const got = errorCode(res);
  if (got !== firstCode) {
    const winner = codes.find(([, c]) => c === got)?.[0] ?? "none of them";
    fail(
      `${what} got the code of ${winner} (${got ?? "no code"}), not that of ${firstFault} (${firstCode}), which comes first`,
      { expected: `code ${firstCode} (${firstFault})`, observed: `${res.status} ${res.text.slice(0, 120)}` },
    );
  }
}

export const errorCases = defineChapter("engine.io v4 / error", [
  {
    id: "eio4.error.sid-unknown-post",
    title: "A POST with an unknown sid is refused with 400 (and exactly the code 1 JSON body)",
    rules: ["EIO4-ERROR-05", "EIO4-ERROR-01", "EIO4-ERROR-02"],
    level: "MUST",
    async run(ctx) {
      expectEngineError(
        ctx,
        await ctx.http.request({ method: "POST", query: { ...POLL, sid: UNKNOWN }, body: "4hello" }),
        1,
      );
    },
  },
  {
    id: "eio4.error.sid-unknown-any-method",
    title: "An unknown sid is refused whatever the method (PUT, DELETE, PATCH)",
    rules: ["EIO4-ERROR-05", "EIO4-ERROR-02"],
    level: "MUST",
    async run(ctx) {
      for (const method of ["PUT", "DELETE", "PATCH"])
        expectEngineError(ctx, await ctx.http.request({ method, query: { ...POLL, sid: UNKNOWN }, body: "4x" }), 1);
    },
  },
  {
    id: "eio4.error.sid-ended",
    title: "After the client closes the session, its sid is refused on GET and POST",
    rules: ["EIO4-ERROR-05", "EIO4-CLOSE-07", "EIO4-ERROR-02"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await session.send("1");
      expectEngineError(ctx, await ctx.http.request({ query: session.query() }), 1);
      expectEngineError(ctx, await ctx.http.request({ method: "POST", query: session.query(), body: "4late" }), 1);
    },
  },
  {
    id: "eio4.error.transport-mismatch",
    title: "A polling GET or POST naming a WebSocket session is refused with 400 (code 3)",
    rules: ["EIO4-ERROR-06", "EIO4-ERROR-02"],
    level: "MUST",
    requires: ["websocket"],
    async run(ctx) {
      // One request per session: what one refusal does to its session is EIO4-ERROR-08's business.
      for (const method of ["GET", "POST"]) {
        const socket = await ctx.engine.openWebSocket();
        const query = { ...POLL, sid: socket.handshake!.sid };
        expectEngineError(ctx, await ctx.http.request(method === "GET" ? { query } : { method, query, body: "4x" }), 3);
      }
    },
  },
  {
    id: "eio4.error.mismatch-keeps-session",
    title: "Refused polling requests leave the WebSocket session they named untouched",
    rules: ["EIO4-ERROR-08"],
    level: "MUST",
    requires: ["websocket", "engine-echo"],
    async run(ctx) {
      const socket = await ctx.engine.openWebSocket();
      const query = { ...POLL, sid: socket.handshake!.sid };
      for (const req of [{ query }, { method: "POST", query, body: "4from-polling" }]) {
        const res = await ctx.http.request(req);
        // Only a refused request is this rule's business; one that is served breaks EIO4-ERROR-06.
        if (!refused(res))
          unmet(
            P.wsSessionRefusesPolling,
            `a polling ${req.method ?? "GET"} naming a WebSocket session was served with ${res.status}`,
            { expected: "a 4xx", observed: `${res.status} ${res.text.slice(0, 120)}` },
          );
      }
      socket.ws.send("4still-here");
      await expectEchoed(
        ctx,
        frameOf(await nextFrame(socket, "the echo")),
        frameOf("4still-here"),
        "the next frame on the WebSocket",
        "websocket",
      );
    },
  },
  {
    id: "eio4.error.order-with-sid",
    title: "With a sid, transport is checked first, then the session, before method and version",
    rules: ["EIO4-ERROR-07"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const unknownSid = (extra: Record<string, string>, method?: string): HttpRequest => ({
        query: { ...POLL, sid: UNKNOWN, ...extra },
        ...(method ? { method, body: "4x" } : {}),
      });
      if (ctx.features.has("websocket")) {
        await expectFirstFaultWins(
          ctx,
          "websocket without Upgrade and an unknown sid",
          unknownSid({ transport: "websocket" }),
          [
            ["the unknown sid", unknownSid({})],
            ["websocket without Upgrade", { query: { EIO: "4", transport: "websocket" } }],
          ],
        );
      }
      await expectFirstFaultWins(
        ctx,
        "an unknown transport and a live sid",
        { method: "POST", query: { EIO: "4", transport: "abc", sid: session.sid }, body: "4x" },
        [["the unknown transport", { query: { EIO: "4", transport: "abc" } }]],
      );
      await expectFirstFaultWins(ctx, "version 5 and an unknown sid", unknownSid({ EIO: "5" }, "POST"), [
        ["the unknown sid", unknownSid({}, "POST")],
        ["version 5", { query: { EIO: "5", transport: "polling" } }],
      ]);
      await expectFirstFaultWins(
        ctx,
        "PUT, version 5, an unknown transport and an unknown sid",
        unknownSid({ EIO: "5", transport: "abc" }, "PUT"),
        [
          ["the unknown transport", { query: { EIO: "4", transport: "abc" } }],
          ["the unknown sid", unknownSid({}, "PUT")],
          ["version 5", { query: { EIO: "5", transport: "polling" } }],
        ],
      );
    },
  },
  {
    id: "eio4.error.refusal-keeps-session",
    title: "Refused requests naming a polling session leave it open and deliver nothing",
    rules: ["EIO4-ERROR-08"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      // An unknown transport, and (with or without WebSocket offered) websocket on a polling session.
      for (const [transport, body] of [
        ["abc", "4refused-0"],
        ["websocket", "4refused-3"],
      ] as const) {
        const res = await ctx.http.request({ method: "POST", query: { EIO: "4", transport, sid: session.sid }, body });
        if (!refused(res))
          fail(`a POST with transport=${transport} naming the session was not refused`, {
            expected: "a 4xx",
            observed: `${res.status} ${res.text.slice(0, 120)}`,
          });
      }
      const { messages } = await expectAlive(ctx, session, "the refused requests");
      const leaked = messages.filter((m) => typeof m.data === "string" && m.data.startsWith("refused"));
      ctx.deepEqual(
        leaked.map((m) => m.data),
        [],
        "messages delivered from refused requests",
      );
    },
  },
  {
    id: "eio4.error.no-5xx",
    title: "Odd requests from a client (repeated parameters, a huge sid, PUT on a session) get no 5xx",
    rules: ["EIO4-ERROR-11"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const url = (q: string) => `${ctx.config.url}${ctx.enginePath}?${q}`;
      // The session's own requests first and none held (a POST, not a GET), so it is still alive.
      const requests: Array<[string, HttpRequest]> = [
        ["PUT on a live session", { method: "PUT", query: session.query(), body: "4x" }],
        [
          "a repeated sid",
          { method: "POST", url: url(`EIO=4&transport=polling&sid=${session.sid}&sid=${session.sid}`), body: "3" },
        ],
        ["a repeated transport", { url: url("EIO=4&transport=polling&transport=websocket") }],
        ["a repeated EIO", { url: url("EIO=4&EIO=4&transport=polling") }],
        ["a sid of 8000 characters", { query: { ...POLL, sid: "a".repeat(8000) } }],
        ["a sid with escapes", { url: url("EIO=4&transport=polling&sid=%00%ff%2F") }],
      ];
      for (const [what, req] of requests) {
        const res = await ctx.http.request(req);
        // Note to EIO4-POLLING-15: the official server answers PUT on a session with 500.
        if (res.status >= 500)
          ctx.softFail(`${what} was answered ${res.status}`, {
            expected: "a 4xx (or 200)",
            observed: `${res.status} ${res.text.slice(0, 80)}`,
          });
      }
    },
  },
]);
