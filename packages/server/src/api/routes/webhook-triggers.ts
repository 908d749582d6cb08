import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TRIGGER_SCHEMES } from '../../triggers/index.js';
import type { ApiDeps } from '../deps.js';
import { IdParams, PageQuery, Paginated } from '../schemas.js';
import { TriggerSecret, WebhookTrigger, WebhookTriggerWithSecret } from '../../wire/index.js';

const tags = ['triggers'];
const Secret = Type.String({
  minLength: 16,
  maxLength: 512,
  description: 'Bring your own secret (a Standard Webhooks sender gives you a whsec_… one); omit it to have one generated. Shown only in this response.',
});
const fields = {
  prompt_template: Type.String({ maxLength: 100_000, description: "Instructions put before the payload; empty = the agent's prompt template." }),
  enabled: Type.Boolean({ description: 'A disabled trigger answers 403 to correctly signed requests.' }),
};
const TriggerCreate = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
      description: 'The last segment of the URL /api/v1/webhooks/{crew}/{agent}/{name}; "trigger" is reserved.',
    }),
    scheme: Type.Optional(
      Type.Union(
        TRIGGER_SCHEMES.map((s) => Type.Literal(s)),
        {
          description:
            'How the sender signs: hookline (X-Signature, default), github (X-Hub-Signature-256), standard (Standard Webhooks), grafana (X-Grafana-Alerting-Signature).',
        },
      ),
    ),
    secret: Type.Optional(Secret),
    prompt_template: Type.Optional(fields.prompt_template),
    enabled: Type.Optional(fields.enabled),
  },
  { additionalProperties: false },
);
const TriggerUpdate = Type.Object(
  { prompt_template: Type.Optional(fields.prompt_template), enabled: Type.Optional(fields.enabled) },
  { additionalProperties: false, minProperties: 1 },
);

/** Managing named webhook triggers; the URLs they answer are in trigger.ts. */
export const webhookTriggerRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/agents/:id/webhook-triggers',
      {
        schema: {
          tags,
          summary: 'Add a named webhook trigger to an agent (its secret is shown only here)',
          params: IdParams,
          body: TriggerCreate,
          response: { 201: WebhookTriggerWithSecret },
        },
      },
      async (req, reply) => reply.status(201).send(await deps.triggers.create(req.tenant, await deps.agents.get(req.tenant, req.params.id), req.body)),
    );
    app.get(
      '/api/v1/agents/:id/webhook-triggers',
      {
        schema: {
          tags,
          summary: "An agent's named webhook triggers",
          params: IdParams,
          querystring: Type.Object(PageQuery, { additionalProperties: false }),
          response: { 200: Paginated(WebhookTrigger) },
        },
      },
      async (req) => {
        await deps.agents.get(req.tenant, req.params.id);
        const { limit, offset } = req.query;
        return { ...(await deps.triggers.list(req.tenant, { limit, offset, agentId: req.params.id })), limit, offset };
      },
    );
    app.get(
      '/api/v1/webhook-triggers',
      {
        schema: {
          tags,
          summary: 'Named webhook triggers',
          querystring: Type.Object({ agent_id: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false }),
          response: { 200: Paginated(WebhookTrigger) },
        },
      },
      async (req) => {
        const { limit, offset, agent_id } = req.query;
        return { ...(await deps.triggers.list(req.tenant, { limit, offset, ...(agent_id ? { agentId: agent_id } : {}) })), limit, offset };
      },
    );
    app.get(
      '/api/v1/webhook-triggers/:id',
      { schema: { tags, summary: 'One named webhook trigger', params: IdParams, response: { 200: WebhookTrigger } } },
      async (req) => deps.triggers.view(await deps.triggers.get(req.tenant, req.params.id)),
    );
    app.patch(
      '/api/v1/webhook-triggers/:id',
      {
        schema: { tags, summary: 'Change its prompt template or enable/disable it', params: IdParams, body: TriggerUpdate, response: { 200: WebhookTrigger } },
      },
      async (req) => deps.triggers.update(req.tenant, req.params.id, req.body),
    );
    app.delete(
      '/api/v1/webhook-triggers/:id',
      { schema: { tags, summary: 'Delete a named webhook trigger (its URL answers 404 from now on)', params: IdParams, response: { 204: Type.Null() } } },
      async (req, reply) => {
        await deps.triggers.remove(req.tenant, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/v1/webhook-triggers/:id/rotate-secret',
      {
        schema: {
          tags,
          summary: 'Replace the secret (the old one stops working at once); the new one is shown only here',
          params: IdParams,
          body: Type.Object({ secret: Type.Optional(Secret) }, { additionalProperties: false }),
          response: { 200: TriggerSecret },
        },
        // May be POSTed with no body at all.
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req) => deps.triggers.rotateSecret(req.tenant, req.params.id, req.body?.secret),
    );
  };
