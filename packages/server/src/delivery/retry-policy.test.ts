import { describe, expect, it } from 'vitest';
import { decide, type RetryPolicy } from './retry-policy.js';

const S = 1000;
const policy: RetryPolicy = { schedule: [30 * S, 120 * S, 600 * S, 3600 * S, 14_400 * S], jitter: 0.2, maxRetryAfterMs: 3600 * S, retry4xx: true };
const now = 1_000_000;
const status = (code: number, retryAfterMs: number | null = null) => ({ statusCode: code, retryAfterMs, error: null });
const netError = (code: string) => ({ statusCode: null, retryAfterMs: null, error: { code, message: code } });

describe('retry policy', () => {
  it('treats every 2xx as delivered and nothing else', () => {
    for (const c of [200, 201, 202, 204, 299]) expect(decide(policy, 1, status(c), now, () => 0).kind).toBe('delivered');
    for (const c of [100, 301, 302, 304, 307, 400, 404, 500, 503]) expect(decide(policy, 1, status(c), now, () => 0).kind).not.toBe('delivered');
  });

  it('follows 30s, 2m, 10m, 1h, 4h, then fails (endpoints)', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => {
      const v = decide(policy, n, status(500), now, () => 0);
      expect(v.kind).toBe('retry');
      return v.kind === 'retry' ? v.at - now : -1;
    });
    expect(delays).toEqual([30 * S, 120 * S, 600 * S, 3600 * S, 14_400 * S]);
    expect(decide(policy, 6, status(500), now, () => 0)).toEqual({ kind: 'failed', reason: 'HTTP 500' });
  });

  it('adds jitter within [delay, delay × (1 + jitter))', () => {
    const lo = decide(policy, 1, status(500), now, () => 0);
    const hi = decide(policy, 1, status(500), now, () => 0.999999);
    expect(lo).toEqual({ kind: 'retry', at: now + 30 * S });
    expect(hi.kind === 'retry' && hi.at - now).toBeLessThan(36 * S);
    expect(hi.kind === 'retry' && hi.at - now).toBeGreaterThanOrEqual(35.9 * S);
    const samples = Array.from({ length: 200 }, () => decide(policy, 2, status(502), now, Math.random));
    for (const v of samples) {
      expect(v.kind).toBe('retry');
      if (v.kind === 'retry') {
        expect(v.at - now).toBeGreaterThanOrEqual(120 * S);
        expect(v.at - now).toBeLessThan(144 * S);
      }
    }
  });

  it('honours Retry-After on 429 and 503, capped', () => {
    expect(decide(policy, 1, status(429, 5 * S), now, () => 0.5)).toEqual({ kind: 'retry', at: now + 5 * S });
    expect(decide(policy, 1, status(503, 90 * S), now, () => 0.5)).toEqual({ kind: 'retry', at: now + 90 * S });
    expect(decide(policy, 1, status(429, 99 * 3600 * S), now, () => 0)).toEqual({ kind: 'retry', at: now + 3600 * S });
    // Retry-After does not extend the number of attempts.
    expect(decide(policy, 6, status(429, 5 * S), now, () => 0).kind).toBe('failed');
  });

  it('gives up on the destination at 410 Gone', () => {
    expect(decide(policy, 1, status(410), now, () => 0).kind).toBe('gone');
  });

  it('retries 3xx (redirects are failures, not followed) and network errors', () => {
    expect(decide(policy, 1, status(301), now, () => 0).kind).toBe('retry');
    for (const c of ['timeout', 'connection_refused', 'connection_reset', 'dns_failed'])
      expect(decide(policy, 1, netError(c), now, () => 0).kind).toBe('retry');
  });

  it('never retries an SSRF refusal', () => {
    expect(decide(policy, 1, netError('ssrf_blocked'), now, () => 0)).toEqual({ kind: 'failed', reason: 'ssrf_blocked' });
  });

  it('retries 4xx for endpoints but not for a policy without retry4xx, except 408 and 429', () => {
    expect(decide(policy, 1, status(400), now, () => 0).kind).toBe('retry');
    const strict = { ...policy, retry4xx: false };
    expect(decide(strict, 1, status(400), now, () => 0).kind).toBe('failed');
    expect(decide(strict, 1, status(404), now, () => 0).kind).toBe('failed');
    expect(decide(strict, 1, status(408), now, () => 0).kind).toBe('retry');
    expect(decide(strict, 1, status(429), now, () => 0).kind).toBe('retry');
  });

  it('with an empty schedule, the first failure is final', () => {
    expect(decide({ ...policy, schedule: [] }, 1, status(500), now, () => 0).kind).toBe('failed');
  });
});
