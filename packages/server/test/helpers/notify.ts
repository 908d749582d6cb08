import { createHmac } from 'node:crypto';
import type { Runner, RunOptions, RunOutcome } from '../../src/agents/runner.js';
import type { Harness } from './hookline.js';
import { until } from './wait.js';

export { until };

/** Ends each run as the case named in its prompt (`case-<name>`) says; default: completed with "all good". */
export class ScriptedRunner implements Runner {
  readonly cases: Record<string, RunOutcome> = {
    ok: { status: 'completed', output: 'all good', error: null, exitCode: 0, usage: { iterations_used: 5, tool_calls: 3, tokens_used: 1250 } },
    failed: { status: 'failed', output: '', error: 'Tool call failed: HTTP 500 from API', exitCode: 1, usage: {} },
    timeout: { status: 'timeout', output: 'Partial result...', error: 'Execution timeout after 300 seconds', exitCode: null, usage: {} },
  };
  async run(ctx: { prompt: string }, o: RunOptions): Promise<RunOutcome> {
    const name = /case-([\w-]+)/.exec(ctx.prompt)?.[1] ?? 'ok';
    // Runs until cancelled.
    if (name === 'hold')
      return new Promise((resolve) =>
        o.signal.addEventListener('abort', () => resolve({ status: 'cancelled', output: '', error: 'cancelled', exitCode: null, usage: {} }), { once: true }),
      );
    const c = this.cases[name];
    if (!c) throw new Error(`ScriptedRunner: no case ${name}`);
    return c;
  }
}

/** A crew and an agent run by ScriptedRunner; returns the agent's trigger-URL secret. */
export async function createAgent(h: Harness, id: string, extra: Record<string, unknown> = {}): Promise<string> {
  if ((await h.call('GET', '/api/v1/crews/ops')).status === 404) await h.call('POST', '/api/v1/crews', { id: 'ops', name: 'Ops Team' });
  const a = await h.call('POST', '/api/v1/agents', {
    id,
    crew_id: 'ops',
    name: id,
    runner: 'command',
    runner_config: { command: process.execPath },
    model: 'gpt-4',
    ...extra,
  });
  if (a.status !== 201) throw new Error(`agent: ${a.status} ${JSON.stringify(a.body)}`);
  return a.body.webhook_secret;
}

/** Triggers the agent through its own signed trigger URL and waits for the run to end. */
export async function triggerAndWait(h: Harness, agentId: string, secret: string, payload: unknown): Promise<any> {
  const body = JSON.stringify(payload);
  const sig = createHmac('sha256', secret).update(body).digest('hex');
  const res = await fetch(`${h.url}/api/v1/webhooks/ops/${agentId}/trigger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': sig },
    body,
  });
  if (res.status !== 202) throw new Error(`trigger: ${res.status} ${await res.text()}`);
  const { run_id } = (await res.json()) as { run_id: string };
  return until(`run ${run_id} to end`, async () => {
    const r = (await h.call('GET', `/api/v1/runs/${run_id}`)).body;
    return ['queued', 'running'].includes(r.status) ? undefined : r;
  });
}

/** The notifications of one run once none is pending any more. */
export function settledNotifications(h: Harness, runId: string, n: number): Promise<any[]> {
  return until(`${n} settled notifications of ${runId}`, async () => {
    const items = (await h.call('GET', `/api/v1/notifications?execution_id=${runId}`)).body.items as any[];
    return items.length === n && items.every((i) => i.status !== 'pending') ? items : undefined;
  });
}
