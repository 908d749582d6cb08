import { type RequestOptions, seg } from '../http.js';
import type { ReportedRun, Run, RunListParams, RunLogParams, RunLogs, RunReport } from '../types.js';
import { collect, type Page, walkPages } from '../pagination.js';
import { Resource } from './base.js';

export interface RunCreate {
  /** Put after the agent's prompt template. */
  prompt?: string;
  /** Answer when the run has ended (or `wait_seconds` passed, with the run still going). */
  wait?: boolean;
  /** 1–900, default 60. */
  wait_seconds?: number;
}

/** Runs: `client.runs`. */
export class Runs extends Resource {
  list(params: RunListParams = {}, options?: RequestOptions): Promise<Page<Run>> {
    return this.call({ method: 'GET', path: '/api/v1/runs', query: { ...params }, options });
  }

  iterate(params: RunListParams = {}, options?: RequestOptions): AsyncGenerator<Run, void, undefined> {
    return walkPages((p) => this.list(p, options), params);
  }

  listAll(params: RunListParams = {}, options?: RequestOptions): Promise<Run[]> {
    return collect(this.iterate(params, options));
  }

  get(id: string, options?: RequestOptions): Promise<Run> {
    return this.call({ method: 'GET', path: `/api/v1/runs/${seg(id)}`, options });
  }

  /**
   * Starts a run of an agent by hand. With `wait: true` the call lasts until the run ends
   * (at most `wait_seconds`), so its timeout is stretched to cover that wait.
   */
  create(agentId: string, body: RunCreate = {}, options: RequestOptions = {}): Promise<Run> {
    const { wait, wait_seconds, ...rest } = body;
    const waitMs = wait ? (wait_seconds ?? 60) * 1000 : 0;
    const timeoutMs = options.timeoutMs ?? (wait ? Math.max(this.t.o.timeoutMs, waitMs + 10_000) : undefined);
    return this.call({
      method: 'POST',
      path: `/api/v1/agents/${seg(agentId)}/runs`,
      query: { wait, wait_seconds },
      body: rest,
      options: { ...options, ...(timeoutMs !== undefined ? { timeoutMs } : {}) },
    });
  }

  /** Cancels a queued or running run. */
  cancel(id: string, options?: RequestOptions): Promise<Run> {
    return this.call({ method: 'POST', path: `/api/v1/runs/${seg(id)}/cancel`, options });
  }

  /** Log lines, oldest first; poll with `after_seq` (the last `seq` seen) while `run_status` is queued or running. */
  logs(id: string, params: RunLogParams = {}, options?: RequestOptions): Promise<RunLogs> {
    return this.call({ method: 'GET', path: `/api/v1/runs/${seg(id)}/logs`, query: { ...params }, options });
  }

  /**
   * Records a run executed elsewhere; it notifies like a local one. With an `external_id`,
   * reporting again records nothing new (`duplicate: true`), so such calls are retried.
   */
  report(body: RunReport, options?: RequestOptions): Promise<ReportedRun> {
    return this.call({ method: 'POST', path: '/api/v1/runs/report', body, idempotent: body.external_id !== undefined, options });
  }
}
