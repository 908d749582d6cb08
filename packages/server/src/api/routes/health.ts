import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { Type } from '@sinclair/typebox';
import { errorBody, httpStatus } from '../errors.js';
import { Liveness, NotReady, Ready } from '../../wire/index.js';

export const healthRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const pub = { public: true };
    app.get('/healthz', { config: pub, schema: { tags: ['operations'], summary: 'Liveness: the process is up', response: { 200: Liveness } } }, async () => ({
      status: 'ok' as const,
    }));
    app.get(
      '/readyz',
      { config: pub, schema: { tags: ['operations'], summary: 'Readiness: the database answers', response: { 200: Ready, 503: NotReady } } },
      async (req, reply) => {
        try {
          await deps.store.ping();
          return { status: 'ready' as const };
        } catch (err) {
          req.log.warn({ err }, 'readiness check failed');
          return reply
            .status(httpStatus('database_unavailable') as 503)
            .header('retry-after', '5')
            .send({ status: 'unavailable', ...errorBody('database_unavailable', 'the database does not answer') });
        }
      },
    );
    app.get(
      '/metrics',
      {
        config: pub,
        schema: {
          tags: ['operations'],
          summary: 'Prometheus metrics',
          hide: false,
          response: { 200: Type.String({ description: 'The Prometheus text format.' }) },
        },
      },
      async (_req, reply) => {
        const body = await deps.registry.metrics();
        return reply.type(deps.registry.contentType).send(body);
      },
    );
  };
