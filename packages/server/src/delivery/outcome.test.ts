import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../store/index.js';
import type { PreparedDelivery } from './destination.js';
import { attemptFinished, earliestRetry, givenUp, healthOf, resultOf } from './outcome.js';

const T = Date.UTC(2026, 6, 1);
const policy = { schedule: [30_000, 120_000], jitter: 0, maxRetryAfterMs: 3_600_000, retry4xx: true };

function row(id: string, endpointId: string, attempts = 0): DeliveryRecord {
  return {
    id,
    event_id: `evt_${id}`,
    endpoint_id: endpointId,
    event_type: 'order.paid',
    status: 'pending',
    attempts,
    next_attempt_at: T,
    lease_owner: 'w.1',
    created_at: T,
    updated_at: T,
    delivered_at: null,
    last_status_code: 7,
    last_error: null,
  };
}

const prepared = (extra: Partial<PreparedDelivery> = {}): PreparedDelivery => ({
  rateLimit: null,
  trackHealth: true,
  build: () => ({ method: 'POST', url: 'https://hooks.example/x?token=secret', headers: {}, timeoutMs: 1000 }),
  ...extra,
});

function attempt(r: DeliveryRecord, statusCode: number | null, error: { code: string; message: string } | null = null, extra: Partial<PreparedDelivery> = {}) {
  return attemptFinished({
    row: r,
    owner: 'w.2',
    prepared: prepared(extra),
    request: { method: 'POST', url: 'https://hooks.example/x?token=secret', headers: {}, timeoutMs: 1000 },
    response: { statusCode, retryAfterMs: null, responseBody: 'body', durationMs: 12.6, error },
    startedAt: T,
    now: T + 13,
    attemptId: 'att_1',
    policy,
    random: () => 0,
  });
}

describe('what an attempt comes to', () => {
  it('a 2xx is delivered: attempt recorded, no error, delivered_at set', () => {
    const f = attempt(row('d1', 'ep_a'), 200);
    expect(f.update).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: T + 13, lastError: null, leaseOwner: 'w.2' });
    expect(f.attempt).toMatchObject({ id: 'att_1', attempt: 1, duration_ms: 13, status_code: 200 });
  });

  it('a 500 is retried on the schedule (the destination may replace it); the error says the status', () => {
    expect(attempt(row('d1', 'ep_a'), 500).update).toMatchObject({ status: 'pending', nextAttemptAt: T + 13 + 30_000, lastError: 'HTTP 500' });
    expect(attempt(row('d1', 'ep_a'), 500, null, { policy: { schedule: [1000] } }).update.nextAttemptAt).toBe(T + 13 + 1000);
    // Past the last delay: failed.
    expect(attempt(row('d1', 'ep_a', 2), 500).update.status).toBe('failed');
  });

  it('an error reads `code: message`, or the code alone when the message repeats it', () => {
    expect(attempt(row('d1', 'ep_a'), null, { code: 'timeout', message: 'no answer in 1000 ms' }).update.lastError).toBe('timeout: no answer in 1000 ms');
    expect(attempt(row('d1', 'ep_a'), 200, { code: 'channel_not_found', message: 'channel_not_found' }).update.lastError).toBe('channel_not_found');
  });

  it('records the destination-given URL instead of one that may carry a credential', () => {
    expect(attempt(row('d1', 'ep_a'), 200, null, { recordedUrl: 'slack:#ops' }).attempt!.url).toBe('slack:#ops');
  });

  it('a delivery given up without an attempt keeps its last status and moves no streak', () => {
    const f = givenUp(row('d1', 'ep_a', 1), 'w.2', 'endpoint_deleted', T + 5);
    expect(f.attempt).toBeUndefined();
    expect(f.update).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 7, lastError: 'endpoint_deleted' });
    expect(healthOf([f]).health).toEqual([]);
  });
});

describe('a result batch', () => {
  it('moves each endpoint once: a success resets what came before it, failures after it count; 410 is gone', () => {
    const batch = [
      attempt(row('d1', 'ep_a'), 500),
      attempt(row('d2', 'ep_a'), 200),
      attempt(row('d3', 'ep_a'), 500),
      attempt(row('d4', 'ep_b'), 410),
      attempt(row('d5', 'ep_c'), 200, null, { trackHealth: false }),
    ];
    const { health, gone } = healthOf(batch);
    expect(health).toEqual([
      { endpointId: 'ep_a', reset: true, failures: 1 },
      { endpointId: 'ep_b', reset: false, failures: 1 },
    ]);
    expect(gone).toEqual(['ep_b']);
  });

  it('knows its earliest retry, and has none when nothing is retried', () => {
    const soon = attempt(row('d1', 'ep_a'), 500, null, { policy: { schedule: [5000] } });
    const later = attempt(row('d2', 'ep_a'), 500);
    expect(earliestRetry([later, soon, attempt(row('d3', 'ep_a'), 200)])).toBe(T + 13 + 5000);
    expect(earliestRetry([attempt(row('d3', 'ep_a'), 200)])).toBeUndefined();
  });

  it('tells the live stream the outcome in its words', () => {
    expect(resultOf(attempt(row('d1', 'ep_a'), 500))).toMatchObject({
      outcome: 'retrying',
      delivery_id: 'd1',
      channel: 'endpoint',
      attempt: 1,
      status_code: 500,
      next_attempt_at: new Date(T + 13 + 30_000).toISOString(),
    });
    expect(resultOf(attempt(row('d1', 'ep_a'), 200))).toMatchObject({ outcome: 'succeeded', next_attempt_at: null, error: null });
  });
});
