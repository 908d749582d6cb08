/**
 * A run whose `command` forks a process tree that ignores SIGTERM is still stopped at its
 * timeout, with the real CLI: the run ends `timeout`, no process of the tree outlives it (checked
 * by PID), and the run.timeout notification reaches an endpoint subscribed to `run.*`.
 *
 * The tree: the leader, two children, a grandchild, and a grandchild started in a process
 * group of its own (as a program that daemonizes a helper does), which a signal to the
 * leader's group does not reach. Every one of them ignores SIGTERM and prints its PID.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, killAllProcesses } from '../test/helpers/process.js';
import { Receiver } from '../test/helpers/receiver.js';
import { until } from '../test/helpers/wait.js';
import { Ledger, recordFigure } from './helpers/ledger.js';
import { call, serve, writeServeConfig } from './helpers/serve.js';

const TIMEOUT_SECONDS = 3;
const ROLES = ['leader', 'child-1', 'child-2', 'grandchild', 'own-group-grandchild'];

/** The agent: each process ignores SIGTERM, starts its part of the tree, prints its PID and waits forever. */
const TREE_SCRIPT = `
import { spawn } from 'node:child_process';
process.on('SIGTERM', () => {});
const role = process.argv[2];
const start = (r, o = {}) => spawn(process.execPath, [process.argv[1], r], { stdio: ['ignore', 'inherit', 'inherit'], ...o });
if (role === 'leader') { start('child-1'); start('child-2'); }
if (role === 'child-1') { start('grandchild'); start('own-group-grandchild', { detached: true }); }
console.log('pid ' + role + ' ' + process.pid);
setInterval(() => {}, 60_000);
`;

/** Alive as the kernel sees it: signal 0 reaches it, and it is not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('faults: a run whose process tree ignores SIGTERM', () => {
  let dir: string | undefined;
  let rx: Receiver | undefined;
  const pids: number[] = [];

  afterAll(async () => {
    // Whatever the runner left behind must not outlive the test either.
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    await killAllProcesses();
    await rx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('is stopped at its timeout: status timeout, no process of the tree alive, run.timeout delivered', async () => {
    assertCliBuilt();
    const started = Date.now();
    dir = mkdtempSync(join(tmpdir(), 'hookline-fault-run-tree-'));
    writeServeConfig(dir, { poll_interval: '200ms' });
    const script = join(dir, 'tree.mjs');
    writeFileSync(script, TREE_SCRIPT);
    const ledger = new Ledger();
    const events: string[] = [];
    rx = await new Receiver().start();
    rx.respond = (req, res) => {
      const e = JSON.parse(req.body) as { type: string; data: { execution_id: string } };
      events.push(e.type);
      if (e.type === 'run.timeout') ledger.arrive(e.data.execution_id);
      res.writeHead(200).end('ok');
    };

    const { proc, url } = await serve('hookline', dir);
    const ep = await call(url, 'POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/runs`, events: ['run.*'] });
    expect(ep.status, JSON.stringify(ep.body)).toBe(201);
    expect((await call(url, 'POST', '/api/v1/crews', { id: 'faults', name: 'faults' })).status).toBe(201);
    const agent = await call(url, 'POST', '/api/v1/agents', {
      id: 'forker',
      crew_id: 'faults',
      name: 'forker',
      runner: 'command',
      runner_config: { command: process.execPath, args: [script, 'leader'] },
      timeout_seconds: TIMEOUT_SECONDS,
    });
    expect(agent.status, JSON.stringify(agent.body)).toBe(201);

    const queued = await call(url, 'POST', '/api/v1/agents/forker/runs?wait=true&wait_seconds=60', {});
    expect(queued.status, JSON.stringify(queued.body)).toBe(200);
    const run = queued.body as { id: string; status: string; output: string; error: string; duration_seconds: number };
    if (run.status === 'timeout') ledger.accept(run.id);

    // Every process of the tree was up before the timeout (it printed its PID)…
    const printed = new Map([...run.output.matchAll(/^pid (\S+) (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
    pids.push(...printed.values());
    expect([...printed.keys()].sort(), run.output).toEqual([...ROLES].sort());
    // …and none is alive now that the run is over.
    const survivors = [...printed].filter(([, pid]) => alive(pid)).map(([role, pid]) => `${role} (pid ${pid})`);

    await until('the run.timeout notification at the receiver', async () => (ledger.missing().length === 0 ? true : undefined), 15_000).catch(() => {});
    const figure = ledger.figure('A run whose process tree ignores SIGTERM, stopped at its timeout', {
      run_status: run.status,
      run_error: run.error,
      run_duration_s: run.duration_seconds,
      timeout_s: TIMEOUT_SECONDS,
      processes_in_tree: printed.size,
      processes_alive_after: survivors.length,
      run_events_received: events,
      runtime_ms: Date.now() - started,
    });
    recordFigure('run-timeout-children', figure);

    expect(run.status, JSON.stringify(run)).toBe('timeout');
    expect(run.error).toBe(`timed out after ${TIMEOUT_SECONDS}s`);
    expect(survivors, proc.describe()).toEqual([]);
    expect(ledger.missing()).toEqual([]);
    expect(figure.lost).toBe(0);
    expect(figure.duplicated).toBe(0);
    expect(events.filter((t) => t === 'run.timeout')).toHaveLength(1);
    expect(await proc.stop(), proc.describe()).toEqual({ code: 0, signal: null });
  }, 90_000);
});
