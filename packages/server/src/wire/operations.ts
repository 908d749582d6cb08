import { Type } from '@sinclair/typebox';
import { ErrorBody, Nullable } from './common.js';

export const Liveness = Type.Object({ status: Type.Literal('ok') });
export const Ready = Type.Object({ status: Type.Literal('ready') });
export const NotReady = Type.Intersect([Type.Object({ status: Type.Literal('unavailable') }), ErrorBody]);

export const Settings = Type.Object(
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
