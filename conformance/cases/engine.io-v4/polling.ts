/**
 * Engine.IO v4, chapter POLLING: the HTTP envelope of long-polling (statuses, content types,
 * `ok`), held GETs, batching and order, and what a server does when a client overlaps, aborts
 * or sends what v4 polling does not allow.
 */
import { performance } from "node:perf_hooks";
import { defineChapter, fail, needs, show, unmet } from "../../case.js";
import { decodeBody, type PollingSession } from "../../client/engine.js";
import type { HttpResponse } from "../../client/http.js";
import type { RawConnection } from "../../client/tcp.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import type { CaseContext } from "../../runner/context.js";
import { window } from "../../runner/timing.js";
import { expectAlive } from "../../checks/alive.js";
import { expectEchoed, pollMessages } from "../../checks/echo.js";
import { errorBodyProblem, expectEngineError } from "../../checks/error.js";
import { expectClosed, refused } from "../../checks/gone.js";
import { dataOf, postOk, postTolerant, neutralPost } from "../../client/reading.js";

/** The request target of a session's polling requests, for raw TCP. */
function target(ctx: CaseContext, session: PollingSession): string {
  return `${ctx.enginePath}?${new URLSearchParams(session.query()).toString()}`;
}

/** Time for a request sent on one connection to reach the server before the next one. */
function settle(ctx: CaseContext): Promise<void> {
  return new Promise((r) => setTimeout(r, ctx.scale(50)));
}

/**
 * Starts a POST over raw TCP that declares `declared` bytes and sends only `partial`. It asks
 * for `100 Continue`, which node and most servers send once the request has reached the
 * handler, so the case knows the POST is in flight; without it, it waits a fixed 100 ms.
 */
async function partialPost(
  ctx: CaseContext,
  session: PollingSession,
  partial: string,
  declared: number,
): Promise<RawConnection> {
  const tcp = await ctx.tcp();
  ctx.note(`${tcp.conn}: POST with Content-Length ${declared} and only ${Buffer.byteLength(partial)} bytes of body`);
  tcp.write(
    `POST ${target(ctx, session)} HTTP/1.1\r\nhost: sockspec\r\nexpect: 100-continue\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: ${declared}\r\n\r\n`,
  );
  const peek = tcp as unknown as { buffer: Buffer };
  const until = performance.now() + ctx.scale(100);
  while (performance.now() < until && !peek.buffer.includes("HTTP/1.1 100")) await new Promise((r) => setTimeout(r, 5));
  tcp.write(partial);
  await new Promise((r) => setTimeout(r, ctx.scale(20)));
  return tcp;
}

/**
 * Two GETs of one session, the second sent while the first should be pending. Whichever the
 * server took second is the overlapping one: the one not answered `200`, or else the second.
 */
async function overlappingGets(
  ctx: CaseContext,
  session: PollingSession,
): Promise<{ pending: HttpResponse; overlapping: HttpResponse }> {
  const first = pendingGet(ctx, session);
  await settle(ctx);
  const [a, b] = await Promise.all([first, pendingGet(ctx, session)]);
  return a.status !== 200 && b.status === 200 ? { pending: b, overlapping: a } : { pending: a, overlapping: b };
}

/** Starts a GET of the session that the case awaits later. */
function pendingGet(ctx: CaseContext, session: PollingSession): Promise<HttpResponse> {
  return ctx.http.request({ query: session.query() });
}

/**
 * A POST answer whose status the case judges: beyond that, the body `ok` is a precondition
 * (EIO4-POLLING-02, checked by eio4.polling.post-ok).
 */
function expectOkBody(res: HttpResponse, what: string): void {
  if (res.status === 200 && res.text !== "ok")
    unmet(P.postOk, `${what} was answered 200 ${JSON.stringify(res.text.slice(0, 60))}, not ok`, {
      expected: "200 ok",
      observed: `200 ${res.text.slice(0, 120)}`,
    });
}

/**
 * Fails unless the session is refused (any 4xx: gone) soon: POSTs of a pong probe it until 70 % of
 * pingInterval + pingTimeout after `openedAt`, well before a heartbeat timeout could close the
 * session instead and make a server that ignored the abort pass.
 */
async function expectGoneSoon(
  ctx: CaseContext,
  session: PollingSession,
  openedAt: number,
  why: string,
): Promise<"gone" | "too-slow"> {
  const until = openedAt + 0.7 * (ctx.handshake.pingInterval + ctx.handshake.pingTimeout);
  for (let probes = 0; ; probes++) {
    const res = await postTolerant(session, "3");
    if (res !== "dropped" && refused(res)) return "gone";
    // The run was too slow to judge: the window had closed before the first probe was answered.
    if (performance.now() > until && probes === 0) return "too-slow";
    if (performance.now() > until)
      fail(`the session still serves requests after ${why}`, {
        expected: "a 4xx (the session gone)",
        observed: res === "dropped" ? "connection dropped" : `${res.status} ${res.text.slice(0, 120)}`,
      });
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The latest a ping may come, as the note under EIO4-HEARTBEAT-10 allows: 10 % plus 100 ms late. */
function pingLate(pingInterval: number): number {
  return Math.round(pingInterval * 1.1 + 100);
}

/** Normalised media type and parameters: lower case, no spaces. */
function contentType(res: HttpResponse): string {
  return (res.headers["content-type"] ?? "").toLowerCase().replace(/\s+/g, "");
}

/** A GET that returns promptly: after a message to echo when the server echoes, else at the first ping. */
async function someGet(ctx: CaseContext, session: PollingSession): Promise<HttpResponse> {
  if (ctx.features.has("engine-echo")) await session.post("4x");
  return (await session.get()).response;
}

export const pollingCases = defineChapter("engine.io v4 / polling", [
  {
    id: "eio4.polling.post-ok",
    title: "A POST that was processed is answered 200 with the body `ok`, exactly",
    rules: ["EIO4-POLLING-02"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const res = await session.post(neutralPost(ctx));
      ctx.equal(res.status, 200, "status of the POST");
      ctx.equal(Buffer.from(res.bytes).toString("hex"), Buffer.from("ok").toString("hex"), "bytes of the POST answer");
    },
  },
  {
    id: "eio4.polling.post-content-type",
    title: "The `ok` answer to a POST is text/html",
    rules: ["EIO4-POLLING-03"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      ctx.match(
        contentType(await session.post(neutralPost(ctx))),
        /^text\/html(;|$)/,
        "the content type of the POST answer",
      );
    },
  },
  {
    id: "eio4.polling.get-content-type",
    title: "A GET is answered 200 with a payload (labelled text/plain; charset=UTF-8)",
    rules: ["EIO4-POLLING-04", "EIO4-POLLING-18"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const res = await someGet(ctx, session);
      ctx.assert(res.bytes.byteLength > 0, "the GET was answered with an empty body", {
        expected: "a payload of at least one packet",
        observed: "(empty)",
      });
      if (contentType(res) !== "text/plain;charset=utf-8")
        ctx.softFail(
          `the content type of the GET answer is ${show(res.headers["content-type"] ?? "(none)")} (EIO4-POLLING-18)`,
          { expected: "text/plain; charset=UTF-8", observed: res.headers["content-type"] ?? "(none)" },
        );
    },
  },
  {
    id: "eio4.polling.no-store",
    title: "GET and POST answers carry Cache-Control: no-store",
    rules: ["EIO4-TRANSPORT-10"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const post = await session.post(neutralPost(ctx));
      ctx.match(post.headers["cache-control"] ?? "", /(^|,)\s*no-store\s*(,|$)/i, "Cache-Control of the POST answer");
      ctx.match(
        (await someGet(ctx, session)).headers["cache-control"] ?? "",
        /(^|,)\s*no-store\s*(,|$)/i,
        "Cache-Control of the GET answer",
      );
    },
  },
  {
    id: "eio4.polling.get-held",
    title: "An idle GET is held until the first ping, then answered with it",
    rules: ["EIO4-POLLING-05", "EIO4-POLLING-04", "EIO4-HEARTBEAT-10"],
    level: "MUST",
    requires: ["polling"],
    timing: "waits",
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const since = performance.now();
      const { pingInterval } = ctx.handshake;
      // When the first ping comes is EIO4-HEARTBEAT-01's matter (a precondition here): this case
      // judges that the GET is held until there is something to send, and then answered with it.
      const { from, to } = window(ctx.timing, pingInterval, pingLate(pingInterval));
      const res = await needs(P.firstPing, () => ctx.http.request({ query: session.query(), timeoutMs: to }));
      const elapsed = performance.now() - since;
      ctx.equal(res.status, 200, "status of the held GET");
      ctx.assert(res.bytes.byteLength > 0, "the held GET was answered with an empty body", {
        expected: "2",
        observed: "(empty)",
      });
      const first = decodeBody(res)[0]?.type;
      if (first === "close")
        unmet(P.firstPing, "the session closed before its first ping", { expected: "2", observed: "1" });
      if (first === "ping" && elapsed < from)
        unmet(
          P.firstPing,
          `the first ping came ${Math.round(elapsed)} ms after the handshake, before pingInterval ${pingInterval} ms`,
          { expected: `not before ${from} ms`, observed: `${Math.round(elapsed)} ms` },
        );
      ctx.equal(first, "ping", "the first packet of the held GET");
      ctx.note(`the held GET was answered with the first ping after ${Math.round(elapsed)} ms`);
    },
  },
  {
    id: "eio4.polling.get-woken-by-data",
    title: "A held GET is answered with the packet the server gets for it (at once, not at the next ping)",
    rules: ["EIO4-POLLING-05", "EIO4-POLLING-19"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const { pingInterval } = ctx.handshake;
      for (let attempt = 1; ; attempt++) {
        const session = await ctx.engine.openPolling();
        const pending = pendingGet(ctx, session);
        await settle(ctx);
        await session.send("4wake");
        // From the POST's answer: a server may take its time to answer the POST (EIO4-POLLING-16's business).
        const posted = performance.now();
        const { value: res } = await ctx.within(pending, {
          latest: pingLate(pingInterval),
          what: "the answer to the held GET after the POST",
        });
        const packets = decodeBody(res);
        const woken = packets.some((p) => p.type === "message");
        // A ping alone means the run was so slow that the ping came before the POST: try again.
        if (!woken && attempt < 3 && packets.every((p) => p.type === "ping")) continue;
        ctx.assert(woken, "the held GET was answered without the echo", {
          expected: "the echo of 4wake",
          observed: show(res.text),
        });
        const late = Math.round(performance.now() - posted);
        if (packets.some((p) => p.type === "ping") || late > pingInterval / 2)
          ctx.softFail(
            `the held GET was answered only ${late} ms after the POST, with the next ping (EIO4-POLLING-19)`,
            { expected: "the echo at once", observed: `${show(res.text)} after ${late} ms` },
          );
        return;
      }
    },
  },
  {
    id: "eio4.polling.batched-get",
    title: "Packets queued together go out joined in one GET answer",
    rules: ["EIO4-POLLING-06", "EIO4-PAYLOAD-01"],
    level: "SHOULD",
    requires: ["polling", "control"],
    async run(ctx) {
      const session = await postOk(ctx, "4sockspec:burst:5");
      const { response } = await session.get();
      const records = response.text
        .split("\x1e")
        .filter((r) => r !== "2")
        .join("\x1e");
      ctx.equal(
        records,
        ["1", "2", "3", "4", "5"].map((n) => `4burst:${n}`).join("\x1e"),
        "the GET answer after a burst of 5",
      );
    },
  },
  {
    id: "eio4.polling.sequence",
    title: "Across GETs, every packet arrives exactly once and in order",
    rules: ["EIO4-POLLING-07"],
    level: "MUST",
    requires: ["polling", "control"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      for (const n of [1, 2, 3]) {
        await session.send(`4round${n}`);
        const { messages } = await pollMessages(ctx, session, 1, `the echo of round${n}`);
        await expectEchoed(ctx, messages.map(dataOf), [JSON.stringify(`round${n}`)], `the GET after POST ${n}`);
      }
      await session.send("4sockspec:burst:30");
      const { messages } = await pollMessages(ctx, session, 30, "the 30 burst messages");
      ctx.deepEqual(
        messages.map((m) => m.data),
        Array.from({ length: 30 }, (_, i) => `burst:${i + 1}`),
        "the burst messages over all GETs",
      );
    },
  },
  {
    id: "eio4.polling.overlapping-get",
    title: "A second GET while one is pending gets 400, the pending one gets `1`, the session closes",
    rules: ["EIO4-POLLING-08", "EIO4-CLOSE-04"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const { pending, overlapping } = await overlappingGets(ctx, session);
      // Note to EIO4-POLLING-08: older official servers answer 500; a warning.
      ctx.accept(overlapping.status, { 400: "pass", 500: "warn" }, "status of the overlapping GET");
      ctx.equal(`${pending.status} ${pending.text}`, "200 1", "answer to the pending GET");
      await expectClosed(ctx, session, "an overlapping GET");
    },
  },
  {
    id: "eio4.polling.overlap-error-body",
    title: "The refusal of an overlapping GET carries the code 3 error body",
    rules: ["EIO4-POLLING-09"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const { overlapping } = await overlappingGets(ctx, session);
      // Its status is EIO4-POLLING-08's (eio4.polling.overlapping-get); here only the body counts.
      const problem = errorBodyProblem(overlapping, 3);
      if (problem)
        fail(problem, {
          expected: `{"code":3,"message":"Bad request"}`,
          observed: `${overlapping.status} ${overlapping.text.slice(0, 120)}`,
        });
    },
  },
  {
    id: "eio4.polling.overlapping-post",
    title: "A second POST while one is still arriving gets 400 and closes the session",
    rules: ["EIO4-POLLING-10"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      await partialPost(ctx, session, "4hello", 40);
      const second = await postTolerant(session, "4second");
      if (second === "dropped")
        fail("the overlapping POST got no answer", { expected: "400", observed: "connection dropped" });
      ctx.accept(second.status, { 400: "pass", 500: "warn" }, "status of the overlapping POST");
      await expectClosed(ctx, session, "an overlapping POST");
    },
  },
  {
    id: "eio4.polling.aborted-get",
    title: "Closing the connection of a pending GET closes the session",
    rules: ["EIO4-POLLING-11"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      for (let attempt = 1; ; attempt++) {
        const session = await ctx.engine.openPolling();
        const openedAt = performance.now();
        const tcp = await ctx.tcp();
        tcp.sendRequest("GET", target(ctx, session));
        await settle(ctx);
        ctx.note(`${tcp.conn}: closing the connection of the pending GET`);
        tcp.destroy();
        if ((await expectGoneSoon(ctx, session, openedAt, "the pending GET was aborted")) === "gone") return;
        if (attempt === 3)
          fail("the run was too slow to judge the abort three times", {
            observed: "no probe answered before the heartbeat could end the session",
          });
        ctx.note("too slow to judge; trying again");
      }
    },
  },
  {
    id: "eio4.polling.aborted-post",
    title: "Aborting a POST mid-body closes the session and delivers nothing of it",
    rules: ["EIO4-POLLING-12"],
    level: "SHOULD",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const get = pendingGet(ctx, session);
      await settle(ctx);
      const tcp = await partialPost(ctx, session, "4hello\x1e4wor", 40);
      tcp.reset();
      // Without the close, the GET would still be answered at the ping, but with no close behind it.
      const { value: res } = await ctx.within(get, {
        latest: ctx.handshake.pingInterval,
        what: "the answer to the pending GET after the abort",
      });
      // A GET that reached the server only after the close is refused (the session gone): fine too.
      if (refused(res)) return;
      ctx.equal(res.status, 200, "status of the pending GET");
      const delivered = decodeBody(res).filter((p) => p.type === "message");
      ctx.deepEqual(delivered.map(dataOf), [], "messages echoed from the aborted POST");
      await expectClosed(ctx, session, "an aborted POST");
    },
  },
  {
    id: "eio4.polling.octet-stream-post",
    title: "A v4 POST labelled application/octet-stream is read as the text payload it holds",
    rules: ["EIO4-POLLING-13"],
    level: "SHOULD",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const res = await postTolerant(session, "4octets", { headers: { "content-type": "application/octet-stream" } });
      if (res === "dropped")
        fail("the octet-stream POST got no answer", { expected: "200 ok", observed: "connection dropped" });
      ctx.equal(res.status, 200, "status of the octet-stream POST");
      expectOkBody(res, "the octet-stream POST");
      const { messages } = await pollMessages(ctx, session, 1, "the echo");
      await expectEchoed(ctx, messages.map(dataOf), ['"octets"'], "the echo of the octet-stream POST");
    },
  },
  {
    id: "eio4.polling.post-without-content-type",
    title: "A POST without Content-Type is read as text",
    rules: ["EIO4-POLLING-13"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      const tcp = await ctx.tcp();
      tcp.sendRequest("POST", target(ctx, session), { connection: "close" }, "4plain");
      const res = await tcp.readResponse();
      ctx.equal(res.status, 200, "status of a POST without Content-Type");
      if (res.text !== "ok")
        unmet(
          P.postOk,
          `the POST without Content-Type was answered 200 ${JSON.stringify(res.text.slice(0, 60))}, not ok`,
          { expected: "200 ok", observed: `200 ${res.text.slice(0, 120)}` },
        );
      const { messages } = await pollMessages(ctx, session, 1, "the echo");
      await expectEchoed(ctx, messages.map(dataOf), ['"plain"'], "the echo");
    },
  },
  {
    id: "eio4.polling.unknown-method",
    title: "PUT or DELETE with a sid is refused with a 4xx and leaves the session as it was",
    rules: ["EIO4-ERROR-08", "EIO4-POLLING-14"],
    level: "MUST",
    requires: ["polling", "engine-echo"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      let accepted = false;
      for (const method of ["PUT", "DELETE"]) {
        const res = await ctx.http.request({ method, query: session.query(), body: `4${method}` });
        // Note to EIO4-POLLING-15: the official server answers 500 (EIO4-ERROR-11 asks for a 4xx).
        if (res.status >= 500)
          ctx.softFail(`${method} with a sid was answered ${res.status}, not a 4xx (EIO4-POLLING-14)`, {
            expected: "a 4xx",
            observed: String(res.status),
          });
        else if (!refused(res)) {
          accepted = true;
          ctx.softFail(`${method} with a sid was served with ${res.status}, not refused (EIO4-POLLING-14)`, {
            expected: "a 4xx",
            observed: `${res.status} ${res.text.slice(0, 80)}`,
          });
        }
      }
      // A refused request must change nothing (EIO4-ERROR-08); one that was served is only EIO4-POLLING-14's.
      const { messages } = await expectAlive(ctx, session, "PUT and DELETE");
      const leaked = messages.filter((m) => m.data === "PUT" || m.data === "DELETE").map(dataOf);
      if (leaked.length > 0 && accepted)
        ctx.softFail(`${leaked.join(", ")} delivered from PUT or DELETE (EIO4-POLLING-14)`, {
          expected: "nothing delivered",
          observed: leaked.join(", "),
        });
      else ctx.deepEqual(leaked, [], "messages delivered from refused PUT or DELETE");
    },
  },
  {
    id: "eio4.polling.unknown-method-body",
    title: "PUT with a sid is refused with 400 and the code 3 error body",
    rules: ["EIO4-POLLING-15", "EIO4-POLLING-14"],
    level: "SHOULD",
    requires: ["polling"],
    async run(ctx) {
      const session = await ctx.engine.openPolling();
      expectEngineError(ctx, await ctx.http.request({ method: "PUT", query: session.query(), body: "3" }), 3);
    },
  },
  {
    id: "eio4.polling.post-not-held",
    title: "A POST is answered at once, not held until the server has something to send",
    rules: ["EIO4-POLLING-16"],
    level: "MUST",
    requires: ["polling"],
    async run(ctx) {
      // A server that holds the POST answers it with its first flush, at the ping: pingInterval
      // after the open. A slow run can delay a prompt answer too, so a slow answer is retried.
      const bound = ctx.scale(ctx.handshake.pingInterval / 2) + ctx.grace(ctx.handshake.pingInterval / 2);
      const seen: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const session = await ctx.engine.openPolling();
        const since = performance.now();
        const res = await session.post(neutralPost(ctx));
        ctx.equal(res.status, 200, "status of the POST");
        seen.push(Math.round(performance.now() - since));
        if (seen.at(-1)! <= bound) return;
        ctx.note(`the POST took ${seen.at(-1)} ms (attempt ${attempt})`);
      }
      fail(`every POST was answered late (${seen.join(", ")} ms): held until the server had something to send`, {
        expected: `within ${bound} ms`,
        observed: `${seen.join(", ")} ms`,
      });
    },
  },
]);
