import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';

/** The PostgreSQL the tests use; CI starts it (see .ci/run). */
export const TEST_DATABASE_URL = process.env.HOOKLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface TestSchema {
  schema: string;
  /** Every connection of the test carries it, so `drop()` can count the ones left open. */
  applicationName: string;
  /** Gives the schema back; fails the test when a connection tagged `applicationName` is still open (a leaked pool or worker). */
  drop(): Promise<void>;
}

/** Connections close asynchronously after end(): give them a moment, then count what is left. */
async function openConnections(c: pg.Client, applicationName: string): Promise<number> {
  const count = async () =>
    (await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows[0].n as number;
  for (let i = 0; i < 50; i++) {
    if ((await count()) === 0) return 0;
    await new Promise((res) => setTimeout(res, 100));
  }
  return count();
}

const leak = (open: number, applicationName: string) =>
  new Error(`leak: ${open} PostgreSQL connection(s) of ${applicationName} still open after the test closed everything`);

/**
 * A schema of its own for one test (or file), already migrated: see `claimMigratedSchema`.
 * `{ migrated: false }` gives an empty schema instead, for tests that run the migrations
 * themselves or make their own tables.
 */
export async function createTestSchema({ migrated = true } = {}): Promise<TestSchema> {
  if (migrated) return claimMigratedSchema();
  const schema = `hl_t_${randomBytes(5).toString('hex')}`;
  const applicationName = `hookline-test:${schema}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    applicationName,
    async drop() {
      const open = await admin(async (c) => {
        const n = await openConnections(c, applicationName);
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        return n;
      });
      if (open > 0) throw leak(open, applicationName);
    },
  };
}

// --- the pool of migrated schemas ------------------------------------------------------
//
// Migrating a fresh schema costs about half a second per test; cloning a database from a
// migrated template costs more still here (CREATE DATABASE copies the catalogs, DROP
// DATABASE forces a checkpoint). So migrated schemas are kept and reused: a test claims a
// free one (a session advisory lock, released by PostgreSQL if the process dies), and gives
// it back emptied of rows, or drops it when the test changed its structure or leaked.

/** The slots' names carry a hash of the migrations' source: a changed migration gets new slots. */
const MIGRATIONS_HASH = createHash('sha256')
  .update(readFileSync(new URL('../../src/store/migrations.ts', import.meta.url)))
  .update(readFileSync(new URL('../../src/store/migrator.ts', import.meta.url)))
  .digest('hex')
  .slice(0, 10);
const SLOT_PREFIX = `hl_p_${MIGRATIONS_HASH}_`;
/** A free slot's comment: this word, then when it was given back (ms since the epoch). */
const CLEAN = 'hookline-test clean ';
/** Slots of other migrations are dropped once nobody has given one back for this long. */
const STALE_SLOT_MS = 60 * 60 * 1000;

/** Tables, columns, constraints and indexes of a schema, as one hash: what a test may not leave changed. */
const FINGERPRINT = `
  SELECT md5(string_agg(x, ',' ORDER BY x)) AS f FROM (
    SELECT c.relname || ':' || c.relkind::text || ':' || coalesce(a.attname, '') || ':' || coalesce(format_type(a.atttypid, a.atttypmod), '') || ':' || coalesce(a.attnotnull::text, '') || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS x
      FROM pg_class c
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relnamespace = $1::regnamespace
    UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = $1::regnamespace
    UNION ALL SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = $1::regnamespace
    UNION ALL SELECT p.proname FROM pg_proc p WHERE p.pronamespace = $1::regnamespace
    UNION ALL SELECT t.typname FROM pg_type t WHERE t.typnamespace = $1::regnamespace AND t.typrelid = 0
  ) s`;

const fingerprint = async (c: pg.Client, schema: string) => (await c.query<{ f: string }>(FINGERPRINT, [schema])).rows[0]!.f;

/** DELETE statements that empty the schema's tables, referencing tables first, the migrations record kept. */
async function emptyingStatements(c: pg.Client, schema: string): Promise<string> {
  const tables = (
    await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 AND tablename <> 'hookline_migrations'", [schema])
  ).rows.map((r) => r.t);
  const refs = (
    await c.query<{ child: string; parent: string }>(
      "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f' AND connamespace = $1::regnamespace",
      [schema],
    )
  ).rows;
  const bare = (name: string) => name.slice(name.lastIndexOf('.') + 1).replaceAll('"', '');
  const order: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (order.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const r of refs) if (bare(r.parent) === t && bare(r.child) !== t) visit(bare(r.child), seen);
    order.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return order.map((t) => `DELETE FROM ${schema}."${t}";`).join('\n');
}

let staleSlotsDropped: Promise<void> | undefined;

/**
 * Drops the slots built for earlier versions of the migrations, which would otherwise pile up
 * in the test database. A slot is only dropped while this process holds its lock (nobody is
 * using it) and after an hour unused, so two checkouts with different migrations testing side
 * by side do not keep rebuilding each other's slots.
 */
async function dropStaleSlots(c: pg.Client, now: number): Promise<void> {
  const slots = await c.query<{ name: string; note: string | null }>(
    "SELECT nspname AS name, obj_description(oid, 'pg_namespace') AS note FROM pg_namespace WHERE nspname LIKE 'hl\\_p\\_%' AND nspname NOT LIKE $1",
    [`${SLOT_PREFIX}%`],
  );
  for (const slot of slots.rows) {
    const releasedAt = slot.note?.startsWith(CLEAN) ? Number(slot.note.slice(CLEAN.length)) : NaN;
    // Slots without a release time come from before it was recorded, or from a process that died.
    if (Number.isFinite(releasedAt) && now - releasedAt < STALE_SLOT_MS) continue;
    const locked = (await c.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [slot.name])).rows[0]!.got;
    if (!locked) continue;
    try {
      await c.query(`DROP SCHEMA IF EXISTS ${slot.name} CASCADE`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [slot.name]);
    }
  }
}

async function claimMigratedSchema(): Promise<TestSchema> {
  // Holds the slot's lock for the test's whole life; not tagged, so it is not counted as a leak.
  const claim = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await claim.connect();
  let schema = '';
  try {
    await (staleSlotsDropped ??= dropStaleSlots(claim, Date.now()));
    for (let n = 0; !schema; n++) {
      const r = await claim.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [`${SLOT_PREFIX}${n}`]);
      if (r.rows[0]!.got) schema = `${SLOT_PREFIX}${n}`;
    }
    const note = (await claim.query<{ d: string | null }>("SELECT obj_description(oid, 'pg_namespace') AS d FROM pg_namespace WHERE nspname = $1", [schema]))
      .rows[0]?.d;
    if (!note?.startsWith(CLEAN)) {
      // New, or left half-built or in use by a process that died: build it afresh.
      await claim.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await claim.query(`CREATE SCHEMA ${schema}`);
      const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 1, enginePoolSize: 1 });
      try {
        await store.migrate();
      } finally {
        await store.close();
      }
    }
    await claim.query(`COMMENT ON SCHEMA ${schema} IS 'in use'`);
  } catch (err) {
    await claim.end();
    throw err;
  }
  const clean = await fingerprint(claim, schema);
  const applicationName = `hookline-test:${schema}:${randomBytes(4).toString('hex')}`;
  return {
    schema,
    applicationName,
    async drop() {
      try {
        const open = await openConnections(claim, applicationName);
        if (open > 0) {
          // Whatever leaked must not write into the next test's schema.
          await claim.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
          await claim.query(`DROP SCHEMA ${schema} CASCADE`);
          throw leak(open, applicationName);
        }
        if ((await fingerprint(claim, schema)) !== clean) {
          await claim.query(`DROP SCHEMA ${schema} CASCADE`);
          return;
        }
        // One implicit transaction: emptied and marked clean together, or left marked in use (rebuilt by its next claimer).
        await claim.query(`${await emptyingStatements(claim, schema)}\nCOMMENT ON SCHEMA ${schema} IS '${CLEAN}${Date.now()}';`);
      } finally {
        await claim.end();
      }
    },
  };
}
