import { Cron } from 'croner';
import { UserError } from '../errors/index.js';

/** A cron expression and the IANA time zone it is read in. Croner does the calendar work, DST included. */
export interface CronSpec {
  cron: string;
  timezone: string;
}

// Paused: croner only computes fire times here; the scheduler does the firing.
const compile = (s: CronSpec) => new Cron(s.cron, { timezone: s.timezone, paused: true });

/** The first tick strictly after `after` (ms), or null when the expression never fires again. */
export function nextFire(s: CronSpec, after: number): number | null {
  return compile(s).nextRun(new Date(after))?.getTime() ?? null;
}

/** The next `n` ticks strictly after `after`. */
export function nextFires(s: CronSpec, after: number, n: number): number[] {
  return compile(s)
    .nextRuns(n, new Date(after))
    .map((d) => d.getTime());
}

/** The latest tick at or before `at`, or null when there is none. */
export function latestFireAtOrBefore(s: CronSpec, at: number): number | null {
  // croner's reference is exclusive; +1 ms makes a tick exactly at `at` count.
  return (
    compile(s)
      .previousRuns(1, new Date(at + 1))[0]
      ?.getTime() ?? null
  );
}

/**
 * Checks a spec the way the scheduler will use it; bad input is a 422 naming the field, with
 * croner's own message. Croner's finest unit is the second, so no expression fires more often
 * than once a second and none needs refusing for that.
 */
export function validateSpec(s: CronSpec, now: number): void {
  try {
    // A valid expression in UTC first, so a zone error below is the zone's fault.
    new Cron('* * * * *', { timezone: s.timezone, paused: true }).nextRun(new Date(now));
  } catch (err) {
    throw new UserError('invalid_timezone', `timezone "${s.timezone}" is not a known IANA time zone (e.g. "UTC", "Europe/Berlin"): ${(err as Error).message}`);
  }
  let job: Cron;
  try {
    job = new Cron(s.cron, { timezone: s.timezone, paused: true });
  } catch (err) {
    throw new UserError('invalid_cron', `cron "${s.cron}" is not a valid cron expression: ${(err as Error).message}`);
  }
  // Croner reads anything with a ":" as a one-off date; a schedule must repeat.
  if (job.getPattern() === undefined) throw new UserError('invalid_cron', `cron "${s.cron}" is a date, not a cron expression such as "0 9 * * 1-5"`);
  if (job.nextRun(new Date(now)) === null) throw new UserError('invalid_cron', `cron "${s.cron}" never fires after now`);
}
