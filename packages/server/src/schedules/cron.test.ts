import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { latestFireAtOrBefore, nextFire, nextFires, validateSpec } from './cron.js';

const at = (s: string) => Date.parse(s);
const isoList = (ts: number[]) => ts.map((t) => new Date(t).toISOString());
const rejection = (f: () => void): UserError => {
  try {
    f();
  } catch (err) {
    return err as UserError;
  }
  throw new Error('expected a rejection');
};

describe('next fire times', () => {
  it('reads the expression in the schedule time zone, following DST', () => {
    const nine = { cron: '0 9 * * *', timezone: 'America/New_York' };
    expect(new Date(nextFire(nine, at('2026-01-15T00:00:00Z'))!).toISOString()).toBe('2026-01-15T14:00:00.000Z'); // EST, UTC-5
    expect(new Date(nextFire(nine, at('2026-07-15T00:00:00Z'))!).toISOString()).toBe('2026-07-15T13:00:00.000Z'); // EDT, UTC-4
    // Across the spring-forward night, 09:00 local moves from 14:00Z to 13:00Z.
    expect(isoList(nextFires(nine, at('2026-03-07T00:00:00Z'), 3))).toEqual([
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('is strictly after the reference and at most once a second', () => {
    const everySecond = { cron: '* * * * * *', timezone: 'UTC' };
    const t = at('2026-01-01T00:00:05Z');
    expect(nextFire(everySecond, t)).toBe(t + 1000);
    expect(nextFire(everySecond, t + 1)).toBe(t + 1000);
    expect(nextFires(everySecond, t, 3)).toEqual([t + 1000, t + 2000, t + 3000]);
  });

  it('finds the latest tick at or before a time (for coalescing missed ticks)', () => {
    const minutely = { cron: '* * * * *', timezone: 'UTC' };
    expect(latestFireAtOrBefore(minutely, at('2026-01-01T00:05:00Z'))).toBe(at('2026-01-01T00:05:00Z'));
    expect(latestFireAtOrBefore(minutely, at('2026-01-01T00:05:59.999Z'))).toBe(at('2026-01-01T00:05:00Z'));
  });
});

describe('validation', () => {
  const now = at('2026-01-01T00:00:00Z');

  it('accepts 5- and 6-field expressions, nicknames and IANA zones', () => {
    for (const cron of ['0 9 * * 1-5', '*/10 * * * * *', '@daily', '0 0 1 JAN *'])
      expect(() => validateSpec({ cron, timezone: 'Europe/Berlin' }, now)).not.toThrow();
  });

  it("refuses a bad expression with 422 invalid_cron and croner's message", () => {
    const e = rejection(() => validateSpec({ cron: '61 * * * *', timezone: 'UTC' }, now));
    expect(e).toBeInstanceOf(UserError);
    expect([e.status, e.code]).toEqual([422, 'invalid_cron']);
    expect(e.message).toMatch(/^cron "61 \* \* \* \*" is not a valid cron expression: .*Invalid value for minute: 61/);
    expect(rejection(() => validateSpec({ cron: 'every day', timezone: 'UTC' }, now)).message).toMatch(/exactly five, six, or seven/);
  });

  it('refuses an unknown time zone with 422 invalid_timezone', () => {
    const e = rejection(() => validateSpec({ cron: '0 9 * * *', timezone: 'Mars/Olympus' }, now));
    expect([e.status, e.code]).toEqual([422, 'invalid_timezone']);
    expect(e.message).toMatch(/^timezone "Mars\/Olympus" .*Invalid time ?zone/i);
  });

  it('refuses one-off dates and expressions that never fire again', () => {
    expect(rejection(() => validateSpec({ cron: '2026-06-01T09:00:00', timezone: 'UTC' }, now)).message).toMatch(/is a date/);
    expect(rejection(() => validateSpec({ cron: '0 0 30 2 *', timezone: 'UTC' }, now)).message).toMatch(/never fires/);
    expect(rejection(() => validateSpec({ cron: '0 0 0 1 1 * 2020', timezone: 'UTC' }, now)).message).toMatch(/never fires/);
  });
});
