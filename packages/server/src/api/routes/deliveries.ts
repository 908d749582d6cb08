import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AttemptRecord, DeliveryRecord } from '../../store/index.js';
import { notFound } from '../../errors/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, IdParams, PageQuery, Paginated } from '../schemas.js';
import { Delivery, DeliveryDetail, DELIVERY_STATUSES } from '../../wire/index.js';
import { iso } from '../time.js';

const tags = ['deliveries'];

function view(r: DeliveryRecord) {
  return {
    id: r.id,
    event_id: r.event_id,
    event_type: r.event_type,
    endpoint_id: r.endpoint_id,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    last_status_code: r.last_status_code,
    last_error: r.last_error,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
    delivered_at: iso(r.delivered_at),
  };
}

function attemptView(a: AttemptRecord) {
  return {
    attempt: a.attempt,
    started_at: iso(a.started_at)!,
    duration_ms: a.duration_ms,
    request: { method: a.method, url: a.url },
    status_code: a.status_code,
    response_body: a.response_body,
    error: a.error_code ? { code: a.error_code, message: a.error_message } : null,
  };
}

export const deliveryRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/deliveries',
      {
        schema: {
          tags,
          summary: 'The delivery log, newest first',
          querystring: Type.Object(
            {
              endpoint_id: Type.Optional(Type.String()),
              status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)))),
              event_type: Type.Optional(Type.String()),
              ...PageQuery,
            },
            { additionalProperties: false },
          ),
          response: { 200: Paginated(Delivery), 401: ErrorBody, 422: ErrorBody },
        },
      },
      async (req) => {
        const query = req.query;
        // The endpoint delivery log; notifications of the other channels are under /api/v1/notifications.
        const { rows, total } = await deps.store.deliveries.list(req.tenant.envId, {
          limit: query.limit,
          offset: query.offset,
          channel: 'endpoint',
          ...(query.endpoint_id ? { endpointId: query.endpoint_id } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.event_type ? { eventType: query.event_type } : {}),
        });
        return { items: rows.map(view), total, limit: query.limit, offset: query.offset };
      },
    );

    app.get(
      '/api/v1/deliveries/:id',
      {
        schema: {
          tags,
          summary: 'One delivery with its event and every attempt',
          params: IdParams,
          response: { 200: DeliveryDetail, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => {
        const envId = req.tenant.envId;
        const row = await deps.store.deliveries.get(envId, req.params.id);
        if (!row) throw notFound('delivery', req.params.id);
        const [event, attempts] = await Promise.all([deps.store.events.get(envId, row.event_id), deps.store.deliveries.listAttempts(envId, row.id)]);
        return { ...view(row), event: event ? JSON.parse(event.payload) : null, history: attempts.map(attemptView) };
      },
    );

    app.post(
      '/api/v1/deliveries/:id/retry',
      {
        schema: {
          tags,
          summary: 'Send the identical payload again now (delivered or failed ones too)',
          params: IdParams,
          response: { 202: Delivery, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => {
        const row = await deps.store.deliveries.get(req.tenant.envId, req.params.id);
        if (!row) throw notFound('delivery', req.params.id);
        // The same checks and requeue as the notification log's Retry, whatever the channel (the row is this tenant's).
        await deps.notifications.requeue(row);
        return reply.status(202).send(view((await deps.store.deliveries.get(req.tenant.envId, row.id))!));
      },
    );
  };
