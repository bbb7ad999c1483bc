/**
 * A polling client running in the background, the way a real one does: a GET always pending,
 * each ping answered, every message kept in order. Cases that watch something else (a probe, a
 * timer) use it to keep their polling session served meanwhile.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome, unmet } from "../case.js";
import { PRECONDITIONS as P } from "../preconditions.js";
import type { CaseContext } from "../runner/context.js";
import { decodeBody, type EngineIOv4Packet, type PollingSession } from "./engine.js";
import { postAccepted, rawGet } from "./held-get.js";
import { texts } from "./messages.js";

/**
 * Polls a session in the background the way a client does: a GET always pending, each ping
 * answered with a POST of `3` (unless `pong` is false), every message kept in order. Stops
 * when the session ends or {@link PollingLoop.stop} is called (the GET then in flight is
 * awaited: aborting it would close the session).
 * @example
 * ```ts
 * const loop = new PollingLoop(ctx, session);
 * await loop.until(() => loop.pongs.length > 0, ctx.answerTimeoutMs);
 * await loop.stop();
 * ```
 */
export class PollingLoop {
  readonly messages: string[] = [];
  readonly packets: EngineIOv4Packet[] = [];
  /** How the loop ended: undefined while it runs. */
  ended: string | undefined;
  /** performance.now() of each ping received, and of each pong sent. */
  readonly pings: number[] = [];
  readonly pongs: number[] = [];
  private stopping = false;
  /** What ended the loop when it threw (a broken precondition on the way, e.g. a pong held back). */
  private error: unknown;
  private readonly done: Promise<void>;

  constructor(
    private readonly ctx: CaseContext,
    private readonly session: PollingSession,
    private readonly pong = true,
  ) {
    this.done = this.run().catch((err: unknown) => {
      this.ended = err instanceof Error ? err.message : String(err);
      this.error = err;
    });
  }

  /** Stops after the GET in flight is answered; resolves when the loop is idle. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  /** Resolves when `enough()` holds or the loop ends; false when it timed out or ended first. */
  async until(enough: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = performance.now() + timeoutMs;
    while (!enough()) {
      if (this.ended !== undefined || performance.now() > end) return enough();
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  /**
   * Needs the heartbeat to have kept the session: a loop that ended with the session closed
   * before any ping came breaks the first-ping precondition, and one that ended although it
   * answered every ping breaks the precondition that a pong keeps the session alive; neither is
   * the case's own rule.
   */
  needHeartbeat(): void {
    if (this.ended === undefined || this.ended === "stopped") return;
    if (this.error instanceof CaseOutcome && this.error.precondition) throw this.error;
    if (this.pings.length === 0)
      unmet(P.firstPing, `the polled session ended before any ping came (${this.ended})`, {
        expected: "a ping within pingInterval",
        observed: this.ended,
      });
    if (this.pong && this.pongs.length === this.pings.length)
      unmet(P.pongKeepsAlive, `the polled session ended although every ping was answered (${this.ended})`, {
        expected: "the session open",
        observed: this.ended,
      });
  }

  private async run(): Promise<void> {
    for (let n = 0; !this.stopping && n < 1000; n++) {
      const res = await rawGet(this.ctx, this.session);
      if (res.status !== 200) {
        this.ended = `a poll got ${res.status} ${res.text.slice(0, 80)}`;
        return;
      }
      const packets = decodeBody(res);
      this.packets.push(...packets);
      this.messages.push(...texts(packets));
      if (packets.some((p) => p.type === "ping")) {
        this.pings.push(performance.now());
        if (this.pong) {
          this.pongs.push(performance.now());
          await postAccepted(this.ctx, this.session, "3");
        }
      }
      if (packets.some((p) => p.type === "close")) {
        this.ended = "the server sent the close packet";
        return;
      }
    }
    this.ended = "stopped";
  }
}
