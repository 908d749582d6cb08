import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { migrations } from '../src/store/migrations.js';
import { createTestSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { databaseOf } from '../src/store/testing.js';

/** Every migration this build ships, in the order they apply. */
const ALL = Object.keys(migrations).sort();

describe('migrations', () => {
  it('PostgreSQL: concurrent starts apply each migration once, while other schemas come and go', async () => {
    const t = await createTestSchema({ migrated: false });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    let stop = false;
    // Someone else's schemas being created and dropped: this used to break Kysely's introspection.
    const churn = (async () => {
      for (let i = 0; !stop && i < 500; i++) {
        const s = `${t.schema}_churn_${i}`;
        await admin.query(`CREATE SCHEMA ${s}; CREATE TABLE ${s}.t (a int)`);
        await admin.query(`DROP SCHEMA ${s} CASCADE`);
      }
    })();
    const stores = await Promise.all(
      [1, 2, 3].map(() => openStore({ databaseUrl: TEST_DATABASE_URL, schema: t.schema, applicationName: t.applicationName, poolSize: 2 })),
    );
    try {
      const applied = await Promise.all(stores.map((s) => s.migrate()));
      expect(applied.flat().sort()).toEqual(ALL);
      expect(await stores[0]!.migrate()).toEqual([]);
      const r = await admin.query(`SELECT count(*)::int AS n FROM ${t.schema}.hookline_migrations`);
      expect(r.rows[0].n).toBe(ALL.length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      stop = true;
      await churn;
      await admin.end();
      await t.drop();
    }
  });

  it('SQLite: migrating twice is a no-op and the tables are there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-mig-'));
    try {
      const a = await openStore({ sqlitePath: join(dir, 'h.db') });
      const seen: [number, number, string][] = [];
      expect(await a.migrate((done, total, name) => seen.push([done, total, name]))).toEqual(ALL);
      // One report per migration, in order, for `hookline migrate`'s progress bar.
      expect(seen).toEqual(ALL.map((name, i) => [i + 1, ALL.length, name]));
      expect(await a.migrate()).toEqual([]);
      expect(await a.deliveries.countPending()).toBe(0);
      await a.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migrations from earlier builds', () => {
  it("adopt Kysely's kysely_migration record instead of re-creating tables", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-mig-'));
    try {
      const a = await openStore({ sqlitePath: join(dir, 'h.db') });
      await a.migrate();
      // Simulate an older build: its record lived in kysely_migration, ours did not exist.
      await databaseOf(a).schema.createTable('kysely_migration').addColumn('name', 'text').addColumn('timestamp', 'text').execute();
      await (databaseOf(a) as any)
        .insertInto('kysely_migration')
        .values(ALL.map((name) => ({ name, timestamp: 'x' })))
        .execute();
      await (databaseOf(a) as any).schema.dropTable('hookline_migrations').execute();
      expect(await a.migrate()).toEqual([]);
      await a.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
