/**
 * CORS headers. Off by default; when on, every response under the path carries them, errors
 * included, so a browser page can read why it was refused.
 */
import type { IncomingMessage } from "node:http";
import type { CorsOptions } from "../options.js";

/** The CORS headers for a response to `req`. */
export function corsHeaders(cors: false | CorsOptions, req: IncomingMessage): Record<string, string> {
  if (!cors) return {};
  const origin = req.headers.origin;
  const headers: Record<string, string> = {};
  if (cors.origin === true) {
    headers["Access-Control-Allow-Origin"] = origin ?? "*";
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
  return headers;
}
