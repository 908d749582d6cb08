import { Type } from '@sinclair/typebox';
import { NOTIFY_EVENTS, RUNNERS } from '../config/index.js';
import { Nullable, OneOf } from './common.js';

export const Crew = Type.Object({ id: Type.String(), name: Type.String(), created_at: Type.String(), updated_at: Type.String() });

/** One per-agent notification rule: where a run event of this agent is announced. */
export const NotificationRuleView = Type.Object({
  channel: OneOf(['slack', 'webhook'] as const),
  target: Type.String({ description: 'A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config.' }),
});
/** The per-agent notification rules, as the API shows them. */
export const NotificationRulesView = Type.Partial(
  Type.Object(
    Object.fromEntries(NOTIFY_EVENTS.map((event) => [event, Type.Array(NotificationRuleView)])) as Record<
      (typeof NOTIFY_EVENTS)[number],
      ReturnType<typeof Type.Array<typeof NotificationRuleView>>
    >,
  ),
);

const Hidden = (what: string) => Type.Record(Type.String(), Type.String(), { description: `${what}: names, values shown as ********.` });
/** Runner settings as the API shows them: secret values (env, headers, api_key) as `********`. */
export const RunnerSettingsView = Type.Union([
  Type.Object(
    { command: Type.String(), args: Type.Array(Type.String()), cwd: Nullable(Type.String()), env: Hidden('Extra environment') },
    { title: 'command runner view' },
  ),
  Type.Object({ url: Type.String(), headers: Hidden('Extra request headers') }, { title: 'http runner view' }),
  Type.Object(
    {
      base_url: Type.String(),
      model: Nullable(Type.String()),
      api_key: Nullable(Type.String({ description: '******** when one is set.' })),
      system_prompt: Nullable(Type.String()),
      temperature: Nullable(Type.Number()),
      max_tokens: Nullable(Type.Integer()),
    },
    { title: 'openai runner view' },
  ),
]);

export const Agent = Type.Object({
  id: Type.String(),
  crew_id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  runner: OneOf(RUNNERS),
  runner_config: RunnerSettingsView,
  prompt_template: Type.String(),
  timeout_seconds: Type.Number(),
  max_concurrent_runs: Type.Integer(),
  model: Nullable(Type.String()),
  rate_limit_per_minute: Nullable(Type.Integer()),
  trigger_url: Type.String({ description: "The agent's own inbound URL (path), signed with its webhook secret." }),
  source: OneOf(['api', 'file'] as const, { description: '`file` when an AGENT.md defines it: change the file, not the API.' }),
  source_path: Nullable(Type.String()),
  notifications: Nullable(NotificationRulesView),
  callback_url: Nullable(Type.String({ description: 'Where run results are POSTed (docs/callbacks.md); details at /api/v1/agents/{id}/callback.' })),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const WebhookSecret = Type.Object({ webhook_secret: Type.String({ description: 'The inbound trigger secret, shown only here.' }) });
export const AgentWithSecret = Type.Intersect([Agent, WebhookSecret]);

export const AgentFilesReport = Type.Object({
  dir: Type.String(),
  loaded: Type.Array(Type.Object({ id: Type.String(), path: Type.String(), action: OneOf(['created', 'updated', 'unchanged'] as const) })),
  removed: Type.Array(Type.String(), { description: 'File agents whose file is gone: deleted with their triggers (their runs stay).' }),
  errors: Type.Array(Type.Object({ path: Type.String(), line: Type.Integer(), message: Type.String() })),
  config_error: Type.Optional(
    Type.String({ description: 'Why the configuration could not be read again at this reload (agents.default_runner was kept as it was).' }),
  ),
});

export const Callback = Type.Object({
  url: Type.String(),
  headers: Type.Record(Type.String(), Type.String(), { description: 'Header names; values hidden.' }),
  signature: Type.Object({ header: Type.Literal('X-Signature'), timestamp_header: Type.Literal('X-Timestamp'), algorithm: Type.Literal('hmac-sha256') }),
});
export const CallbackSaved = Type.Intersect([
  Callback,
  Type.Object({
    secret: Type.Optional(
      Type.String({
        description: 'The signing secret: returned only when it is created. Verify X-Signature = "sha256=" + hex HMAC-SHA256(secret, "{X-Timestamp}.{body}").',
      }),
    ),
  }),
]);
