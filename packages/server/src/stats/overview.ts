/**
 * The dashboard's overview (GET /api/v1/stats/overview): runs and deliveries over a window in
 * equal buckets, attempt latency percentiles, what is waiting now, and which endpoints and
 * post-actions are failing. The store counts; this module shapes, ranks and fills the gaps.
 */
import type { BucketWindow, EndpointHealthRow, PostActionHealthRow, Store } from '../store/index.js';
import { type Clock, iso } from '../util/index.js';
import { UserError } from '../errors/index.js';
import type { Tenant } from '../tenants/index.js';
import { type EndpointHealthView, HEALTH_LIMIT, LATENCY_SAMPLE_LIMIT, type OverviewView, type PostActionHealthView } from '../wire/index.js';
import { percentiles } from './percentiles.js';

export const HOURS = { min: 1, max: 168, default: 24 } as const;
export { HEALTH_LIMIT, LATENCY_SAMPLE_LIMIT };
export type Overview = OverviewView;
export type EndpointHealth = EndpointHealthView;
export type PostActionHealth = PostActionHealthView;

const RUN_STATUSES = ['completed', 'failed', 'timeout', 'cancelled'] as const;
type RunCounts = Record<(typeof RUN_STATUSES)[number], number>;

/** Five-minute buckets up to six hours (at most 72), hourly beyond (at most 168). */
export function bucketSeconds(hours: number): number {
  return hours <= 6 ? 300 : 3600;
}

const successRate = (delivered: number, failed: number): number | null => (delivered + failed === 0 ? null : delivered / (delivered + failed));

interface Ranked {
  id: string;
  enabled: boolean;
  consecutive_failures?: number;
  failed: number;
  delivered: number;
  success_rate: number | null;
}

/**
 * Failing first: disabled, then the longest failure streak, the most failures in the window,
 * the lowest success rate (none yet last); then the busiest, then by id for a stable order.
 */
export function failingFirst(a: Ranked, b: Ranked): number {
  return (
    Number(a.enabled) - Number(b.enabled) ||
    (b.consecutive_failures ?? 0) - (a.consecutive_failures ?? 0) ||
    b.failed - a.failed ||
    (a.success_rate ?? 2) - (b.success_rate ?? 2) ||
    b.delivered - a.delivered ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function endpointHealth(r: EndpointHealthRow): EndpointHealth {
  return {
    id: r.id,
    url: r.url,
    enabled: r.enabled,
    disabled_reason: r.disabled_reason,
    consecutive_failures: r.consecutive_failures,
    delivered: r.delivered,
    failed: r.failed,
    success_rate: successRate(r.delivered, r.failed),
  };
}

export function postActionHealth(r: PostActionHealthRow): PostActionHealth {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    delivered: r.delivered,
    failed: r.failed,
    success_rate: successRate(r.delivered, r.failed),
    last_error: r.last_error,
    last_failed_at: iso(r.last_failed_at),
  };
}

export class OverviewStats {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The tenant's last `hours` hours up to now, in `bucketSeconds(hours)` buckets, oldest first. */
  async overview(tenant: Tenant, hours: number = HOURS.default): Promise<Overview> {
    if (!Number.isInteger(hours) || hours < HOURS.min || hours > HOURS.max) {
      throw new UserError('out_of_range', `hours must be a whole number ${HOURS.min}–${HOURS.max} (default ${HOURS.default}); got ${hours}`);
    }
    const to = this.clock.now();
    const bucketMs = bucketSeconds(hours) * 1000;
    const count = (hours * 3_600_000) / bucketMs;
    const w: BucketWindow = { from: to - hours * 3_600_000, to, bucketMs };
    const stats = this.store.stats;
    const envIds = [tenant.envId];
    const [runRows, deliveryRows, sample, queue, endpoints, postActions] = await Promise.all([
      stats.runBuckets(envIds, w),
      stats.deliveryBuckets(envIds, w),
      stats.attemptSample(envIds, w, LATENCY_SAMPLE_LIMIT),
      stats.queue(envIds, to),
      stats.endpointHealth(envIds, w, HEALTH_LIMIT),
      stats.postActionHealth(envIds, w, HEALTH_LIMIT),
    ]);
    // A time exactly at `to` ends the last bucket rather than opening one more.
    const slot = (bucket: number) => Math.min(Math.max(bucket, 0), count - 1);
    const start = (i: number) => iso(w.from + i * bucketMs);

    const runBuckets = Array.from({ length: count }, (_, i) => ({ start: start(i), completed: 0, failed: 0, timeout: 0, cancelled: 0 }));
    for (const r of runRows) runBuckets[slot(r.bucket)]![r.status] += r.n;

    const latencies: number[][] = Array.from({ length: count }, () => []);
    for (const a of sample) latencies[slot(Math.floor((a.started_at - w.from) / bucketMs))]!.push(a.duration_ms);
    const deliveryBuckets = latencies.map((durations, i) => {
      const p = percentiles(durations);
      return { start: start(i), delivered: 0, failed: 0, p50_ms: p.p50, p95_ms: p.p95, p99_ms: p.p99 };
    });
    for (const d of deliveryRows) deliveryBuckets[slot(d.bucket)]![d.status] += d.n;

    const sum = <K extends string>(rows: Record<K, unknown>[], key: K) => rows.reduce((n, r) => n + (r[key] as number), 0);
    return {
      from: iso(w.from),
      to: iso(to),
      bucket_seconds: bucketMs / 1000,
      runs: { buckets: runBuckets, totals: Object.fromEntries(RUN_STATUSES.map((s) => [s, sum(runBuckets, s)])) as RunCounts },
      deliveries: {
        buckets: deliveryBuckets,
        totals: { delivered: sum(deliveryBuckets, 'delivered'), failed: sum(deliveryBuckets, 'failed') },
        latency_ms: { ...percentiles(sample.map((a) => a.duration_ms)), samples: sample.length },
      },
      queue: { ...queue, oldest_pending_at: iso(queue.oldest_pending_at) },
      endpoints: endpoints.map(endpointHealth).sort(failingFirst),
      post_actions: postActions.map(postActionHealth).sort(failingFirst),
    };
  }
}
