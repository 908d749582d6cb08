import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { newId } from './ids.js';

describe('newId', () => {
  it('is prefix_ + 26 Crockford characters, sortable by time', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const a = newId('evt', clock);
    clock.advance(1);
    const b = newId('evt', clock);
    expect(a).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
    expect(a.slice(4, 14)).not.toBe(b.slice(4, 14));
  });

  it('does not repeat across many ids from the pooled random source', () => {
    const clock = new ManualClock();
    const ids = new Set(Array.from({ length: 20_000 }, () => newId('x', clock)));
    expect(ids.size).toBe(20_000);
  });
});
