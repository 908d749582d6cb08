import type { ErrorName } from '../errors/index.js';

/**
 * Errors that mean "the store cannot take this request right now, try again later": the
 * database is restarting or unreachable, or the disk is full. The API answers them with 503
 * and Retry-After (api/errors.ts) instead of a 500, so clients retry instead of giving up;
 * nothing was committed by the failed request unless its commit was cut off mid-way, which is
 * why clients retry with the same event id.
 */
export type UnavailableCode = Extract<ErrorName, 'database_unavailable' | 'storage_full'>;

export interface StoreUnavailable {
  code: UnavailableCode;
  message: string;
  retryAfterSeconds: number;
}

/** PostgreSQL: connection exceptions (class 08), shutdown/startup (57P0x), too many connections, disk full. */
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;
const PG_DISK_FULL = '53100';
/** The network under the database connection. */
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres's own messages for a lost or unobtainable connection (they carry no code). */
const PG_CLIENT_LOST =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;
/** SQLite (better-sqlite3 codes; SHMSIZE is the WAL index failing to grow) and the file system: no room to write. */
const NO_SPACE = new Set(['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', 'ENOSPC']);

const DATABASE_UNAVAILABLE: StoreUnavailable = {
  code: 'database_unavailable',
  message: 'the database is not reachable right now (restarting or overloaded); nothing was stored, retry after the Retry-After delay with the same event id',
  retryAfterSeconds: 2,
};
const STORAGE_FULL: StoreUnavailable = {
  code: 'storage_full',
  message:
    'the database has no space left to store this request; nothing was stored, retry after the Retry-After delay with the same event id (the operator must free disk space)',
  retryAfterSeconds: 30,
};

/** What `err` (or an error it wraps) says about the store's availability; undefined for any other error. */
export function storeUnavailable(err: unknown): StoreUnavailable | undefined {
  const seen = new Set<unknown>();
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | undefined;
    e && typeof e === 'object' && !seen.has(e);
    e = e.cause as typeof e
  ) {
    seen.add(e);
    const code = typeof e.code === 'string' ? e.code : '';
    if (NO_SPACE.has(code) || code === PG_DISK_FULL) return STORAGE_FULL;
    if (PG_UNAVAILABLE.test(code) || NET_UNAVAILABLE.has(code)) return DATABASE_UNAVAILABLE;
    if (typeof e.message === 'string' && PG_CLIENT_LOST.test(e.message)) return DATABASE_UNAVAILABLE;
    // A connect that tried several addresses (AggregateError) failed for the reasons of its parts.
    if (Array.isArray(e.errors) && e.errors.some((x) => storeUnavailable(x))) return storeUnavailable(e.errors.find((x) => storeUnavailable(x)));
  }
  return undefined;
}
