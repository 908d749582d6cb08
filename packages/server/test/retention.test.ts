import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseOf } from '../src/store/testing.js';
import { ManualClock } from '../src/util/clock.js';
import { ADMIN_KEY, type Harness, STORES, startHookline } from './helpers/hookline.js';
import { Receiver } from './helpers/receiver.js';

const DAY = 86_400_000;

describe.each(STORES)('retention (%s)', (kind) => {
  let h: Harness;
  let rx: Receiver;
  const clock = new ManualClock(Date.now());
  beforeAll(async () => {
    rx = await new Receiver().start();
    // batch_size 10 makes the pruner loop over several batches.
    h = await startHookline(kind, {
      clock,
      random: () => 0,
      overrides: { delivery: { poll_interval: '1h' }, retention: { attempts: '7d', events: '30d', batch_size: 10 } },
    });
  });
  afterAll(async () => {
    await h.close();
    await rx.close();
  });

  it('prunes old attempts and finished events in batches, and keeps pending work', async () => {
    rx.respond = (r, res) => void res.writeHead(r.path === '/down' ? 500 : 200).end();
    await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/ok`, events: ['keep.*'] });
    const down = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/down`, events: ['keep.pending'], retry_schedule: ['7d'] });
    expect(down.status).toBe(201);
    for (let i = 0; i < 25; i++) await h.call('POST', '/api/v1/events', { type: 'keep.done', data: { i } });
    const pending = (await h.call('POST', '/api/v1/events', { type: 'keep.pending', data: {} })).body.event;
    await h.hl.dispatcher!.drain();
    const count = async (status: string) => (await h.call('GET', `/api/v1/deliveries?status=${status}&limit=1`)).body.total;
    expect(await count('delivered')).toBe(26);
    expect(await count('pending')).toBe(1);
    // The dispatcher's due timer runs on this clock and would send the 7-day retry as the clock
    // passes it; stopped, the delivery stays pending, which is the work retention must keep.
    await h.hl.dispatcher!.stop();

    clock.advance(8 * DAY);
    expect(await h.hl.retention!.runOnce()).toEqual({ attempts: 27, events: 0 });
    const anyDelivery = (await h.call('GET', '/api/v1/deliveries?status=delivered&limit=1')).body.items[0];
    expect((await h.call('GET', `/api/v1/deliveries/${anyDelivery.id}`)).body.history).toEqual([]);

    clock.advance(23 * DAY);
    expect(await h.hl.retention!.runOnce()).toEqual({ attempts: 0, events: 25 });
    expect(await count('delivered')).toBe(1); // the pending event's delivery to /ok
    expect(await count('pending')).toBe(1);
    expect(await h.hl.store.events.get(h.hl.tenants.fallback.envId, pending.id)).toBeDefined();
    expect((await h.call('GET', `/api/v1/webhooks/endpoints/${down.body.id}`)).status).toBe(200);
    expect(await h.hl.retention!.runOnce()).toEqual({ attempts: 0, events: 0 });
  });
});

describe.each(STORES)("an org's own retention windows (%s)", (kind) => {
  let h: Harness;
  const clock = new ManualClock(Date.now());
  beforeAll(async () => {
    h = await startHookline(kind, { clock, overrides: { retention: { attempts: '7d', events: '30d', batch_size: 10 } } });
  });
  afterAll(async () => {
    await h.close();
  });
  const publishIn = (envId: string, i: number) =>
    fetch(`${h.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', 'hookline-env': envId },
      body: JSON.stringify({ type: 'report.ready', data: { i } }),
    }).then((res) => expect(res.status).toBe(202));
  const eventsIn = async (envId: string) =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM events WHERE env_id = ${envId}`.execute(databaseOf(h.hl.store))).rows[0]!.n);

  it("prunes a tenant of an org with a shorter window by it, and the other tenants by the installation's", async () => {
    const shortLived = (await h.call('POST', '/api/v1/orgs', { name: 'Short-lived', settings: { retention: { events: '1d' } } })).body;
    const staging = (await h.call('POST', `/api/v1/orgs/${shortLived.id}/envs`, { name: 'staging' })).body;
    const envIds = [shortLived.envs[0].id, staging.id];
    for (let i = 0; i < 12; i++) for (const envId of [...envIds, 'env_default']) await publishIn(envId, i);

    clock.advance(2 * DAY);
    expect(await h.hl.retention!.runOnce()).toEqual({ attempts: 0, events: 24 });
    expect(await eventsIn(envIds[0])).toBe(0);
    expect(await eventsIn(envIds[1])).toBe(0);
    expect(await eventsIn('env_default')).toBe(12);

    clock.advance(29 * DAY);
    expect(await h.hl.retention!.runOnce()).toEqual({ attempts: 0, events: 12 });
    expect(await eventsIn('env_default')).toBe(0);
  });
});
