import { Type } from '@sinclair/typebox';
import { Nullable, OneOf } from './common.js';
import { AUTH_TYPES, FIRE_WHEN, METHODS, TRIGGER_TYPES } from './vocabulary.js';

/** What the API shows: header values and credentials never appear after creation. */
export const PostAction = Type.Object({
  id: Type.String(),
  name: Type.String(),
  method: OneOf(METHODS),
  url: Type.String(),
  headers: Type.Record(Type.String(), Type.String(), { description: 'Names only; values show as ********.' }),
  body_template: Type.String(),
  auth: Type.Object({ type: OneOf(AUTH_TYPES), name: Type.Optional(Type.String({ description: 'The header name, for auth type header.' })) }),
  timeout_seconds: Type.Number(),
  retry_count: Type.Integer(),
  enabled: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const Binding = Type.Object({
  id: Type.String(),
  post_action_id: Type.String(),
  trigger_type: OneOf(TRIGGER_TYPES),
  trigger_id: Type.String(),
  fire_when: OneOf(FIRE_WHEN),
  body_override: Nullable(Type.String()),
  enabled: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export const TriggerBinding = Type.Intersect([Binding, Type.Object({ post_action: PostAction })]);

export const PostActionRun = Type.Object(
  {
    id: Type.String({ description: 'Also its id in the notification log (POST /api/v1/notifications/{id}/retry sends it again).' }),
    status: OneOf(['success', 'failed', 'pending'] as const, { description: 'success | failed | pending (retries still to come).' }),
    http_status_code: Nullable(Type.Integer()),
    request: Nullable(Type.Object({ method: Type.String(), url: Type.String() }), { description: 'What the last attempt sent.' }),
    response_body: Nullable(Type.String({ description: 'The first 4 KB of the response.' })),
    error: Nullable(Type.String()),
    duration_ms: Nullable(Type.Integer()),
    attempts: Type.Integer(),
    run_id: Nullable(Type.String({ description: 'The run whose end fired it.' })),
    binding_id: Nullable(Type.String()),
    created_at: Type.String(),
    finished_at: Nullable(Type.String()),
  },
  { description: 'One firing of a post-action (its run history).' },
);

export const PreviewProblem = Type.Object({
  field: Type.String({ description: 'url, headers.<Name> or body_template.' }),
  message: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
});
export const Preview = Type.Object({
  source: Type.Union([Type.Literal('sample'), Type.Literal('run')]),
  variables: Type.Record(Type.String(), Type.Unknown(), { description: 'The values the templates were rendered with.' }),
  url: Nullable(Type.String()),
  headers: Nullable(Type.Record(Type.String(), Type.String())),
  body: Nullable(Type.String()),
  errors: Type.Array(PreviewProblem, { description: 'Template mistakes; that field is null (a header is left out), the others still render.' }),
});
