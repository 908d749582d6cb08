import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, RunOutcome } from '../src/agents/runner.js';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';

/** A runner whose runs end when the test says so (or when cancelled). */
class HeldRunner implements Runner {
  readonly release = new Map<string, () => void>();
  run(ctx: { runId: string }, o: { signal: AbortSignal }): Promise<RunOutcome> {
    return new Promise((resolve) => {
      const end = (status: RunOutcome['status']) => resolve({ status, output: 'done', error: null, exitCode: 0, usage: {} });
      this.release.set(ctx.runId, () => end('completed'));
      o.signal.addEventListener('abort', () => end('cancelled'));
    });
  }
}

describe.each(STORES)('run queue (%s)', (kind) => {
  let h: Harness;
  const held = new HeldRunner();
  const status = async (id: string) => (await h.call('GET', `/api/v1/runs/${id}`)).body.status;
  const until = async (cond: () => Promise<boolean>) => {
    for (let i = 0; i < 400; i++)
      if (await cond()) return;
      else await new Promise((r) => setTimeout(r, 25));
    throw new Error('condition not met in time');
  };

  beforeAll(async () => {
    h = await startHookline(kind, { runnerFor: () => held });
    await h.call('POST', '/api/v1/crews', { id: 'q', name: 'Queue' });
    for (const id of ['busy', 'idle'])
      await h.call('POST', '/api/v1/agents', { id, crew_id: 'q', name: id, runner: 'command', runner_config: { command: 'unused' }, max_concurrent_runs: 1 });
  });
  afterAll(async () => h.close());

  it("a long queue behind a busy agent does not hold back another agent's runs, and each agent's queue runs in order", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push((await h.call('POST', '/api/v1/agents/busy/runs', { prompt: String(i) })).body.id);
    await until(async () => (await status(ids[0]!)) === 'running');
    const other = (await h.call('POST', '/api/v1/agents/idle/runs', {})).body.id;
    await until(async () => (await status(other)) === 'running');
    expect(await status(ids[1]!)).toBe('queued');
    // Ending the busy agent's run starts its next one, the oldest.
    held.release.get(ids[0]!)!();
    await until(async () => (await status(ids[1]!)) === 'running');
    expect(await status(ids[2]!)).toBe('queued');
    for (const id of ids.slice(2)) await h.call('POST', `/api/v1/runs/${id}/cancel`);
    held.release.get(ids[1]!)!();
    held.release.get(other)!();
  });
});
