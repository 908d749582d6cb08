import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { EndpointCreate, EndpointUpdate, ErrorBody, IdParams, PageQuery, Paginated } from '../schemas.js';
import { Endpoint, EndpointCreated, EndpointUpdated, EndpointWithSecret } from '../../wire/index.js';
import { parseTime } from '../time.js';

const tags = ['endpoints'];
const errors = { 401: ErrorBody, 404: ErrorBody, 422: ErrorBody };

export const endpointRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = '/api/v1/webhooks/endpoints';
    // Action routes (rotate-secret, test, enable…) may be POSTed with no body at all.
    app.addHook('preValidation', async (req) => {
      if (req.method === 'POST' && req.body === undefined && req.routeOptions.url !== base) req.body = {};
    });

    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Create an endpoint (the secret is shown only here)',
          body: EndpointCreate,
          response: { 201: EndpointCreated, ...errors, 429: ErrorBody },
        },
      },
      async (req, reply) => {
        await deps.quotas.admitNew(req.tenant, 'endpoints');
        return reply.status(201).send(await deps.endpoints.create(req.tenant, req.body));
      },
    );

    app.get(
      base,
      {
        schema: {
          tags,
          summary: 'List endpoints',
          querystring: Type.Object(PageQuery, { additionalProperties: false }),
          response: { 200: Paginated(Endpoint), 401: ErrorBody },
        },
      },
      async (req) => {
        const { limit, offset } = req.query;
        return { ...(await deps.endpoints.list(req.tenant, { limit, offset })), limit, offset };
      },
    );

    app.get(`${base}/:id`, { schema: { tags, summary: 'Get an endpoint', params: IdParams, response: { 200: Endpoint, ...errors } } }, async (req) =>
      deps.endpoints.view(await deps.endpoints.get(req.tenant, req.params.id)),
    );

    app.patch(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: 'Update an endpoint (only the fields given)',
          params: IdParams,
          body: EndpointUpdate,
          response: { 200: EndpointUpdated, ...errors },
        },
      },
      async (req) => deps.endpoints.update(req.tenant, req.params.id, req.body),
    );

    app.delete(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: 'Delete an endpoint; its pending deliveries fail as endpoint_deleted',
          params: IdParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (req, reply) => {
        await deps.endpoints.remove(req.tenant, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      `${base}/:id/enable`,
      { schema: { tags, summary: 'Re-enable; events from while it was disabled are not delivered', params: IdParams, response: { 200: Endpoint, ...errors } } },
      async (req) => deps.endpoints.enable(req.tenant, req.params.id),
    );

    app.post(`${base}/:id/disable`, { schema: { tags, summary: 'Disable', params: IdParams, response: { 200: Endpoint, ...errors } } }, async (req) =>
      deps.endpoints.update(req.tenant, req.params.id, { enabled: false }),
    );

    app.post(
      `${base}/:id/rotate-secret`,
      {
        schema: {
          tags,
          summary: 'Rotate the signing secret; the old one keeps signing during the grace period',
          params: IdParams,
          body: Type.Optional(
            Type.Object(
              { grace_period_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 604_800, description: 'Default: delivery.rotation_grace (24h).' })) },
              { additionalProperties: false },
            ),
          ),
          response: { 200: EndpointWithSecret, ...errors },
        },
      },
      async (req) => deps.endpoints.rotateSecret(req.tenant, req.params.id, req.body?.grace_period_seconds),
    );

    app.post(
      `${base}/:id/test`,
      {
        schema: {
          tags,
          summary: 'Send a webhook.test event to this endpoint',
          params: IdParams,
          response: { 202: Type.Object({ event_id: Type.String() }), ...errors, 409: ErrorBody },
        },
      },
      async (req, reply) => {
        return reply.status(202).send(await deps.endpoints.sendTest(req.tenant, req.params.id));
      },
    );

    app.post(
      `${base}/:id/replay`,
      {
        schema: {
          tags,
          summary: "Re-enqueue this endpoint's subscribed events from a time window",
          params: IdParams,
          body: Type.Object(
            {
              since: Type.String({ description: 'ISO-8601 time or epoch milliseconds.' }),
              until: Type.Optional(Type.String({ description: 'Default: now.' })),
            },
            { additionalProperties: false },
          ),
          response: { 202: Type.Object({ enqueued: Type.Integer() }), ...errors, 409: ErrorBody },
        },
      },
      async (req, reply) => {
        const since = parseTime(req.body.since, 'since');
        const until = req.body.until === undefined ? deps.clock.now() : parseTime(req.body.until, 'until');
        return reply.status(202).send(await deps.endpoints.replay(req.tenant, req.params.id, since, until));
      },
    );
  };
