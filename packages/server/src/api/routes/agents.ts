import { type Static, type TObject, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { RUNNER_SETTINGS, RUNNERS, type RunnerKind, type RunnerSettings } from '../../agents/index.js';
import { NOTIFY_EVENTS, type NotificationRules } from '../../notifications/index.js';
import { UserError } from '../../errors/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, IdParams, NoQuery, Nullable, PageQuery, Paginated } from '../schemas.js';
import { Agent, AgentFilesReport, AgentWithSecret, Crew, WebhookSecret } from '../../wire/index.js';
import { refuseUnknownFields } from '../unknown-fields.js';

const tags = ['agents'];
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', description: 'Lower-case letters, digits, - and _.' });
// The shape's keys are fixed here (an unknown event or rule key is a 400 unknown_field); the
// values are checked by the service, so its errors name the exact spot (notifications.on_error[1].target).
const NotificationRule = Type.Object(
  {
    channel: Type.String({ description: '`slack` or `webhook`.' }),
    target: Type.String({
      description:
        'slack: a channel (`#alerts`, `alerts`, `C0123ABCD`) or an incoming-webhook URL; webhook: the name of a webhook under notifications.webhooks in the config.',
    }),
  },
  { additionalProperties: false, title: 'notification rule' },
);
// The list before null: with coerceTypes 'array', Ajv unwraps a one-rule list while trying a null branch first, then finds no list.
const RuleList = Type.Union([Type.Array(NotificationRule), Type.Null()], { description: 'An empty list (or null) announces this event nowhere.' });
const NotificationRulesShape = Type.Object(Object.fromEntries(NOTIFY_EVENTS.map((event) => [event, Type.Optional(RuleList)])), {
  additionalProperties: false,
  title: 'notification rules',
});
const agentFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 2000 }),
  prompt_template: Type.String({ maxLength: 100_000, description: 'Instructions put before every trigger payload.' }),
  timeout_seconds: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    description: "Seconds a run may take before it ends as `timeout`. Default: the server's `agents.default_timeout_seconds` (600, 10 minutes).",
  }),
  max_concurrent_runs: Type.Integer({ minimum: 1, maximum: 1000, description: 'More runs wait in the queue (default 1).' }),
  model: Nullable(Type.String({ maxLength: 200 }), { description: 'Model label; the `openai` runner sends it when its settings name no model.' }),
  rate_limit_per_minute: Nullable(Type.Integer({ minimum: 1, maximum: 100_000 }), { description: 'Inbound triggers accepted per minute; more get 429.' }),
  // Shape checked by the service, so errors name the exact spot (notifications.on_error[1].channel).
  notifications: Nullable(Type.Unsafe<NotificationRules>(NotificationRulesShape), {
    description:
      'Per-agent notification rules: `{on_complete|on_error|on_timeout: [{channel: slack|webhook, target}]}`. They replace the configured defaults for this agent; null restores the defaults.',
  }),
};
/** Settings every agent may leave out, on create and on update alike. */
const optionalSettings = {
  prompt_template: Type.Optional(agentFields.prompt_template),
  timeout_seconds: Type.Optional(agentFields.timeout_seconds),
  max_concurrent_runs: Type.Optional(agentFields.max_concurrent_runs),
  model: Type.Optional(agentFields.model),
  rate_limit_per_minute: Type.Optional(agentFields.rate_limit_per_minute),
  notifications: Type.Optional(agentFields.notifications),
};
const RunnerName = Type.Unsafe<RunnerKind>(
  Type.String({
    enum: [...RUNNERS],
    description: 'How the agent runs: `command` (a local program), `http` (POST to a URL), `openai` (an OpenAI-compatible chat completions API).',
  }),
);

function createVariant<K extends RunnerKind, S extends TObject>(runner: K, settings: S) {
  return Type.Object(
    {
      id: Type.Optional(Slug),
      crew_id: Type.String({ minLength: 1, maxLength: 63 }),
      name: agentFields.name,
      description: Type.Optional(agentFields.description),
      runner: Type.Literal(runner),
      runner_config: settings,
      ...optionalSettings,
    },
    { additionalProperties: false, title: `${runner} agent` },
  );
}
const createVariants = Type.Union([
  createVariant('command', RUNNER_SETTINGS.command),
  createVariant('http', RUNNER_SETTINGS.http),
  createVariant('openai', RUNNER_SETTINGS.openai),
]);
/** One shape per runner, picked by `runner`, so validation errors speak of that runner's settings only. */
const AgentCreate = Type.Unsafe<Static<typeof createVariants>>({ type: 'object', oneOf: createVariants.anyOf, discriminator: { propertyName: 'runner' } });
const AgentUpdate = Type.Object(
  {
    name: Type.Optional(agentFields.name),
    description: Type.Optional(agentFields.description),
    runner: Type.Optional(RunnerName),
    runner_config: Type.Optional(
      Type.Unsafe<RunnerSettings>(
        Type.Object(
          {},
          {
            additionalProperties: true,
            description:
              'Settings for `runner` (the one given, else the current one), shaped as on create. Replaces the stored settings whole, secrets included. Required when `runner` changes.',
          },
        ),
      ),
    ),
    ...optionalSettings,
  },
  { additionalProperties: false, minProperties: 1 },
);

export const agentRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/crews',
      {
        schema: {
          tags,
          summary: 'Create a crew (team)',
          body: Type.Object({ id: Type.Optional(Slug), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
          response: { 201: Crew },
        },
      },
      async (req, reply) => reply.status(201).send(await deps.agents.createCrew(req.tenant, req.body)),
    );
    app.get(
      '/api/v1/crews',
      { schema: { tags, summary: 'List crews', querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(Crew) }) } } },
      async (req) => ({ items: await deps.agents.listCrews(req.tenant) }),
    );
    app.get('/api/v1/crews/:id', { schema: { tags, summary: 'Get a crew', params: IdParams, response: { 200: Crew } } }, async (req) =>
      deps.agents.crewView(await deps.agents.getCrew(req.tenant, req.params.id)),
    );
    app.delete(
      '/api/v1/crews/:id',
      { schema: { tags, summary: 'Delete an empty crew', params: IdParams, response: { 204: Type.Null() } } },
      async (req, reply) => {
        await deps.agents.deleteCrew(req.tenant, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/agents',
      {
        schema: {
          tags,
          summary: 'Create an agent (its webhook secret is shown only here)',
          body: AgentCreate,
          response: { 201: AgentWithSecret, 429: ErrorBody },
        },
      },
      async (req, reply) => {
        await deps.quotas.admitNew(req.tenant, 'agents');
        return reply.status(201).send(await deps.agents.create(req.tenant, req.body));
      },
    );
    app.get(
      '/api/v1/agents',
      {
        schema: {
          tags,
          summary: 'List agents',
          querystring: Type.Object({ crew_id: Type.Optional(Type.String()), ...PageQuery }, { additionalProperties: false }),
          response: { 200: Paginated(Agent) },
        },
      },
      async (req) => {
        const { limit, offset, crew_id } = req.query;
        return { ...(await deps.agents.list(req.tenant, { limit, offset, ...(crew_id ? { crewId: crew_id } : {}) })), limit, offset };
      },
    );
    app.get('/api/v1/agents/:id', { schema: { tags, summary: 'Get an agent', params: IdParams, response: { 200: Agent } } }, async (req) =>
      deps.agents.view(await deps.agents.get(req.tenant, req.params.id)),
    );
    // An AGENT.md is the truth for its agent; an API edit would be silently undone by the next reload.
    const notFromFile = async (req: FastifyRequest, id: string) => {
      const agent = await deps.agents.get(req.tenant, id);
      if (agent.source === 'file')
        throw new UserError(
          'managed_by_file',
          `agent ${id} is defined by ${agent.source_path}; edit or delete that file, then reload (SIGHUP or POST /api/v1/agents/reload)`,
        );
    };
    // runner_config's shape depends on the runner (the one given, else the stored one), so its
    // unknown fields are looked for here, before anything else about the body is checked.
    const runnerConfigFields = async (req: FastifyRequest) => {
      const body = req.body as { runner?: unknown; runner_config?: unknown } | undefined;
      if (body?.runner_config === undefined) return;
      const given = (RUNNERS as readonly unknown[]).includes(body.runner) ? (body.runner as RunnerKind) : undefined;
      const runner = given ?? (await deps.store.agents.getAgent(req.tenant.envId, (req.params as { id: string }).id))?.runner;
      if (runner && Object.hasOwn(RUNNER_SETTINGS, runner))
        refuseUnknownFields(RUNNER_SETTINGS[runner as RunnerKind], body.runner_config, 'body.runner_config');
    };
    app.patch(
      '/api/v1/agents/:id',
      {
        schema: { tags, summary: 'Update an agent (only the fields given)', params: IdParams, body: AgentUpdate, response: { 200: Agent } },
        preValidation: runnerConfigFields,
      },
      async (req) => {
        await notFromFile(req, req.params.id);
        return deps.agents.update(req.tenant, req.params.id, req.body);
      },
    );
    app.delete('/api/v1/agents/:id', { schema: { tags, summary: 'Delete an agent', params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
      await notFromFile(req, req.params.id);
      await deps.agents.remove(req.tenant, req.params.id);
      return reply.status(204).send(null);
    });
    app.post(
      '/api/v1/agents/:id/webhook-secret/rotate',
      {
        schema: { tags, summary: 'Replace the inbound trigger secret (the old one stops working at once)', params: IdParams, response: { 200: WebhookSecret } },
      },
      async (req) => deps.agents.rotateWebhookSecret(req.tenant, req.params.id),
    );
    app.post(
      '/api/v1/agents/reload',
      {
        config: { installation: true },
        schema: {
          tags,
          summary: 'Reload the AGENT.md files (as SIGHUP does) and report what changed and which files are broken',
          response: { 200: AgentFilesReport, 403: ErrorBody },
        },
      },
      async () => deps.reloadAgentFiles(),
    );
  };
