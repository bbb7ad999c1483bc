/**
 * The chat demo: the page (with the official browser client) served over plain HTTP next to
 * the Socket.IO endpoint, and the one event handler that broadcasts every message to
 * everyone on the main namespace.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "../../socket.io/server.js";
import { CHAT_HTML, CHAT_JS } from "./page.js";

/** Longest message the chat relays, in UTF-16 code units. */
export const MAX_CHAT_MESSAGE = 1000;

/** Broadcast each `chat message` (a non-empty string up to MAX_CHAT_MESSAGE) to every socket on `/`. */
export function installChat(io: Server): void {
  io.on("connection", (socket) => {
    socket.on("chat message", (msg: unknown) => {
      if (typeof msg !== "string" || msg.length === 0 || msg.length > MAX_CHAT_MESSAGE) return;
      io.emit("chat message", msg);
    });
  });
}

/** Path of the official browser client inside node_modules (socket.io-client is a runtime dependency). */
export function browserClientPath(): string {
  const require = createRequire(import.meta.url);
  // The package does not export the minified bundle; its package.json locates the folder.
  return join(dirname(require.resolve("socket.io-client/package.json")), "dist", "socket.io.min.js");
}

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:",
};

/**
 * The HTTP handler of the chat page: `/` (the page), `/chat.js` and `/socket.io.min.js`;
 * `/favicon.ico` is an empty 204, anything else is 404. The Engine.IO endpoints are attached in front of it and take their
 * own paths first.
 */
export function chatPageHandler(): (req: IncomingMessage, res: ServerResponse) => void {
  let client: Buffer | undefined;
  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Length": "0" }).end();
      return;
    }
    let body: string | Buffer;
    let type: string;
    if (path === "/" || path === "/index.html") {
      body = CHAT_HTML;
      type = "text/html; charset=utf-8";
    } else if (path === "/chat.js") {
      body = CHAT_JS;
      type = "text/javascript; charset=utf-8";
    } else if (path === "/socket.io.min.js") {
      try {
        client ??= readFileSync(browserClientPath());
      } catch {
        res.writeHead(500, { "Content-Type": "text/plain" }).end("socket.io-client is not installed");
        return;
      }
      body = client;
      type = "text/javascript; charset=utf-8";
    } else if (path === "/favicon.ico") {
      // No icon; an empty answer keeps the browser console free of a 404.
      res.writeHead(204).end();
      return;
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), ...SECURITY_HEADERS });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}
