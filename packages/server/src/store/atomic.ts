import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Runs `fn` in one transaction: the caller's if `db` is in one, else a new one. */
export function atomically<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
