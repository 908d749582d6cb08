import { describe, expect, it } from 'vitest';
import { ManualClock } from '../util/clock.js';
import { latestFireAtOrBefore } from './cron.js';
import { decideTick, isRunActive } from './policy.js';

const S = 1000;
const minutely = { cron: '* * * * *', timezone: 'UTC' };

/** What the scheduler decides for a schedule whose next_run_at is `dueAt`, at the clock's now. */
function decideAt(clock: ManualClock, dueAt: number, graceMs: number, previousRunActive = false) {
  const now = clock.now();
  return decideTick({ dueAt, latest: Math.max(dueAt, latestFireAtOrBefore(minutely, now) ?? dueAt), now, graceMs, previousRunActive });
}

describe('misfire policy', () => {
  it('fires a tick that is on time or late within the grace', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 0, 0));
    const due = clock.now();
    expect(decideAt(clock, due, 60 * S)).toEqual({ action: 'fire', tick: due });
    clock.advance(60 * S - 1);
    expect(decideAt(clock, due, 60 * S)).toEqual({ action: 'fire', tick: due });
  });

  it('coalesces several missed ticks into one run for the latest', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 0, 0));
    const due = clock.now();
    clock.advance(5 * 60 * S + 10 * S); // 09:05:10: ticks 09:00 … 09:05 are all due
    expect(decideAt(clock, due, 60 * S)).toEqual({ action: 'fire', tick: Date.UTC(2026, 0, 1, 9, 5, 0) });
  });

  it('skips a tick later than the grace, saying how late', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 0, 0));
    const due = clock.now();
    clock.advance(30 * S);
    expect(decideAt(clock, due, 10 * S)).toEqual({ action: 'skip', reason: 'missed: the tick at 2026-01-01T09:00:00.000Z was 30 s late (misfire grace 10 s)' });
    clock.advance(2 * 60 * S); // 09:02:30
    const d = decideAt(clock, due, 0);
    expect(d).toEqual({
      action: 'skip',
      reason: 'missed: the ticks from 2026-01-01T09:00:00.000Z to 2026-01-01T09:02:00.000Z; the latest was 30 s late (misfire grace 0 s)',
    });
  });

  it('never overlaps: an active previous run skips an on-time tick', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 0, 0));
    expect(decideAt(clock, clock.now(), 60 * S, true)).toEqual({ action: 'skip', reason: 'previous run still running' });
  });
});

describe('isRunActive', () => {
  const now = 1_000_000;
  it('counts queued runs and running runs whose worker still holds the lease', () => {
    expect(isRunActive({ status: 'queued', lease_until: null }, now)).toBe(true);
    expect(isRunActive({ status: 'running', lease_until: now + 1 }, now)).toBe(true);
    expect(isRunActive({ status: 'running', lease_until: now - 1 }, now)).toBe(false); // its worker died
    for (const status of ['completed', 'failed', 'timeout', 'cancelled'] as const) expect(isRunActive({ status, lease_until: null }, now)).toBe(false);
    expect(isRunActive(undefined, now)).toBe(false);
  });
});
