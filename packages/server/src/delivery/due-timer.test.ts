import { describe, expect, it } from 'vitest';
import { type Clock, ManualClock } from '../util/clock.js';
import { DueAnnouncements, DueTimer } from './due-timer.js';

const T = 1_000_000;

describe('due timer', () => {
  it('keeps one timer, for the earliest time it was given, and fires when the clock reaches it', () => {
    const clock = new ManualClock(T);
    let fired = 0;
    const timer = new DueTimer(clock, () => fired++);
    timer.expect(T + 3000);
    timer.expect(T + 1000);
    timer.expect(T + 2000);
    expect(clock.armed()).toEqual([T + 1000]);
    expect(timer.at).toBe(T + 1000);
    clock.advance(999);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
    // It served one time; the later ones are the owner's to look up again.
    expect(timer.at).toBeUndefined();
    expect(clock.armed()).toEqual([]);
  });

  it('stops: a cancelled timer never fires', () => {
    const clock = new ManualClock(T);
    let fired = 0;
    const timer = new DueTimer(clock, () => fired++);
    timer.expect(T + 10);
    timer.stop();
    clock.advance(60_000);
    expect(fired).toBe(0);
    expect(clock.armed()).toEqual([]);
  });

  it('a timer that fires before the clock reads its time (the wall clock stepped back) waits again', () => {
    let now = T;
    const set: { at: number; fn: () => void }[] = [];
    const clock: Clock = { now: () => now, timerAt: (at, fn) => (set.push({ at, fn }), () => {}) };
    let fired = 0;
    const timer = new DueTimer(clock, () => fired++);
    timer.expect(T + 1000);
    now = T + 1000 - 3_600_000;
    set[0]!.fn();
    expect(fired).toBe(0);
    expect(set.map((x) => x.at)).toEqual([T + 1000, T + 1000]);
    expect(timer.at).toBe(T + 1000);
    now = T + 1000;
    set[1]!.fn();
    expect(fired).toBe(1);
  });
});

describe('due announcements', () => {
  it('announce a time only when it is earlier than the last one announced, or that one has come', () => {
    const a = new DueAnnouncements();
    expect(a.worth(T + 1000, T)).toBe(true);
    a.sent(T + 1000);
    // A burst of later retries: nothing new for the others (they look ahead when T + 1000 comes).
    for (let i = 1; i < 50; i++) expect(a.worth(T + 1000 + i, T + i)).toBe(false);
    expect(a.worth(T + 500, T + 50)).toBe(true);
    a.sent(T + 500);
    expect(a.worth(T + 2000, T + 499)).toBe(false);
    expect(a.worth(T + 2000, T + 500)).toBe(true);
  });
});
