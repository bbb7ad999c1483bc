/**
 * HTTP long-polling on node:http: turns GET and POST requests into calls on the session core
 * and its answers into responses. Nothing here decides protocol behaviour beyond the HTTP
 * envelope (statuses, headers, body limits).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorBody, refusal, statusFor, type Refusal } from "./errors.js";
import type { FaultSet } from "./faults.js";
import type { PollResponder } from "./ports.js";
import type { Session } from "./session.js";
import type { Packet } from "./wire.js";

/** Strict UTF-8 (EIO4-PAYLOAD-10) that keeps a leading U+FEFF as data. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** The decoder of the utf8-lenient fault: invalid bytes become U+FFFD. */
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function byteLength(body: string | Uint8Array): number {
  return typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
}

/** Writes an error response: JSON `{"code","message"}`, 400 (403 for code 4) unless `status` says otherwise. */
export function sendError(res: ServerResponse, r: Refusal, status = statusFor(r.code)): void {
  if (res.headersSent || res.destroyed) return;
  const body = errorBody(r);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(body)),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

/** Writes a polling payload as a 200 response. */
export function sendPackets(
  res: ServerResponse,
  session: Session<unknown>,
  packets: readonly Packet[],
  faults: FaultSet,
  status = 200,
): void {
  if (res.headersSent || res.destroyed) return;
  const { body, contentType } = session.wire.encodePayload(
    faults.has("long-get-reversed") && packets.length > 25 ? [...packets].reverse() : packets,
  );
  res.writeHead(status, {
    "Content-Type": faults.has("get-wrong-content-type") ? "text/html" : contentType,
    "Content-Length": String(byteLength(body)),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

/**
 * For the no-cache-control and cors-not-on-errors faults: `name` is left out of every answer on
 * `res` whose status is at least `minStatus`, whether it was set before or given to writeHead.
 */
export function omitHeader(res: ServerResponse, name: string, minStatus = 0): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status >= minStatus) {
      this.removeHeader(name);
      const headers = rest.find((a) => typeof a === "object" && a !== null) as Record<string, unknown> | undefined;
      for (const k of Object.keys(headers ?? {})) if (k.toLowerCase() === name.toLowerCase()) delete headers![k];
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
}

/** The status of a refused overlapping request (500 only with the matching fault). */
function overlapStatus(faults: FaultSet): number {
  return faults.has("status-500-instead-of-400") ? 500 : 400;
}

/** The refusal of an overlapping GET or POST: 400 code 3 (its status and body as the faults say). */
function sendOverlapRefusal(res: ServerResponse, faults: FaultSet): void {
  if (!faults.has("overlap-refusal-empty")) return sendError(res, refusal(3), overlapStatus(faults));
  if (res.headersSent || res.destroyed) return;
  res.writeHead(overlapStatus(faults), { "Content-Length": "0", "Cache-Control": "no-store" });
  res.end();
}

/** A GET on an existing session: held until the session has packets for it. */
export function servePoll(
  session: Session<unknown>,
  _req: IncomingMessage,
  res: ServerResponse,
  faults: FaultSet,
): void {
  let answered = false;
  const responder: PollResponder = {
    respond(packets) {
      if (answered) return;
      answered = true;
      const status =
        faults.has("poll-status-202") && packets.some((p) => p.type === "message" || p.type === "ping") ? 202 : 200;
      sendPackets(res, session, packets, faults, status);
    },
  };
  if (session.onPoll(responder) === "overlap") {
    answered = true;
    sendOverlapRefusal(res, faults);
    return;
  }
  res.on("close", () => {
    if (!answered) session.onPollAborted(responder);
  });
}

export interface PostLimits {
  maxHttpBufferSize: number;
  faults: FaultSet;
  /** How long the post-held-until-flush fault holds the answer. */
  pingInterval?: number;
}

/** The size of a POST body's decoded data, for the limit-counts-data fault: characters of text, bytes of binary. */
function dataSize(session: Session<unknown>, body: string): number {
  try {
    return session.wire
      .decodePayload(body)
      .reduce(
        (n, p) =>
          n +
          ("data" in p && p.data !== undefined ? (typeof p.data === "string" ? p.data.length : p.data.byteLength) : 0),
        0,
      );
  } catch {
    return 0;
  }
}

/** A POST on an existing session: the body is read under the size limit and handed to the core. */
export function servePost(
  session: Session<unknown>,
  req: IncomingMessage,
  res: ServerResponse,
  limits: PostLimits,
): void {
  const { faults } = limits;
  const countsData = faults.has("limit-counts-data");
  const limit = faults.has("no-413") || countsData ? Infinity : limits.maxHttpBufferSize;
  if (!session.beginPost()) {
    sendOverlapRefusal(res, faults);
    return;
  }
  const octetStream = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/octet-stream");
  // A v4 payload is text whatever its label (EIO4-POLLING-13); only v3 has binary payloads.
  const binary = octetStream && session.protocol === 3;
  const untyped = req.headers["content-type"] === undefined && faults.has("post-without-type-refused");
  if (session.protocol === 4 && ((octetStream && faults.has("octet-stream-refused")) || untyped)) {
    session.endPost();
    session.onInvalidContent("binary POST body on a v4 session");
    sendError(res, refusal(3));
    return;
  }
  let settled = false;
  const tooLarge = () => {
    settled = true;
    session.endPost();
    res.setHeader("Connection", "close");
    if (!res.headersSent) {
      res.writeHead(413, { "Content-Length": "0", "Cache-Control": "no-store" });
      res.end();
    }
  };
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return tooLarge();

  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    if (settled) return;
    size += chunk.byteLength;
    if (size > limit) {
      tooLarge();
      req.pause();
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (settled) return;
    settled = true;
    const bytes = Buffer.concat(chunks);
    let body: string | Uint8Array;
    if (binary) body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    else {
      try {
        body = (faults.has("utf8-lenient") ? lenientUtf8 : utf8).decode(bytes);
      } catch {
        session.endPost();
        session.onInvalidContent("POST body is not UTF-8");
        sendError(res, refusal(3));
        return;
      }
    }
    if (countsData && typeof body === "string" && dataSize(session, body) > limits.maxHttpBufferSize) {
      tooLarge();
      return;
    }
    const outcome = session.onPostBody(body);
    if (outcome === "ok" || (outcome === "bad" && faults.has("bad-payload-200"))) {
      const ok = faults.has("post-ok-wrong-body") ? "OK" : "ok";
      const headers = {
        "Content-Type": faults.has("post-ok-text-plain") ? "text/plain" : "text/html",
        "Content-Length": "2",
        "Cache-Control": "no-store",
      };
      const answer = () => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(200, headers);
        res.end(ok);
      };
      if (faults.has("post-held-until-flush")) setTimeout(answer, limits.pingInterval ?? 0).unref();
      else answer();
    } else sendError(res, refusal(outcome === "gone" ? 1 : 3));
  });
  req.on("close", () => {
    if (settled) return;
    settled = true;
    if (faults.has("aborted-post-delivers")) session.onPostBody(lenientUtf8.decode(Buffer.concat(chunks)));
    session.onPostAborted();
  });
}
