import { type Clock, timerAt } from '../util/index.js';

/**
 * One timer per dispatcher, set for the earliest known time at which a delivery becomes due
 * (a retry, a row handed back under a rate limit), so that delivery goes out then and not at
 * the next poll. One timer, not one per row: a later time is found when this one fires (the
 * dispatcher then looks ahead in the store). It runs on the dispatcher's clock, so a
 * ManualClock drives it in tests.
 */
export class DueTimer {
  private cancel: (() => void) | undefined;
  private armedAt: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: () => void,
  ) {}

  /** The time the timer is set for, if it is set. */
  get at(): number | undefined {
    return this.armedAt;
  }

  /** Fire at `at`, unless already set to fire at or before it (then that firing comes first). */
  expect(at: number): void {
    if (this.armedAt !== undefined && this.armedAt <= at) return;
    this.cancel?.();
    this.armedAt = at;
    this.cancel = timerAt(this.clock, at, () => {
      this.cancel = undefined;
      this.armedAt = undefined;
      // A wall-clock timer fires early when the clock was stepped back: not due yet, wait again.
      if (this.clock.now() < at) this.expect(at);
      else this.onDue();
    });
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.armedAt = undefined;
  }
}

/**
 * Which retry due times a process tells the others about (PostgreSQL NOTIFY): only one earlier
 * than the earliest it announced that is still to come. A process that heard that one looks
 * ahead in the store when it comes due and so finds every later one; a NOTIFY per result batch
 * would tell it nothing more. A burst of failures against a dead receiver therefore costs about
 * one NOTIFY per retry delay, not one per batch or per row.
 */
export class DueAnnouncements {
  private announced: number | undefined;

  /** Whether `at` is worth announcing at `now`. */
  worth(at: number, now: number): boolean {
    return this.announced === undefined || this.announced <= now || at < this.announced;
  }

  /** `at` was announced (its transaction committed). */
  sent(at: number): void {
    this.announced = at;
  }
}
