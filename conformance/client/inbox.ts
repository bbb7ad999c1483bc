/**
 * A queue of received items (frames, packets) that never loses one: items are stored the moment
 * they arrive, and a case takes them when it is ready, oldest first or the oldest that matches.
 */
import { performance } from "node:perf_hooks";
import { CaseOutcome } from "../case.js";

export interface TakeOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** Named in the failure when nothing arrives, e.g. `the 3probe packet`. */
  what?: string;
}

/**
 * Where {@link Inbox.takeRun} finds what it takes: `[start, count]` of a run of consecutive
 * items, or undefined to wait for more.
 */
export type RunFinder<T> = (items: readonly T[]) => readonly [start: number, count: number] | undefined;

export class Inbox<T> {
  /** Items received and not yet taken, oldest first. */
  readonly items: T[] = [];
  /** performance.now() at which each queued item arrived (parallel to `items`). */
  private readonly arrivals: number[] = [];
  /**
   * performance.now() at which the item most recently taken had arrived: measure timing from
   * here, not from when the case got around to taking it.
   */
  lastArrival = 0;
  private waiters: Array<() => void> = [];
  private endedBy: string | undefined;
  private endCause: CaseOutcome | undefined;

  constructor(
    private readonly name: string,
    private readonly defaultTimeoutMs: number,
    /** Shows a queued item in a timeout failure (what came instead of the awaited item). */
    private readonly describe?: (item: T) => string,
  ) {}

  /** Queues an item; `at` is when it really arrived, when it waited somewhere else first. */
  push(item: T, at = performance.now()): void {
    this.items.push(item);
    this.arrivals.push(at);
    this.wake();
  }

  /**
   * No more items will come (e.g. the connection closed); waiting takers fail with `why`. When
   * a broken precondition ended it (`cause`), takers fail with that instead, so that the case is
   * blocked rather than failed for what happened under it.
   */
  end(why: string, cause?: CaseOutcome): void {
    if (this.endedBy === undefined) {
      this.endedBy = why;
      this.endCause = cause?.precondition ? cause : undefined;
    }
    this.wake();
  }

  get ended(): boolean {
    return this.endedBy !== undefined;
  }

  /** Why the inbox ended (undefined while it is open). */
  get endReason(): string | undefined {
    return this.endedBy;
  }

  /**
   * Takes the oldest item satisfying `match`; earlier items that do not match stay queued.
   * Fails the case when none arrives in time or the inbox ends first.
   */
  async take(match: (item: T) => boolean = () => true, options: TakeOptions = {}): Promise<T> {
    const [item] = await this.takeRun((items) => {
      const i = items.findIndex(match);
      return i === -1 ? undefined : [i, 1];
    }, options);
    return item!;
  }

  /**
   * Takes a run of consecutive items that `find` locates (e.g. a packet and the attachments that
   * follow it), leaving the items around it queued. Fails like {@link take}.
   */
  async takeRun(find: RunFinder<T>, options: TakeOptions = {}): Promise<T[]> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const what = options.what ?? "an item";
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = find(this.items);
      if (run) {
        const [start, count] = run;
        this.lastArrival = this.arrivals.splice(start, count)[count - 1]!;
        return this.items.splice(start, count);
      }
      if (this.endedBy !== undefined) {
        if (this.endCause) throw this.endCause;
        throw new CaseOutcome("fail", `${this.name} ${this.endedBy} before ${what} arrived`, {
          expected: what,
          observed: this.queued(this.endedBy),
        });
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new CaseOutcome("fail", `${what} did not arrive on ${this.name} within ${timeoutMs} ms`, {
          expected: what,
          observed: this.queued("nothing"),
        });
      await this.wait(left);
    }
  }

  /** Waits until an item is queued or the inbox ends, at most `ms`. */
  async settle(ms: number): Promise<void> {
    if (this.items.length === 0 && this.endedBy === undefined) await this.wait(ms);
  }

  /** Waits `ms`, then takes and returns everything that arrived (to check for silence). */
  async collect(ms: number): Promise<T[]> {
    await new Promise((r) => setTimeout(r, ms));
    if (this.arrivals.length) this.lastArrival = this.arrivals[this.arrivals.length - 1]!;
    this.arrivals.splice(0);
    return this.items.splice(0);
  }

  /** What is queued, for a failure (`otherwise` when nothing is, or the items cannot be shown). */
  private queued(otherwise: string): string {
    if (!this.describe || this.items.length === 0) return otherwise;
    const shown = this.items.slice(0, 5).map(this.describe).join(" ");
    return `${otherwise === "nothing" ? "" : `${otherwise}; `}received instead: ${shown}${this.items.length > 5 ? ` (+${this.items.length - 5} more)` : ""}`;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
