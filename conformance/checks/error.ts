/**
 * Shared check, family "error": judging Engine.IO error refusals (spec chapter ERROR) in full —
 * the HTTP status (a MUST), the JSON body with its code and message and the refusal of a
 * WebSocket request before the protocol switch (SHOULDs, reported as warnings). Only the cases of
 * the ERROR rules use it; every other case asks the "gone" family (conformance/checks/gone.ts),
 * which accepts any 4xx.
 */
import { fail, show } from "../case.js";
import type { CaseContext } from "../runner/context.js";
import type { HttpResponse } from "../client/http.js";
import type { WsConnection } from "../client/ws.js";
import { ENGINE_ERROR_MESSAGES, engineErrorStatus } from "../../protocol/engine.io/constants.js";

/** The standard message of each Engine.IO error code (EIO4-ERROR-02), from the protocol's table. */
const MESSAGES: Record<number, string> = ENGINE_ERROR_MESSAGES;

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
const errorStatus = engineErrorStatus;

/**
 * Checks an HTTP refusal as chapter ERROR sets it. A MUST (EIO4-ERROR-01): a `4xx`, and `400`
 * for every code but 4 (whose `403` is a SHOULD). A SHOULD (EIO4-ERROR-02), reported with
 * `ctx.softFail`: `application/json` and exactly the body `{"code":N,"message":"<standard
 * message>"}` (code 4 may carry its own message). A case that calls it cites EIO4-ERROR-02.
 * @example
 * ```ts
 * const res = await ctx.http.request({ query: { EIO: "4", transport: "polling", sid: "nope" } });
 * expectEngineError(ctx, res, 1);
 * ```
 */
export function expectEngineError(ctx: CaseContext, res: HttpResponse, code: number): void {
  const message = MESSAGES[code]!;
  const wanted = `${errorStatus(code)} {"code":${code},"message":"${message}"}`;
  const seen = `${res.status} ${res.text.slice(0, 200)}`;
  if (res.status >= 500) ctx.note(`a client's fault was answered with ${res.status} (EIO4-ERROR-11)`);
  if (res.status < 400 || res.status >= 500 || (code !== 4 && res.status !== 400)) {
    fail(`refused with status ${res.status} instead of ${errorStatus(code)} (code ${code}: ${message})`, {
      expected: wanted,
      observed: seen,
    });
  }
  if (res.status !== errorStatus(code))
    ctx.softFail(`refused with status ${res.status} instead of ${errorStatus(code)} (EIO4-ERROR-02)`, {
      expected: wanted,
      observed: seen,
    });
  const problem = errorBodyProblem(res, code);
  if (problem) ctx.softFail(`${problem} (EIO4-ERROR-02)`, { expected: wanted, observed: seen });
}

/** What is wrong with an error body (EIO4-ERROR-02), or undefined when it is exactly right. */
export function errorBodyProblem(res: HttpResponse, code: number): string | undefined {
  const type = res.headers["content-type"] ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type))
    return `the error body has content type ${show(type || "(none)")}, not application/json`;
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return "the error body is not JSON";
  }
  const b = body as { code?: unknown; message?: unknown };
  if (typeof b !== "object" || b === null || Array.isArray(b)) return "the error body is not a JSON object";
  if (b.code !== code) return `the error code is ${show(b.code)}, expected ${code} (${MESSAGES[code]})`;
  const keys = Object.keys(b).sort().join(",");
  if (keys !== "code,message") return `the error body has the keys ${keys}, expected exactly code and message`;
  if (code === 4 ? typeof b.message !== "string" : b.message !== MESSAGES[code])
    return `the error message is ${show(b.message)}`;
  return undefined;
}

/**
 * Checks the refusal of a WebSocket request. A MUST: it opens and joins no session — it is
 * refused, or accepted with `101` and closed before any frame. A SHOULD (EIO4-ERROR-09): refused
 * before the protocol switch with a `4xx` (the code's status, EIO4-ERROR-02); a SHOULD
 * (EIO4-ERROR-10): the JSON error body. A case that calls it cites EIO4-ERROR-09 and -10.
 * @example
 * ```ts
 * const ws = ctx.engine.rawWebSocket({ query: { sid: "nope" } });
 * await expectWebSocketRefusal(ctx, ws, 1);
 * ```
 */
export async function expectWebSocketRefusal(ctx: CaseContext, ws: WsConnection, code: number): Promise<void> {
  const opened = await ws.opened;
  const wanted = `{"code":${code},"message":"${MESSAGES[code]}"}`;
  if (opened.ok) {
    const closed = await Promise.race([
      ws.closed,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), ctx.scale(500))),
    ]);
    if (ws.framesReceived > 0)
      fail(
        `the refused WebSocket request was accepted with 101 and got ${ws.framesReceived} frame(s): it joined or opened a session`,
        {
          expected: `${errorStatus(code)} before the switch (code ${code})`,
          observed: `101, then ${ws.framesReceived} frame(s)`,
        },
      );
    if (!closed)
      fail(`the WebSocket request was accepted with 101 and kept open, instead of refused with ${errorStatus(code)}`, {
        expected: `${errorStatus(code)} before the switch (code ${code})`,
        observed: "101, still open",
      });
    ctx.softFail(
      `the WebSocket request was accepted with 101 and then closed (code ${closed.code}), not refused before the switch (EIO4-ERROR-09)`,
      { expected: `${errorStatus(code)} before the switch (code ${code})`, observed: `101, then close ${closed.code}` },
    );
    return;
  }
  if (opened.status === undefined)
    fail(`the WebSocket request got no HTTP answer (${opened.error})`, {
      expected: String(errorStatus(code)),
      observed: opened.error ?? "nothing",
    });
  if (opened.status < 400 || opened.status >= 500)
    fail(`the WebSocket request was refused with ${opened.status}, not a 4xx`, {
      expected: String(errorStatus(code)),
      observed: String(opened.status),
    });
  if (opened.status !== errorStatus(code))
    ctx.softFail(`the WebSocket request was refused with ${opened.status} (EIO4-ERROR-02)`, {
      expected: String(errorStatus(code)),
      observed: String(opened.status),
    });
  let body: { code?: unknown } | undefined;
  try {
    body = JSON.parse(opened.body ?? "") as { code?: unknown };
  } catch {
    body = undefined;
  }
  if (body?.code !== code)
    ctx.softFail(`the WebSocket refusal body is ${show(opened.body ?? "")}, not the JSON error (EIO4-ERROR-10)`, {
      expected: wanted,
      observed: opened.body ?? "",
    });
}
