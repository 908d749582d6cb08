import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkPublishableType } from '../../events/index.js';
import { notFound, UserError } from '../../errors/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, EventPublish, IdParams } from '../schemas.js';
import { Envelope, Published } from '../../wire/index.js';

export const eventRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/events',
      {
        schema: {
          tags: ['events'],
          summary: 'Publish an event to every subscribed endpoint',
          body: EventPublish,
          response: { 202: Published, 200: Published, 401: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody },
        },
      },
      async (req, reply) => {
        const bad = checkPublishableType(req.body.type);
        if (bad) throw new UserError('invalid_event_type', bad);
        // The request's size stands for the stored payload's: no second serialisation on the hot path.
        await deps.quotas.admitEvent(req.tenant, Number(req.headers['content-length'] ?? 0));
        const result = await deps.publisher.publish({
          tenant: req.tenant,
          type: req.body.type,
          data: req.body.data ?? {},
          ...(req.body.id ? { id: req.body.id } : {}),
        });
        // 202: accepted for delivery; 200: this id was already published, nothing new queued.
        return reply.status(result.duplicate ? 200 : 202).send(result);
      },
    );
    app.get(
      '/api/v1/events/:id',
      {
        schema: {
          tags: ['events'],
          summary: 'One event, as endpoints receive it (e.g. the full event behind a truncated live-stream message)',
          params: IdParams,
          response: { 200: Envelope, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => {
        const row = await deps.store.events.get(req.tenant.envId, req.params.id);
        if (!row) throw notFound('event', req.params.id);
        return JSON.parse(row.payload) as Static<typeof Envelope>;
      },
    );
  };
