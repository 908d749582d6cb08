/**
 * The in-process hand-off: a delivery published in a process that runs a dispatcher is leased
 * to that dispatcher in the publishing write and started once it commits, with no claim query.
 * It must keep every rule a claim keeps: room (max_in_flight), older due work first, each
 * delivery once, a lease in the row (so a crash returns it to the queue), and no wake-up sent
 * to other processes for work nobody else needs to look at. On both stores.
 */
import type { ServerResponse } from 'node:http';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/util/clock.js';
import { newDelivery } from '../src/delivery/new-delivery.js';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { TEST_DATABASE_URL } from './helpers/postgres.js';
import { Receiver } from './helpers/receiver.js';
import { until } from './helpers/wait.js';
import { databaseOf } from '../src/store/testing.js';

const EP = '/api/v1/webhooks/endpoints';
const LEASE_MS = 60_000;

/** `hookline_delivery_starts_total{via}` from /metrics (0 when not yet counted). */
async function starts(h: Harness, via: 'claim' | 'handoff'): Promise<number> {
  const text = (await h.call('GET', '/metrics')).body as string;
  const m = new RegExp(`^hookline_delivery_starts_total\\{via="${via}"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** The one delivery of event `eventId`. */
async function deliveryOf(h: Harness, eventId: string) {
  const rows = (await h.hl.store.deliveries.list(h.hl.tenants.fallback.envId, { limit: 100, offset: 0 })).rows.filter((r) => r.event_id === eventId);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe.each(STORES)('deliveries handed off by the publishing write (%s)', (kind) => {
  const rx = new Receiver();
  const held: ServerResponse[] = [];
  let h: Harness | undefined;

  afterEach(async () => {
    for (const res of held.splice(0)) res.destroy();
    await h?.close();
    h = undefined;
    await rx.close();
    rx.received.length = 0;
  });

  async function start(delivery: Record<string, unknown>, clock?: ManualClock): Promise<Harness> {
    await rx.start();
    // No poll: only a wake-up or the hand-off can start a delivery.
    h = await startHookline(kind, { ...(clock ? { clock, random: () => 0 } : {}), overrides: { delivery: { poll_interval: '1h', ...delivery } } });
    expect((await h.call('POST', EP, { url: `${rx.url}/hook`, events: ['order.*'] })).status).toBe(201);
    return h;
  }

  it('leases the delivery in the publishing write and starts it without a claim or a wake-up for other processes', async () => {
    rx.respond = (_req, res) => void held.push(res);
    const h = await start({});
    const listener = kind === 'postgres' ? new pg.Client({ connectionString: TEST_DATABASE_URL }) : undefined;
    const wakeUps: string[] = [];
    if (listener) {
      await listener.connect();
      listener.on('notification', (n) => wakeUps.push(n.payload ?? ''));
      await listener.query('LISTEN hookline_deliveries_due');
    }
    try {
      const claimsBefore = await starts(h, 'claim');
      const published = await h.call('POST', '/api/v1/events', { type: 'order.paid', data: { n: 1 } });
      expect(published.status).toBe(202);
      await rx.waitFor(1);
      // In flight: the row carries this process's lease, written with the event (its due time is the lease's end).
      const row = await deliveryOf(h, published.body.event.id);
      expect(row.status).toBe('pending');
      expect(row.lease_owner).toMatch(/^w_[0-9a-f]{12}\.\d+$/);
      expect(Number(row.next_attempt_at)).toBe(Number(row.created_at) + LEASE_MS);
      expect(await starts(h, 'handoff')).toBe(1);
      expect(await starts(h, 'claim')).toBe(claimsBefore);
      held.shift()!.writeHead(200).end('ok');
      await until('the delivery recorded', async () => ((await deliveryOf(h, published.body.event.id)).status === 'delivered' ? true : undefined));
      expect((await deliveryOf(h, published.body.event.id)).lease_owner).toBeNull();
      // A round trip on the listening connection: any NOTIFY of the publish has arrived by now.
      if (listener) {
        await listener.query('SELECT 1');
        const schema = (
          await databaseOf(h.hl.store)
            .selectNoFrom((e) => e.fn<string>('current_schema', []).as('s'))
            .executeTakeFirstOrThrow()
        ).s;
        expect(wakeUps.filter((p) => p === schema)).toEqual([]);
      }
    } finally {
      await listener?.end();
    }
  });

  it('queues what it has no room for; a freed slot claims it, and every delivery arrives once', async () => {
    rx.respond = (_req, res) => void held.push(res);
    const h = await start({ max_in_flight: 1 });
    const first = await h.call('POST', '/api/v1/events', { type: 'order.paid', data: { n: 1 } });
    await rx.waitFor(1);
    const second = await h.call('POST', '/api/v1/events', { type: 'order.paid', data: { n: 2 } });
    expect(second.status).toBe(202);
    // No room: the second is an ordinary queued row, not leased to anyone.
    const queued = await deliveryOf(h, second.body.event.id);
    expect([queued.status, queued.lease_owner]).toEqual(['pending', null]);
    expect(await starts(h, 'handoff')).toBe(1);
    rx.respond = (_req, res) => void res.writeHead(200).end('ok');
    held.shift()!.writeHead(200).end('ok');
    await rx.waitFor(2);
    await until('both delivered', async () => ((await deliveryOf(h, second.body.event.id)).status === 'delivered' ? true : undefined));
    expect((await deliveryOf(h, first.body.event.id)).status).toBe('delivered');
    expect(rx.received.map((r) => JSON.parse(r.body).id)).toEqual([first.body.event.id, second.body.event.id]);
    expect(await starts(h, 'claim')).toBeGreaterThanOrEqual(1);
  });

  it('takes nothing while older due work may be waiting in the store: a retry that came due goes first', async () => {
    const T0 = Date.UTC(2026, 6, 1);
    const clock = new ManualClock(T0);
    let calls = 0;
    rx.respond = (_req, res) => void res.writeHead(calls++ === 0 ? 500 : 200).end();
    const h = await start({ max_in_flight: 1, retry_schedule: ['1s'] }, clock);
    const dispatcher = h.hl.dispatcher!;
    const first = await h.call('POST', '/api/v1/events', { type: 'order.paid', data: { n: 1 } });
    await until('the first attempt failed and its retry is due at +1 s', async () =>
      (await deliveryOf(h, first.body.event.id)).attempts === 1 ? true : undefined,
    );
    const probe = [
      newDelivery(clock, clock.now(), { env_id: h.hl.tenants.fallback.envId, event_id: 'evt_probe', endpoint_id: 'ep_probe', event_type: 'order.paid' }),
    ];
    // Nothing due in the store and room for one: a publish now would be handed off.
    const lease = dispatcher.reserve(probe, clock.now());
    expect(lease?.ids.size).toBe(1);
    dispatcher.cancel(lease!);
    // The retry comes due: until a claim has taken it, new deliveries queue behind it.
    clock.set(T0 + 2000);
    expect(dispatcher.reserve(probe, clock.now())).toBeUndefined();
    const second = await h.call('POST', '/api/v1/events', { type: 'order.paid', data: { n: 2 } });
    await rx.waitFor(3);
    expect(rx.received.map((r) => JSON.parse(r.body).id)).toEqual([first.body.event.id, first.body.event.id, second.body.event.id]);
  });

  it('gives back the room of deliveries a duplicate publish did not store', async () => {
    rx.respond = (_req, res) => void res.writeHead(200).end('ok');
    // One tenant: both slots are its to take.
    const h = await start({ max_in_flight: 2, per_env_in_flight_share: 1 });
    // The same id five times, one after another: four publishes reserve room and store nothing.
    for (let i = 0; i < 5; i++)
      expect((await h.call('POST', '/api/v1/events', { id: 'evt_same', type: 'order.paid', data: {} })).status).toBe(i === 0 ? 202 : 200);
    await rx.waitFor(1);
    await until('the one delivery recorded', async () => ((await deliveryOf(h, 'evt_same')).status === 'delivered' ? true : undefined));
    // Both slots are free again: two new deliveries are open at the receiver at once.
    rx.respond = (_req, res) => void held.push(res);
    await Promise.all([1, 2].map((n) => h.call('POST', '/api/v1/events', { type: 'order.paid', data: { n } })));
    await rx.waitFor(3);
    expect(held).toHaveLength(2);
    expect(rx.received).toHaveLength(3);
  });
});

/**
 * Hand-offs wait only for news: a wake-up (a NOTIFY, a retry coming due) may mean older rows
 * of any tenant wait in the store, so new deliveries queue until a claim has looked. A poll
 * tick is no news, and a freed slot of an endpoint with more due rows is news of that endpoint
 * only: neither may hold back every tenant's new deliveries for the length of a claim. A claim
 * is held in flight here by a lock on the deliveries table (PostgreSQL, where claims wait for it).
 */
describe('hand-offs while a claim that is no news runs (postgres)', () => {
  const rx = new Receiver();
  const held: ServerResponse[] = [];
  let h: Harness | undefined;
  let locker: pg.Client | undefined;

  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    locker = undefined;
    for (const res of held.splice(0)) res.destroy();
    await h?.close();
    h = undefined;
    await rx.close();
    rx.received.length = 0;
  });

  /** Takes a lock that makes claims and result writes wait (plain reads go on) until `unlock`. */
  async function lockDeliveries(h: Harness): Promise<() => Promise<void>> {
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(databaseOf(h.hl.store));
    locker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${rows[0]!.schema}".deliveries IN EXCLUSIVE MODE`);
    return async () => void (await locker!.query('COMMIT'));
  }

  /** Resolves once a statement of this test's Hookline waits for the lock. */
  async function waitingForLock(): Promise<void> {
    await until('a claim waiting for the lock', async () => {
      const { rows } = await locker!.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%deliveries%' AND pid <> pg_backend_pid()`,
      );
      return rows[0].n > 0 ? true : undefined;
    });
  }

  const probe = (h: Harness, endpointId: string) => [
    newDelivery(h.hl.clock, h.hl.clock.now(), {
      env_id: h.hl.tenants.fallback.envId,
      event_id: 'evt_probe',
      endpoint_id: endpointId,
      event_type: 'order.paid',
    }),
  ];

  it("a poll tick's claim leaves hand-offs open", async () => {
    await rx.start();
    h = await startHookline('postgres', { overrides: { delivery: { poll_interval: '100ms' } } });
    const unlock = await lockDeliveries(h);
    await waitingForLock();
    const lease = h.hl.dispatcher!.reserve(probe(h, 'ep_probe'), h.hl.clock.now());
    expect(lease?.ids.size).toBe(1);
    h.hl.dispatcher!.cancel(lease!);
    await unlock();
  });

  it("an endpoint catching up on its due rows holds back its own new deliveries, not another endpoint's", async () => {
    rx.respond = (req, res) => (req.path === '/x' ? void held.push(res) : void res.writeHead(200).end('ok'));
    await rx.start();
    // One open request per endpoint and one waiting behind it; no poll.
    h = await startHookline('postgres', { overrides: { delivery: { poll_interval: '1h', per_endpoint_in_flight: 1 } } });
    const x = await h.call('POST', EP, { url: `${rx.url}/x`, events: ['order.*'] });
    const y = await h.call('POST', EP, { url: `${rx.url}/y`, events: ['shipment.*'] });
    const sent: string[] = [];
    for (let n = 0; n < 4; n++) sent.push((await h.call('POST', '/api/v1/events', { type: 'order.paid', data: { n } })).body.event.id);
    await rx.waitFor(1);
    const unlock = await lockDeliveries(h);
    // The first answer starts the one waiting here; the second frees a slot with two more due in the store.
    held.shift()!.writeHead(200).end('ok');
    await rx.waitFor(2);
    held.shift()!.writeHead(200).end('ok');
    await waitingForLock();
    const dispatcher = h.hl.dispatcher!;
    await until('x catching up (its new deliveries queue)', async () => {
      const early = dispatcher.reserve(probe(h!, x.body.id), h!.hl.clock.now());
      if (!early) return true;
      dispatcher.cancel(early);
      return undefined;
    });
    const lease = dispatcher.reserve(probe(h, y.body.id), h.hl.clock.now());
    expect(lease?.ids.size).toBe(1);
    dispatcher.cancel(lease!);
    await unlock();
    rx.respond = (_req, res) => void res.writeHead(200).end('ok');
    await rx.waitFor(4);
    expect(rx.received.filter((r) => r.path === '/x').map((r) => JSON.parse(r.body).id)).toEqual(sent);
  });
});
