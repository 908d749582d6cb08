/**
 * The template preview (POST /api/v1/post-actions/preview): a post-action's URL, header and
 * body templates rendered with sample values or with a real run's variables, exactly as a
 * run's end would render them. Nothing is sent and nothing is stored. Mistakes come back per
 * field with line and column, and one bad field does not hide the others.
 */
import { notificationContext } from '../notifications/index.js';
import type { RunRecord, Store } from '../store/index.js';
import { compileTemplate, type TemplateMode } from '../templates/index.js';
import { type Clock } from '../util/index.js';
import { notFound, UserError } from '../errors/index.js';
import type { PreviewProblemView, PreviewView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import { checkHeaderName, templateProblem } from './validate.js';

export interface PreviewInput {
  url?: string | undefined;
  headers?: Record<string, string> | undefined;
  body_template?: string | undefined;
  run_id?: string | undefined;
}

export type Preview = PreviewView;
export type PreviewProblem = PreviewProblemView;

/** A made-up ended run, put through the same context function as a real one. */
const SAMPLE_RUN: RunRecord = {
  id: 'run_sample_0000000000000001',
  env_id: 'env_sample',
  crew_id: 'crew_sample',
  agent_id: 'agt_sample',
  trigger_type: 'webhook',
  trigger_id: 'wht_sample',
  trigger_name: 'deploy-finished',
  prompt: 'Review the deploy of web-app v2.4.1 and summarise any problems.',
  status: 'completed',
  output: 'Deploy looks healthy: 0 errors, p95 latency 180 ms.',
  error: null,
  exit_code: 0,
  iterations_used: 3,
  tool_calls: 2,
  tokens_used: 1250,
  idempotency_key: null,
  lease_owner: null,
  lease_until: null,
  created_at: Date.UTC(2026, 0, 15, 9, 30, 0),
  started_at: Date.UTC(2026, 0, 15, 9, 30, 1),
  finished_at: Date.UTC(2026, 0, 15, 9, 30, 43),
  updated_at: Date.UTC(2026, 0, 15, 9, 30, 43),
};

/** Fixed sample values for every variable a post-action template gets (docs/templates.md). */
export const SAMPLE_VARIABLES: Readonly<Record<string, unknown>> = Object.freeze(
  notificationContext(SAMPLE_RUN, { name: 'release-reviewer' }, { name: 'Ops Team' }, SAMPLE_RUN.finished_at!),
);

export class PostActionPreviewer {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async preview(tenant: Tenant, input: PreviewInput): Promise<Preview> {
    const variables = input.run_id === undefined ? { ...SAMPLE_VARIABLES } : await this.runVariables(tenant, input.run_id);
    const errors: PreviewProblem[] = [];
    // Each field on its own: a mistake is noted and that field is null; the rest still render.
    const render = (field: string, text: string, mode: TemplateMode): string | null => {
      try {
        return compileTemplate(text, { mode }).render(variables);
      } catch (err) {
        const p = templateProblem(field, err);
        if (!p) throw err;
        errors.push(p);
        return null;
      }
    };

    const url = input.url === undefined ? null : render('url', input.url, 'url');
    let headers: Record<string, string> | null = null;
    if (input.headers) {
      headers = {};
      for (const [name, value] of Object.entries(input.headers)) {
        const field = `headers.${name}`;
        try {
          checkHeaderName(field, name);
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          errors.push({ field, message: err.message, line: 1, column: 1 });
          continue;
        }
        const rendered = render(field, value, 'header');
        if (rendered !== null) headers[name] = rendered;
      }
    }
    const body = input.body_template === undefined ? null : render('body_template', input.body_template, 'auto');
    return { source: input.run_id === undefined ? 'sample' : 'run', variables, url, headers, body, errors };
  }

  /** What the post-action would get for this run: the run-end context, built the same way (notifications/context.ts). */
  private async runVariables(tenant: Tenant, runId: string): Promise<Record<string, unknown>> {
    const runs = this.store.agents;
    const run = await runs.getRun(tenant.envId, runId);
    if (!run) throw notFound('run', runId);
    const [agent, crew] = await Promise.all([runs.getAgent(tenant.envId, run.agent_id), runs.getCrew(tenant.envId, run.crew_id)]);
    // A deleted agent's runs remain; its id stands in for its name.
    return notificationContext(run, agent ?? { name: run.agent_id }, crew, this.clock.now());
  }
}
