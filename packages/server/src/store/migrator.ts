import { type Kysely, sql } from 'kysely';
import { migrations } from './migrations.js';
import type { Database } from './schema.js';

/** Called after each migration is checked (and applied if it was pending), e.g. for a progress bar. */
export type MigrationProgress = (done: number, total: number, name: string) => void;

/**
 * Applies pending migrations in name order, each in its own transaction with its
 * bookkeeping row. Concurrent starts are serialized (an advisory lock per schema on
 * PostgreSQL, a write transaction on SQLite). It looks only at its own table: Kysely's
 * migrator introspects every schema in the database and failed when another schema was
 * dropped meanwhile.
 */
export async function migrate(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', onProgress?: MigrationProgress): Promise<string[]> {
  const any = db as unknown as Kysely<any>;
  const lock = async (tx: Kysely<any>) => {
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.hookline_migrations'))`.execute(tx);
  };
  // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can collide in PostgreSQL.
  await any.transaction().execute(async (tx) => {
    await lock(tx);
    await sql`CREATE TABLE IF NOT EXISTS hookline_migrations (name text PRIMARY KEY, applied_at bigint NOT NULL)`.execute(tx);
    // Databases made by builds that used Kysely's migrator: adopt its record once.
    const legacy =
      dialect === 'postgres'
        ? (await sql<{ t: string | null }>`SELECT to_regclass('kysely_migration')::text AS t`.execute(tx)).rows[0]?.t
        : (await sql<{ t: string }>`SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(tx)).rows[0]?.t;
    if (legacy)
      await sql`INSERT INTO hookline_migrations (name, applied_at) SELECT name, ${Date.now()} FROM kysely_migration WHERE name NOT IN (SELECT name FROM hookline_migrations)`.execute(
        tx,
      );
  });
  const applied: string[] = [];
  const names = Object.keys(migrations).sort();
  for (const [i, name] of names.entries()) {
    const done = await any.transaction().execute(async (tx) => {
      await lock(tx);
      if (dialect === 'sqlite') await sql`UPDATE hookline_migrations SET name = name WHERE 0`.execute(tx); // takes SQLite's write lock now
      const row = await tx.selectFrom('hookline_migrations').select('name').where('name', '=', name).executeTakeFirst();
      if (row) return false;
      await migrations[name]!.up(tx);
      await tx.insertInto('hookline_migrations').values({ name, applied_at: Date.now() }).execute();
      return true;
    });
    if (done) applied.push(name);
    onProgress?.(i + 1, names.length, name);
  }
  return applied;
}
