import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, IdParams, NoQuery } from '../schemas.js';
import { Key, KeyWithSecret } from '../../wire/index.js';

const tags = ['keys'];

export const keyRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/keys',
      {
        schema: {
          tags,
          summary: 'Create an API key (shown only in this response)',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200 }),
              role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('read')], { default: 'admin' })),
              org_id: Type.Optional(Type.String({ maxLength: 128, description: 'Limit the key to this org (docs/tenants.md#keys).' })),
              env_id: Type.Optional(Type.String({ maxLength: 128, description: 'Limit the key to this environment of `org_id`.' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: KeyWithSecret, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody },
        },
      },
      async (req, reply) => {
        const { name, role = 'admin', org_id = null, env_id = null } = req.body;
        return reply.status(201).send(await deps.keys.create(name, role, { orgId: org_id, envId: env_id }, req.keyScope));
      },
    );
    app.get(
      '/api/v1/keys',
      {
        schema: {
          tags,
          summary: 'List API keys (never the keys themselves)',
          querystring: NoQuery,
          response: { 200: Type.Object({ items: Type.Array(Key) }), 401: ErrorBody },
        },
      },
      async (req) => ({ items: await deps.keys.list(req.keyScope) }),
    );
    app.delete(
      '/api/v1/keys/:id',
      {
        schema: {
          tags,
          summary: 'Revoke an API key; it stops working at once',
          params: IdParams,
          response: { 204: Type.Null(), 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (req, reply) => {
        await deps.keys.revoke(req.params.id, req.keyScope);
        return reply.status(204).send(null);
      },
    );
  };
