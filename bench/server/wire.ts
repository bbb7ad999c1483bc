/**
 * The driver speaks the wire directly (no official client in the way): a WebSocket session that
 * sends one small text payload and recognises its echo, and the polling requests of a session.
 *
 * Socket.IO targets: Engine.IO v4 + Socket.IO v5, namespace `/`; the payload goes out as
 * `42["message","<payload>"]` and comes back as `42["message-back","<payload>"]`.
 * Raw targets: the payload is echoed as is (WebSocket) or stored and returned (HTTP floor).
 */
import WebSocket from "ws";
import type { Pool } from "undici";
import type { WireProtocol } from "./ipc.js";
import { within } from "./stats.js";

/** The small text payload of every echo. */
export const PAYLOAD = "sockspec bench payload 0123456789";
const SIO_MESSAGE = `42["message","${PAYLOAD}"]`;
const SIO_ECHO_PREFIX = '42["message-back"';
const CHAR_4 = 0x34;
const CHAR_2 = 0x32;

/** An open WebSocket session, ready to echo. */
export interface WsSession {
  /** Send one payload in the target's framing. */
  send(): void;
  /** Called once per echo received (pings are answered internally and not reported). */
  onEcho: () => void;
  close(): void;
  /** The underlying WebSocket. */
  readonly socket: WebSocket;
}

/** Open a WebSocket session and, for Socket.IO, complete the Engine.IO open and the CONNECT to `/`. */
export async function openWsSession(port: number, protocol: WireProtocol, timeoutMs = 10_000): Promise<WsSession> {
  const url =
    protocol === "socket.io"
      ? `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`
      : `ws://127.0.0.1:${port}/`;
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const outgoing = protocol === "socket.io" ? SIO_MESSAGE : PAYLOAD;
  const session: WsSession = {
    send: () => socket.send(outgoing),
    onEcho: () => {},
    close: () => socket.terminate(),
    socket,
  };
  socket.on("error", () => {}); // a reset at teardown is expected; failures surface as timeouts
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      if (protocol === "raw") {
        socket.once("open", () => resolve());
        return;
      }
      // Engine.IO open `0{...}`, then our `40`, then the server's `40{"sid":...}` and `42["auth",{}]`.
      let step = 0;
      socket.on("message", function setup(data: Buffer) {
        const text = data.toString();
        if (step === 0 && text.startsWith("0{")) {
          socket.send("40");
          step = 1;
        } else if (step === 1 && text.startsWith("40{")) {
          step = 2;
        } else if (step === 2 && text.startsWith('42["auth"')) {
          socket.off("message", setup);
          resolve();
        } else if (text.startsWith("44") || text.startsWith("1")) {
          reject(new Error(`session refused: ${text}`));
        }
      });
    }),
    timeoutMs,
    `WebSocket session on ${url}`,
  ).catch((err) => {
    socket.terminate();
    throw err;
  });
  socket.on("message", (data: Buffer) => {
    if (protocol === "raw") {
      session.onEcho();
    } else if (data.length === 1 && data[0] === CHAR_2) {
      socket.send("3"); // heartbeat: never let a ping timeout end a session mid-measurement
    } else if (data[0] === CHAR_4 && data[1] === CHAR_2) {
      session.onEcho(); // checked in full once by checkEcho(); per frame only the type bytes
    }
  });
  return session;
}

/** Send one payload and check the echo in full, so the fast path above cannot count the wrong thing. */
export async function checkEcho(port: number, protocol: WireProtocol): Promise<void> {
  const session = await openWsSession(port, protocol);
  const expected = protocol === "socket.io" ? `42["message-back","${PAYLOAD}"]` : PAYLOAD;
  try {
    const text = await within(
      new Promise<string>((resolve) => {
        session.socket.on("message", (data: Buffer) => {
          if (data.toString() !== "2") resolve(data.toString());
        });
        session.send();
      }),
      5000,
      "the first echo",
    );
    if (text !== expected) throw new Error(`expected the echo ${expected}, got ${text.slice(0, 80)}`);
  } finally {
    session.close();
  }
}

/** The HTTP paths of a polling session on a target. */
function pollingPath(protocol: WireProtocol, sid?: string): string {
  if (protocol === "raw") return sid ? `/poll?sid=${sid}` : "/poll";
  return sid ? `/socket.io/?EIO=4&transport=polling&sid=${sid}` : "/socket.io/?EIO=4&transport=polling";
}

async function call(pool: Pool, method: "GET" | "POST", path: string, body?: string): Promise<string> {
  const res = await pool.request({
    method,
    path,
    ...(body !== undefined ? { body, headers: { "content-type": "text/plain;charset=UTF-8" } } : {}),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`);
  return text;
}

/** GET until a record starting with `prefix` arrives, answering pings; a bounded number of tries. */
async function pollFor(pool: Pool, protocol: WireProtocol, sid: string, prefix: string): Promise<string> {
  for (let tries = 0; tries < 20; tries++) {
    const body = await call(pool, "GET", pollingPath(protocol, sid));
    const records = body.split("\x1e");
    if (records.includes("2")) await call(pool, "POST", pollingPath(protocol, sid), "3");
    if (records.some((r) => r.startsWith(prefix))) return body;
  }
  throw new Error(`no ${prefix} record after 20 polls`);
}

/** Open a polling session and CONNECT (Socket.IO: `40`, answered by `40{...}`); returns the sid. */
export async function openPollingSession(pool: Pool, protocol: WireProtocol): Promise<string> {
  const open = await call(pool, "GET", pollingPath(protocol));
  if (!open.startsWith("0{")) throw new Error(`bad open packet: ${open.slice(0, 80)}`);
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  await call(pool, "POST", pollingPath(protocol, sid), "40");
  await pollFor(pool, protocol, sid, "40");
  return sid;
}

/** End a polling session with a close packet. */
export async function closePollingSession(pool: Pool, protocol: WireProtocol, sid: string): Promise<void> {
  await call(pool, "POST", pollingPath(protocol, sid), "1");
}

/** One polling round trip: POST the payload, then GET its echo. */
export async function pollingRoundTrip(pool: Pool, protocol: WireProtocol, sid: string): Promise<void> {
  if (protocol === "raw") {
    await call(pool, "POST", pollingPath(protocol, sid), PAYLOAD);
    const body = await call(pool, "GET", pollingPath(protocol, sid));
    if (body !== PAYLOAD) throw new Error(`bad echo: ${body.slice(0, 80)}`);
    return;
  }
  await call(pool, "POST", pollingPath(protocol, sid), SIO_MESSAGE);
  await pollFor(pool, protocol, sid, SIO_ECHO_PREFIX);
}
