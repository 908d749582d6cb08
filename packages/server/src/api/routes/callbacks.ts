import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { Callback, CallbackSaved } from '../../wire/index.js';

const tags = ['agents'];

const CallbackBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'Where the results of every run are POSTed (the payload is in docs/callbacks.md).' }),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String({ maxLength: 8192 }), {
        maxProperties: 50,
        description: 'Sent with every callback, e.g. Authorization: a free-form map of any header names. Stored encrypted; values are never shown again.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** An agent's callback webhook (docs/callbacks.md). */
export const callbackRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = '/api/v1/agents/:id/callback';
    app.get(base, { schema: { tags, summary: "The agent's callback", params: IdParams, response: { 200: Callback, 401: ErrorBody, 404: ErrorBody } } }, (req) =>
      deps.callbacks.get(req.tenant, req.params.id),
    );
    app.put(
      base,
      {
        schema: {
          tags,
          summary: 'Set the callback (the signing secret is returned the first time)',
          params: IdParams,
          body: CallbackBody,
          response: { 200: CallbackSaved, 401: ErrorBody, 404: ErrorBody, 422: ErrorBody },
        },
      },
      (req) => deps.callbacks.set(req.tenant, req.params.id, req.body),
    );
    app.delete(
      base,
      { schema: { tags, summary: 'Remove the callback', params: IdParams, response: { 204: Type.Null(), 401: ErrorBody, 404: ErrorBody } } },
      async (req, reply) => {
        await deps.callbacks.remove(req.tenant, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      `${base}/rotate-secret`,
      {
        schema: {
          tags,
          summary: 'A new signing secret, shown once',
          params: IdParams,
          response: { 200: Type.Object({ secret: Type.String() }), 401: ErrorBody, 404: ErrorBody },
        },
      },
      (req) => deps.callbacks.rotateSecret(req.tenant, req.params.id),
    );
  };
