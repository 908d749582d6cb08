/**
 * Tenants share the delivery engine fairly (docs/architecture.md, "Bounded memory, fair
 * sharing"): a claim takes environments in turns, so one tenant's backlog cannot fill it while
 * another has a due row, and one environment holds at most `per_env_in_flight_share` of
 * `max_in_flight`, so its slow endpoints leave slots for the others. On both stores.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { newDelivery } from '../src/delivery/new-delivery.js';
import type { DeliveryRecord, EventRecord } from '../src/store/index.js';
import { systemClock } from '../src/util/clock.js';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { Receiver } from './helpers/receiver.js';
import { until } from './helpers/wait.js';

const EP = '/api/v1/webhooks/endpoints';

describe.each(STORES)('deliveries shared fairly across tenants (%s)', (kind) => {
  const rx = new Receiver();
  const held: ServerResponse[] = [];
  let h: Harness | undefined;
  let serial = 0;

  afterEach(async () => {
    for (const res of held.splice(0)) res.destroy();
    await h?.close();
    h = undefined;
    await rx.close();
    rx.received.length = 0;
  });

  /** A new org through the API: the id of its first environment. */
  async function newEnv(h: Harness, name: string): Promise<string> {
    const r = await h.call('POST', '/api/v1/orgs', { name });
    expect(r.status).toBe(201);
    return r.body.envs[0].id as string;
  }

  async function newEndpoint(h: Harness, path: string): Promise<string> {
    const r = await h.call('POST', EP, { url: `${rx.url}${path}`, events: ['fair.*'] });
    expect(r.status).toBe(201);
    return r.body.id as string;
  }

  /** Stores `n` due deliveries of environment `envId` to `endpointId`, due at `dueAt` + i, one event each. */
  async function queue(h: Harness, envId: string, endpointId: string, n: number, dueAt: number): Promise<DeliveryRecord[]> {
    const rows: DeliveryRecord[] = [];
    const events: EventRecord[] = [];
    for (let i = 0; i < n; i++) {
      const event = { id: `evt_fair_${kind}_${++serial}`, env_id: envId, type: 'fair.test', created_at: dueAt + i, payload: '{}' };
      events.push(event);
      rows.push(newDelivery(systemClock, dueAt + i, { env_id: envId, event_id: event.id, endpoint_id: endpointId, event_type: event.type }));
    }
    await h.hl.store.transaction(async (tx) => {
      await tx.events.insert(events);
      await tx.deliveries.insert(rows);
    });
    return rows;
  }

  it("puts a tenant's one due row in the first claim while another tenant has 5,000 older ones", { timeout: 60_000 }, async () => {
    await rx.start();
    // role api: no dispatcher, so the rows stay pending for the claims made here.
    h = await startHookline(kind, { overrides: { server: { role: 'api' } } });
    const [envA, envB] = [await newEnv(h, 'Tenant A'), await newEnv(h, 'Tenant B')];
    const [endpointA, endpointB] = [await newEndpoint(h, '/a'), await newEndpoint(h, '/b')];
    const base = Date.now() - 60_000;
    await queue(h, envA, endpointA, 5000, base);
    const [rowB] = await queue(h, envB, endpointB, 1, base + 10_000);
    const now = Date.now();
    const claim = (owner: string, more: { perEnv?: number; envRoom?: Record<string, number> } = {}) =>
      h!.hl.store.deliveries.claimDue({ now, leaseUntil: now + 60_000, owner, limit: 256, perEndpoint: 5000, skipEndpoints: [], ...more });

    // Turns alone: B's row comes before A's second.
    const first = await claim('w.1');
    expect(first).toHaveLength(256);
    expect(first.map((r) => r.id)).toContain(rowB!.id);
    expect(first.find((r) => r.id === rowB!.id)!.env_id).toBe(envB);
    // A's part is still its oldest rows.
    const ofA = first.filter((r) => r.env_id === envA).map((r) => Number(r.created_at));
    expect(Math.max(...ofA)).toBe(base + 254);

    // A per-environment cap, and an environment with no room left out.
    const second = await claim('w.2', { perEnv: 100 });
    expect(second).toHaveLength(100);
    expect(second.every((r) => r.env_id === envA)).toBe(true);
    expect(await claim('w.3', { perEnv: 100, envRoom: { [envA]: 0 } })).toEqual([]);
    const third = await claim('w.4', { envRoom: { [envA]: 7 } });
    expect(third.map((r) => r.env_id)).toEqual(Array(7).fill(envA));
    const claimed = new Set([...first, ...second, ...third].map((r) => r.id));
    expect(claimed.size).toBe(256 + 100 + 7);
  });

  it("leaves room in flight for another tenant while one tenant's slow endpoint holds its share", { timeout: 60_000 }, async () => {
    await rx.start();
    // A's requests hang until the test ends; B's are answered.
    rx.respond = (req, res) => (req.path === '/a' ? void held.push(res) : void res.writeHead(200).end('ok'));
    // 8 slots, 6 per environment; per endpoint 8, so only the environment cap can stop A.
    h = await startHookline(kind, {
      overrides: { delivery: { max_in_flight: 8, per_endpoint_in_flight: 8, per_env_in_flight_share: 0.75, poll_interval: '1h' } },
    });
    const [envA, envB] = [await newEnv(h, 'Tenant A'), await newEnv(h, 'Tenant B')];
    const [endpointA, endpointB] = [await newEndpoint(h, '/a'), await newEndpoint(h, '/b')];
    await queue(h, envA, endpointA, 50, Date.now() - 60_000);
    h.hl.dispatcher!.wake();
    await until('A holds its share of the slots', async () => (rx.received.length >= 6 ? true : undefined));

    const [rowB] = await queue(h, envB, endpointB, 1, Date.now());
    h.hl.dispatcher!.wake();
    await until('B delivered', async () => ((await h!.hl.store.deliveries.get(rowB!.env_id, rowB!.id))?.status === 'delivered' ? true : undefined));
    // Delivered while A's six requests still hang, and A never got a seventh slot.
    expect(held).toHaveLength(6);
    expect(rx.received.filter((r) => r.path === '/a')).toHaveLength(6);
    expect(rx.received.filter((r) => r.path === '/b')).toHaveLength(1);
  });
});
