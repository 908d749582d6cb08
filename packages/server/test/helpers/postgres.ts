import { randomBytes } from 'node:crypto';
import pg from 'pg';

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

/**
 * A fresh schema per test file (cheap isolation, as graphile-worker's tests do). `drop()`
 * fails the test when a connection tagged with the schema's application name is still open:
 * a leaked pool or worker.
 */
export async function createTestSchema(): Promise<{ schema: string; applicationName: string; drop: () => Promise<void> }> {
  const schema = `hl_t_${randomBytes(5).toString('hex')}`;
  const applicationName = `hookline-test:${schema}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    applicationName,
    async drop() {
      const open = await admin(async (c) => {
        // Connections close asynchronously after end(); give them a moment before judging.
        for (let i = 0; i < 50; i++) {
          const r = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
          if (r.rows[0].n === 0) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        const r = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        return r.rows[0].n as number;
      });
      if (open > 0) throw new Error(`leak: ${open} PostgreSQL connection(s) of ${applicationName} still open after the test closed everything`);
    },
  };
}
