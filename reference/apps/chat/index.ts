/**
 * The chat demo: the page (with the official browser client) served over plain HTTP next to
 * the Socket.IO endpoint, and the handlers that pass every message on to everyone on the main
 * namespace and give a page that opens the latest messages.
 *
 * Its events are described once, in catalogue.json; `generated/` is what `sockspec codegen
 * catalogue.json --out generated --lang ts` makes of it. The server checks what pages send with
 * the generated `wrap`; the page checks what the server sends with the same code, generated as
 * JavaScript for the browser (served under /generated/).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "../../socket.io/server.js";
import type { EventCatalogue } from "../../../schemas/generated/codegen/catalogue.js";
import { generatePackage } from "../../../codegen/emit/generate.js";
import { catalogue } from "./generated/catalogue.js";
import { wrap } from "./generated/server.js";
import { CHAT_HTML, CHAT_JS } from "./page.js";

/** Longest message the chat relays, in code points (the catalogue's ChatText maxLength). */
export const MAX_CHAT_MESSAGE = 1000;

/** How many messages a page that opens gets (the catalogue's ChatHistory maxItems). */
export const MAX_CHAT_HISTORY = 100;

/**
 * Pass each `chat message` on to every socket on `/`, and answer `history` with the latest
 * messages. Both go through the generated `wrap`: an invalid message (not a string, empty, too
 * long) never reaches the handlers and is dropped, as it always was.
 */
export function installChat(io: Server): void {
  const history: string[] = [];
  io.on("connection", (socket) => {
    const chat = wrap("/", socket, { onInvalid: () => undefined });
    chat.on("chat message", (text) => {
      history.push(text);
      if (history.length > MAX_CHAT_HISTORY) history.shift();
      io.emit("chat message", text);
    });
    chat.on("history", (ack) => ack(history.slice()));
  });
}

/** The browser's copy of the generated code (JavaScript, run-time files only), made once on first request. */
let browserModules: Promise<Map<string, string>> | undefined;

/** The generated modules the page imports, by path under /generated/. */
export function chatBrowserModules(): Promise<Map<string, string>> {
  browserModules ??= generatePackage(catalogue as unknown as EventCatalogue, {
    lang: "js",
    source: "catalogue.json",
    runtimeOnly: true,
  });
  return browserModules;
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
 * The HTTP handler of the chat page: `/` (the page), `/chat.js`, `/socket.io.min.js` and the
 * generated modules under `/generated/`; `/favicon.ico` is an empty 204, anything else is 404.
 * The Engine.IO endpoints are attached in front of it and take their own paths first.
 */
export function chatPageHandler(): (req: IncomingMessage, res: ServerResponse) => void {
  let client: Buffer | undefined;
  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Length": "0" }).end();
      return;
    }
    if (path.startsWith("/generated/")) {
      serveGenerated(path.slice("/generated/".length), req, res);
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

/** One generated module for the page, or 404 for a path the generator did not make. */
function serveGenerated(name: string, req: IncomingMessage, res: ServerResponse): void {
  chatBrowserModules().then(
    (modules) => {
      const body = modules.get(name);
      if (body === undefined || !name.endsWith(".js")) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
        return;
      }
      res.writeHead(200, {
        "Content-Type": "text/javascript; charset=utf-8",
        "Content-Length": Buffer.byteLength(body),
        ...SECURITY_HEADERS,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    },
    (err: unknown) => {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(`cannot generate the chat's modules: ${String(err)}`);
    },
  );
}
