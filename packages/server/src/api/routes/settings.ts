import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiDeps } from '../deps.js';
import { ErrorBody, Nullable } from '../schemas.js';

const Settings = Type.Object(
  {
    version: Type.String({ description: "The server's version." }),
    store: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    public_url: Nullable(Type.String()),
    slack: Type.Object({
      enabled: Type.Boolean(),
      configured: Type.Boolean({ description: 'A bot token is set.' }),
      token_source: Nullable(Type.Union([Type.Literal('config'), Type.Literal('env')]), { description: 'env: from HOOKLINE_SLACK_BOT_TOKEN.' }),
      default_channel: Nullable(Type.String({ description: 'An incoming-webhook URL shows as its origin only.' })),
      api_base_url: Type.String(),
      templates_dir: Nullable(Type.String()),
    }),
    named_webhooks: Type.Array(Type.Object({ name: Type.String(), url: Type.String({ description: 'The origin only.' }), events: Type.Array(Type.String()) })),
    delivery: Type.Object({
      allow_networks: Type.Array(Type.String()),
      blocked: Type.String({ description: 'What the SSRF guard refuses.' }),
      timeout_seconds: Type.Number({ description: 'Default request timeout of endpoints and post-actions.' }),
      retry_schedule: Type.Array(Type.Number(), { description: 'Seconds before each retry of a failed endpoint delivery.' }),
    }),
    inspector: Type.Object({ enabled: Type.Boolean(), max_requests_per_bin: Type.Integer(), max_body_bytes: Type.Integer() }),
  },
  { description: 'The running configuration. No secret ever appears here.' },
);

/** The running configuration, readable with any key. */
export const settingsRoutes = (deps: ApiDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/settings', { schema: { tags: ['operations'], summary: 'The running configuration, without secrets', response: { 200: Settings, 401: ErrorBody } } }, async () => deps.settings());
};
