/**
 * PostgreSQL restarted during a burst, with the real CLI (an api and a worker process) on a
 * private cluster. Two outages hit the same burst: `pg_ctl restart -m fast` (what
 * `pg_ctlcluster … restart` does: connections terminated, the server back within a second),
 * then a stop held for OUTAGE_MS before the start, long enough that a single reconnect attempt
 * fails too.
 *
 * The client retries 503s per Retry-After, as a real client does. The service must answer
 * every request: 2xx, or 503 with Retry-After and an error code; never another 5xx, never
 * a hang past the client's timeout, never a lost accepted event. Afterwards the processes are
 * alive, their LISTEN connections are back, everything accepted is delivered, a schedule firing
 * every second still fires, and no run that ended during the outage is left `running`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../test/helpers/hookline.js';
import { assertCliBuilt, killAllProcesses } from '../test/helpers/process.js';
import { StreamClient } from '../test/helpers/stream-client.js';
import { until } from '../test/helpers/wait.js';
import { Ledger, recordFigure } from './helpers/ledger.js';
import { PrivateCluster } from './helpers/pg-cluster.js';
import { call, serve, waitForSettled, writeServeConfig } from './helpers/serve.js';
import { describeReport, emptyReport, LedgerReceiver, publishEvents, waitForAllArrived } from './helpers/traffic.js';

const OUTAGE_MS = 3_000;
const MAX_IN_FLIGHT = 64;
const CLIENT_TIMEOUT_MS = 10_000;
/** How long the client keeps retrying one event's 503s before it gives up (it must not have to). */
const CLIENT_PATIENCE_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connections whose current (or last) statement is a LISTEN: one per process that listens. */
async function listeners(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`);
    return r.rows[0]!.n;
  } finally {
    await c.end();
  }
}

describe('faults: PostgreSQL restarted during a burst', () => {
  let cluster: PrivateCluster | undefined;
  let rx: LedgerReceiver | undefined;
  let stream: StreamClient | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    stream?.ws.terminate();
    await killAllProcesses();
    await rx?.close();
    await cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('keeps answering (2xx or 503 + Retry-After), loses nothing accepted, reconnects and drains', async () => {
    assertCliBuilt();
    const started = Date.now();
    await PrivateCluster.create((c) => (cluster = c));
    const db = cluster!;
    dir = mkdtempSync(join(tmpdir(), 'hookline-fault-pg-restart-'));
    writeServeConfig(dir, { lease: '5s', poll_interval: '500ms', max_in_flight: MAX_IN_FLIGHT });
    const env = { HOOKLINE_DATABASE_URL: db.url };
    const ledger = new Ledger();
    rx = await new LedgerReceiver(ledger).start();

    const api = await serve('api', dir, { role: 'api', env });
    const worker = await serve('worker', dir, { role: 'worker', env });
    const ep = await call(api.url, 'POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/hook`, events: ['fault.*'] });
    expect(ep.status, JSON.stringify(ep.body)).toBe(201);
    // A schedule firing every second, for an agent whose run takes a second: the worker's
    // scheduler and run executor are busy when the database goes away.
    expect((await call(api.url, 'POST', '/api/v1/crews', { id: 'faults', name: 'faults' })).status).toBe(201);
    const agent = await call(api.url, 'POST', '/api/v1/agents', {
      id: 'ticker',
      crew_id: 'faults',
      name: 'ticker',
      runner: 'command',
      runner_config: { command: 'sleep', args: ['1'] },
      timeout_seconds: 30,
    });
    expect(agent.status, JSON.stringify(agent.body)).toBe(201);
    const schedule = await call(api.url, 'POST', '/api/v1/schedules', { agent_id: 'ticker', name: 'every second', cron: '* * * * * *' });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    // Both processes LISTEN (the worker for due deliveries, the api for the live stream).
    await until('2 LISTEN connections', async () => ((await listeners(db.url)) === 2 ? true : undefined), 10_000);

    let stop = false;
    const live = emptyReport();
    const ids = Array.from({ length: 100_000 }, (_, i) => `pgr-${i}`);
    const publishing = publishEvents(api.url, ids, {
      ledger,
      concurrency: 10,
      stop: () => stop,
      retryUnavailableForMs: CLIENT_PATIENCE_MS,
      timeoutMs: CLIENT_TIMEOUT_MS,
      report: live,
    });
    const acceptedAfter = async (n: number, what: string) => {
      try {
        await until(what, async () => (ledger.published >= n ? true : undefined), 30_000);
      } catch (err) {
        throw new Error(`${(err as Error).message}: ${describeReport(live)}\n${api.proc.describe()}\n${worker.proc.describe()}`);
      }
    };

    await acceptedAfter(200, '200 events accepted before the first restart');
    const restartStarted = Date.now();
    await db.restart();
    const restartMs = Date.now() - restartStarted;
    await acceptedAfter(ledger.published + 200, '200 more events accepted after the restart');

    const outageStarted = Date.now();
    await db.stop();
    await sleep(OUTAGE_MS);
    await db.start();
    const outageMs = Date.now() - outageStarted;
    const backAt = Date.now();
    await acceptedAfter(ledger.published + 200, '200 more events accepted after the outage');
    stop = true;
    const report = await publishing;

    try {
      await waitForAllArrived(ledger, 60_000);
    } catch (err) {
      const totals = await waitForSettled(api.url, ledger.published, 0).catch((e: Error) => e.message);
      throw new Error(`${(err as Error).message}; the store says ${JSON.stringify(totals)}\n${api.proc.describe()}\n${worker.proc.describe()}`);
    }
    const drainMs = Date.now() - backAt;
    const accepted = ledger.published;
    const totals = await waitForSettled(api.url, accepted, 30_000);
    // Reconnected: both LISTENs are back, and a worker's delivery result reaches the api's live stream.
    await until('2 LISTEN connections after the outage', async () => ((await listeners(db.url)) === 2 ? true : undefined), 15_000);
    stream = await StreamClient.ready(api.url, ADMIN_KEY);
    await stream.subscribe('d', ['delivery.*']);
    const probe = await publishEvents(api.url, ['pgr-probe'], { ledger });
    expect(probe.accepted).toEqual(['pgr-probe']);
    const seen = await stream.next((f) => f.subscription === 'd' && f.data?.event_id === 'pgr-probe', 15_000);

    // The scheduler still fires after the outage, and no run is left 'running' by it: a run that
    // ended while the database was away still gets its outcome (and its run.* event) recorded.
    const runs = async (q: string) =>
      (await call(api.url, 'GET', `/api/v1/runs?agent_id=ticker&limit=200${q}`)).body.items as {
        status: string;
        created_at: string;
        started_at: string | null;
      }[];
    await until(
      'a scheduled run started after the outage to complete',
      async () => ((await runs('&status=completed')).some((r) => Date.parse(r.created_at) > backAt) ? true : undefined),
      15_000,
    );
    const stuck = async () => (await runs('')).filter((r) => ['running', 'queued'].includes(r.status) && Date.parse(r.created_at) < backAt);
    const stuckRuns = await until('no run from before the outage still running', async () => ((await stuck()).length === 0 ? 0 : undefined), 20_000).catch(
      async () => stuck(),
    );
    const runTotals = (await runs('')).reduce<Record<string, number>>((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {});

    const figure = ledger.figure('PostgreSQL restarted twice during a burst (pg_ctl restart -m fast, then a 3 s stop/start)', {
      accepted_in_burst: accepted,
      probe_events_after_drain: 1,
      answers_503: report.unavailableAnswers,
      codes_503: report.unavailableCodes,
      gave_up_after_503: report.refused.length,
      client_failures: report.failed.length,
      violations: report.violations.length,
      restart_ms: restartMs,
      outage_ms: outageMs,
      drain_after_outage_ms: drainMs,
      duplicate_bound: 2 * MAX_IN_FLIGHT,
      store_totals: totals,
      scheduled_runs: runTotals,
      runtime_ms: Date.now() - started,
    });
    recordFigure('postgres-restart', figure);

    const stats = `${api.proc.describe()}\n${worker.proc.describe()}\n--- postgres\n${db.logTail()}`;
    expect(report.violations, stats).toEqual([]);
    expect(report.failed, stats).toEqual([]);
    expect(report.refused, stats).toEqual([]);
    // The outages were seen by the client: this is what the service answered them with.
    expect(report.unavailableAnswers, stats).toBeGreaterThan(0);
    expect(Object.keys(report.unavailableCodes)).toEqual(['database_unavailable']);
    expect(ledger.missing()).toEqual([]);
    expect(figure.lost).toBe(0);
    expect(seen.topic).toBe('delivery.succeeded');
    expect(totals, stats).toEqual({ pending: 0, delivered: accepted, failed: 0 });
    expect(stuckRuns, stats).toEqual(0);
    // Redeliveries come only from results the outages kept from being written: at most what
    // the worker had claimed at each of the two outages.
    expect(figure.duplicated).toBeLessThanOrEqual(2 * MAX_IN_FLIGHT);
    // Neither process died of the outage; both stop cleanly.
    expect(await worker.proc.stop(), stats).toEqual({ code: 0, signal: null });
    expect(await api.proc.stop(), stats).toEqual({ code: 0, signal: null });
  }, 150_000);
});
