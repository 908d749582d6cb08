import { Type } from '@sinclair/typebox';
import { Nullable, OneOf } from './common.js';
import { TRIGGER_SCHEMES } from './vocabulary.js';

export const WebhookTrigger = Type.Object({
  id: Type.String(),
  agent_id: Type.String(),
  crew_id: Type.String(),
  name: Type.String(),
  scheme: OneOf(TRIGGER_SCHEMES),
  prompt_template: Type.String(),
  enabled: Type.Boolean(),
  url: Type.String({ description: 'Path of the trigger URL: /api/v1/webhooks/{crew}/{agent}/{name}.' }),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export const TriggerSecret = Type.Object({ secret: Type.String({ description: 'Shown only in this response.' }) });
export const WebhookTriggerWithSecret = Type.Intersect([WebhookTrigger, TriggerSecret]);

export const Schedule = Type.Object({
  id: Type.String(),
  agent_id: Type.String(),
  name: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  prompt: Type.String(),
  enabled: Type.Boolean(),
  misfire_grace_seconds: Type.Number(),
  next_run_at: Nullable(Type.String({ description: 'The next tick; null when disabled.' })),
  next_runs: Type.Array(Type.String(), { description: 'The next three ticks.' }),
  last_run_at: Nullable(Type.String()),
  last_run_id: Nullable(Type.String()),
  last_skip_reason: Nullable(
    Type.String({ description: 'Why the most recent tick did not start a run ("missed: …", "previous run still running"); null when it did.' }),
  ),
  created_at: Type.String(),
  updated_at: Type.String(),
});
