/**
 * Serves a built site over HTTP on 127.0.0.1, as GitHub Pages would (a folder's index.html for
 * its path), so the browser test sees the site the way a reader does rather than from file://.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** Paths that were asked for and not found, for the test to report. */
  missing: string[];
  close(): Promise<void>;
}

/** Serves `root`; paths outside it and missing files get 404 (and are recorded). */
export async function serveStatic(root: string): Promise<StaticServer> {
  const base = resolve(root);
  const missing: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    let file = normalize(join(base, path));
    if (path.endsWith("/")) file = join(file, "index.html");
    if (!file.startsWith(base + sep) && file !== base) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body),
      () => {
        missing.push(path);
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      },
    );
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    missing,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
