// Named prepared statements on PostgreSQL (store/prepared-postgres.ts): only marked statements are
// prepared, each once per connection, and a plan made stale by another process's migration heals.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { preparedAs, prepareMarkedStatements } from '../src/store/prepared-postgres.js';
import { type Harness, startHookline } from './helpers/hookline.js';
import { createTestSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { Receiver } from './helpers/receiver.js';
import { until } from './helpers/wait.js';
import { databaseOf } from '../src/store/testing.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One connection, so every statement shows in the same session's pg_prepared_statements. */
async function oneConnection() {
  // Empty: these tests make their own tables.
  const schema = await createTestSchema({ migrated: false });
  const pool = new pg.Pool({
    connectionString: TEST_DATABASE_URL,
    max: 1,
    application_name: schema.applicationName,
    options: `-c search_path=${schema.schema}`,
  });
  pool.on('connect', (client) => prepareMarkedStatements(client));
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  cleanups.push(async () => {
    await db.destroy();
    await schema.drop();
  });
  const prepared = async () => (await sql<{ name: string }>`SELECT name FROM pg_prepared_statements ORDER BY name`.execute(db)).rows.map((r) => r.name);
  return { db, prepared };
}

describe('prepared statements on PostgreSQL', () => {
  it('prepares a marked statement once per connection by its name, and leaves the others unnamed', async () => {
    const { db, prepared } = await oneConnection();
    await sql`CREATE TABLE t (a int)`.execute(db);
    await sql`INSERT INTO t SELECT * FROM unnest(${[1, 2, 3]}::int[])`.execute(db);
    for (const min of [1, 2, 3]) {
      const rows = (await sql<{ a: number }>`${preparedAs('from_t')} SELECT a FROM t WHERE a >= ${min} ORDER BY a`.execute(db)).rows;
      expect(rows.map((r) => r.a)).toEqual([1, 2, 3].filter((a) => a >= min));
    }
    expect(await prepared()).toEqual(['hl_from_t_0']);
  });

  it('heals a plan another process made stale by changing the table, without a failed call', async () => {
    const { db, prepared } = await oneConnection();
    await sql`CREATE TABLE t (a int)`.execute(db);
    await sql`INSERT INTO t VALUES (1)`.execute(db);
    const read = async () => (await sql<Record<string, unknown>>`${preparedAs('all_of_t')} SELECT * FROM t`.execute(db)).rows;
    expect(await read()).toEqual([{ a: 1 }]);
    // As a newer version's migration would, from another connection.
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await other.connect();
    await other.query(`ALTER TABLE ${(await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]!.s}.t ADD COLUMN b text DEFAULT 'x'`);
    await other.end();
    expect(await read()).toEqual([{ a: 1, b: 'x' }]);
    expect(await prepared()).toEqual(['hl_all_of_t_0', 'hl_all_of_t_1']);
  });

  it('passes a statement error through, and the connection keeps working', async () => {
    const { db } = await oneConnection();
    await expect(sql`${preparedAs('missing_table')} SELECT * FROM no_such_table`.execute(db)).rejects.toThrow(/no_such_table/);
    expect((await sql<{ n: number }>`${preparedAs('one')} SELECT 1 AS n`.execute(db)).rows).toEqual([{ n: 1 }]);
  });

  it('prepares nothing with database.prepare_statements off (for poolers that cannot keep them)', async () => {
    for (const prepareStatements of [true, false]) {
      const schema = await createTestSchema();
      const store = await openStore({
        databaseUrl: TEST_DATABASE_URL,
        poolSize: 1,
        enginePoolSize: 1,
        prepareStatements,
        schema: schema.schema,
        applicationName: schema.applicationName,
      });
      cleanups.push(async () => {
        await store.close();
        await schema.drop();
      });
      expect((await sql<{ n: number }>`${preparedAs('one')} SELECT 1 AS n`.execute(databaseOf(store))).rows).toEqual([{ n: 1 }]);
      const names = (await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(databaseOf(store))).rows.map((r) => r.name);
      expect(names).toEqual(prepareStatements ? ['hl_one_0'] : []);
    }
  });

  it('refuses a name that could end the marking comment', () => {
    expect(() => preparedAs('x */ DROP TABLE deliveries; /*')).toThrow(/lower-case words/);
    expect(() => preparedAs('')).toThrow(/lower-case words/);
  });

  it('keeps publishing and delivering after a migration by another process changes the deliveries table', async () => {
    const rx = await new Receiver().start();
    const h: Harness = await startHookline('postgres');
    cleanups.push(async () => {
      await h.close();
      await rx.close();
    });
    await h.hl.endpoints.create(h.hl.tenants.fallback, { url: rx.url, events: ['*'] });
    await h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'order.created', data: { n: 1 } });
    await rx.waitFor(1);
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await other.connect();
    const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(databaseOf(h.hl.store))).rows[0]!.s;
    await other.query(`ALTER TABLE ${schema}.deliveries ADD COLUMN added_by_a_newer_version text`);
    await other.end();
    // Queued behind an unanswered publish, these go through the claim (its RETURNING * changed shape).
    h.hl.dispatcher!.wake();
    for (let n = 2; n <= 20; n++) await h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'order.created', data: { n } });
    await rx.waitFor(20);
    await until('all recorded', async () => ((await h.hl.store.deliveries.countPending()) === 0 ? true : undefined));
  });
});
