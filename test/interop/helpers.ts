/**
 * Loopback plumbing for the drop tests: the reference server on port 0 with its upgrade path
 * under the test's control, a WebSocket killer for the probe stage, and bounded waits.
 */
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import type { Duplex } from "node:stream";
import { attach, type AttachOptions, type Attached } from "../../reference/attach.js";

/** Rejects when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `ready` every 10 ms; rejects after `ms` (`what`, or what it returns, names the wait). */
export async function until(ready: () => boolean, ms: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline)
      throw new Error(`${typeof what === "string" ? what : what()}: not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Polls `ready` every 10 ms for at most `ms`; resolves to whether it became true. */
export async function waitFor(ready: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** The reference server with both endpoints, and a hook in front of its WebSocket upgrades. */
export interface Reference {
  http: HttpServer;
  server: Attached;
  /** http://127.0.0.1:port */
  url: string;
  /**
   * Runs before the reference server sees each upgrade request; it may return a promise to hold
   * the request back (the reference server gets it when the promise settles).
   */
  beforeUpgrade: ((req: IncomingMessage, socket: NetSocket) => Promise<void> | void) | undefined;
  close(): Promise<void>;
}

/** Starts the reference server (Socket.IO on /socket.io/, bare Engine.IO on /engine.io/) on 127.0.0.1:0. */
export async function startReference(options: AttachOptions): Promise<Reference> {
  const http = createServer();
  const server = attach(http, { enginePath: "/engine.io/", ...options });
  // Take the reference server's upgrade listeners out and call them from ours, so a test can
  // grab the raw socket (and hold the request) before the WebSocket handshake is answered.
  const upstream = http.listeners("upgrade") as UpgradeListener[];
  http.removeAllListeners("upgrade");
  const ref: Reference = {
    http,
    server,
    url: "",
    beforeUpgrade: undefined,
    async close() {
      await server.close();
      http.closeAllConnections();
      await within(new Promise((resolve) => http.close(resolve)), 2000, "http server close");
    },
  };
  http.on("upgrade", (req: IncomingMessage, socket: NetSocket, head: Buffer) => {
    socket.on("error", () => {});
    const handOver = () => {
      if (!socket.destroyed) for (const l of upstream) l.call(http, req, socket, head);
    };
    const held = ref.beforeUpgrade?.(req, socket);
    if (held) void held.then(handOver, handOver);
    else handOver();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  ref.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return ref;
}

/** How long a probe socket whose answer was swallowed stays up before it is destroyed. */
export const LINGER_MS = 150;

/** The probe stage at which the server side of the WebSocket is destroyed. */
export type KillPoint = "received 2probe" | "sent 3probe" | "delivered 3probe";

/**
 * Watches one upgrade socket on the server side and destroys it at `point`:
 * - "received 2probe": when the chunk carrying the client's `2probe` arrives, before the
 *   reference server reads it (the session never enters the probed state);
 * - "sent 3probe": the reference server's `3probe` answer and everything after it are swallowed
 *   before they leave, and the socket is destroyed LINGER_MS later (the session stays probed
 *   for that long while the client, never seeing the answer, goes on polling);
 * - "delivered 3probe": once the `3probe` frame has been handed to the kernel (the client gets
 *   the answer, then the connection ends).
 * Install it before the reference server reads the socket. The returned flag turns true at the kill.
 */
export function killAt(socket: NetSocket, point: KillPoint): { killed: boolean } {
  const state = { killed: false };
  const kill = () => {
    if (state.killed) return;
    state.killed = true;
    socket.destroy();
  };
  if (point === "received 2probe") {
    let probeSeen = false;
    const frames = clientFrames((text) => {
      if (text === "2probe") probeSeen = true;
    });
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === "data" && !state.killed) {
        frames(args[0] as Buffer);
        if (probeSeen) {
          kill();
          return true; // the chunk is swallowed: nobody above the socket reads it
        }
      }
      return emit(event, ...args);
    }) as NetSocket["emit"];
    return state;
  }
  let swallowing = false;
  const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
  socket.write = ((chunk: unknown, ...rest: unknown[]) => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    if (!swallowing && (state.killed || !bytes.includes("3probe"))) return write(chunk, ...rest);
    if (point === "sent 3probe" && !swallowing) {
      swallowing = true;
      const timer = setTimeout(kill, LINGER_MS);
      socket.once("close", () => clearTimeout(timer));
    }
    if (swallowing) {
      const cb = rest.find((a) => typeof a === "function") as (() => void) | undefined;
      if (cb) process.nextTick(cb);
      return true;
    }
    const cbAt = rest.findIndex((a) => typeof a === "function");
    const cb = cbAt >= 0 ? (rest[cbAt] as (err?: Error | null) => void) : undefined;
    const args = cbAt >= 0 ? rest.slice(0, cbAt) : rest;
    return write(chunk, ...args, (err?: Error | null) => {
      cb?.(err);
      kill();
    });
  }) as NetSocket["write"];
  return state;
}

/**
 * A minimal reader of client-to-server WebSocket frames (masked, unfragmented, as engine.io-client
 * sends them): calls `onText` with each text frame's payload. Enough to spot the probe.
 */
function clientFrames(onText: (text: string) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      const opcode = pending[0]! & 0x0f;
      const masked = (pending[1]! & 0x80) !== 0;
      let length = pending[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        at = 10;
      }
      const maskAt = at;
      if (masked) at += 4;
      if (pending.length < at + length) return;
      const payload = Buffer.from(pending.subarray(at, at + length));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= pending[maskAt + (i % 4)]!;
      pending = pending.subarray(at + length);
      if (opcode === 1) onText(payload.toString("utf8"));
    }
  };
}
