import { UserError } from '../errors/index.js';

/** Accepts ISO-8601 or epoch milliseconds; returns epoch ms. */
export function parseTime(value: string, field: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new UserError('invalid_time', `${field} = "${value}" is not a time; use ISO-8601 (2026-03-08T14:30:00Z) or epoch milliseconds`);
  return ms;
}
export { iso } from '../util/index.js';
