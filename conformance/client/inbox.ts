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

  constructor(private readonly name: string, private readonly defaultTimeoutMs: number) {}

  push(item: T): void {
    this.items.push(item);
    this.arrivals.push(performance.now());
    this.wake();
  }

  /** No more items will come (e.g. the connection closed); waiting takers fail with `why`. */
  end(why: string): void {
    if (this.endedBy === undefined) this.endedBy = why;
    this.wake();
  }

  get ended(): boolean {
    return this.endedBy !== undefined;
  }

  /**
   * Takes the oldest item satisfying `match`; earlier items that do not match stay queued.
   * Fails the case when none arrives in time or the inbox ends first.
   */
  async take(match: (item: T) => boolean = () => true, options: TakeOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const what = options.what ?? "an item";
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.items.findIndex(match);
      if (i !== -1) {
        this.lastArrival = this.arrivals.splice(i, 1)[0]!;
        return this.items.splice(i, 1)[0]!;
      }
      if (this.endedBy !== undefined) {
        throw new CaseOutcome("fail", `${this.name} ${this.endedBy} before ${what} arrived`, { expected: what, observed: this.endedBy });
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new CaseOutcome("fail", `${what} did not arrive on ${this.name} within ${timeoutMs} ms`, { expected: what, observed: "nothing" });
      await this.wait(left);
    }
  }

  /** Waits `ms`, then takes and returns everything that arrived (to check for silence). */
  async collect(ms: number): Promise<T[]> {
    await new Promise((r) => setTimeout(r, ms));
    if (this.arrivals.length) this.lastArrival = this.arrivals[this.arrivals.length - 1]!;
    this.arrivals.splice(0);
    return this.items.splice(0);
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
