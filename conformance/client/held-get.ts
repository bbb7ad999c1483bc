/**
 * Polling requests whose moment matters: a GET that must already be pending when something else
 * happens (held on a connection opened beforehand, so no connection setup delays it), a GET sent
 * in a tight window, a GET whose status is judged later, and a POST cut half way over raw TCP.
 */
import { performance } from "node:perf_hooks";
import { show, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import { soon } from "../runner/bounds.js";
import type { CaseContext } from "../runner/context.js";
import type { PollingSession } from "./engine.js";
import type { HttpResponse } from "./http.js";
import type { RawConnection } from "./tcp.js";

/** A raw GET of the session that does not judge the status (the case awaits it later). */
export function rawGet(ctx: CaseContext, session: PollingSession, timeoutMs?: number): Promise<HttpResponse> {
  return ctx.http.request({
    path: ctx.enginePath,
    query: session.query(),
    ...(timeoutMs ? { timeoutMs: Math.ceil(timeoutMs) } : {}),
  });
}

/** The body of a response shown on one line. */
export function body(res: HttpResponse): string {
  return show(res.text.slice(0, 200));
}

/** A polling session of either version, as far as its requests' query goes. */
type Polled = Pick<PollingSession, "query">;

/** The request target of a session's polling requests (either version), for raw TCP. */
export function pollTarget(ctx: CaseContext, session: Polled): string {
  return `${ctx.enginePath}?${new URLSearchParams(session.query()).toString()}`;
}

/**
 * Sends a GET of the session on a connection opened beforehand, and waits until it has surely
 * reached the server; the returned promise is its answer. A GET that must be pending when
 * something else happens goes this way: no connection setup can delay it behind a later request.
 */
export async function heldGet(ctx: CaseContext, session: Polled): Promise<{ response: Promise<HttpResponse> }> {
  const send = await preparedGet(ctx, session);
  const response = send();
  await ctx.sleep(ctx.scale(30));
  return { response };
}

/**
 * Opens a connection now for a GET of the session sent later: `send()` writes it at once (no
 * connection setup) and resolves with its answer. For a GET that must reach the server within a
 * tight window, e.g. right after a ping.
 */
export async function preparedGet(
  ctx: CaseContext,
  session: Polled,
): Promise<(timeoutMs?: number) => Promise<HttpResponse>> {
  const tcp = await ctx.tcp();
  // A first request (an unknown sid, refused) proves the server has taken the connection in, so
  // the real GET is read as soon as it is written.
  tcp.sendRequest("GET", `${ctx.enginePath}?EIO=4&transport=polling&sid=sockspec-warm-up`);
  await tcp.readResponse();
  // A server may close an idle keep-alive connection (Node's default: after 5 s), which long
  // heartbeat settings outlast; the GET then goes on a fresh connection.
  let closed = false;
  void tcp.ended.then(
    () => (closed = true),
    () => (closed = true),
  );
  return (timeoutMs?: number) => {
    const response = (async () => {
      let conn = tcp;
      if (closed) {
        ctx.note("the prepared connection was closed by the server while idle; sending on a new one");
        conn = await ctx.tcp();
      }
      conn.sendRequest("GET", pollTarget(ctx, session));
      const r = await conn.readResponse(timeoutMs);
      return { status: r.status, text: r.text, headers: r.headers, bytes: r.body, at: ctx.transcript.now() };
    })();
    response.catch(() => undefined);
    return response;
  };
}

/** Starts a POST over raw TCP that declares `declared` bytes and sends only `partial`. */
export async function partialPost(
  ctx: CaseContext,
  session: Polled,
  partial: string,
  declared: number,
): Promise<RawConnection> {
  const tcp = await ctx.tcp();
  tcp.write(
    `POST ${pollTarget(ctx, session)} HTTP/1.1\r\nhost: sockspec\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: ${declared}\r\n\r\n${partial}`,
  );
  await ctx.sleep(ctx.scale(30));
  return tcp;
}

/**
 * Sends packets with a POST that must be accepted (status 200: a precondition, EIO4-POLLING-02)
 * and answered promptly (EIO4-POLLING-16), without judging the answer's body: a case that only
 * needs its packets delivered is not held up by an `OK` for `ok`, which eio4.polling.post-ok
 * judges. A POST held back would shift every time the case measures after it.
 */
export async function postAccepted(ctx: CaseContext, session: PollingSession, payload: string): Promise<HttpResponse> {
  const sent = performance.now();
  const res = await session.post(payload);
  const took = Math.round(performance.now() - sent);
  if (res.status !== 200)
    unmet(P.postOk, `the POST of ${JSON.stringify(payload.slice(0, 40))} got ${res.status}`, {
      expected: "200",
      observed: `${res.status} ${res.text.slice(0, 120)}`,
    });
  const bound = soon(ctx);
  if (took > ctx.scale(bound) + ctx.grace(bound))
    unmet(P.postPrompt, `the POST of ${JSON.stringify(payload.slice(0, 40))} was answered only after ${took} ms`, {
      expected: `within ${bound} ms`,
      observed: `${took} ms`,
    });
  return res;
}
