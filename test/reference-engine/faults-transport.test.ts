/**
 * The fault switches of the packet, payload, polling, WebSocket, error, limit and CORS chapters:
 * each one changes what goes over the wire in a small probe, and a server with no fault shows
 * the conforming answer to the same probe. One row per fault: the probe, what the conforming
 * server shows, what the mutant shows.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineFault } from "../../reference/faults/index.js";
import type { EngineServerOptions } from "../../reference/engine/options.js";
import { httpRequest, openPolling, sleep, startServer, TestSocket, type Reply, type Running } from "./net.js";

const ORIGIN = "http://example.test";
let run: Running | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await run?.close();
  run = undefined;
});

function socket(url: string): TestSocket {
  const s = new TestSocket(url);
  sockets.push(s);
  return s;
}

/** The query of a fresh polling session. */
async function session(r: Running): Promise<string> {
  return `EIO=4&transport=polling&sid=${await openPolling(r)}`;
}

/** The error code of a JSON refusal, or the status when the body is none. */
function codeOf(res: Reply): string {
  try {
    return `${res.status} code ${(JSON.parse(res.text) as { code: number }).code}`;
  } catch {
    return String(res.status);
  }
}

/** POSTs `body` to a fresh session and returns the status of the answer. */
async function postStatus(
  r: Running,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  method = "POST",
): Promise<number> {
  return (await httpRequest(method, r.url(await session(r)), { body, headers })).status;
}

/** POSTs `body` to a fresh session and returns the next GET's body. */
async function echoPolling(r: Running, body: string): Promise<string> {
  const q = await session(r);
  await httpRequest("POST", r.url(q), { body });
  return (await httpRequest("GET", r.url(q))).text;
}

/** POSTs `body` while a GET of the session is pending; returns that GET's body. */
async function withPendingGet(r: Running, post: (q: string) => Promise<unknown>): Promise<string> {
  const q = await session(r);
  const get = httpRequest("GET", r.url(q));
  await sleep(30);
  await post(q);
  return (await get).text;
}

/** A WebSocket session, its open packet already read. */
async function wsSession(r: Running): Promise<{ ws: TestSocket; sid: string }> {
  const ws = socket(r.url("EIO=4&transport=websocket", "ws"));
  await ws.open();
  const open = String(await ws.next());
  return { ws, sid: (JSON.parse(open.slice(1)) as { sid: string }).sid };
}

/** A frame as comparable text; `closed <code>` when the socket closed instead. */
async function frameOrClose(ws: TestSocket): Promise<string> {
  try {
    const f = await ws.next(1000);
    return typeof f === "string" ? f : `<${f.toString("hex")}>`;
  } catch {
    return `closed ${ws.closeCode}`;
  }
}

/** Sends frames on a fresh WebSocket session and returns the first answer. */
async function wsEcho(r: Running, ...frames: Array<string | Uint8Array>): Promise<string> {
  const { ws } = await wsSession(r);
  for (const f of frames) ws.send(f);
  return frameOrClose(ws);
}

/** How a WebSocket session's sid is answered over polling once its socket is gone. */
async function pollAfter(r: Running, sid: string): Promise<string> {
  await sleep(50);
  return codeOf(await httpRequest("GET", r.url(`EIO=4&transport=polling&sid=${sid}`)));
}

interface Row {
  fault: EngineFault;
  options?: EngineServerOptions;
  probe(r: Running): Promise<unknown>;
  good: unknown;
  bad: unknown;
}

const cors: EngineServerOptions = { cors: { origin: true, credentials: true } };

const rows: Row[] = [
  // packets and payloads
  { fault: "short-text-keeps-type-digit", probe: (r) => echoPolling(r, "4hi"), good: "4hi", bad: "44hi" },
  { fault: "utf8-as-latin1", probe: (r) => echoPolling(r, "4é"), good: "4é", bad: "4Ã©" },
  { fault: "binary-record-with-type-digit", probe: (r) => echoPolling(r, "bAQ=="), good: "bAQ==", bad: "b4AQ==" },
  { fault: "binary-frame-as-base64", probe: (r) => wsEcho(r, new Uint8Array([1])), good: "<01>", bad: "bAQ==" },
  {
    fault: "binary-frame-type-byte",
    probe: (r) => wsEcho(r, new Uint8Array([1, 2, 3, 4])),
    good: "<01020304>",
    bad: "<0401020304>",
  },
  { fault: "unknown-type-ignored", probe: (r) => postStatus(r, "7"), good: 400, bad: 200 },
  { fault: "type-seven-as-message", probe: (r) => postStatus(r, "7x"), good: 400, bad: 200 },
  { fault: "base64-like-text-untyped", probe: (r) => echoPolling(r, "4bAQ=="), good: "4bAQ==", bad: "bAQ==" },
  {
    fault: "binary-frame-sniffed-as-text",
    probe: (r) => wsEcho(r, new Uint8Array([0x34, 0x61])),
    good: "<3461>",
    bad: "4a",
  },
  { fault: "empty-message-dropped", probe: (r) => echoPolling(r, "4\x1e4x"), good: "4\x1e4x", bad: "4x" },
  { fault: "dataless-data-ignored", probe: (r) => postStatus(r, "6x"), good: 400, bad: 200 },
  { fault: "noop-closes-session", probe: (r) => postStatus(r, "6"), good: 200, bad: 400 },
  { fault: "pong-data-rejected", probe: (r) => postStatus(r, "3x"), good: 200, bad: 400 },
  {
    fault: "payload-all-or-nothing",
    probe: (r) => withPendingGet(r, (q) => httpRequest("POST", r.url(q), { body: "4a\x1ez" })),
    good: "4a",
    bad: "1",
  },
  { fault: "base64-plus-as-slash", probe: (r) => echoPolling(r, "b/+8="), good: "b/+8=", bad: "b//8=" },
  {
    fault: "separator-before-garbage-is-data",
    probe: (r) => echoPolling(r, "4a\x1ez"),
    good: '{"code":1,"message":"Session ID unknown"}',
    bad: "4a\x1ez",
  },
  { fault: "bad-record-in-batch-skipped", probe: (r) => postStatus(r, "4a\x1ez"), good: 400, bad: 200 },
  {
    fault: "text-batch-reversed",
    probe: (r) => echoPolling(r, "4a\x1e4b\x1e4c"),
    good: "4a\x1e4b\x1e4c",
    bad: "4c\x1e4b\x1e4a",
  },
  { fault: "batch-astral-mangled", probe: (r) => echoPolling(r, "4😀\x1e4é"), good: "4😀\x1e4é", bad: "4\ufffd\x1e4é" },
  { fault: "empty-record-skipped", probe: (r) => postStatus(r, "4a\x1e"), good: 400, bad: 200 },
  { fault: "bad-payload-200", probe: (r) => postStatus(r, "4a\x1e\x1e4b"), good: 400, bad: 200 },
  { fault: "utf8-lenient", probe: (r) => postStatus(r, new Uint8Array([0x34, 0xff])), good: 400, bad: 200 },
  // polling
  {
    fault: "post-ok-text-plain",
    probe: async (r) => (await httpRequest("POST", r.url(await session(r)), { body: "3" })).headers["content-type"],
    good: "text/html",
    bad: "text/plain",
  },
  {
    fault: "no-cache-control",
    probe: async (r) => [
      (await httpRequest("GET", r.url("EIO=4&transport=polling"))).headers["cache-control"],
      (await httpRequest("POST", r.url(await session(r)), { body: "3" })).headers["cache-control"],
    ],
    good: ["no-store", "no-store"],
    bad: [undefined, undefined],
  },
  {
    fault: "get-flushed-at-ping-only",
    probe: (r) => withPendingGet(r, (q) => httpRequest("POST", r.url(q), { body: "4x" })),
    good: "4x",
    bad: "4x\x1e2",
  },
  {
    fault: "aborted-get-ignored",
    probe: async (r) => {
      const q = await session(r);
      await httpRequest("GET", r.url(q), { signal: AbortSignal.timeout(30) }).catch(() => undefined);
      await sleep(30);
      return codeOf(await httpRequest("POST", r.url(q), { body: "3" }));
    },
    good: "400 code 1",
    bad: "200",
  },
  {
    fault: "aborted-post-delivers",
    probe: (r) =>
      withPendingGet(r, async (q) => {
        const tcp = connect(r.port, "127.0.0.1");
        tcp.on("error", () => {});
        tcp.write(
          `POST /engine.io/?${q} HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: 40\r\n\r\n4hello\x1e4x`,
        );
        await sleep(30);
        tcp.destroy();
      }),
    good: "1",
    bad: "4hello\x1e4x",
  },
  {
    fault: "octet-stream-refused",
    probe: (r) => postStatus(r, "4a", { "content-type": "application/octet-stream" }),
    good: 200,
    bad: 400,
  },
  {
    fault: "post-without-type-refused",
    probe: async (r) => {
      const q = await session(r);
      const tcp = connect(r.port, "127.0.0.1");
      tcp.on("error", () => {});
      const answer = new Promise<string>((resolve) =>
        tcp.once("data", (d: Buffer) => resolve(d.toString("latin1").split(" ")[1]!)),
      );
      tcp.write(`POST /engine.io/?${q} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 2\r\n\r\n4a`);
      const status = await answer;
      tcp.destroy();
      return status;
    },
    good: "200",
    bad: "400",
  },
  {
    fault: "long-get-reversed",
    probe: (r) => echoPolling(r, "4sockspec:burst:30").then((t) => t.split("\x1e")[0]),
    good: "4burst:1",
    bad: "4burst:30",
  },
  {
    fault: "overlap-refusal-empty",
    probe: async (r) => {
      const q = await session(r);
      const first = httpRequest("GET", r.url(q));
      await sleep(30);
      const second = await httpRequest("GET", r.url(q));
      await first;
      return `${second.status} ${second.text}`;
    },
    good: '400 {"code":3,"message":"Bad request"}',
    bad: "400 ",
  },
  { fault: "put-as-post", probe: (r) => postStatus(r, "4a", {}, "PUT"), good: 400, bad: 200 },
  {
    fault: "post-held-until-flush",
    probe: async (r) => {
      const q = await session(r);
      const t0 = Date.now();
      await httpRequest("POST", r.url(q), { body: "3" });
      return Date.now() - t0 >= 250 ? "held" : "prompt";
    },
    good: "prompt",
    bad: "held",
  },
  {
    fault: "idle-get-answered-noop",
    probe: async (r) => (await httpRequest("GET", r.url(await session(r)))).text,
    good: "2",
    bad: "6",
  },
  {
    fault: "poll-status-202",
    probe: async (r) => {
      const q = await session(r);
      await httpRequest("POST", r.url(q), { body: "4x" });
      return (await httpRequest("GET", r.url(q))).status;
    },
    good: 200,
    bad: 202,
  },
  {
    fault: "overlapping-post-served",
    probe: async (r) => {
      const q = await session(r);
      const tcp = connect(r.port, "127.0.0.1");
      tcp.on("error", () => {});
      tcp.write(
        `POST /engine.io/?${q} HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: 40\r\n\r\n4hello`,
      );
      await sleep(30);
      const second = await httpRequest("POST", r.url(q), { body: "4second" });
      tcp.destroy();
      return second.status;
    },
    good: 400,
    bad: 200,
  },
  // WebSocket
  { fault: "ws-frame-separator-appended", probe: (r) => wsEcho(r, "4hi"), good: "4hi", bad: "4hi\x1e" },
  { fault: "ws-frame-split-on-separator", probe: (r) => wsEcho(r, "4a\x1e4b"), good: "4a\x1e4b", bad: "4a" },
  { fault: "b-text-frame-rejected", probe: (r) => wsEcho(r, "bAQ=="), good: "<01>", bad: "closed 1002" },
  { fault: "ws-open-twice", probe: (r) => wsEcho(r, "4x"), good: "4x", bad: expect.stringMatching(/^0\{"sid"/) },
  {
    fault: "ws-invalid-frame-closes-socket-only",
    probe: async (r) => {
      const { ws, sid } = await wsSession(r);
      ws.send("abc");
      await ws.closed();
      return pollAfter(r, sid);
    },
    good: "400 code 1",
    bad: "400 code 3",
  },
  {
    fault: "ws-utf8-unchecked",
    probe: async (r) => {
      const { ws } = await wsSession(r);
      ws.ws.send(Buffer.from([0x34, 0xff]), { binary: false });
      return frameOrClose(ws);
    },
    good: "closed 1007",
    bad: "4\ufffd",
  },
  {
    fault: "deliver-after-close",
    probe: async (r) => {
      const { ws } = await wsSession(r);
      ws.send("4sockspec:close");
      ws.send("4late");
      return frameOrClose(ws);
    },
    good: "closed 1000",
    bad: "4late",
  },
  { fault: "ws-close-terminates", probe: (r) => wsEcho(r, "4sockspec:close"), good: "closed 1000", bad: "closed 1006" },
  {
    fault: "ws-sid-reused",
    probe: async (r) => {
      const [first, second] = [await wsSession(r), await wsSession(r)];
      return first.sid === second.sid;
    },
    good: false,
    bad: true,
  },
  {
    fault: "ws-close-keeps-session",
    probe: async (r) => {
      const { ws, sid } = await wsSession(r);
      ws.ws.close();
      await ws.closed();
      return pollAfter(r, sid);
    },
    good: "400 code 1",
    bad: "400 code 3",
  },
  {
    fault: "second-websocket-takes-over",
    probe: async (r) => {
      const { ws, sid } = await wsSession(r);
      const second = socket(r.url(`EIO=4&transport=websocket&sid=${sid}`, "ws"));
      await second.closed(300).catch(() => undefined);
      await sleep(50);
      return [second.unexpected?.status, ws.closeCode];
    },
    good: [400, undefined],
    bad: [undefined, 1000],
  },
  {
    fault: "unknown-sid-websocket-opens-session",
    probe: async (r) => {
      const ws = socket(r.url("EIO=4&transport=websocket&sid=sockspecUnknownSid000", "ws"));
      await ws.closed(300).catch(() => undefined);
      return ws.unexpected?.status ?? (await frameOrClose(ws)).slice(0, 7);
    },
    good: 400,
    bad: '0{"sid"',
  },
  // handshake
  {
    fault: "handshake-status-201",
    probe: async (r) => (await httpRequest("GET", r.url("EIO=4&transport=polling"))).status,
    good: 200,
    bad: 201,
  },
  {
    fault: "handshake-with-noop",
    probe: async (r) => (await httpRequest("GET", r.url("EIO=4&transport=polling"))).text.endsWith("}\x1e6"),
    good: false,
    bad: true,
  },
  {
    fault: "handshake-not-json",
    probe: async (r) => (await httpRequest("GET", r.url("EIO=4&transport=polling"))).text.slice(0, 6),
    good: '0{"sid',
    bad: "0{sid:",
  },
  {
    fault: "handshake-timings-as-strings",
    probe: async (r) => /"pingInterval":"300"/.test((await httpRequest("GET", r.url("EIO=4&transport=polling"))).text),
    good: false,
    bad: true,
  },
  {
    fault: "polling-upgrades-empty",
    probe: async (r) => /"upgrades":\[\]/.test((await httpRequest("GET", r.url("EIO=4&transport=polling"))).text),
    good: false,
    bad: true,
  },
  { fault: "sid-short", probe: async (r) => (await openPolling(r)).length, good: 20, bad: 12 },
  {
    fault: "polling-sid-reused",
    probe: async (r) => {
      const [first, second] = [await openPolling(r), await openPolling(r)];
      return first === second;
    },
    good: false,
    bad: true,
  },
  {
    fault: "handshake-keys-reordered",
    probe: async (r) => (await httpRequest("GET", r.url("EIO=4&transport=polling"))).text.slice(0, 8),
    good: '0{"sid":',
    bad: '0{"maxPa',
  },
  {
    fault: "sid-not-url-safe",
    probe: async (r) => /^[A-Za-z0-9._~-]+$/.test(await openPolling(r)),
    good: true,
    bad: false,
  },
  {
    fault: "handshake-any-method",
    probe: async (r) => (await httpRequest("POST", r.url("EIO=4&transport=polling"), { body: "" })).status,
    good: 400,
    bad: 200,
  },
  { fault: "sid-sequential", probe: async (r) => /^S0+1$/.test(await openPolling(r)), good: false, bad: true },
  {
    fault: "timings-fractional",
    probe: async (r) =>
      /"pingTimeout":\d+\.5[,}]/.test((await httpRequest("GET", r.url("EIO=4&transport=polling"))).text),
    good: false,
    bad: true,
  },
  {
    fault: "unknown-param-refused",
    probe: async (r) => (await httpRequest("GET", r.url("EIO=4&transport=polling&foo=bar"))).status,
    good: 200,
    bad: 400,
  },
  {
    fault: "t-param-refused",
    probe: async (r) => (await httpRequest("POST", r.url(`${await session(r)}&t=x`), { body: "3" })).status,
    good: 200,
    bad: 400,
  },
  // errors
  {
    fault: "unknown-transport-code-3",
    probe: async (r) => codeOf(await httpRequest("GET", r.url("EIO=4&transport=abc"))),
    good: "400 code 0",
    bad: "400 code 3",
  },
  {
    fault: "bad-method-code-3",
    probe: async (r) => codeOf(await httpRequest("POST", r.url("EIO=4&transport=polling"), { body: "4x" })),
    good: "400 code 2",
    bad: "400 code 3",
  },
  {
    fault: "ws-without-upgrade-code-0",
    probe: async (r) => codeOf(await httpRequest("GET", r.url("EIO=4&transport=websocket"))),
    good: "400 code 3",
    bad: "400 code 0",
  },
  {
    fault: "eio3-wrong-code",
    probe: async (r) => codeOf(await httpRequest("GET", r.url("EIO=3&transport=polling"))),
    good: "400 code 5",
    bad: "400 code 3",
  },
  {
    fault: "version-unchecked",
    probe: async (r) => (await httpRequest("GET", r.url("EIO=5&transport=polling"))).status,
    good: 400,
    bad: 200,
  },
  {
    fault: "version-before-sid",
    probe: async (r) => codeOf(await httpRequest("GET", r.url("EIO=5&transport=polling&sid=unknown"))),
    good: "400 code 1",
    bad: "400 code 5",
  },
  {
    fault: "refusal-closes-session",
    probe: async (r) => {
      const q = await session(r);
      await httpRequest("GET", r.url(q.replace("transport=polling", "transport=abc")));
      await httpRequest("POST", r.url(q), { body: "4x" });
      return (await httpRequest("GET", r.url(q))).text;
    },
    good: "4x",
    bad: "6\x1e1",
  },
  {
    fault: "unknown-sid-post-200",
    probe: async (r) => codeOf(await httpRequest("POST", r.url("EIO=4&transport=polling&sid=unknown"), { body: "4x" })),
    good: "400 code 1",
    bad: "200 code 1",
  },
  {
    fault: "repeated-param-500",
    probe: async (r) => (await httpRequest("GET", r.url("EIO=4&EIO=4&transport=polling"))).status,
    good: 200,
    bad: 500,
  },
  // limits
  {
    fault: "limit-exclusive",
    options: { maxHttpBufferSize: 10 },
    probe: (r) => postStatus(r, "4123456789"),
    good: 200,
    bad: 413,
  },
  {
    fault: "max-payload-overstated",
    options: { maxHttpBufferSize: 10 },
    probe: async (r) => [
      /"maxPayload":20[,}]/.test((await httpRequest("GET", r.url("EIO=4&transport=polling"))).text),
      await postStatus(r, "4" + "x".repeat(19)),
    ],
    good: [false, 413],
    bad: [true, 413],
  },
  {
    fault: "limit-counts-data",
    options: { maxHttpBufferSize: 10 },
    probe: (r) => postStatus(r, "4a\x1e4b\x1e4c\x1e4d"),
    good: 413,
    bad: 200,
  },
  {
    fault: "ws-no-limit",
    options: { maxHttpBufferSize: 10 },
    probe: (r) => wsEcho(r, "4" + "z".repeat(20)),
    good: "closed 1009",
    bad: "4" + "z".repeat(20),
  },
  // CORS
  {
    fault: "cors-leak-when-off",
    probe: async (r) => [
      (await httpRequest("GET", r.url("EIO=4&transport=polling"), { headers: { origin: ORIGIN } })).headers[
        "access-control-allow-origin"
      ],
      (await httpRequest("POST", r.url(await session(r)), { body: "3", headers: { origin: ORIGIN } })).headers[
        "access-control-allow-origin"
      ],
    ],
    good: [undefined, undefined],
    bad: [undefined, "*"],
  },
  {
    fault: "preflight-opens-session",
    options: cors,
    probe: async (r) =>
      (await httpRequest("OPTIONS", r.url("EIO=4&transport=polling"), { headers: { origin: ORIGIN } })).status,
    good: 204,
    bad: 200,
  },
  {
    fault: "preflight-without-allow-headers",
    options: cors,
    probe: async (r) =>
      (
        await httpRequest("OPTIONS", r.url("EIO=4&transport=polling"), {
          headers: { origin: ORIGIN, "access-control-request-headers": "content-type" },
        })
      ).headers["access-control-allow-headers"],
    good: "content-type",
    bad: undefined,
  },
  {
    fault: "cors-missing-on-get",
    options: cors,
    probe: async (r) => {
      const q = await session(r);
      await httpRequest("POST", r.url(q), { body: "4x" });
      return (await httpRequest("GET", r.url(q), { headers: { origin: ORIGIN } })).headers[
        "access-control-allow-origin"
      ];
    },
    good: ORIGIN,
    bad: undefined,
  },
  {
    fault: "cors-not-on-errors",
    options: cors,
    probe: async (r) =>
      (await httpRequest("GET", r.url("EIO=4&transport=polling&sid=unknown"), { headers: { origin: ORIGIN } })).headers[
        "access-control-allow-origin"
      ],
    good: ORIGIN,
    bad: undefined,
  },
  {
    fault: "cors-credentials-star",
    options: cors,
    probe: async (r) =>
      (await httpRequest("GET", r.url("EIO=4&transport=polling"), { headers: { origin: ORIGIN } })).headers[
        "access-control-allow-origin"
      ],
    good: ORIGIN,
    bad: "*",
  },
];

describe("transport fault switches", () => {
  for (const row of rows) {
    it(row.fault, async () => {
      run = await startServer({ ...row.options });
      const good = await row.probe(run);
      await run.close();
      run = await startServer({ ...row.options, faults: new Set([row.fault]) });
      const bad = await row.probe(run);
      expect({ good, bad }).toEqual({ good: row.good, bad: row.bad });
    });
  }
});
