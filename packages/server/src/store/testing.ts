import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Store } from './store.js';

/**
 * For tests only (not exported from index.ts): the connections behind a store, to set up or
 * inspect rows no record group writes or reads. Outside store/ nothing else speaks SQL.
 */
export function databaseOf(store: Store): Kysely<Database> {
  return store['db'];
}
