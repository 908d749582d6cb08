import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Publisher } from '../src/events/publisher.js';
import { openStore, type Store } from '../src/store/index.js';
import { type Harness, startHookline } from './helpers/hookline.js';
import { TEST_DATABASE_URL } from './helpers/postgres.js';
import { Receiver } from './helpers/receiver.js';
import { until } from './helpers/wait.js';
import { databaseOf } from '../src/store/testing.js';

// PostgreSQL only: SQLite has one connection and no pools to separate.
describe('the delivery engine on its own PostgreSQL pool', () => {
  let h: Harness;
  let rx: Receiver;
  let other: Store;

  beforeAll(async () => {
    rx = await new Receiver().start();
    // One API connection, so holding it leaves the API pool with nothing to lend.
    // No poll: only the publishing process's NOTIFY can wake this dispatcher.
    h = await startHookline('postgres', { overrides: { database: { pool_size: 1, engine_pool_size: 2 }, delivery: { poll_interval: '1h' } } });
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
    other = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, applicationName: app, poolSize: 1 });
  });
  afterAll(async () => {
    await other.close();
    await h.close();
    await rx.close();
  });

  it('delivers while every API connection is taken', async () => {
    const ep = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['order.*'] });
    expect(ep.status).toBe(201);
    // Hold the only API connection until the delivery arrives: the dispatcher must claim,
    // send and record without it. Another process publishes (its NOTIFY wakes this one).
    const held = h.hl.store.transaction(async (tx) => {
      await tx.ping();
      await until('the delivery while the API pool is held', async () => rx.received.length === 1 || undefined, 15_000);
    });
    const published = await new Publisher({ store: other }).publish({
      tenant: { orgId: 'org_default', envId: 'env_default' },
      type: 'order.paid',
      data: { n: 1 },
    });
    expect(published.deliveries).toBe(1);
    await held;
    expect(JSON.parse(rx.received[0]!.body).id).toBe(published.event.id);
    await until('the attempt recorded', async () =>
      (
        await h.hl.store.deliveries.get(
          h.hl.tenants.fallback.envId,
          (await h.hl.store.deliveries.list(h.hl.tenants.fallback.envId, { limit: 1, offset: 0 })).rows[0]!.id,
        )
      )?.status === 'delivered'
        ? true
        : undefined,
    );
  });
});
