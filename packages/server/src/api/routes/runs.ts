import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runView } from '../../runs/index.js';
import type { RunStatus } from '../../store/index.js';
import type { Tenant } from '../../tenants/index.js';
import type { ApiDeps } from '../deps.js';
import { IdParams, Nullable, PageQuery, Paginated } from '../schemas.js';
import { AgentLogs, ReportedRun, Run, RUN_STATUSES, RunLogs } from '../../wire/index.js';
import { parseTime } from '../time.js';

const tags = ['runs'];
const Status = Type.Union(RUN_STATUSES.map((s) => Type.Literal(s)));
const RunQuery = Type.Object(
  {
    agent_id: Type.Optional(Type.String()),
    crew_id: Type.Optional(Type.String()),
    trigger_type: Type.Optional(Type.String()),
    trigger_id: Type.Optional(Type.String({ description: 'The schedule or named webhook trigger that started the run.' })),
    status: Type.Optional(Status),
    since: Type.Optional(Type.String()),
    until: Type.Optional(Type.String()),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const runRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const list = async (tenant: Tenant, q: typeof RunQuery.static, agentId?: string) => {
      const { rows, total } = await deps.runs.list(tenant, {
        limit: q.limit,
        offset: q.offset,
        ...((agentId ?? q.agent_id) ? { agentId: agentId ?? q.agent_id } : {}),
        ...(q.crew_id ? { crewId: q.crew_id } : {}),
        ...(q.trigger_type ? { triggerType: q.trigger_type } : {}),
        ...(q.trigger_id ? { triggerId: q.trigger_id } : {}),
        ...(q.status ? { status: q.status as RunStatus } : {}),
        ...(q.since ? { since: parseTime(q.since, 'since') } : {}),
        ...(q.until ? { until: parseTime(q.until, 'until') } : {}),
      });
      return { items: rows.map(runView), total, limit: q.limit, offset: q.offset };
    };
    app.get('/api/v1/runs', { schema: { tags, summary: 'Runs, newest first', querystring: RunQuery, response: { 200: Paginated(Run) } } }, async (req) =>
      list(req.tenant, req.query),
    );
    app.get(
      '/api/v1/agents/:id/runs',
      { schema: { tags, summary: "One agent's runs", params: IdParams, querystring: RunQuery, response: { 200: Paginated(Run) } } },
      async (req) => {
        await deps.agents.get(req.tenant, req.params.id);
        return list(req.tenant, req.query, req.params.id);
      },
    );
    app.get('/api/v1/runs/:id', { schema: { tags, summary: 'One run', params: IdParams, response: { 200: Run } } }, async (req) =>
      runView(await deps.runs.get(req.tenant, req.params.id)),
    );
    app.post(
      '/api/v1/runs/:id/cancel',
      { schema: { tags, summary: 'Cancel a queued or running run', params: IdParams, response: { 200: Run } } },
      async (req) => runView(await deps.runs.cancel(req.tenant, req.params.id)),
    );
    app.post(
      '/api/v1/agents/:id/runs',
      {
        schema: {
          tags,
          summary: 'Start a run by hand; with ?wait=true, answer when it has ended',
          params: IdParams,
          querystring: Type.Object(
            {
              wait: Type.Boolean({ default: false }),
              wait_seconds: Type.Integer({
                minimum: 1,
                maximum: 900,
                default: 60,
                description: 'How long ?wait=true waits before answering 202 with the run still going.',
              }),
            },
            { additionalProperties: false },
          ),
          body: Type.Object({ prompt: Type.Optional(Type.String({ maxLength: 1_000_000 })) }, { additionalProperties: false }),
          response: { 200: Run, 202: Run },
        },
      },
      async (req, reply) => {
        const agent = await deps.agents.get(req.tenant, req.params.id);
        const prompt = [agent.prompt_template.trim(), req.body.prompt ?? ''].filter(Boolean).join('\n\n');
        const { run } = await deps.runs.enqueue({ agent, triggerType: 'manual', prompt });
        if (!req.query.wait) return reply.status(202).send(runView(run));
        // Polls the row, so it works whichever process runs it. 200 = ended, 202 = still going.
        const deadline = Date.now() + req.query.wait_seconds * 1000;
        for (;;) {
          const now = await deps.runs.get(req.tenant, run.id);
          if (!['queued', 'running'].includes(now.status)) return reply.status(200).send(runView(now));
          if (Date.now() >= deadline || req.socket.destroyed) return reply.status(202).send(runView(now));
          await new Promise((r) => setTimeout(r, 50));
        }
      },
    );
  };

const Report = Type.Object(
  {
    agent_id: Type.String({ minLength: 1 }),
    status: Type.Union([Type.Literal('completed'), Type.Literal('failed'), Type.Literal('timeout')]),
    output: Type.Optional(Nullable(Type.String({ maxLength: 1_048_576 }))),
    error: Type.Optional(Nullable(Type.String({ maxLength: 65_536 }))),
    prompt: Type.Optional(Type.String({ maxLength: 1_048_576 })),
    started_at: Type.Optional(Type.String({ description: 'ISO-8601 or epoch ms; default now.' })),
    finished_at: Type.Optional(Type.String({ description: 'ISO-8601 or epoch ms; default now.' })),
    usage: Type.Optional(
      Type.Object(
        {
          iterations_used: Type.Optional(Type.Integer({ minimum: 0 })),
          tool_calls: Type.Optional(Type.Integer({ minimum: 0 })),
          tokens_used: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Your id for this run; reporting it again records nothing new.' })),
  },
  { additionalProperties: false },
);

/** Runs that an outside agent platform executed, reported so they notify like local runs. */
export const reportRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/runs/report',
      {
        schema: {
          tags,
          summary: 'Report a run executed elsewhere; it notifies exactly like a local run',
          body: Report,
          response: { 200: ReportedRun, 201: ReportedRun },
        },
      },
      async (req, reply) => {
        const report = req.body;
        const agent = await deps.agents.get(req.tenant, report.agent_id);
        const { run, created } = await deps.runs.report(
          {
            agent,
            status: report.status,
            ...(report.output !== undefined ? { output: report.output } : {}),
            ...(report.error !== undefined ? { error: report.error } : {}),
            ...(report.prompt !== undefined ? { prompt: report.prompt } : {}),
            ...(report.started_at ? { startedAt: parseTime(report.started_at, 'started_at') } : {}),
            ...(report.finished_at ? { finishedAt: parseTime(report.finished_at, 'finished_at') } : {}),
            ...(report.usage ? { usage: report.usage } : {}),
            ...(report.external_id ? { externalId: report.external_id } : {}),
          },
          (tx, r, a) => deps.announcer.ended(tx, r, a),
        );
        return reply.status(created ? 201 : 200).send({ ...runView(run), duplicate: !created });
      },
    );
  };

const LogQuery = Type.Object(
  {
    after_seq: Type.Optional(Type.Integer({ minimum: 0, description: 'Only lines after this one (for polling a live run).' })),
    limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
  },
  { additionalProperties: false },
);
const logView = (l: { run_id: string; seq: number; at: number; stream: string; line: string }) => ({
  run_id: l.run_id,
  seq: l.seq,
  at: new Date(l.at).toISOString(),
  stream: l.stream,
  line: l.line,
});

/** Run monitoring: a run's log lines, and an agent's recent lines. */
export const logRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/runs/:id/logs',
      { schema: { tags, summary: "A run's log lines, oldest first", params: IdParams, querystring: LogQuery, response: { 200: RunLogs } } },
      async (req) => {
        const run = await deps.runs.get(req.tenant, req.params.id);
        const rows = await deps.runs.logs(req.tenant, {
          runId: run.id,
          limit: req.query.limit,
          ...(req.query.after_seq !== undefined ? { afterSeq: req.query.after_seq } : {}),
        });
        return { items: rows.map(logView), run_status: run.status };
      },
    );
    app.get(
      '/api/v1/agents/:id/logs',
      { schema: { tags, summary: "An agent's most recent log lines, newest first", params: IdParams, querystring: LogQuery, response: { 200: AgentLogs } } },
      async (req) => {
        await deps.agents.get(req.tenant, req.params.id);
        return { items: (await deps.runs.logs(req.tenant, { agentId: req.params.id, limit: req.query.limit })).map(logView) };
      },
    );
  };
