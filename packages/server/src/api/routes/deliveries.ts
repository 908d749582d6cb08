import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AttemptTable, DeliveryTable } from '../../store/index.js';
import { notFound } from '../../errors/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, IdParams, PageQuery, Paginated } from '../schemas.js';
import { Delivery, DeliveryDetail, DELIVERY_STATUSES } from '../../wire/index.js';
import { iso } from '../time.js';

const tags = ['deliveries'];

function view(r: DeliveryTable) {
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

function attemptView(a: AttemptTable) {
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

export const deliveryRoutes = (d: ApiDeps): FastifyPluginAsyncTypebox => async (app) => {
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
      const q = req.query;
      // The endpoint delivery log; notifications of the other channels are under /api/v1/notifications.
      const { rows, total } = await d.store.listDeliveries({ limit: q.limit, offset: q.offset, channel: 'endpoint', ...(q.endpoint_id ? { endpointId: q.endpoint_id } : {}), ...(q.status ? { status: q.status } : {}), ...(q.event_type ? { eventType: q.event_type } : {}) });
      return { items: rows.map(view), total, limit: q.limit, offset: q.offset };
    },
  );

  app.get('/api/v1/deliveries/:id', { schema: { tags, summary: 'One delivery with its event and every attempt', params: IdParams, response: { 200: DeliveryDetail, 401: ErrorBody, 404: ErrorBody } } }, async (req) => {
    const row = await d.store.getDelivery(req.params.id);
    if (!row) throw notFound('delivery', req.params.id);
    const [event, attempts] = await Promise.all([d.store.getEvent(row.event_id), d.store.listAttempts(row.id)]);
    return { ...view(row), event: event ? JSON.parse(event.payload) : null, history: attempts.map(attemptView) };
  });

  app.post('/api/v1/deliveries/:id/retry', { schema: { tags, summary: 'Send the identical payload again now (delivered or failed ones too)', params: IdParams, response: { 202: Delivery, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody } } }, async (req, reply) => {
    const row = await d.store.getDelivery(req.params.id);
    if (!row) throw notFound('delivery', req.params.id);
    // The same checks and requeue as the notification log's Retry, whatever the channel.
    await d.notifications.requeue(row);
    return reply.status(202).send(view((await d.store.getDelivery(row.id))!));
  });
};
