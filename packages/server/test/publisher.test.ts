import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';

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
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => h.hl.publisher.publish({ type: i % 2 ? 'grp.a' : 'grp.b', data: { i } })));
    expect(results.filter((r) => r.duplicate)).toHaveLength(0);
    results.forEach((r, i) => expect(r.deliveries, `event ${i}`).toBe(i % 2 ? 2 : 1));
    const d = await h.call('GET', '/api/v1/deliveries?limit=1');
    expect(d.body.total).toBe(450);
  });

  it('lets exactly one of several concurrent publishes with the same id through', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => h.hl.publisher.publish({ type: 'other.x', data: { i }, id: 'same-id' })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const winner = results.find((r) => !r.duplicate)!;
    for (const r of results) expect(r.event).toEqual(winner.event);
    expect((await h.call('GET', '/api/v1/deliveries?event_type=other.x')).body.total).toBe(1);
    // And across batches.
    const later = await h.hl.publisher.publish({ type: 'other.x', data: {}, id: 'same-id' });
    expect(later).toMatchObject({ duplicate: true, deliveries: 0, event: winner.event });
  });

  it('fails only the bad event of a batch', async () => {
    const bad = { type: 'grp.a', data: { n: BigInt(1) } }; // JSON cannot encode a BigInt
    const settled = await Promise.allSettled([h.hl.publisher.publish({ type: 'grp.b', data: 1 }), h.hl.publisher.publish(bad), h.hl.publisher.publish({ type: 'grp.b', data: 2 })]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
