/**
 * PostgreSQL writes a batch of delivery results in one statement. Two workers writing results for
 * the same endpoints at once must neither deadlock nor lose a failure (the endpoints that move
 * are locked in id order inside the statement), a success on an endpoint whose streak is 0 must
 * write nothing, and a late result from a lease that changed hands must not land.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDelivery } from '../src/delivery/new-delivery.js';
import { openStore, type Store } from '../src/store/index.js';
import { systemClock } from '../src/util/clock.js';
import { type Harness, startHookline } from './helpers/hookline.js';
import { TEST_DATABASE_URL } from './helpers/postgres.js';
import { databaseOf } from '../src/store/testing.js';

const EP = '/api/v1/webhooks/endpoints';

describe('result batches on PostgreSQL, from two workers at once', () => {
  let h: Harness;
  let workerA: Store;
  let workerB: Store;
  const endpoints: string[] = [];

  beforeAll(async () => {
    h = await startHookline('postgres', { overrides: { delivery: { poll_interval: '1h' } } });
    await h.hl.dispatcher!.stop();
    const schema = (
      await databaseOf(h.hl.store)
        .selectNoFrom((e) => e.fn<string>('current_schema', []).as('s'))
        .executeTakeFirstOrThrow()
    ).s;
    const app = (
      await databaseOf(h.hl.store)
        .selectNoFrom((e) => e.fn<string>('current_setting', [e.val('application_name')]).as('a'))
        .executeTakeFirstOrThrow()
    ).a;
    workerA = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, applicationName: app, poolSize: 2 });
    workerB = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, applicationName: app, poolSize: 2 });
    for (let i = 0; i < 6; i++) {
      const ep = await h.call('POST', EP, { url: `http://127.0.0.1:9/ep${i}`, events: ['order.*'] });
      expect(ep.status).toBe(201);
      endpoints.push(ep.body.id as string);
    }
  });
  afterAll(async () => {
    await workerA?.close();
    await workerB?.close();
    await h?.close();
  });

  const streaks = async () => {
    const rows = await h.hl.store.endpoints.getMany(endpoints);
    return Object.fromEntries(rows.map((r) => [r.id, Number(r.consecutive_failures)]));
  };

  it('counts every failure of 2 × 40 concurrent batches over the same endpoints, in opposite orders, without a deadlock', async () => {
    const forward = endpoints.map((endpointId) => ({ endpointId, reset: false, failures: 1 }));
    const backward = [...forward].reverse();
    for (let round = 0; round < 40; round++) {
      await Promise.all([
        workerA.deliveries.recordResults({ attempts: [], updates: [], health: forward }),
        workerB.deliveries.recordResults({ attempts: [], updates: [], health: backward }),
      ]);
    }
    expect(Object.values(await streaks())).toEqual(endpoints.map(() => 80));
  });

  it('a success resets a streak, and on a streak of 0 writes nothing (the row version stays)', async () => {
    const [first] = endpoints;
    const after = await workerA.deliveries.recordResults({ attempts: [], updates: [], health: [{ endpointId: first!, reset: true, failures: 0 }] });
    expect(after).toEqual([{ id: first, consecutive_failures: 0, enabled: true }]);
    const version = async () =>
      (await sql<{ v: string }>`SELECT xmin::text AS v FROM endpoints WHERE id = ${first}`.execute(databaseOf(h.hl.store))).rows[0]!.v;
    const before = await version();
    expect(await workerA.deliveries.recordResults({ attempts: [], updates: [], health: [{ endpointId: first!, reset: true, failures: 0 }] })).toEqual([]);
    expect(await version()).toBe(before);
    // Reset then two more failures in one batch: the streak is 2.
    const moved = await workerB.deliveries.recordResults({ attempts: [], updates: [], health: [{ endpointId: endpoints[1]!, reset: true, failures: 2 }] });
    expect(moved).toEqual([{ id: endpoints[1], consecutive_failures: 2, enabled: true }]);
  });

  it('writes a result and its attempt only while the writing claim holds the delivery', async () => {
    const now = Date.now();
    const envId = h.hl.tenants.fallback.envId;
    const event = { id: `evt_rr_${now}`, env_id: envId, type: 'order.paid', created_at: now, payload: '{}' };
    await h.hl.store.events.insert([event]);
    const row = {
      ...newDelivery(systemClock, now, { env_id: envId, event_id: event.id, endpoint_id: endpoints[2]!, event_type: event.type }),
      lease_owner: 'w_new.2',
      next_attempt_at: now + 60_000,
    };
    await h.hl.store.deliveries.insert([row]);
    const result = (owner: string, attemptId: string) => ({
      attempts: [
        {
          id: attemptId,
          delivery_id: row.id,
          attempt: 1,
          started_at: now,
          duration_ms: 3,
          method: 'POST',
          url: 'http://127.0.0.1:9/ep2',
          status_code: 200,
          response_body: 'ok',
          error_code: null,
          error_message: null,
        },
      ],
      updates: [
        {
          id: row.id,
          leaseOwner: owner,
          status: 'delivered' as const,
          attempts: 1,
          nextAttemptAt: now,
          updatedAt: now,
          deliveredAt: now,
          lastStatusCode: 200,
          lastError: null,
        },
      ],
      health: [],
    });
    // A stale claim's result: its attempt is kept (it happened), the delivery's state is not touched.
    await workerA.deliveries.recordResults(result('w_old.1', `att_rr_old_${now}`));
    expect(await h.hl.store.deliveries.get(envId, row.id)).toMatchObject({ status: 'pending', lease_owner: 'w_new.2' });
    await workerB.deliveries.recordResults(result('w_new.2', `att_rr_new_${now}`));
    expect(await h.hl.store.deliveries.get(envId, row.id)).toMatchObject({ status: 'delivered', lease_owner: null, attempts: 1, last_status_code: 200 });
    expect((await h.hl.store.deliveries.listAttempts(envId, row.id)).map((a) => a.id).sort()).toEqual([`att_rr_new_${now}`, `att_rr_old_${now}`].sort());
  });
});
