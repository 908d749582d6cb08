import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { errorBody, httpStatus } from '../errors.js';

export const healthRoutes = (deps: ApiDeps): FastifyPluginAsyncTypebox => async (app) => {
  const pub = { public: true };
  app.get('/healthz', { config: pub, schema: { tags: ['operations'], summary: 'Liveness: the process is up' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: pub, schema: { tags: ['operations'], summary: 'Readiness: the database answers' } }, async (req, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ready' };
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      return reply.status(httpStatus('database_unavailable')).header('retry-after', '5').send({ status: 'unavailable', ...errorBody('database_unavailable', 'the database does not answer') });
    }
  });
  app.get('/metrics', { config: pub, schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: false } }, async (_req, reply) => {
    const body = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(body);
  });
};
