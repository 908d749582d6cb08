import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HOURS } from '../../stats/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody } from '../schemas.js';
import { Overview } from '../../wire/index.js';

const tags = ['stats'];
const Query = Type.Object(
  {
    hours: Type.Integer({
      minimum: HOURS.min,
      maximum: HOURS.max,
      default: HOURS.default,
      description: `The window: the last 1–168 hours (default ${HOURS.default}). Up to 6 hours in 5-minute buckets, beyond in hourly ones.`,
    }),
  },
  { additionalProperties: false },
);

/** The dashboard's overview numbers. */
export const statsRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/stats/overview',
      {
        schema: {
          tags,
          summary: 'Runs, deliveries, latency, queue depth and failing destinations over the last hours',
          querystring: Query,
          response: { 200: Overview, 401: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => deps.stats.overview(req.tenant, req.query.hours),
    );
  };
