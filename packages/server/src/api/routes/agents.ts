import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { IdParams, PageQuery } from '../schemas.js';

const tags = ['agents'];
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', description: 'Lower-case letters, digits, - and _.' });
const RunnerConfig = Type.Object(
  {
    command: Type.String({ minLength: 1, maxLength: 4096, description: 'Program to run (no shell). The prompt arrives on stdin; stdout is the output.' }),
    args: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 100 })),
    cwd: Type.Optional(Type.String({ maxLength: 4096 })),
    env: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 8192 }), { maxProperties: 100, description: 'Extra environment (stored encrypted; values never shown again).' })),
  },
  { additionalProperties: false },
);
const agentFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 2000 }),
  runner: Type.Literal('command', { description: 'How the agent runs. `command` now; `http` and `openai` come next.' }),
  runner_config: RunnerConfig,
  prompt_template: Type.String({ maxLength: 100_000, description: 'Instructions put before every trigger payload.' }),
  timeout_seconds: Type.Integer({ minimum: 1, maximum: 86_400, description: 'Default 600 (10 minutes, as 004).' }),
  max_concurrent_runs: Type.Integer({ minimum: 1, maximum: 1000, description: 'More runs wait in the queue (default 1).' }),
  model: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  rate_limit_per_minute: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()], { description: 'Inbound triggers accepted per minute; more get 429.' }),
};
const AgentCreate = Type.Object(
  {
    id: Type.Optional(Slug),
    crew_id: Type.String({ minLength: 1, maxLength: 63 }),
    name: agentFields.name,
    description: Type.Optional(agentFields.description),
    runner: agentFields.runner,
    runner_config: agentFields.runner_config,
    prompt_template: Type.Optional(agentFields.prompt_template),
    timeout_seconds: Type.Optional(agentFields.timeout_seconds),
    max_concurrent_runs: Type.Optional(agentFields.max_concurrent_runs),
    model: Type.Optional(agentFields.model),
    rate_limit_per_minute: Type.Optional(agentFields.rate_limit_per_minute),
  },
  { additionalProperties: false },
);
const { id: _id, crew_id: _crew, ...updatable } = AgentCreate.properties;
const AgentUpdate = Type.Object(Type.Partial(Type.Object(updatable)).properties, { additionalProperties: false, minProperties: 1 });

export const agentRoutes = (d: ApiDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/crews', { schema: { tags, summary: 'Create a crew (team)', body: Type.Object({ id: Type.Optional(Slug), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) } }, async (req, reply) =>
    reply.status(201).send(await d.agents.createCrew(req.body)),
  );
  app.get('/api/v1/crews', { schema: { tags, summary: 'List crews' } }, async () => ({ items: (await d.store.agents.listCrews()).map((c) => d.agents.crewView(c)) }));
  app.get('/api/v1/crews/:id', { schema: { tags, summary: 'Get a crew', params: IdParams } }, async (req) => d.agents.crewView(await d.agents.getCrew(req.params.id)));
  app.delete('/api/v1/crews/:id', { schema: { tags, summary: 'Delete an empty crew', params: IdParams } }, async (req, reply) => {
    await d.agents.deleteCrew(req.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/agents', { schema: { tags, summary: 'Create an agent (its webhook secret is shown only here)', body: AgentCreate } }, async (req, reply) =>
    reply.status(201).send(await d.agents.create(req.body)),
  );
  app.get('/api/v1/agents', { schema: { tags, summary: 'List agents', querystring: Type.Object({ crew_id: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false }) } }, async (req) => {
    const { limit, offset, crew_id } = req.query;
    return { ...(await d.agents.list({ limit, offset, ...(crew_id ? { crewId: crew_id } : {}) })), limit, offset };
  });
  app.get('/api/v1/agents/:id', { schema: { tags, summary: 'Get an agent', params: IdParams } }, async (req) => d.agents.view(await d.agents.get(req.params.id)));
  app.patch('/api/v1/agents/:id', { schema: { tags, summary: 'Update an agent (only the fields given)', params: IdParams, body: AgentUpdate } }, async (req) => d.agents.update(req.params.id, req.body));
  app.delete('/api/v1/agents/:id', { schema: { tags, summary: 'Delete an agent', params: IdParams } }, async (req, reply) => {
    await d.agents.remove(req.params.id);
    return reply.status(204).send(null);
  });
  app.post('/api/v1/agents/:id/webhook-secret/rotate', { schema: { tags, summary: 'Replace the inbound trigger secret (the old one stops working at once)', params: IdParams } }, async (req) =>
    d.agents.rotateWebhookSecret(req.params.id),
  );
};
