/**
 * The faults of reading a POST: no 413, a limit counted in decoded data, payloads refused for
 * their Content-Type, invalid UTF-8 let through, an aborted POST delivered. FaultyPolling is the
 * polling binding of a mutant server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { refusal } from "../../engine/errors.js";
import type { HttpAnswers } from "../../engine/node/answers.js";
import { PollingBinding } from "../../engine/node/polling.js";
import type { Session } from "../../engine/session.js";
import type { FaultSet } from "./catalogue.js";

/** The decoder of utf8-lenient (and of aborted-post-delivers): invalid bytes become U+FFFD. */
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** The size of a POST body's decoded data (limit-counts-data): characters of text, bytes of binary. */
function dataSize(session: Session<unknown>, body: string): number {
  try {
    let n = 0;
    for (const p of session.wire.decodePayload(body))
      if ("data" in p && p.data !== undefined) n += typeof p.data === "string" ? p.data.length : p.data.byteLength;
    return n;
  } catch {
    return 0;
  }
}

export class FaultyPolling extends PollingBinding {
  constructor(
    answers: HttpAnswers,
    private readonly faults: FaultSet,
    /** maxHttpBufferSize, for limit-counts-data. */
    private readonly maxHttpBufferSize: number,
  ) {
    super(answers);
  }

  override post(session: Session<unknown>, req: IncomingMessage, res: ServerResponse, limit: number): void {
    const f = this.faults;
    const type = req.headers["content-type"];
    const octetStream = (type ?? "").toLowerCase().startsWith("application/octet-stream");
    const refused =
      (octetStream && f.has("octet-stream-refused")) || (type === undefined && f.has("post-without-type-refused"));
    if (session.protocol === 4 && refused) {
      if (!session.beginPost()) return this.answers.overlap(res);
      session.endPost();
      session.onInvalidContent("binary POST body on a v4 session");
      return this.answers.refuse(res, refusal(3));
    }
    // Each version's own limit fault: no-413 and limit-counts-data on v4 sessions, v3-no-limit on v3 ones.
    const unlimited =
      session.protocol === 4 ? f.has("no-413") || f.has("limit-counts-data") : f.has("v3-post-over-limit-accepted");
    super.post(session, req, res, unlimited ? Infinity : limit);
  }

  protected override decodeText(bytes: Buffer): string {
    return this.faults.has("utf8-lenient") ? lenientUtf8.decode(bytes) : super.decodeText(bytes);
  }

  protected override deliver(session: Session<unknown>, body: string | Uint8Array, res: ServerResponse): void {
    const counted = this.faults.has("limit-counts-data") && typeof body === "string";
    if (!counted || dataSize(session, body) <= this.maxHttpBufferSize) return super.deliver(session, body, res);
    session.endPost();
    this.answers.tooLarge(res);
  }

  protected override onPostAborted(session: Session<unknown>, chunks: readonly Buffer[]): void {
    if (this.faults.has("aborted-post-delivers")) session.onPostBody(lenientUtf8.decode(Buffer.concat(chunks)));
    super.onPostAborted(session, chunks);
  }
}
