import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runView } from '../../runs/index.js';
import type { ApiDeps } from '../deps.js';
import type { Tenant } from '../../tenants/index.js';
import { IdParams, PageQuery, Paginated } from '../schemas.js';
import { Run, Schedule } from '../../wire/index.js';

const tags = ['schedules'];

// No schema defaults on the fields: Ajv's useDefaults would put them into PATCH bodies.
const fields = {
  name: Type.String({ minLength: 1, maxLength: 200, description: "Shown as the run's trigger_name." }),
  cron: Type.String({
    minLength: 1,
    maxLength: 200,
    description:
      'Cron expression (croner): 5 fields (minute precision), 6 with seconds first, or 7 with a year; also @hourly, @daily, @weekly, @monthly, @yearly.',
  }),
  timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone the expression is read in, e.g. "Europe/Berlin" (default "UTC").' }),
  prompt: Type.String({ maxLength: 100_000, description: "Put after the agent's prompt_template." }),
  enabled: Type.Boolean({ description: 'Default true. Enabling plans the next tick from now.' }),
  misfire_grace_seconds: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    description: 'How late a tick may still run (default 60); later ticks are skipped with last_skip_reason.',
  }),
};

const ScheduleCreate = Type.Object(
  {
    agent_id: Type.String({ minLength: 1, maxLength: 128 }),
    name: fields.name,
    cron: fields.cron,
    timezone: Type.Optional(fields.timezone),
    prompt: Type.Optional(fields.prompt),
    enabled: Type.Optional(fields.enabled),
    misfire_grace_seconds: Type.Optional(fields.misfire_grace_seconds),
  },
  { additionalProperties: false },
);
const { agent_id: _agent, ...updatable } = ScheduleCreate.properties;
const ScheduleUpdate = Type.Object(Type.Partial(Type.Object(updatable)).properties, { additionalProperties: false, minProperties: 1 });

const ScheduleList = Paginated(Schedule);
const ListQuery = Type.Object({ agent_id: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false });

/** Cron schedules that start agent runs. */
export const scheduleRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const list = async (tenant: Tenant, q: typeof ListQuery.static, agentId?: string) => {
      const id = agentId ?? q.agent_id;
      return { ...(await deps.schedules.list(tenant, { limit: q.limit, offset: q.offset, ...(id ? { agentId: id } : {}) })), limit: q.limit, offset: q.offset };
    };

    app.post('/api/v1/schedules', { schema: { tags, summary: 'Create a schedule', body: ScheduleCreate, response: { 201: Schedule } } }, async (req, reply) =>
      reply.status(201).send(await deps.schedules.create(req.tenant, req.body)),
    );
    app.get(
      '/api/v1/schedules',
      { schema: { tags, summary: 'List schedules (optionally of one agent)', querystring: ListQuery, response: { 200: ScheduleList } } },
      async (req) => list(req.tenant, req.query),
    );
    app.get(
      '/api/v1/agents/:id/schedules',
      { schema: { tags, summary: "One agent's schedules", params: IdParams, querystring: ListQuery, response: { 200: ScheduleList } } },
      async (req) => {
        await deps.agents.get(req.tenant, req.params.id);
        return list(req.tenant, req.query, req.params.id);
      },
    );
    app.get('/api/v1/schedules/:id', { schema: { tags, summary: 'Get a schedule', params: IdParams, response: { 200: Schedule } } }, async (req) =>
      deps.schedules.view(await deps.schedules.get(req.tenant, req.params.id)),
    );
    app.patch(
      '/api/v1/schedules/:id',
      { schema: { tags, summary: 'Update a schedule (only the fields given)', params: IdParams, body: ScheduleUpdate, response: { 200: Schedule } } },
      async (req) => deps.schedules.update(req.tenant, req.params.id, req.body),
    );
    app.delete(
      '/api/v1/schedules/:id',
      { schema: { tags, summary: 'Delete a schedule', params: IdParams, response: { 204: Type.Null() } } },
      async (req, reply) => {
        await deps.schedules.remove(req.tenant, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/v1/schedules/:id/run',
      { schema: { tags, summary: "Run the schedule's prompt now (409 while its previous run is still going)", params: IdParams, response: { 202: Run } } },
      async (req, reply) => reply.status(202).send(runView(await deps.schedules.runNow(req.tenant, req.params.id))),
    );
  };
