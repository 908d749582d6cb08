/**
 * One event, 10,000 subscribers: the publish call writes 10,000 deliveries in its transaction
 * and must still answer promptly; every endpoint then gets the event exactly once. The
 * endpoints point at four real receivers on 127.0.0.1, told apart by path.
 *
 * The endpoints are created through `hl.endpoints.create` — the same validation, secret
 * generation and sealing the `POST /api/v1/webhooks/endpoints` route runs, minus HTTP (the
 * route itself is covered by test/api.test.ts and test/delivery.test.ts), so 10,000 of them
 * take seconds, not minutes.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, STORES, startHookline } from '../test/helpers/hookline.js';
import { Receiver } from '../test/helpers/receiver.js';
import { until } from '../test/helpers/wait.js';
import { Ledger, recordFigure } from './helpers/ledger.js';

const ENDPOINTS = 10_000;
const RECEIVERS = 4;
/** A publish that takes longer than a typical HTTP client waits has failed, whatever it wrote. */
const CLIENT_TIMEOUT_MS = 30_000;

describe.each(STORES)('fan-out of one event to 10,000 endpoints (%s)', (kind) => {
  let h: Harness;
  const receivers = Array.from({ length: RECEIVERS }, () => new Receiver());
  /** Arrivals per path (= per endpoint), and when the last one came. */
  const arrivals = new Map<string, number>();
  let lastArrival = 0;

  beforeAll(async () => {
    await Promise.all(receivers.map((r) => r.start()));
    for (const rx of receivers) {
      rx.respond = (r, res) => {
        arrivals.set(r.path, (arrivals.get(r.path) ?? 0) + 1);
        lastArrival = performance.now();
        res.writeHead(204).end();
      };
    }
    h = await startHookline(kind, { overrides: { database: kind === 'postgres' ? { pool_size: 8 } : {} } });
  });

  afterAll(async () => {
    await h?.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('publishes 1 event → 10,000 deliveries, each delivered exactly once', async () => {
    const ledger = new Ledger();
    const pathOf = (i: number) => `/fanout/${i}`;
    const t0 = performance.now();
    // A few at a time: PostgreSQL's pool works in parallel, SQLite serialises them anyway.
    for (let i = 0; i < ENDPOINTS; i += 16) {
      await Promise.all(
        Array.from({ length: Math.min(16, ENDPOINTS - i) }, (_, k) => {
          const n = i + k;
          ledger.accept(pathOf(n));
          return h.hl.endpoints.create(h.hl.tenants.fallback, { url: `${receivers[n % RECEIVERS]!.url}${pathOf(n)}`, events: ['fanout.*'] });
        }),
      );
    }
    const createMs = performance.now() - t0;
    expect((await h.call('GET', '/api/v1/webhooks/endpoints?limit=1')).body.total).toBe(ENDPOINTS);

    // The publish goes through the real API, with a client that gives up after 30 s.
    const p0 = performance.now();
    const res = await fetch(`${h.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'fanout.one', data: { hello: 'everyone' } }),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const publishMs = performance.now() - p0;
    expect(res.status).toBe(202);
    const published = (await res.json()) as { event: { id: string }; deliveries: number };
    expect(published.deliveries).toBe(ENDPOINTS);

    await until('10,000 arrivals', async () => (arrivals.size >= ENDPOINTS ? true : undefined), 120_000);
    const deliverAllMs = lastArrival - p0;
    // And the store agrees: every delivery recorded as delivered after one attempt.
    const recorded = await until(
      'every result written',
      async () => {
        const r = await h.call('GET', '/api/v1/deliveries?status=delivered&limit=1');
        return r.body.total >= ENDPOINTS ? performance.now() - p0 : undefined;
      },
      60_000,
    );
    // A moment for anything sent twice (an expired lease, a double claim) to show up.
    await new Promise((r) => setTimeout(r, 500));
    for (const [path, n] of arrivals) for (let i = 0; i < n; i++) ledger.arrive(path);

    const byStatus = await Promise.all(
      ['pending', 'failed'].map(async (s) => (await h.call('GET', `/api/v1/deliveries?status=${s}&limit=1`)).body.total as number),
    );
    const sample = (await h.call('GET', '/api/v1/deliveries?limit=1')).body.items[0];
    const perReceiver = receivers.map((r) => r.received.length);

    const figure = ledger.figure(`fan-out to ${ENDPOINTS} endpoints (${kind})`, {
      store: kind,
      endpoints: ENDPOINTS,
      endpoint_creation: "hl.endpoints.create (the API route's admin layer), 16 at a time",
      create_endpoints_ms: Math.round(createMs),
      publish_call_ms: Math.round(publishMs),
      deliver_all_ms: Math.round(deliverAllMs),
      all_recorded_ms: Math.round(recorded),
      deliveries_per_s: Math.round(ENDPOINTS / (deliverAllMs / 1000)),
      per_receiver: perReceiver,
      pending_after: byStatus[0],
      failed_after: byStatus[1],
    });
    recordFigure(`fanout-10k-${kind}`, figure);

    expect(ledger.missing()).toEqual([]);
    expect(figure.lost).toBe(0);
    expect(figure.duplicated).toBe(0);
    expect(ledger.unexpected()).toEqual([]);
    expect(byStatus).toEqual([0, 0]);
    expect(perReceiver.reduce((a, b) => a + b, 0)).toBe(ENDPOINTS);
    expect(new Set(receivers.flatMap((r) => r.received.map((x) => x.headers['webhook-id'])))).toEqual(new Set([published.event.id]));
    expect(sample).toMatchObject({ event_id: published.event.id, attempts: 1, status: 'delivered' });
  });
});
