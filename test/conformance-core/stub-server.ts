/**
 * A tiny Engine.IO handshake server for testing the runner: correct by default, with one
 * switch per fault so each handshake case can be shown to fail against a broken server.
 * Only the handshake and the refusals are implemented; a poll of a known session gets a noop.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer } from "ws";

export type StubFault =
  | "status201"
  | "contentTypeHtml"
  | "openNotJson"
  | "batchOpen"
  | "extraKey"
  | "keyOrder"
  | "pingIntervalString"
  | "fractionalTimeout"
  | "shortSid"
  | "fixedSid"
  | "sequentialSid"
  | "noUpgrades"
  | "noCacheControl"
  | "rejectUnknownParams"
  | "rejectT"
  | "wsBinaryOpen"
  | "wsUpgrades"
  | "errorStatus500"
  | "versionFirst"
  | "wsAcceptThenClose";

export const STUB_FAULTS: readonly StubFault[] = [
  "status201",
  "contentTypeHtml",
  "openNotJson",
  "batchOpen",
  "extraKey",
  "keyOrder",
  "pingIntervalString",
  "fractionalTimeout",
  "shortSid",
  "fixedSid",
  "sequentialSid",
  "noUpgrades",
  "noCacheControl",
  "rejectUnknownParams",
  "rejectT",
  "wsBinaryOpen",
  "wsUpgrades",
  "errorStatus500",
  "versionFirst",
  "wsAcceptThenClose",
];

const MESSAGES = [
  "Transport unknown",
  "Session ID unknown",
  "Bad handshake method",
  "Bad request",
  "Forbidden",
  "Unsupported protocol version",
];

export interface StubServer {
  url: string;
  close(): Promise<void>;
}

export async function startStub(faults: readonly StubFault[] = []): Promise<StubServer> {
  const has = (f: StubFault) => faults.includes(f);
  const sessions = new Set<string>();
  let issued = 0;
  const newSid = () =>
    has("fixedSid")
      ? "AAAAAAAAAAAAAAAAAAAA"
      : has("sequentialSid")
        ? `sid${String(++issued).padStart(17, "0")}`
        : has("shortSid")
          ? randomBytes(6).toString("base64url")
          : randomBytes(15).toString("base64url");
  const openPacket = (sid: string, upgrades: string[]) => {
    const pingInterval: unknown = has("pingIntervalString") ? "300" : 300;
    const pingTimeout = has("fractionalTimeout") ? 200.5 : 200;
    const obj = has("keyOrder")
      ? { upgrades, sid, pingTimeout, pingInterval, maxPayload: 1000000 }
      : { sid, upgrades, pingInterval, pingTimeout, maxPayload: 1000000, ...(has("extraKey") ? { extra: 1 } : {}) };
    return has("openNotJson") ? `0sid=${sid}` : "0" + JSON.stringify(obj);
  };
  /** The first fault of a request, in the spec's order (or version first under `versionFirst`). */
  const verify = (q: URLSearchParams, method: string, upgrade: boolean): number | undefined => {
    const version = q.get("EIO") === "4" ? undefined : 5;
    if (has("versionFirst") && version !== undefined) return version;
    const transport = q.get("transport");
    if (transport !== "polling" && transport !== "websocket") return 0;
    if (has("rejectUnknownParams") && q.has("foo")) return 3;
    if (has("rejectT") && q.has("t")) return 3;
    const sid = q.get("sid");
    if (sid !== null) return sessions.has(sid) ? undefined : 1;
    if (method !== "GET") return 2;
    if (transport === "websocket" && !upgrade) return 3;
    return version;
  };
  const refuse = (res: ServerResponse, code: number) => {
    res.writeHead(has("errorStatus500") ? 500 : code === 4 ? 403 : 400, { "content-type": "application/json" });
    res.end(JSON.stringify({ code, message: MESSAGES[code] }));
  };

  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/engine.io/") {
      res.writeHead(404).end();
      return;
    }
    const q = url.searchParams;
    const code = verify(q, req.method ?? "GET", false);
    req.resume();
    if (code !== undefined) return refuse(res, code);
    const sid = q.get("sid");
    const headers: Record<string, string> = {
      "content-type": has("contentTypeHtml") ? "text/html" : "text/plain; charset=UTF-8",
    };
    if (!has("noCacheControl")) headers["cache-control"] = "no-store";
    if (sid !== null) {
      res.writeHead(200, headers).end(req.method === "POST" ? "ok" : "6");
      return;
    }
    const fresh = newSid();
    sessions.add(fresh);
    res.writeHead(has("status201") ? 201 : 200, headers);
    res.end(openPacket(fresh, has("noUpgrades") ? [] : ["websocket"]) + (has("batchOpen") ? "\x1e40" : ""));
  });

  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const q = new URL(req.url ?? "/", "http://x").searchParams;
    const code = verify(q, req.method ?? "GET", true) ?? (q.get("transport") !== "websocket" ? 3 : undefined);
    if (code !== undefined && !has("wsAcceptThenClose")) {
      const body = JSON.stringify({ code, message: MESSAGES[code] });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (code !== undefined) return ws.close(1008);
      const sid = newSid();
      sessions.add(sid);
      const open = openPacket(sid, has("wsUpgrades") ? ["websocket"] : []);
      ws.send(has("wsBinaryOpen") ? Buffer.from(open) : open);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
