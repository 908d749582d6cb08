/**
 * Time and randomness enter the system only through these, so retries, schedules and
 * signature windows are tested without sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `fn` once, when this clock reads `at` or later; returns a function that cancels it.
   * Optional, so a clock written before timers existed still works: see `timerAt`.
   */
  timerAt?(at: number, fn: () => void): () => void;
}

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A timer on the wall clock: it may fire early when the clock is stepped back (timers run on
 * monotonic time), so whoever it wakes checks `now()` again.
 */
function wallTimer(clock: Clock, at: number, fn: () => void): () => void {
  const t = setTimeout(fn, Math.min(Math.max(at - clock.now(), 0), MAX_TIMEOUT_MS));
  t.unref();
  return () => clearTimeout(t);
}

export const systemClock: Clock = { now: () => Date.now(), timerAt: (at, fn) => wallTimer(systemClock, at, fn) };

/** Calls `fn` when `clock` reads `at`: by the clock's own timers, or the wall clock's for a clock without them. */
export function timerAt(clock: Clock, at: number, fn: () => void): () => void {
  return clock.timerAt ? clock.timerAt(at, fn) : wallTimer(clock, at, fn);
}

/** A clock a test moves by hand. Its timers fire as `advance` or `set` moves it past their time. */
export class ManualClock implements Clock {
  private readonly timers = new Set<{ at: number; fn: () => void }>();

  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.set(this.t + ms);
  }
  set(ms: number): void {
    this.t = ms;
    const due = [...this.timers].filter((x) => x.at <= ms).sort((a, b) => a.at - b.at);
    // One fired earlier in this loop may have cancelled a later one.
    for (const x of due) if (this.timers.delete(x)) x.fn();
  }
  timerAt(at: number, fn: () => void): () => void {
    const timer = { at, fn };
    // Already due: on the next turn, as a wall-clock timeout of 0 would, never inside the caller.
    if (at <= this.t) {
      const immediate = setImmediate(fn);
      return () => clearImmediate(immediate);
    }
    this.timers.add(timer);
    return () => void this.timers.delete(timer);
  }
  /** When the timers waiting for this clock will fire, earliest first (for tests that check what is planned). */
  armed(): number[] {
    return [...this.timers].map((x) => x.at).sort((a, b) => a - b);
  }
}

/** Returns a float in [0, 1). */
export type RandomSource = () => number;
export const systemRandom: RandomSource = Math.random;
