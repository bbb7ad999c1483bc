/**
 * Time as the session core sees it. Every timer of the Engine.IO layer (heartbeat, upgrade,
 * noop repetition, close) goes through a Clock, so the timing rules can be tested by moving a
 * manual clock forward instead of sleeping.
 */

/** An opaque handle to a scheduled timer. */
export interface TimerHandle {
  readonly timerId: number;
}

/** The few clock operations the Engine.IO layer needs. */
export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences matter. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; unknown or already-fired handles are ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** A handle of the wall clock: Node's own timer (clearing a fired one does nothing). */
class NodeTimer implements TimerHandle {
  constructor(
    readonly timerId: number,
    readonly timeout: ReturnType<typeof globalThis.setTimeout>,
  ) {}
}

/** The wall clock, on Node's own timers. */
export function realClock(): Clock {
  let nextId = 1;
  return {
    now: () => performance.now(),
    setTimeout(fn, ms) {
      return new NodeTimer(nextId++, globalThis.setTimeout(fn, ms));
    },
    clearTimeout(handle) {
      if (handle instanceof NodeTimer) globalThis.clearTimeout(handle.timeout);
    },
  };
}

interface ManualTimer {
  readonly timerId: number;
  readonly due: number;
  readonly fn: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer that falls due within
 * the step, in due-time order (ties in scheduling order), with `now()` set to each timer's due
 * time while it runs, so a timer scheduled by another timer fires in the same step if due.
 */
export class ManualClock implements Clock {
  private current = 0;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timerId = this.nextId++;
    this.timers.set(timerId, { timerId, due: this.current + Math.max(0, ms), fn });
    return { timerId };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.timerId);
  }

  /** How many timers are still scheduled (a closed session must leave none). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.timers.values()) {
        if (t.due <= target && (!next || t.due < next.due || (t.due === next.due && t.timerId < next.timerId)))
          next = t;
      }
      if (!next) break;
      this.timers.delete(next.timerId);
      this.current = next.due;
      next.fn();
    }
    this.current = target;
  }
}
