import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { databaseOf } from '../src/store/testing.js';

const target = 'http://127.0.0.1:9/hook';

describe.each(STORES)('publisher group commit (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHookline(kind, { overrides: { delivery: { poll_interval: '1h' } } });
    await h.hl.dispatcher!.stop();
    await h.call('POST', '/api/v1/webhooks/endpoints', { url: target, events: ['grp.*'] });
    await h.call('POST', '/api/v1/webhooks/endpoints', { url: target, events: ['grp.a'] });
    await h.call('POST', '/api/v1/webhooks/endpoints', { url: target, events: ['other.*'] });
  });
  afterAll(() => h.close());

  it('writes concurrent publishes together, each with its own fan-out', async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: i % 2 ? 'grp.a' : 'grp.b', data: { i } })),
    );
    expect(results.filter((r) => r.duplicate)).toHaveLength(0);
    results.forEach((r, i) => expect(r.deliveries, `event ${i}`).toBe(i % 2 ? 2 : 1));
    const d = await h.call('GET', '/api/v1/deliveries?limit=1');
    expect(d.body.total).toBe(450);
  });

  it('lets exactly one of several concurrent publishes with the same id through', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'other.x', data: { i }, id: 'same-id' })),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const winner = results.find((r) => !r.duplicate)!;
    for (const r of results) expect(r.event).toEqual(winner.event);
    expect((await h.call('GET', '/api/v1/deliveries?event_type=other.x')).body.total).toBe(1);
    // And across batches.
    const later = await h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'other.x', data: {}, id: 'same-id' });
    expect(later).toMatchObject({ duplicate: true, deliveries: 0, event: winner.event });
  });

  it('fails only the bad event of a batch', async () => {
    const bad = { tenant: h.hl.tenants.fallback, type: 'grp.a', data: { n: BigInt(1) } }; // JSON cannot encode a BigInt
    const settled = await Promise.allSettled([
      h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'grp.b', data: 1 }),
      h.hl.publisher.publish(bad),
      h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'grp.b', data: 2 }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('answers a mixed batch exactly: a duplicate with the first event, a test event to one endpoint, run-linked rows, each new type noted once', async () => {
    const rowsOf = (eventId: string) => databaseOf(h.hl.store).selectFrom('deliveries').selectAll().where('event_id', '=', eventId).execute();
    const first = await h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'grp.mixed', data: { v: 1 }, id: 'mixed-1' });
    expect(first).toMatchObject({ duplicate: false, deliveries: 1 });
    const eps = (await h.call('GET', '/api/v1/webhooks/endpoints?limit=100')).body.items as { id: string; events: string[] }[];
    const only = eps.find((e) => e.events.includes('other.*'))!.id;
    const [dup, test, run, fresh, again] = await Promise.all([
      h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'grp.mixed', data: { v: 2 }, id: 'mixed-1' }),
      h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'webhook.test', data: {} }, only),
      h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'grp.a', data: {}, run: { run_id: 'run_mixed', agent_id: 'agent_mixed' } }),
      h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'grp.noted', data: { n: 1 } }),
      h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'grp.noted', data: { n: 2 } }),
    ]);
    expect(dup).toEqual({ event: first.event, duplicate: true, deliveries: 0 });
    expect(await rowsOf('mixed-1')).toHaveLength(1);
    expect(test).toMatchObject({ duplicate: false, deliveries: 1 });
    expect((await rowsOf(test.event.id)).map((d) => d.endpoint_id)).toEqual([only]);
    expect(run).toMatchObject({ duplicate: false, deliveries: 2 });
    const runRows = await rowsOf(run.event.id);
    expect(runRows.map((d) => [d.run_id, d.agent_id, d.target === d.endpoint_id, d.status, d.attempts, d.channel])).toEqual([
      ['run_mixed', 'agent_mixed', true, 'pending', 0, 'endpoint'],
      ['run_mixed', 'agent_mixed', true, 'pending', 0, 'endpoint'],
    ]);
    expect([fresh.deliveries, again.deliveries]).toEqual([1, 1]);
    const noted = await databaseOf(h.hl.store).selectFrom('event_types').selectAll().where('type', 'in', ['grp.mixed', 'grp.noted']).orderBy('type').execute();
    expect(noted.map((t) => [t.type, t.first_published_at])).toEqual([
      ['grp.mixed', Date.parse(first.event.timestamp)],
      ['grp.noted', Math.min(Date.parse(fresh.event.timestamp), Date.parse(again.event.timestamp))],
    ]);
    // A duplicate's own type is not noted: its event was never written.
    await h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'grp.never', data: {}, id: 'mixed-1' });
    expect(await databaseOf(h.hl.store).selectFrom('event_types').selectAll().where('type', '=', 'grp.never').execute()).toEqual([]);
  });
});
