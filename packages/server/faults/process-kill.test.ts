/**
 * SIGKILL mid-burst, again and again, with the real CLI.
 *
 * SQLite: one `hookline serve` on one data directory is killed 10 times while it accepts a
 * burst and delivers it, and restarted each time; what the client could not confirm it sends
 * again (same ids). PostgreSQL: an api process and 3 workers; each cycle one worker, chosen
 * at random, is killed mid-burst and restarted.
 *
 * Every accepted event must arrive. Redeliveries are bounded: a killed process can leave at
 * most `max_in_flight` claimed deliveries unrecorded, so duplicates <= kills × max_in_flight.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestSchema, TEST_DATABASE_URL } from '../test/helpers/postgres.js';
import { assertCliBuilt, type HooklineProcess, killAllProcesses } from '../test/helpers/process.js';
import { Ledger, recordFigure } from './helpers/ledger.js';
import { call, schemaUrl, serve, waitForSettled, writeServeConfig } from './helpers/serve.js';
import { LedgerReceiver, publishEvents, seededRandom, waitForAllArrived } from './helpers/traffic.js';

/**
 * Kills `proc` from inside the receiver, synchronously, on a random arrival (the 20th to the
 * 169th from now): the process dies with that request and others unanswered.
 */
function killAtRandomArrival(rx: LedgerReceiver, proc: HooklineProcess, random: () => number): { killAfter: number; killed: () => boolean } {
  const killAfter = 20 + Math.floor(random() * 150);
  const arrivalsBefore = rx.arrivals;
  let killed = false;
  rx.onArrival = () => {
    if (killed || rx.arrivals - arrivalsBefore < killAfter) return;
    killed = true;
    proc.child.kill('SIGKILL');
  };
  return { killAfter, killed: () => killed };
}

const CYCLES = 10;
const BURST = 200;
const MAX_IN_FLIGHT = 64;
const DELIVERY = { lease: '2s', poll_interval: '200ms', max_in_flight: MAX_IN_FLIGHT, per_endpoint_in_flight: 16 };
const SEED = Number(process.env.FAULTS_SEED ?? Date.now() % 1_000_000);
const TEST_TIMEOUT = 150_000;

const cycleIds = (store: string, cycle: number) => Array.from({ length: BURST }, (_, i) => `${store}-c${cycle}-${i}`);

describe('faults: SIGKILL mid-burst, 10 cycles', () => {
  const dirs: string[] = [];
  const receivers: LedgerReceiver[] = [];
  let schema: Awaited<ReturnType<typeof createTestSchema>> | undefined;

  afterAll(async () => {
    await killAllProcesses();
    await Promise.all(receivers.map((r) => r.close()));
    await schema?.drop().catch((err: unknown) => console.error(`[process-kill] cleanup: ${(err as Error).message}`));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 30_000);

  const tempDir = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };

  it(
    'SQLite: kill -9 of `hookline serve` while it accepts and delivers, restart on the same data dir; every accepted event arrives',
    async () => {
      assertCliBuilt();
      const started = Date.now();
      const random = seededRandom(SEED);
      const dir = tempDir('hookline-fault-kill-sqlite-');
      writeServeConfig(dir, DELIVERY);
      const ledger = new Ledger();
      const rx = await new LedgerReceiver(ledger).start();
      receivers.push(rx);

      let carry: string[] = [];
      let republished = 0;
      const killPoints: number[] = [];
      const exits: string[] = [];
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const { proc, url } = await serve(`hookline#${cycle + 1}`, dir);
        if (cycle === 0) {
          const ep = await call(url, 'POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['fault.*'] });
          expect(ep.status, JSON.stringify(ep.body)).toBe(201);
        }
        // Killed from inside the receiver, synchronously, on the n-th arrival of this cycle: the
        // process dies with that request (and others) unanswered, while the client may still be publishing.
        const { killed, killAfter } = killAtRandomArrival(rx, proc, random);
        republished += carry.length;
        const report = await publishEvents(url, [...carry, ...cycleIds('sqlite', cycle)], { ledger, stop: killed });
        expect(report.violations, proc.describe()).toEqual([]);
        // Whatever was not confirmed (connection lost, never sent) goes again in the next cycle.
        carry = [...report.failed.map((f) => f.id), ...report.notTried];
        // The burst may be all accepted before the kill point: then the kill still lands mid-delivery.
        const exit = await Promise.race([proc.exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 20_000))]);
        if (exit === 'alive') throw new Error(`cycle ${cycle}: ${killAfter} deliveries never arrived, so the kill never came: ${proc.describe()}`);
        exits.push(exit.signal ?? String(exit.code));
        killPoints.push(killAfter);
        rx.onArrival = undefined;
      }

      // The last process is left running: it takes over what the kills left behind.
      const last = await serve('hookline#final', dir);
      republished += carry.length;
      const final = await publishEvents(last.url, carry, { ledger });
      expect(final.failed, last.proc.describe()).toEqual([]);
      expect(final.violations).toEqual([]);
      const drainStarted = Date.now();
      await waitForAllArrived(ledger, 60_000);
      const drainMs = Date.now() - drainStarted;
      const totals = await waitForSettled(last.url, ledger.published, 30_000);

      const figure = ledger.figure('SIGKILL of hookline serve mid-burst, 10 cycles, SQLite', {
        cycles: CYCLES,
        kills: exits.length,
        seed: SEED,
        kill_after_arrivals: killPoints,
        republished_after_kill: republished,
        duplicate_bound: CYCLES * MAX_IN_FLIGHT,
        final_drain_ms: drainMs,
        store_totals: totals,
        runtime_ms: Date.now() - started,
      });
      recordFigure('process-kill-sqlite', figure);

      expect(exits).toEqual(Array(CYCLES).fill('SIGKILL'));
      expect(ledger.published).toBe(CYCLES * BURST);
      expect(ledger.missing()).toEqual([]);
      expect(figure.lost).toBe(0);
      expect(ledger.unexpected()).toEqual([]);
      expect(figure.duplicated).toBeLessThanOrEqual(CYCLES * MAX_IN_FLIGHT);
      expect(totals).toEqual({ pending: 0, delivered: CYCLES * BURST, failed: 0 });
      expect(await last.proc.stop(), last.proc.describe()).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT,
  );

  it(
    'PostgreSQL: an api and 3 workers; each cycle one worker at random is killed mid-burst and restarted; every accepted event arrives',
    async () => {
      assertCliBuilt();
      const started = Date.now();
      const random = seededRandom(SEED + 1);
      const dir = tempDir('hookline-fault-kill-pg-');
      writeServeConfig(dir, DELIVERY);
      schema = await createTestSchema();
      const env = { HOOKLINE_DATABASE_URL: schemaUrl(TEST_DATABASE_URL, schema.schema, schema.applicationName) };
      const ledger = new Ledger();
      const rx = await new LedgerReceiver(ledger).start();
      receivers.push(rx);

      // The api process migrates the schema; workers start once it is listening, so they find it migrated.
      const api = await serve('api', dir, { role: 'api', env });
      // A killed worker restarts in the background while the next burst goes on (it joins mid-burst).
      const startWorker = (name: string) => {
        const started = serve(name, dir, { role: 'worker', env }).then((w) => w.proc);
        started.catch(() => {}); // awaited later; a failed start fails the test there
        return started;
      };
      const workers: Promise<HooklineProcess>[] = [1, 2, 3].map((n) => startWorker(`worker-${n}`));
      await Promise.all(workers);
      const ep = await call(api.url, 'POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['fault.*'] });
      expect(ep.status, JSON.stringify(ep.body)).toBe(201);

      const victims: number[] = [];
      const killPoints: number[] = [];
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const victim = Math.floor(random() * workers.length);
        const proc = await workers[victim]!;
        const { killAfter } = killAtRandomArrival(rx, proc, random);
        // The api process never dies here: every publish must succeed the first time.
        const report = await publishEvents(api.url, cycleIds('pg', cycle), { ledger });
        expect(report.failed, api.proc.describe()).toEqual([]);
        expect(report.violations).toEqual([]);
        const exit = await Promise.race([proc.exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 20_000))]);
        if (exit === 'alive') throw new Error(`cycle ${cycle}: ${killAfter} deliveries never arrived, so the kill never came`);
        expect(exit.signal, proc.describe()).toBe('SIGKILL');
        rx.onArrival = undefined;
        victims.push(victim + 1);
        killPoints.push(killAfter);
        workers[victim] = startWorker(`worker-${victim + 1}#${cycle + 2}`);
      }

      const running = await Promise.all(workers);
      const drainStarted = Date.now();
      await waitForAllArrived(ledger, 60_000);
      const drainMs = Date.now() - drainStarted;
      const totals = await waitForSettled(api.url, ledger.published, 30_000);

      const figure = ledger.figure('SIGKILL of a random worker mid-burst, 10 cycles, PostgreSQL (1 api + 3 workers)', {
        cycles: CYCLES,
        seed: SEED + 1,
        killed_workers: victims,
        kill_after_arrivals: killPoints,
        duplicate_bound: CYCLES * MAX_IN_FLIGHT,
        final_drain_ms: drainMs,
        store_totals: totals,
        runtime_ms: Date.now() - started,
      });
      recordFigure('process-kill-postgres', figure);

      const stats = [api.proc, ...running].map((p) => p.describe()).join('\n');
      expect(ledger.published, stats).toBe(CYCLES * BURST);
      expect(ledger.missing(), stats).toEqual([]);
      expect(figure.lost).toBe(0);
      expect(ledger.unexpected()).toEqual([]);
      expect(figure.duplicated, stats).toBeLessThanOrEqual(CYCLES * MAX_IN_FLIGHT);
      expect(totals, stats).toEqual({ pending: 0, delivered: CYCLES * BURST, failed: 0 });
      const exits = await Promise.all([api.proc, ...running].map((p) => p.stop()));
      expect(exits, stats).toEqual(Array(4).fill({ code: 0, signal: null }));
      const s = schema;
      schema = undefined;
      await s.drop();
    },
    TEST_TIMEOUT,
  );
});
