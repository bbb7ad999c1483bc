/**
 * The floor: a bare `ws` echo server, plus the least HTTP work a polling exchange can cost
 * (node:http, a body read, a map lookup). No protocol can beat the socket under it.
 *
 * HTTP floor, mirroring the request pattern of Engine.IO polling at path /poll:
 *   GET /poll            -> `0{"sid":"<id>"}` (a new session)
 *   POST /poll?sid=<id>  -> stores the body, `ok`; a body of `1` ends the session
 *   GET /poll?sid=<id>   -> the stored bodies joined by \x1e (the driver always POSTs first)
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { WebSocketServer } from "ws";
import { runChild } from "../child-harness.js";

await runChild(async () => {
  const sessions = new Map<string, string[]>();
  const http = createServer((req, res) => {
    const url = req.url ?? "";
    const at = url.indexOf("sid=");
    if (!url.startsWith("/poll")) {
      res.writeHead(404).end();
      return;
    }
    if (at === -1) {
      const sid = randomBytes(15).toString("base64url");
      sessions.set(sid, []);
      res.writeHead(200, { "content-type": "text/plain; charset=UTF-8" }).end(`0{"sid":"${sid}"}`);
      return;
    }
    const sid = url.slice(at + 4);
    const queue = sessions.get(sid);
    if (!queue) {
      res.writeHead(400).end();
      return;
    }
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (body === "1") sessions.delete(sid);
        else queue.push(body);
        res.writeHead(200, { "content-type": "text/html" }).end("ok");
      });
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; charset=UTF-8" }).end(queue.splice(0).join("\x1e"));
  });
  const wss = new WebSocketServer({ server: http });
  wss.on("connection", (socket) => {
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    port: (http.address() as AddressInfo).port,
    protocol: "raw",
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
});
