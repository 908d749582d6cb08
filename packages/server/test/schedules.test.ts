/**
 * Schedules over both stores, driven by a ManualClock (no test waits for time to pass), and
 * the cluster guarantee on PostgreSQL: two Hookline instances on one schema fire each tick once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, RunOptions, RunOutcome } from '../src/agents/runner.js';
import { ManualClock } from '../src/util/clock.js';
import { ADMIN_KEY, type Harness, STORES, startHookline, TEST_MASTER_KEY } from './helpers/hookline.js';
import { createTestSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { until } from './helpers/wait.js';
import { assertCliBuilt, HooklineProcess, killAllProcesses } from './helpers/process.js';

const S = 1000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 0, 15, 0, 0, 0);
const iso = (t: number) => new Date(t).toISOString();

/** Finishes runs at once, or holds them running until released; counting runs is the point, not their outcome. */
class HeldRunner implements Runner {
  hold = false;
  private readonly waiting = new Set<() => void>();
  run(_ctx: unknown, o: RunOptions): Promise<RunOutcome> {
    const done: RunOutcome = { status: 'completed', output: 'ok', error: null, exitCode: 0, usage: {} };
    if (!this.hold) return Promise.resolve(done);
    return new Promise((resolve) => {
      const release = () => {
        this.waiting.delete(release);
        resolve(done);
      };
      this.waiting.add(release);
      o.signal.addEventListener('abort', release, { once: true });
    });
  }
  release(): void {
    this.hold = false;
    for (const r of [...this.waiting]) r();
  }
}

async function setUpAgent(h: Harness, agentId: string): Promise<void> {
  await h.call('POST', '/api/v1/crews', { id: 'ops', name: 'Ops' });
  const a = await h.call('POST', '/api/v1/agents', {
    id: agentId,
    crew_id: 'ops',
    name: 'Nightly',
    runner: 'command',
    runner_config: { command: process.execPath },
    prompt_template: 'You are the nightly job.',
  });
  expect(a.status).toBe(201);
}

describe.each(STORES)('schedules (%s)', (kind) => {
  const clock = new ManualClock(T0);
  const runner = new HeldRunner();
  let h: Harness;
  const create = (body: Record<string, unknown>) => h.call('POST', '/api/v1/schedules', { agent_id: 'nightly', ...body });
  const schedule = async (id: string) => (await h.call('GET', `/api/v1/schedules/${id}`)).body;
  const runsOf = async (id: string): Promise<any[]> =>
    (await h.call('GET', '/api/v1/runs?agent_id=nightly&trigger_type=schedule&limit=1000')).body.items.filter((r: any) => r.trigger_id === id);
  const tick = () => h.hl.scheduler!.tick();
  const settled = (runId: string) =>
    until(`run ${runId} to end`, async () => {
      const r = (await h.call('GET', `/api/v1/runs/${runId}`)).body;
      return ['queued', 'running'].includes(r.status) ? undefined : r;
    });
  /** Creates a schedule for one test and deletes it afterwards, so later clock moves do not fire it. */
  const withSchedule = async (body: Record<string, unknown>, fn: (s: any) => Promise<void>) => {
    const r = await create(body);
    expect(r.status).toBe(201);
    try {
      await fn(r.body);
    } finally {
      await h.call('DELETE', `/api/v1/schedules/${r.body.id}`);
    }
  };

  beforeAll(async () => {
    h = await startHookline(kind, { clock, runnerFor: () => runner });
    await setUpAgent(h, 'nightly');
  });
  afterAll(async () => {
    runner.release();
    await h.close();
  });

  it('creates, lists, updates and deletes schedules; bad input is a 422 naming the field', async () => {
    const bad = async (body: Record<string, unknown>, code: string, field: RegExp) => {
      const r = await create(body);
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe(code);
      expect(r.body.error.message).toMatch(field);
    };
    await bad({ name: 'x', cron: '61 * * * *' }, 'invalid_cron', /^cron "61 \* \* \* \*" .*Invalid value for minute: 61/);
    await bad({ name: 'x', cron: '0 9 * * *', timezone: 'Mars/Olympus' }, 'invalid_timezone', /^timezone "Mars\/Olympus"/);
    await bad({ name: 'x', cron: '0 9 * * *', agent_id: 'ghost' }, 'unknown_agent', /ghost/);
    await bad({ name: 'x', cron: '0 9 * * *', misfire_grace_seconds: 86_401 }, 'validation_failed', /misfire_grace_seconds/);

    clock.set(T0 + 30 * S);
    const c = await create({ name: 'hourly digest', cron: '0 * * * *', prompt: 'Summarise the last hour.' });
    expect(c.status).toBe(201);
    const id = c.body.id;
    expect(c.body).toMatchObject({
      id: expect.stringMatching(/^sch_/),
      agent_id: 'nightly',
      timezone: 'UTC',
      enabled: true,
      misfire_grace_seconds: 60,
      next_run_at: iso(T0 + 60 * MIN),
      last_run_at: null,
      last_run_id: null,
      last_skip_reason: null,
    });
    expect(c.body.next_runs).toEqual([iso(T0 + 60 * MIN), iso(T0 + 120 * MIN), iso(T0 + 180 * MIN)]);

    expect((await h.call('GET', '/api/v1/schedules?agent_id=nightly')).body).toMatchObject({ total: 1, items: [{ id }], limit: 50, offset: 0 });
    expect((await h.call('GET', '/api/v1/schedules?agent_id=someone-else')).body.total).toBe(0);
    expect((await h.call('GET', '/api/v1/agents/nightly/schedules')).body.items.map((s: any) => s.id)).toEqual([id]);
    expect((await h.call('GET', '/api/v1/agents/ghost/schedules')).status).toBe(404);

    const off = await h.call('PATCH', `/api/v1/schedules/${id}`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, next_run_at: null, next_runs: [] });
    clock.set(T0 + 61 * MIN);
    expect((await h.call('PATCH', `/api/v1/schedules/${id}`, { enabled: true })).body.next_run_at).toBe(iso(T0 + 120 * MIN)); // planned from now
    expect((await h.call('PATCH', `/api/v1/schedules/${id}`, { cron: '*/5 * * * *' })).body.next_run_at).toBe(iso(T0 + 65 * MIN));
    expect((await h.call('PATCH', `/api/v1/schedules/${id}`, { name: 'renamed' })).body).toMatchObject({
      name: 'renamed',
      cron: '*/5 * * * *',
      next_run_at: iso(T0 + 65 * MIN),
    });
    expect((await h.call('PATCH', `/api/v1/schedules/${id}`, { cron: 'nope' })).status).toBe(422);
    expect(await h.call('PATCH', `/api/v1/schedules/${id}`, { agent_id: 'other' })).toMatchObject({
      status: 400,
      body: { error: { code: 'unknown_field', details: { field: 'body.agent_id' } } },
    });

    expect((await h.call('DELETE', `/api/v1/schedules/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/v1/schedules/${id}`)).status).toBe(404);
    expect((await h.call('DELETE', `/api/v1/schedules/${id}`)).status).toBe(404);
  });

  it("reads the expression in the schedule's time zone", async () => {
    clock.set(Date.UTC(2026, 0, 15, 0, 0, 0));
    await withSchedule({ name: 'standup', cron: '0 9 * * *', timezone: 'America/New_York' }, async (s) => {
      expect(s.next_run_at).toBe('2026-01-15T14:00:00.000Z'); // 09:00 EST
    });
    clock.set(Date.UTC(2026, 6, 15, 0, 0, 0));
    await withSchedule({ name: 'standup', cron: '0 9 * * *', timezone: 'America/New_York' }, async (s) => {
      expect(s.next_run_at).toBe('2026-07-15T13:00:00.000Z'); // 09:00 EDT
    });
  });

  it('fires each tick once, with the schedule as the trigger', async () => {
    const base = Date.UTC(2026, 1, 1, 0, 0, 0);
    clock.set(base);
    await withSchedule({ name: 'every minute', cron: '* * * * *', prompt: 'Check the queue.' }, async (s) => {
      for (let i = 1; i <= 3; i++) {
        clock.set(base + i * MIN);
        await Promise.all([tick(), tick()]); // and the background loop may race them too
        await tick();
        const runs = await runsOf(s.id);
        expect(runs).toHaveLength(i);
        await settled(runs[0].id);
      }
      const runs = await runsOf(s.id);
      expect(runs.map((r) => r.created_at).sort()).toEqual([1, 2, 3].map((i) => iso(base + i * MIN)));
      expect(runs[0]).toMatchObject({
        trigger_type: 'schedule',
        trigger_id: s.id,
        trigger_name: 'every minute',
        prompt: 'You are the nightly job.\n\nCheck the queue.',
      });
      expect(await schedule(s.id)).toMatchObject({
        next_run_at: iso(base + 4 * MIN),
        last_run_id: runs[0].id,
        last_run_at: iso(base + 3 * MIN),
        last_skip_reason: null,
      });
    });
  });

  it('runs several ticks missed within the grace once', async () => {
    const base = Date.UTC(2026, 1, 2, 0, 0, 0);
    clock.set(base);
    await withSchedule({ name: 'catch up', cron: '* * * * *', misfire_grace_seconds: 30 }, async (s) => {
      clock.set(base + 5 * MIN + 10 * S); // ticks 00:01 … 00:05 missed; the latest is 10 s late
      await tick();
      await tick();
      const runs = await runsOf(s.id);
      expect(runs).toHaveLength(1);
      expect(await schedule(s.id)).toMatchObject({ next_run_at: iso(base + 6 * MIN), last_run_id: runs[0].id, last_skip_reason: null });
      await settled(runs[0].id);
    });
  });

  it('skips a tick missed beyond the grace, says why, and fires the next one', async () => {
    const base = Date.UTC(2026, 1, 3, 0, 0, 0);
    clock.set(base);
    await withSchedule({ name: 'strict', cron: '* * * * *', misfire_grace_seconds: 5 }, async (s) => {
      clock.set(base + MIN + 20 * S);
      await tick();
      expect(await runsOf(s.id)).toHaveLength(0);
      const after = await schedule(s.id);
      expect(after.last_skip_reason).toBe('missed: the tick at 2026-02-03T00:01:00.000Z was 20 s late (misfire grace 5 s)');
      expect(after.next_run_at).toBe(iso(base + 2 * MIN));
      clock.set(base + 2 * MIN + 1 * S);
      await tick();
      const runs = await runsOf(s.id);
      expect(runs).toHaveLength(1);
      expect((await schedule(s.id)).last_skip_reason).toBeNull();
      await settled(runs[0].id);
    });
  });

  it('never overlaps: a tick while the previous run is running is skipped, and run-now is refused', async () => {
    const base = Date.UTC(2026, 1, 4, 0, 0, 0);
    clock.set(base);
    runner.hold = true;
    try {
      await withSchedule({ name: 'slow', cron: '* * * * * *' }, async (s) => {
        clock.set(base + 1 * S);
        await tick();
        const [first] = await runsOf(s.id);
        await until('the first run to start', async () => ((await h.call('GET', `/api/v1/runs/${first.id}`)).body.status === 'running' ? true : undefined));
        clock.set(base + 2 * S);
        await tick();
        expect(await runsOf(s.id)).toHaveLength(1);
        expect(await schedule(s.id)).toMatchObject({ last_run_id: first.id, last_skip_reason: 'previous run still running', next_run_at: iso(base + 3 * S) });
        const now = await h.call('POST', `/api/v1/schedules/${s.id}/run`);
        expect(now.status).toBe(409);
        expect(now.body.error).toMatchObject({ code: 'previous_run_active', message: expect.stringContaining(first.id) });

        runner.release();
        await settled(first.id);
        clock.set(base + 3 * S);
        await tick();
        expect(await runsOf(s.id)).toHaveLength(2);
        await settled((await schedule(s.id)).last_run_id);
      });
    } finally {
      runner.release();
    }
  });

  it('fires nothing twice when the clock jumps back, even re-enabled in the past', async () => {
    const base = Date.UTC(2026, 1, 5, 0, 0, 0);
    clock.set(base);
    await withSchedule({ name: 'jumpy', cron: '* * * * *' }, async (s) => {
      clock.set(base + MIN);
      await tick();
      const [first] = await runsOf(s.id);
      await settled(first.id);
      clock.set(base - 5 * MIN); // back: next_run_at (00:02) is in the future again, nothing is due
      await tick();
      clock.set(base + MIN + 30 * S);
      await tick();
      expect(await runsOf(s.id)).toHaveLength(1);

      // Re-enabled while the clock is back, the schedule plans 23:56 … 00:01 again; the 00:01
      // tick already has its run (idempotency key schedule:{id}:{tick}).
      clock.set(base - 5 * MIN + 30 * S);
      await h.call('PATCH', `/api/v1/schedules/${s.id}`, { enabled: false });
      expect((await h.call('PATCH', `/api/v1/schedules/${s.id}`, { enabled: true })).body.next_run_at).toBe(iso(base - 4 * MIN));
      clock.set(base + MIN);
      await tick();
      expect(await runsOf(s.id)).toHaveLength(1);
      expect((await schedule(s.id)).last_skip_reason).toBe(`the tick at ${iso(base + MIN)} already ran (run ${first.id})`);
      clock.set(base + 2 * MIN);
      await tick();
      expect(await runsOf(s.id)).toHaveLength(2);
      await settled((await schedule(s.id)).last_run_id);
    });
  });

  it('runs a schedule now (202, trigger_type schedule), enabled or not', async () => {
    clock.set(Date.UTC(2026, 1, 6, 0, 0, 0));
    await withSchedule({ name: 'on demand', cron: '0 0 1 1 *', enabled: false, prompt: 'Go.' }, async (s) => {
      const r = await h.call('POST', `/api/v1/schedules/${s.id}/run`);
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ trigger_type: 'schedule', trigger_id: s.id, trigger_name: 'on demand', prompt: 'You are the nightly job.\n\nGo.' });
      expect(await schedule(s.id)).toMatchObject({ last_run_id: r.body.id, enabled: false, next_run_at: null });
      await settled(r.body.id);
    });
    expect((await h.call('POST', '/api/v1/schedules/sch_missing/run')).status).toBe(404);
  });

  it('lists the runs one schedule started (GET /api/v1/runs?trigger_id=)', async () => {
    clock.set(Date.UTC(2026, 1, 7, 0, 0, 0));
    await withSchedule({ name: 'first', cron: '0 0 1 1 *', prompt: 'One.' }, async (a) => {
      await withSchedule({ name: 'second', cron: '0 0 1 1 *', prompt: 'Two.' }, async (b) => {
        const ra = (await h.call('POST', `/api/v1/schedules/${a.id}/run`)).body;
        await settled(ra.id);
        const rb = (await h.call('POST', `/api/v1/schedules/${b.id}/run`)).body;
        await settled(rb.id);
        const only = (await h.call('GET', `/api/v1/runs?trigger_id=${a.id}`)).body;
        expect(only.items.map((r: any) => r.id)).toEqual([ra.id]);
        expect(only.total).toBe(1);
        expect((await h.call('GET', `/api/v1/agents/nightly/runs?trigger_id=${b.id}&limit=1`)).body.items[0].id).toBe(rb.id);
        expect((await h.call('GET', '/api/v1/runs?trigger_id=sch_none')).body.total).toBe(0);
      });
    });
  });

  it("deletes an agent's schedules with the agent", async () => {
    await h.call('POST', '/api/v1/agents', {
      id: 'short-lived',
      crew_id: 'ops',
      name: 'Short',
      runner: 'command',
      runner_config: { command: process.execPath },
    });
    const s = await h.call('POST', '/api/v1/schedules', { agent_id: 'short-lived', name: 'doomed', cron: '* * * * *' });
    expect(s.status).toBe(201);
    expect((await h.call('DELETE', '/api/v1/agents/short-lived')).status).toBe(204);
    expect((await h.call('GET', `/api/v1/schedules/${s.body.id}`)).status).toBe(404);
  });
});

describe('schedules across a PostgreSQL cluster', () => {
  it('two instances on one schema, ticking concurrently, fire each of 50 ticks exactly once', async () => {
    const pg = await createTestSchema();
    const clock = new ManualClock(T0);
    const runner = new HeldRunner();
    const shared = { clock, runnerFor: () => runner, schema: pg.schema, applicationName: pg.applicationName };
    const a = await startHookline('postgres', shared);
    const b = await startHookline('postgres', shared);
    try {
      await setUpAgent(a, 'ticker');
      const s = (await a.call('POST', '/api/v1/schedules', { agent_id: 'ticker', name: 'every second', cron: '* * * * * *' })).body;
      expect(s.next_run_at).toBe(iso(T0 + S));
      const reports = [];
      for (let i = 1; i <= 50; i++) {
        clock.set(T0 + i * S);
        reports.push(...(await Promise.all([a.hl.scheduler!.tick(), b.hl.scheduler!.tick(), a.hl.scheduler!.tick(), b.hl.scheduler!.tick()])));
        // The tick's run must end before the next tick, or that tick is (rightly) skipped as an overlap.
        const last = await until(`tick ${i}'s run`, async () => (await a.hl.store.schedules.get(a.hl.tenants.fallback.envId, s.id))?.last_run_id ?? undefined);
        await until(`run ${last} to end`, async () =>
          ['queued', 'running'].includes((await a.hl.runs.get(a.hl.tenants.fallback, last)).status) ? undefined : true,
        );
      }
      const runs = (await a.hl.runs.list(a.hl.tenants.fallback, { agentId: 'ticker', limit: 1000, offset: 0 })).rows;
      expect(runs.map((r) => r.created_at).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => T0 + (i + 1) * S));
      expect(new Set(runs.map((r) => r.idempotency_key)).size).toBe(50);
      // The explicit tick() calls won most ticks; the background loops may have taken some.
      expect(reports.reduce((n, r) => n + r.fired, 0)).toBeLessThanOrEqual(50);
      expect((await a.hl.store.schedules.get(a.hl.tenants.fallback.envId, s.id))?.last_skip_reason).toBeNull();
    } finally {
      runner.release();
      await b.close();
      await a.close();
      await pg.drop();
    }
  }, 60_000);

  describe('a `--role scheduler` process', () => {
    afterAll(() => killAllProcesses());

    it('fires schedules with no HTTP and no executor, and never starts an overlapping run', async () => {
      assertCliBuilt();
      const pg = await createTestSchema();
      const dir = mkdtempSync(join(tmpdir(), 'hookline-scheduler-'));
      // The api instance (no scheduler, no executor) migrates the schema and takes the API calls.
      const api = await startHookline('postgres', { schema: pg.schema, applicationName: pg.applicationName, overrides: { server: { role: 'api' } } });
      const sep = TEST_DATABASE_URL.includes('?') ? '&' : '?';
      const url = `${TEST_DATABASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${pg.schema}`)}&application_name=${encodeURIComponent(pg.applicationName)}`;
      try {
        const { proc } = await HooklineProcess.start({
          name: 'scheduler',
          args: ['serve', '--role', 'scheduler'],
          cwd: dir,
          env: {
            HOOKLINE_DATABASE_URL: url,
            HOOKLINE_DATA_DIR: dir,
            HOOKLINE_ADMIN_KEY: ADMIN_KEY,
            HOOKLINE_MASTER_KEY: TEST_MASTER_KEY,
            HOOKLINE_LOG_LEVEL: 'warn',
          },
          ready: /^Hookline scheduler · store: PostgreSQL · role: scheduler/,
        });
        await setUpAgent(api, 'ticker');
        const s = (await api.call('POST', '/api/v1/schedules', { agent_id: 'ticker', name: 'every second', cron: '* * * * * *' })).body;
        // Real time here: the child has the system clock. Its first run stays queued (no executor
        // anywhere), so every later tick is skipped as an overlap.
        const skipped = await until('a tick skipped for overlap', async () => {
          const now = (await api.call('GET', `/api/v1/schedules/${s.id}`)).body;
          return now.last_skip_reason === 'previous run still running' ? now : undefined;
        });
        const runs = (await api.call('GET', '/api/v1/runs?agent_id=ticker')).body.items;
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({ id: skipped.last_run_id, status: 'queued', trigger_type: 'schedule', trigger_id: s.id });
        expect((await proc.stop()).code).toBe(0);
      } finally {
        await api.close();
        await killAllProcesses();
        await pg.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
