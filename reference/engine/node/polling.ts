/**
 * HTTP long-polling on node:http: turns GET and POST requests into calls on the session core
 * and its answers into responses (written by HttpAnswers). Nothing here decides protocol
 * behaviour beyond reading the request: which body is too large, which is not a payload.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { refusal } from "../errors.js";
import type { PollResponder } from "../ports.js";
import type { Session } from "../session.js";
import type { HttpAnswers } from "./answers.js";

/** Strict UTF-8 (EIO4-PAYLOAD-10) that keeps a leading U+FEFF as data. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** How far past the limit a refused body is read and dropped before its connection is cut. */
const DRAIN_LIMIT_FACTOR = 16;

export class PollingBinding {
  constructor(protected readonly answers: HttpAnswers) {}

  /** A GET on an existing session: held until the session has packets for it. */
  poll(session: Session<unknown>, res: ServerResponse): void {
    const answers = this.answers;
    let answered = false;
    const responder: PollResponder = {
      respond(packets) {
        if (answered) return;
        answered = true;
        answers.poll(res, session, packets);
      },
    };
    if (session.onPoll(responder) === "overlap") {
      answered = true;
      answers.overlap(res);
      return;
    }
    res.on("close", () => {
      if (!answered) session.onPollAborted(responder);
    });
  }

  /** A POST on an existing session: the body is read under `limit` bytes and handed to the core. */
  post(session: Session<unknown>, req: IncomingMessage, res: ServerResponse, limit: number): void {
    if (!session.beginPost()) return this.answers.overlap(res);
    const octetStream = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/octet-stream");
    // A v4 payload is text whatever its label (EIO4-POLLING-13); only v3 has binary payloads.
    const binary = octetStream && session.protocol === 3;
    let settled = false;
    let dropped = 0;
    const tooLarge = () => {
      settled = true;
      session.endPost();
      this.answers.tooLarge(res);
      // The rest of the body is read and dropped: a connection closed on unread data is reset,
      // and a client still sending would lose the 413 with it. A body far over the limit is cut off.
      req.resume();
    };
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return tooLarge();

    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (settled) {
        dropped += chunk.byteLength;
        if (dropped > DRAIN_LIMIT_FACTOR * limit) req.destroy();
        return;
      }
      size += chunk.byteLength;
      if (size > limit) {
        tooLarge();
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
          body = this.decodeText(bytes);
        } catch {
          session.endPost();
          session.onInvalidContent("POST body is not UTF-8");
          return this.answers.refuse(res, refusal(3));
        }
      }
      this.deliver(session, body, res);
    });
    req.on("close", () => {
      if (settled) return;
      settled = true;
      this.onPostAborted(session, chunks);
    });
  }

  /** The text of a body, strict UTF-8; throws on invalid bytes. */
  protected decodeText(bytes: Buffer): string {
    return utf8.decode(bytes);
  }

  /** A body read in full goes to the session, which says how the POST is answered. */
  protected deliver(session: Session<unknown>, body: string | Uint8Array, res: ServerResponse): void {
    this.answers.posted(res, session.onPostBody(body));
  }

  /** The client dropped the POST before its body was complete: nothing of it is delivered. */
  protected onPostAborted(session: Session<unknown>, _chunks: readonly Buffer[]): void {
    session.onPostAborted();
  }
}
