/**
 * GET /api/v1/stats/overview over both stores: real runs (ok, failed, timeout), endpoint
 * deliveries to a local receiver (some answering 500), post-actions that succeed and fail,
 * all at times set by a ManualClock so every count lands in a known bucket. Also latency
 * percentiles, queue depth with held runs, failing-first ordering and the hours bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/util/clock.js';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { createAgent, ScriptedRunner, triggerAndWait, until } from './helpers/notify.js';
import { Receiver } from './helpers/receiver.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(STORES)('overview stats (%s)', (kind) => {
  const clock = new ManualClock(T0);
  const runner = new ScriptedRunner();
  const recv = new Receiver();
  let h: Harness;
  let secret: string;
  const ids: Record<string, string> = {};

  const overview = async (query = '') => {
    const r = await h.call('GET', `/api/v1/stats/overview${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const create = async (path: string, body: Record<string, unknown>) => {
    const r = await h.call('POST', path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  /** `endpoint` endpoint deliveries and `notifications` post-action deliveries, none still pending. */
  const settled = (endpoint: number, notifications: number) =>
    until(`${endpoint} + ${notifications} finished deliveries`, async () => {
      const e = (await h.call('GET', '/api/v1/deliveries?limit=1000')).body.items as any[];
      const n = (await h.call('GET', '/api/v1/notifications?limit=1000')).body.items as any[];
      const all = [...e, ...n];
      return e.length === endpoint && n.length === notifications && all.every((d) => d.status !== 'pending') ? { e, n } : undefined;
    });

  beforeAll(async () => {
    await recv.start();
    recv.respond = (req, res) => void res.writeHead(req.path.includes('fail') ? 500 : 200).end(req.path.includes('fail') ? 'boom' : 'ok');
    h = await startHookline(kind, { clock, random: () => 0, runnerFor: () => runner });
    secret = await createAgent(h, 'reviewer');
    await createAgent(h, 'holder');

    // Endpoints: A answers 200, B answers 500 and is never retried, C is disabled, D gets nothing.
    ids.A = await create('/api/v1/webhooks/endpoints', { url: `${recv.url}/a-ok`, events: ['stats.ping'] });
    ids.B = await create('/api/v1/webhooks/endpoints', { url: `${recv.url}/b-fail`, events: ['stats.ping'], retry_schedule: [] });
    ids.C = await create('/api/v1/webhooks/endpoints', { url: `${recv.url}/c-off`, events: ['other.thing'], enabled: false });
    ids.D = await create('/api/v1/webhooks/endpoints', { url: `${recv.url}/d-idle`, events: ['other.thing'] });
    // Post-actions on the reviewer's own URL: one for successes (200), one for failures (500), one disabled.
    ids.paOk = await create('/api/v1/post-actions', { name: 'pa-ok', method: 'POST', url: `${recv.url}/pa-ok`, body_template: '{{status}}' });
    ids.paFail = await create('/api/v1/post-actions', { name: 'pa-fail', method: 'POST', url: `${recv.url}/pa-fail`, body_template: '{{status}}' });
    ids.paOff = await create('/api/v1/post-actions', { name: 'pa-off', method: 'POST', url: `${recv.url}/pa-off`, enabled: false });
    await create(`/api/v1/post-actions/${ids.paOk}/bindings`, { trigger_type: 'webhook', trigger_id: 'reviewer', fire_when: 'success' });
    await create(`/api/v1/post-actions/${ids.paFail}/bindings`, { trigger_type: 'webhook', trigger_id: 'reviewer', fire_when: 'failure' });

    // At T0: runs ok, ok, failed, timeout (post-actions: 2 delivered, 2 failed) and 3 events (A: 3 delivered, B: 3 failed).
    for (const c of ['ok', 'ok', 'failed', 'timeout']) await triggerAndWait(h, 'reviewer', secret, { note: `case-${c}` });
    for (let i = 0; i < 3; i++) expect((await h.call('POST', '/api/v1/events', { type: 'stats.ping', data: { i } })).status).toBe(202);
    await settled(6, 4);
    // An hour later: one more ok run (post-action: 1 delivered).
    clock.set(T0 + HOUR);
    await triggerAndWait(h, 'reviewer', secret, { note: 'case-ok' });
    await settled(6, 5);
    clock.set(T0 + 90 * 60_000);
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
  });

  it('counts runs and deliveries into exact hourly buckets over the last 24 hours', async () => {
    const o = await overview();
    const now = T0 + 90 * 60_000;
    expect(o.from).toBe(iso(now - 24 * HOUR));
    expect(o.to).toBe(iso(now));
    expect(o.bucket_seconds).toBe(3600);
    expect(o.runs.buckets).toHaveLength(24);
    expect(o.runs.buckets.map((b: any) => b.start)).toEqual(Array.from({ length: 24 }, (_, i) => iso(now - 24 * HOUR + i * HOUR)));
    // T0 is 22.5 h after `from`: bucket 22; T0 + 1 h: bucket 23. Every other bucket is empty.
    expect(o.runs.buckets[22]).toEqual({ start: iso(now - 2 * HOUR), completed: 2, failed: 1, timeout: 1, cancelled: 0 });
    expect(o.runs.buckets[23]).toEqual({ start: iso(now - HOUR), completed: 1, failed: 0, timeout: 0, cancelled: 0 });
    expect(o.runs.buckets.slice(0, 22).every((b: any) => b.completed + b.failed + b.timeout + b.cancelled === 0)).toBe(true);
    expect(o.runs.totals).toEqual({ completed: 3, failed: 1, timeout: 1, cancelled: 0 });

    expect(o.deliveries.buckets).toHaveLength(24);
    expect(o.deliveries.buckets[22]).toMatchObject({ delivered: 5, failed: 5 });
    expect(o.deliveries.buckets[23]).toMatchObject({ delivered: 1, failed: 0 });
    expect(o.deliveries.buckets.slice(0, 22).every((b: any) => b.delivered + b.failed === 0 && b.p50_ms === null)).toBe(true);
    expect(o.deliveries.totals).toEqual({ delivered: 6, failed: 5 });
  });

  it('reports latency percentiles from every attempt in the window', async () => {
    const o = await overview();
    const { p50, p95, p99, samples } = o.deliveries.latency_ms;
    // One attempt per delivery: 6 endpoint attempts (A, B), 5 post-action attempts.
    expect(samples).toBe(11);
    for (const p of [p50, p95, p99]) expect(Number.isInteger(p) && p >= 0).toBe(true);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    const b22 = o.deliveries.buckets[22];
    expect(b22.p50_ms).not.toBeNull();
    expect(b22.p50_ms).toBeLessThanOrEqual(b22.p95_ms);
    expect(b22.p95_ms).toBeLessThanOrEqual(b22.p99_ms);
    // Nearest rank over the 11 recorded durations: p50 is the 6th smallest, p95 and p99 the largest.
    const { e } = await settled(6, 5);
    const durations: number[] = [];
    for (const d of e) for (const a of (await h.call('GET', `/api/v1/deliveries/${d.id}`)).body.history) durations.push(a.duration_ms);
    for (const id of [ids.paOk, ids.paFail]) for (const r of (await h.call('GET', `/api/v1/post-actions/${id}/runs`)).body.items) durations.push(r.duration_ms);
    durations.sort((x, y) => x - y);
    expect(durations).toHaveLength(11);
    expect([p50, p95, p99]).toEqual([durations[5], durations[10], durations[10]]);
  });

  it('a one-hour window has twelve 5-minute buckets and sees only the last hour', async () => {
    const o = await overview('?hours=1');
    expect(o.bucket_seconds).toBe(300);
    expect(o.runs.buckets).toHaveLength(12);
    expect(o.from).toBe(iso(T0 + 30 * 60_000));
    // T0 + 1 h is 30 min into the window: bucket 6.
    expect(o.runs.buckets[6]).toMatchObject({ completed: 1, failed: 0, timeout: 0 });
    expect(o.runs.totals).toEqual({ completed: 1, failed: 0, timeout: 0, cancelled: 0 });
    expect(o.deliveries.totals).toEqual({ delivered: 1, failed: 0 });
    expect(o.deliveries.buckets[6]).toMatchObject({ delivered: 1, failed: 0 });
    expect(o.deliveries.latency_ms.samples).toBe(1);
    // Seven days: hourly buckets.
    const week = await overview('?hours=168');
    expect(week.runs.buckets).toHaveLength(168);
    expect(week.runs.totals).toEqual({ completed: 3, failed: 1, timeout: 1, cancelled: 0 });
  });

  it('lists endpoints and post-actions failing first, with their window counts and success rates', async () => {
    const o = await overview();
    expect(o.endpoints.map((e: any) => e.id)).toEqual([ids.C, ids.B, ids.A, ids.D]);
    const [c, b, a, d] = o.endpoints;
    expect(c).toEqual({
      id: ids.C,
      url: `${recv.url}/c-off`,
      enabled: false,
      disabled_reason: 'disabled by the API',
      consecutive_failures: 0,
      delivered: 0,
      failed: 0,
      success_rate: null,
    });
    expect(b).toMatchObject({ enabled: true, consecutive_failures: 3, delivered: 0, failed: 3, success_rate: 0 });
    expect(a).toMatchObject({ enabled: true, consecutive_failures: 0, delivered: 3, failed: 0, success_rate: 1 });
    expect(d).toMatchObject({ delivered: 0, failed: 0, success_rate: null });

    expect(o.post_actions.map((p: any) => p.name)).toEqual(['pa-off', 'pa-fail', 'pa-ok']);
    const [off, fail, ok] = o.post_actions;
    expect(off).toEqual({ id: ids.paOff, name: 'pa-off', enabled: false, delivered: 0, failed: 0, success_rate: null, last_error: null, last_failed_at: null });
    expect(fail).toMatchObject({ id: ids.paFail, enabled: true, delivered: 0, failed: 2, success_rate: 0, last_failed_at: iso(T0) });
    expect(fail.last_error).toEqual(expect.any(String));
    expect(fail.last_error).toContain('500');
    expect(ok).toMatchObject({ delivered: 3, failed: 0, success_rate: 1, last_error: null, last_failed_at: null });

    // A mixed record: one more failure for A makes its rate 3/4, still after B (more failures).
    recv.respond = (req, res) => void res.writeHead(req.path.includes('fail') || req.path.includes('a-ok') ? 500 : 200).end('x');
    await h.call('PATCH', `/api/v1/webhooks/endpoints/${ids.A}`, { retry_schedule: [] });
    await h.call('POST', '/api/v1/events', { type: 'stats.ping', data: {} });
    await settled(8, 5);
    const after = await overview();
    const rowA = after.endpoints.find((e: any) => e.id === ids.A);
    expect(rowA).toMatchObject({ delivered: 3, failed: 1, success_rate: 0.75, consecutive_failures: 1 });
    expect(after.endpoints.map((e: any) => e.id)).toEqual([ids.C, ids.B, ids.A, ids.D]);
  });

  it('shows the queue now: a held run running, one queued behind it, a delivery waiting for its retry', async () => {
    const before = await overview();
    expect(before.queue).toEqual({ runs_queued: 0, runs_running: 0, deliveries_pending: 0, deliveries_due: 0, oldest_pending_at: null });

    const first = await h.call('POST', '/api/v1/agents/holder/runs', { prompt: 'case-hold' });
    const second = await h.call('POST', '/api/v1/agents/holder/runs', { prompt: 'case-hold' });
    expect([first.status, second.status]).toEqual([202, 202]);
    await until('the first held run to start', async () =>
      (await h.call('GET', `/api/v1/runs/${first.body.id}`)).body.status === 'running' ? true : undefined,
    );

    // A delivery that failed once and waits an hour for its retry: pending, not due.
    const e = await create('/api/v1/webhooks/endpoints', { url: `${recv.url}/e-fail`, events: ['stats.later'], retry_schedule: ['1h'] });
    await h.call('POST', '/api/v1/events', { type: 'stats.later', data: {} });
    const waiting = await until('a delivery waiting for its retry', async () => {
      const items = (await h.call('GET', `/api/v1/deliveries?endpoint_id=${e}`)).body.items as any[];
      return items.length === 1 && items[0].attempts === 1 && items[0].status === 'pending' ? items[0] : undefined;
    });

    const o = await overview();
    expect(o.queue).toEqual({ runs_queued: 1, runs_running: 1, deliveries_pending: 1, deliveries_due: 0, oldest_pending_at: waiting.created_at });

    // Cancelled runs end and are counted as cancelled.
    for (const r of [second, first]) expect((await h.call('POST', `/api/v1/runs/${r.body.id}/cancel`)).status).toBe(200);
    await until('both held runs to end', async () => ((await overview()).queue.runs_running === 0 ? true : undefined));
    const end = await overview();
    expect(end.queue).toMatchObject({ runs_queued: 0, runs_running: 0 });
    expect(end.runs.totals.cancelled).toBe(2);
    expect(end.runs.buckets[23].cancelled).toBe(2);
  });

  it('refuses hours outside 1–168 with a 422 that says the range', async () => {
    for (const q of ['?hours=0', '?hours=169', '?hours=-3', '?hours=abc', '?hours=2.5', '?bogus=1']) {
      const r = await h.call('GET', `/api/v1/stats/overview${q}`);
      expect(r.status, q).toBe(422);
      expect(r.body.error.code).toBe('validation_failed');
    }
    const r = await h.call('GET', '/api/v1/stats/overview?hours=169');
    expect(r.body.error.message).toMatch(/168/);
    expect((await h.call('GET', '/api/v1/stats/overview', undefined, null)).status).toBe(401);
  });
});
