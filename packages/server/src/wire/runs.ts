import { Type } from '@sinclair/typebox';
import { Nullable, OneOf } from './common.js';
import { RUN_STATUSES, RUN_TRIGGER_TYPES } from './vocabulary.js';

export const RunStatus = OneOf(RUN_STATUSES);

export const Run = Type.Object({
  id: Type.String(),
  crew_id: Type.String(),
  agent_id: Type.String(),
  trigger_type: OneOf(RUN_TRIGGER_TYPES, {
    description: 'webhook, schedule, manual (started through the API or the dashboard) or api (reported with POST /api/v1/runs/report).',
  }),
  trigger_id: Nullable(Type.String({ description: 'The schedule or named webhook trigger that started the run.' })),
  trigger_name: Nullable(Type.String()),
  prompt: Type.String(),
  status: RunStatus,
  output: Nullable(Type.String()),
  error: Nullable(Type.String()),
  exit_code: Nullable(Type.Integer()),
  // Numbers, not integers: the serialiser would round a fraction a command runner reported.
  usage: Type.Object({ iterations_used: Nullable(Type.Number()), tool_calls: Nullable(Type.Number()), tokens_used: Nullable(Type.Number()) }),
  created_at: Type.String(),
  started_at: Nullable(Type.String()),
  finished_at: Nullable(Type.String()),
  duration_seconds: Nullable(Type.Number()),
});

/** `POST /api/v1/runs/report` adds whether this `external_id` was reported before. */
export const ReportedRun = Type.Intersect([Run, Type.Object({ duplicate: Type.Boolean() })]);

export const RunLogLine = Type.Object({
  run_id: Type.String(),
  seq: Type.Integer(),
  at: Type.String(),
  stream: Type.String({ description: 'stdout or stderr.' }),
  line: Type.String(),
});

export const RunLogs = Type.Object({
  items: Type.Array(RunLogLine),
  run_status: Type.Union([RunStatus], { description: "The run's status when the lines were read: poll with `after_seq` until it has ended." }),
});
export const AgentLogs = Type.Object({ items: Type.Array(RunLogLine) });
