/**
 * The recording WebSocket client (`ws`) with an inbox: every frame that arrives is queued the
 * moment it arrives, so a case that asks for it later never misses it (a listener attached after
 * the fact would). Frames, opening status and closes all go into the transcript.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import type { CaseOutcome } from "../case.js";
import { Inbox, type TakeOptions } from "./inbox.js";
import { transcriptBody, type Transcript } from "../runner/transcript.js";

/** One data frame: text as a string, binary as bytes. */
export type Frame = string | Uint8Array;

/** How the connection ended: the close code (1005: none given, 1006: no close frame) and reason. */
export interface CloseInfo {
  code: number;
  reason: string;
  /** Case clock when it happened. */
  at: number;
}

/** Options for waiting on the inbox. */
export type WaitOptions = TakeOptions;

/** The result of an opening handshake: open, or refused before 101 with an HTTP status. */
export type OpenResult = { ok: true } | { ok: false; status?: number; body?: string; error?: string };

/**
 * A check of every frame as it arrives (`index` counts from 0): the outcome that ends the case
 * when the frame breaks what the protocol promises about every frame, else undefined.
 */
export type FrameGuard = (frame: Frame, index: number, conn: WsConnection) => CaseOutcome | undefined;

export class WsConnection {
  /** Frames received and not yet taken, oldest first (`inbox.items`). */
  readonly inbox: Inbox<Frame>;
  /** Resolves when the connection ends, however it ends (never rejects). */
  readonly closed: Promise<CloseInfo>;
  /** Resolves once the opening handshake is settled. */
  readonly opened: Promise<OpenResult>;
  readonly conn: string;
  /** performance.now() when the opening handshake finished (0 until then). */
  openedAt = 0;
  /** Every frame sent on this connection, in order. */
  readonly sent: Frame[] = [];
  private readonly socket: WebSocket;
  private closeInfo: CloseInfo | undefined;
  private readonly guards: FrameGuard[] = [];
  private received = 0;
  /** Set by the first frame a guard refused: every later take ends the case with it. */
  private broken: CaseOutcome | undefined;

  constructor(
    private readonly transcript: Transcript,
    url: string,
    private readonly defaultTimeoutMs: number,
    headers: Record<string, string> = {},
  ) {
    this.conn = transcript.label("ws");
    this.inbox = new Inbox<Frame>(`the WebSocket ${this.conn}`, defaultTimeoutMs);
    this.socket = new WebSocket(url, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: defaultTimeoutMs,
      maxPayload: 256 * 1024 * 1024,
    });
    let settle!: (r: OpenResult) => void;
    this.opened = new Promise((r) => (settle = r));
    let finish!: (c: CloseInfo) => void;
    this.closed = new Promise((r) => (finish = r));
    const end = (code: number, reason: string) => {
      if (this.closeInfo) return;
      this.closeInfo = { code, reason, at: transcript.now() };
      transcript.record({ kind: "ws-close", conn: this.conn, dir: "in", code, ...(reason ? { reason } : {}) });
      finish(this.closeInfo);
      this.inbox.end(`closed (code ${code})`);
    };
    this.socket.on("open", () => {
      this.openedAt = performance.now();
      transcript.record({ kind: "ws-open", conn: this.conn, url, status: 101 });
      settle({ ok: true });
    });
    this.socket.on("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      const done = () => {
        const body = Buffer.concat(chunks).toString("utf8");
        transcript.record({ kind: "ws-open", conn: this.conn, url, status: res.statusCode ?? 0 });
        if (body) transcript.note(`${this.conn}: refusal body ${JSON.stringify(body.slice(0, 500))}`);
        settle({ ok: false, status: res.statusCode, body });
        end(1006, "");
        this.socket.terminate();
      };
      res.on("end", done);
      res.on("error", done);
      res.on("aborted", done);
    });
    this.socket.on("message", (data: Buffer, isBinary: boolean) => {
      const frame: Frame = isBinary ? new Uint8Array(data) : data.toString("utf8");
      transcript.record({
        kind: "ws-frame",
        conn: this.conn,
        dir: "in",
        opcode: isBinary ? "binary" : "text",
        ...transcriptBody(isBinary ? (frame as Uint8Array) : data, "data"),
      } as never);
      const index = this.received++;
      // After a refused frame nothing more is queued: a take can still have the frames before it.
      if (this.broken) return;
      for (const guard of this.guards) {
        const outcome = guard(frame, index, this);
        if (!outcome) continue;
        this.broken = outcome;
        transcript.note(`${this.conn}: ${outcome.reason}`);
        // Wakes a take that is waiting, so that it ends with this outcome rather than a timeout.
        this.inbox.end(outcome.reason);
        return;
      }
      this.inbox.push(frame);
    });
    this.socket.on("error", (err) => {
      transcript.record({ kind: "tcp", conn: this.conn, event: "error", detail: err.message });
      settle({ ok: false, error: err.message });
    });
    this.socket.on("close", (code, reason) => {
      settle({ ok: false, error: `closed before open (${code})` });
      end(code, reason.toString("utf8"));
    });
  }

  /** performance.now() at which the frame most recently taken had arrived. */
  get lastArrival(): number {
    return this.inbox.lastArrival;
  }

  /**
   * Adds a check that every frame arriving from now on must pass. The first frame that fails it,
   * and every frame after it, is recorded but not queued: a take still gets the frames before it,
   * and any other take ends the case with the guard's outcome (typically a broken precondition),
   * since what follows such a frame says nothing about the case's own rule.
   */
  guard(check: FrameGuard): void {
    this.guards.push(check);
  }

  /** How many data frames have arrived so far, queued or not. */
  get framesReceived(): number {
    return this.received;
  }

  /** True once the connection has ended. */
  get isClosed(): boolean {
    return this.closeInfo !== undefined;
  }

  /**
   * Sends one frame: a string as a text frame, bytes as a binary frame.
   * @example `ws.send("2probe")`
   */
  send(frame: Frame): void {
    const binary = typeof frame !== "string";
    this.sent.push(frame);
    this.transcript.record({
      kind: "ws-frame",
      conn: this.conn,
      dir: "out",
      opcode: binary ? "binary" : "text",
      ...transcriptBody(binary ? frame : Buffer.from(frame), "data"),
    } as never);
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(binary ? frame : frame, { binary });
  }

  /**
   * Takes the oldest frame from the inbox, waiting for one if it is empty. Fails the case when
   * none arrives in time or the connection closes first.
   * @example `const frame = await ws.next({ timeoutMs: 500, what: "the open packet" })`
   */
  next(options: WaitOptions = {}): Promise<Frame> {
    return this.nextMatching(() => true, options);
  }

  /**
   * Takes the oldest frame that satisfies `match`, leaving the frames before it in the inbox
   * (so they can still be taken by a later call).
   * @example `await ws.nextMatching((f) => f === "3probe", { what: "the probe answer" })`
   */
  async nextMatching(match: (frame: Frame) => boolean, options: WaitOptions = {}): Promise<Frame> {
    try {
      return await this.inbox.take(match, { ...options, what: options.what ?? "a frame" });
    } catch (err) {
      throw this.broken ?? err;
    }
  }

  /**
   * Waits `ms` and returns the frames that arrived meanwhile (taking them from the inbox);
   * for checking that the server stays silent.
   * @example `ctx.equal((await ws.collect(200)).length, 0, "frames after close")`
   */
  async collect(ms: number): Promise<Frame[]> {
    const frames = await this.inbox.collect(ms);
    if (this.broken) throw this.broken;
    return frames;
  }

  /**
   * Takes every frame queued now, without waiting; ends the case as a take does when a guard
   * refused a frame (see {@link WsConnection.guard}). For reading what arrived before a close.
   * @example `const frames = socket.ws.drain().filter((f) => f !== "2")`
   */
  drain(): Frame[] {
    if (this.broken) throw this.broken;
    return this.inbox.items.splice(0);
  }

  /** The outcome a guard ended this connection's frames with, if one refused a frame. */
  get brokenBy(): CaseOutcome | undefined {
    return this.broken;
  }

  /** Sends a close frame (code default 1000) and waits up to the frame timeout for the end. */
  async close(code = 1000, reason = ""): Promise<CloseInfo> {
    if (!this.closeInfo && this.socket.readyState !== WebSocket.CLOSED) {
      this.transcript.record({ kind: "ws-close", conn: this.conn, dir: "out", code, ...(reason ? { reason } : {}) });
      try {
        if (this.socket.readyState === WebSocket.OPEN) this.socket.close(code, reason);
        else this.socket.terminate();
      } catch {
        this.socket.terminate();
      }
    }
    const timer = setTimeout(() => this.socket.terminate(), this.defaultTimeoutMs);
    try {
      return await this.closed;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops the TCP connection at once, with no close frame (the server sees the socket end). */
  terminate(): void {
    if (!this.closeInfo)
      this.transcript.record({
        kind: "ws-close",
        conn: this.conn,
        dir: "out",
        reason: "terminated without a close frame",
      });
    this.socket.terminate();
  }
}
