/**
 * Socket.IO v4 over Engine.IO v3 end to end, over raw HTTP long-polling (no official v2 client
 * is installed): the server joins the client to `/` unprompted, and events and acks flow in
 * the length-prefixed v3 payload format.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { attach, type Attached } from "../../reference/attach.js";
import { installSocketEcho } from "../../reference/apps/echo.js";

let http: HttpServer;
let server: Attached;
let base: string;

beforeEach(async () => {
  http = createServer();
  server = attach(http, { allowEIO3: true, pingInterval: 300, pingTimeout: 200 });
  installSocketEcho(server.io);
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/socket.io/?EIO=3&transport=polling&b64=1`;
});

afterEach(async () => {
  await server.close();
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});

const frame = (...packets: string[]) => packets.map((p) => `${p.length}:${p}`).join("");

async function get(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return res.text();
}

describe("Socket.IO v4 over Engine.IO v3 polling", () => {
  it("joins / unprompted, then echoes events and answers acks", async () => {
    const handshake = await get(base);
    const sid = (JSON.parse(handshake.slice(handshake.indexOf("{"))) as { sid: string }).sid;
    const url = `${base}&sid=${sid}`;
    expect(await get(url)).toBe(frame("40", '42["auth",{}]'));

    const post = await fetch(url, {
      method: "POST",
      body: frame('42["message",1]', '427["message-with-ack","a"]', "40/custom?token=t,"),
      signal: AbortSignal.timeout(3000),
    });
    expect(post.status).toBe(200);
    const answers = await get(url);
    expect(answers).toBe(frame('42["message-back",1]', '437["a"]', "40/custom,", '42/custom,["auth",{"token":"t"}]'));
  });

  it("refuses /private without the token with the v4 error payload", async () => {
    const handshake = await get(base);
    const sid = (JSON.parse(handshake.slice(handshake.indexOf("{"))) as { sid: string }).sid;
    const url = `${base}&sid=${sid}`;
    await get(url);
    await fetch(url, { method: "POST", body: frame("40/private,"), signal: AbortSignal.timeout(3000) });
    expect(await get(url)).toBe(frame('44/private,"not authorized"'));
  });
});
