/**
 * CORS headers. Off by default; when on, every response under the path carries them, errors
 * included, so a browser page can read why it was refused.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultSet } from "./faults.js";
import type { CorsOptions } from "./options.js";

/** The CORS headers for a response to `req`. */
export function corsHeaders(cors: false | CorsOptions, req: IncomingMessage, faults: FaultSet): Record<string, string> {
  if (!cors) {
    if (faults.has("cors-always-on")) return { "Access-Control-Allow-Origin": "*" };
    // Leaks past the handshake only, where a probe for CORS would not look.
    const leak = faults.has("cors-leak-when-off") && (req.method === "OPTIONS" || /[?&]sid=/.test(req.url ?? ""));
    return leak ? { "Access-Control-Allow-Origin": "*" } : {};
  }
  const origin = req.headers.origin;
  const headers: Record<string, string> = {};
  if (cors.origin === true) {
    headers["Access-Control-Allow-Origin"] =
      cors.credentials && faults.has("cors-credentials-star") ? "*" : (origin ?? "*");
    headers["Vary"] = "Origin";
  } else if (Array.isArray(cors.origin)) {
    if (origin !== undefined && cors.origin.includes(origin)) headers["Access-Control-Allow-Origin"] = origin;
    headers["Vary"] = "Origin";
  } else if (cors.origin === "*" && cors.credentials) {
    // With credentials the Fetch standard refuses `*`: the request's own origin goes back instead.
    if (origin !== undefined) headers["Access-Control-Allow-Origin"] = origin;
    headers["Vary"] = "Origin";
  } else {
    headers["Access-Control-Allow-Origin"] = cors.origin;
  }
  if (cors.credentials) headers["Access-Control-Allow-Credentials"] = "true";
  if (faults.has("cors-missing-on-get") && req.method === "GET" && /[?&]sid=/.test(req.url ?? ""))
    delete headers["Access-Control-Allow-Origin"];
  return headers;
}

/** Puts the CORS headers on a response before it is written. */
export function applyCors(res: ServerResponse, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
}

/** Answers a preflight: 204 with the allowed methods and the headers the browser asked for. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const asked = req.headers["access-control-request-headers"];
  res.writeHead(204, {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": typeof asked === "string" && asked !== "" ? asked : "Content-Type",
    "Content-Length": "0",
    "Cache-Control": "no-store",
  });
  res.end();
}
