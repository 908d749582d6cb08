/** GET /api/v1/stats/overview (docs/api.md). */
export interface OverviewStats {
  from: string;
  to: string;
  bucket_seconds: number;
  runs: {
    buckets: { start: string; completed: number; failed: number; timeout: number; cancelled: number }[];
    totals: { completed: number; failed: number; timeout: number; cancelled: number };
  };
  deliveries: {
    buckets: { start: string; delivered: number; failed: number; p50_ms: number | null; p95_ms: number | null; p99_ms: number | null }[];
    totals: { delivered: number; failed: number };
    latency_ms: { p50: number | null; p95: number | null; p99: number | null; samples: number };
  };
  queue: { runs_queued: number; runs_running: number; deliveries_pending: number; deliveries_due: number; oldest_pending_at: string | null };
  endpoints: EndpointHealth[];
  post_actions: PostActionHealth[];
}

export interface EndpointHealth {
  id: string;
  url: string;
  enabled: boolean;
  disabled_reason: string | null;
  consecutive_failures: number;
  delivered: number;
  failed: number;
  success_rate: number | null;
}

export interface PostActionHealth {
  id: string;
  name: string;
  enabled: boolean;
  delivered: number;
  failed: number;
  success_rate: number | null;
  last_error: string | null;
  last_failed_at: string | null;
}

export const WINDOWS = [
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '24 hours' },
  { hours: 168, label: '7 days' },
] as const;
