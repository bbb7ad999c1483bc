/**
 * Shared check, family "error": judging Engine.IO error refusals (spec chapter ERROR) in full —
 * the HTTP status, the JSON body with its code and message, and the refusal of a WebSocket
 * request before the protocol switch. Only the cases of the ERROR rules use it; every other case
 * asks the "gone" family (conformance/checks/gone.ts), which accepts any 4xx.
 */
import { fail, show } from "../case.js";
import type { CaseContext } from "../runner/context.js";
import type { HttpResponse } from "../client/http.js";
import type { WsConnection } from "../client/ws.js";

/** The standard message of each Engine.IO error code (EIO4-ERROR-02). */
export const ENGINE_ERROR_MESSAGES: Record<number, string> = {
  0: "Transport unknown",
  1: "Session ID unknown",
  2: "Bad handshake method",
  3: "Bad request",
  4: "Forbidden",
  5: "Unsupported protocol version",
};

/** The error code of an Engine.IO error body, or undefined when the body is not one. */
export function errorCode(res: HttpResponse): number | undefined {
  try {
    const code = (JSON.parse(res.text) as { code?: unknown }).code;
    return typeof code === "number" ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The status each code is sent with: 403 for code 4, else 400. */
export function errorStatus(code: number): number {
  return code === 4 ? 403 : 400;
}

/**
 * Checks an HTTP refusal: status 400 (403 for code 4), `application/json`, and exactly the body
 * `{"code":N,"message":"<standard message>"}` (code 4 may carry its own message).
 * @example
 * ```ts
 * const res = await ctx.http.request({ query: { EIO: "4", transport: "polling", sid: "nope" } });
 * expectEngineError(ctx, res, 1);
 * ```
 */
export function expectEngineError(ctx: CaseContext, res: HttpResponse, code: number): void {
  const message = ENGINE_ERROR_MESSAGES[code]!;
  const wanted = `${errorStatus(code)} {"code":${code},"message":"${message}"}`;
  const seen = `${res.status} ${res.text.slice(0, 200)}`;
  if (res.status !== errorStatus(code)) {
    if (res.status >= 500) ctx.note(`a client's fault was answered with ${res.status} (EIO4-ERROR-11)`);
    fail(`refused with status ${res.status} instead of ${errorStatus(code)} (code ${code}: ${message})`, { expected: wanted, observed: seen });
  }
  const type = res.headers["content-type"] ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) fail(`the error body has content type ${show(type)}`, { expected: "application/json", observed: type || "(none)" });
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    fail("the error body is not JSON", { expected: wanted, observed: seen });
  }
  const b = body as { code?: unknown; message?: unknown };
  if (typeof b !== "object" || b === null || Array.isArray(b)) fail("the error body is not a JSON object", { expected: wanted, observed: seen });
  if (b.code !== code) fail(`the error code is ${show(b.code)}, expected ${code} (${message})`, { expected: wanted, observed: seen });
  const keys = Object.keys(b).sort().join(",");
  if (keys !== "code,message") fail(`the error body has the keys ${keys}, expected exactly code and message`, { expected: wanted, observed: seen });
  if (code === 4 ? typeof b.message !== "string" : b.message !== message) fail(`the error message is ${show(b.message)}`, { expected: wanted, observed: seen });
}

/**
 * Checks that a WebSocket request was refused before the protocol switch (EIO4-ERROR-09) with
 * the code's status; a non-JSON refusal body is a warning (EIO4-ERROR-10).
 * @example
 * ```ts
 * const ws = ctx.engine.rawWebSocket({ query: { sid: "nope" } });
 * await expectWebSocketRefusal(ctx, ws, 1);
 * ```
 */
export async function expectWebSocketRefusal(ctx: CaseContext, ws: WsConnection, code: number): Promise<void> {
  const opened = await ws.opened;
  if (opened.ok) {
    const closed = await Promise.race([ws.closed, new Promise((r) => setTimeout(r, ctx.scale(500)))]);
    const after = closed ? `then closed with ${(closed as { code: number }).code}` : "and kept open";
    fail(`the WebSocket request was accepted with 101 ${after}, instead of refused with ${errorStatus(code)}`, {
      expected: `${errorStatus(code)} before the switch (code ${code})`,
      observed: `101, ${after}`,
    });
  }
  if (opened.status === undefined) fail(`the WebSocket request got no HTTP answer (${opened.error})`, { expected: String(errorStatus(code)), observed: opened.error ?? "nothing" });
  if (opened.status !== errorStatus(code)) fail(`the WebSocket request was refused with ${opened.status}`, { expected: String(errorStatus(code)), observed: String(opened.status) });
  const wanted = `{"code":${code},"message":"${ENGINE_ERROR_MESSAGES[code]}"}`;
  let body: { code?: unknown } | undefined;
  try {
    body = JSON.parse(opened.body ?? "") as { code?: unknown };
  } catch {
    body = undefined;
  }
  if (body?.code !== code) ctx.softFail(`the WebSocket refusal body is ${show(opened.body ?? "")}, not the JSON error`, { expected: wanted, observed: opened.body ?? "" });
}
