/** A timestamp in the viewer's own time zone and locale; `—` when there is none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** `1–50 of 120`, or `0 of 0` for an empty list. */
export function pageRange(offset: number, count: number, total: number): string {
  if (count === 0) return `0 of ${total}`;
  return `${offset + 1}–${offset + count} of ${total}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a `datetime-local` input value in the viewer's zone ('' when not a time). */
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A `datetime-local` value (`2026-03-08T14:30`, seconds optional) as an ISO UTC instant, or
 * null when it is not a complete date and time. The input has no zone: it is the viewer's.
 */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  // A date-time string without an offset is local time for the Date constructor.
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
