/**
 * PostgreSQL text cannot hold U+0000, and an agent's output, a log line or a plain-text
 * trigger body may contain it. Both stores keep U+FFFD instead, so they agree and no write
 * fails on it (a failed write here would lose a run's result).
 */
export function storableText<T extends string | null>(s: T): T {
  return (s !== null && s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s) as T;
}
