import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';

/** Attempts whose durations make the overview's latency percentiles: the newest this many in the window. */
export const LATENCY_SAMPLE_LIMIT = 20_000;
/** Endpoints and post-actions the overview lists, the most failing first. */
export const HEALTH_LIMIT = 200;

const Count = Type.Integer({ minimum: 0 });
const Ms = Nullable(Type.Integer());
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'Delivered ÷ (delivered + failed) in the window; null when nothing finished.' }));

export const EndpointHealth = Type.Object({
  id: Type.String(),
  url: Type.String(),
  enabled: Type.Boolean(),
  disabled_reason: Nullable(Type.String()),
  consecutive_failures: Count,
  delivered: Count,
  failed: Count,
  success_rate: Rate,
});
export const PostActionHealth = Type.Object({
  id: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  delivered: Count,
  failed: Count,
  success_rate: Rate,
  last_error: Nullable(Type.String()),
  last_failed_at: Nullable(Type.String()),
});

const RunCounts = { completed: Count, failed: Count, timeout: Count, cancelled: Count };

/** The dashboard's overview (GET /api/v1/stats/overview). */
export const Overview = Type.Object({
  from: Type.String(),
  to: Type.String({ description: 'Now.' }),
  bucket_seconds: Type.Integer(),
  runs: Type.Object(
    { buckets: Type.Array(Type.Object({ start: Type.String(), ...RunCounts })), totals: Type.Object(RunCounts) },
    { description: 'Ended runs, counted by finished_at; oldest bucket first, every bucket present.' },
  ),
  deliveries: Type.Object(
    {
      buckets: Type.Array(Type.Object({ start: Type.String(), delivered: Count, failed: Count, p50_ms: Ms, p95_ms: Ms, p99_ms: Ms })),
      totals: Type.Object({ delivered: Count, failed: Count }),
      latency_ms: Type.Object({
        p50: Ms,
        p95: Ms,
        p99: Ms,
        samples: Type.Integer({ description: `Attempts measured: the newest ${LATENCY_SAMPLE_LIMIT} in the window at most.` }),
      }),
    },
    { description: 'Deliveries of every channel (endpoints and notifications), counted by the time of their final outcome; latency from attempt durations.' },
  ),
  queue: Type.Object(
    { runs_queued: Count, runs_running: Count, deliveries_pending: Count, deliveries_due: Count, oldest_pending_at: Nullable(Type.String()) },
    { description: 'What is waiting now.' },
  ),
  endpoints: Type.Array(EndpointHealth, {
    description: `Failing first (disabled, longest failure streak, most failures, lowest success rate); at most ${HEALTH_LIMIT}.`,
  }),
  post_actions: Type.Array(PostActionHealth, {
    description: `Failing first (disabled, most failures, lowest success rate); at most ${HEALTH_LIMIT}. last_error: the newest failure in the window.`,
  }),
});
