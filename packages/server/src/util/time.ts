/** Epoch milliseconds as ISO-8601, keeping null (for "not yet" timestamps). */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
