// Lease renewal on PostgreSQL must not wait for a row another transaction has locked. The
// dispatcher renews the leases of rows it holds while their result is being written; when the
// renewal waited for those rows, it locked them in another order than the result write, the
// two deadlocked under load, the whole batch of results was lost and its deliveries were sent
// again (the PostgreSQL soak: 762 duplicates in 2 minutes, 12 "deadlock detected").
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHookline } from './helpers/hookline.js';
import { createTestSchema, TEST_DATABASE_URL } from './helpers/postgres.js';

describe('lease renewal (postgres)', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let h: Harness;
  let other: pg.Client;

  beforeAll(async () => {
    schema = await createTestSchema();
    // role api: no dispatcher, so the deliveries stay pending for the test to claim by hand.
    h = await startHookline('postgres', { schema: schema.schema, applicationName: schema.applicationName, overrides: { server: { role: 'api' } } });
    other = new pg.Client({ connectionString: TEST_DATABASE_URL, application_name: schema.applicationName, options: `-c search_path=${schema.schema}` });
    await other.connect();
  });

  afterAll(async () => {
    await other?.query('ROLLBACK').catch(() => undefined);
    await other?.end();
    await h?.close();
    await schema?.drop();
  });

  it('skips a row locked by another transaction and renews the rest, without waiting', async () => {
    expect((await h.call('POST', '/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/hook', events: ['lease.*'] })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await h.call('POST', '/api/v1/events', { type: 'lease.test', data: { i } })).status).toBe(202);
    const now = Date.now();
    const rows = await h.hl.store.deliveries.claimDue({ now, leaseUntil: now + 60_000, owner: 'w.1', limit: 10, perEndpoint: 10, skipEndpoints: [] });
    expect(rows).toHaveLength(3);

    // Another transaction holds the first row, as a result write does.
    await other.query('BEGIN');
    await other.query('SELECT id FROM deliveries WHERE id = $1 FOR UPDATE', [rows[0]!.id]);

    const until = now + 120_000;
    await h.hl.store.deliveries.renewClaims(
      rows.map((r) => ({ id: r.id, owner: 'w.1' })),
      until,
    ); // waited forever before the fix
    const after = await Promise.all(rows.map((r) => h.hl.store.deliveries.get(r.env_id, r.id)));
    expect(after.map((d) => Number(d!.next_attempt_at) === until)).toEqual([false, true, true]);
    await other.query('ROLLBACK');

    // Once the lock is gone, the next renewal takes that row too; rows of another claim are left alone.
    await h.hl.store.deliveries.renewClaims([...rows.map((r) => ({ id: r.id, owner: 'w.1' })), { id: rows[0]!.id, owner: 'w.2' }], until + 1);
    const again = await Promise.all(rows.map((r) => h.hl.store.deliveries.get(r.env_id, r.id)));
    expect(again.map((d) => Number(d!.next_attempt_at))).toEqual([until + 1, until + 1, until + 1]);
    await h.hl.store.deliveries.renewClaims([{ id: rows[1]!.id, owner: 'w.2' }], until + 2);
    expect(Number((await h.hl.store.deliveries.get(rows[1]!.env_id, rows[1]!.id))!.next_attempt_at)).toBe(until + 1);
  });
});
