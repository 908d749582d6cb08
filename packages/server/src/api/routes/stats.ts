import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HEALTH_LIMIT, HOURS, LATENCY_SAMPLE_LIMIT } from '../../stats/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, Nullable } from '../schemas.js';

const tags = ['stats'];
const Count = Type.Integer({ minimum: 0 });
const Ms = Nullable(Type.Integer());
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'Delivered ÷ (delivered + failed) in the window; null when nothing finished.' }));

const Query = Type.Object(
  { hours: Type.Integer({ minimum: HOURS.min, maximum: HOURS.max, default: HOURS.default, description: `The window: the last 1–168 hours (default ${HOURS.default}). Up to 6 hours in 5-minute buckets, beyond in hourly ones.` }) },
  { additionalProperties: false },
);

const RunCounts = { completed: Count, failed: Count, timeout: Count, cancelled: Count };

const Overview = Type.Object({
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
      latency_ms: Type.Object({ p50: Ms, p95: Ms, p99: Ms, samples: Type.Integer({ description: `Attempts measured: the newest ${LATENCY_SAMPLE_LIMIT} in the window at most.` }) }),
    },
    { description: 'Deliveries of every channel (endpoints and notifications), counted by the time of their final outcome; latency from attempt durations.' },
  ),
  queue: Type.Object({ runs_queued: Count, runs_running: Count, deliveries_pending: Count, deliveries_due: Count, oldest_pending_at: Nullable(Type.String()) }, { description: 'What is waiting now.' }),
  endpoints: Type.Array(
    Type.Object({ id: Type.String(), url: Type.String(), enabled: Type.Boolean(), disabled_reason: Nullable(Type.String()), consecutive_failures: Count, delivered: Count, failed: Count, success_rate: Rate }),
    { description: `Failing first (disabled, longest failure streak, most failures, lowest success rate); at most ${HEALTH_LIMIT}.` },
  ),
  post_actions: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), enabled: Type.Boolean(), delivered: Count, failed: Count, success_rate: Rate, last_error: Nullable(Type.String()), last_failed_at: Nullable(Type.String()) }),
    { description: `Failing first (disabled, most failures, lowest success rate); at most ${HEALTH_LIMIT}. last_error: the newest failure in the window.` },
  ),
});

/** The dashboard's overview numbers. */
export const statsRoutes = (deps: ApiDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/stats/overview',
    { schema: { tags, summary: 'Runs, deliveries, latency, queue depth and failing destinations over the last hours', querystring: Query, response: { 200: Overview, 401: ErrorBody, 422: ErrorBody } } },
    async (req) => deps.stats.overview(req.query.hours),
  );
};
