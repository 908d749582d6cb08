/**
 * At-least-once delivery across SIGKILL, with the real CLI in child processes.
 *
 * SQLite: one `hookline serve` process is killed mid-burst and restarted on the same data
 * directory. PostgreSQL: one `--role api` and two `--role worker` processes share a schema;
 * one worker is killed and not restarted, so the survivor must take over its leases.
 *
 * Every delivery must arrive at least once; redeliveries are bounded by what the dead
 * process could have had claimed (delivery.max_in_flight).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, schemaUrl, serve, waitForSettled, writeServeConfig } from '../faults/helpers/serve.js';
import { createTestSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { assertCliBuilt, HooklineProcess, killAllProcesses } from './helpers/process.js';
import { Receiver } from './helpers/receiver.js';

const EVENTS = 2000;
const PUBLISH_CONCURRENCY = 20;
/** The kill comes once the receiver has seen this many deliveries. */
const KILL_AFTER = 300;
const MAX_IN_FLIGHT = 64;
/** Per process. With >PER_ENDPOINT requests open at once, at least two processes are sending. */
const PER_ENDPOINT = 16;
const LEASE = '2s';
const TEST_TIMEOUT = 120_000;

const ids = Array.from({ length: EVENTS }, (_, i) => `e-${i}`);

// --- the receiver -----------------------------------------------------------------------

/**
 * Answers 200 after 2-5 ms and counts event ids. It can hold its answers (so the requests a
 * process has open at the moment it dies are known), and it notes every request whose
 * connection closed before it was answered: those are what a killed sender left behind.
 */
class LoadReceiver {
  private readonly rx = new Receiver();
  /** Event id of every request, in arrival order (redeliveries included). */
  readonly arrivals: string[] = [];
  readonly counts = new Map<string, number>();
  /** Requests not answered yet whose connection is still open. */
  readonly open = new Set<ServerResponse>();
  /** Event ids of requests whose connection closed before they were answered. */
  readonly orphans: string[] = [];
  /** Called synchronously on each arrival (the test kills from here). */
  onArrival: (() => void) | undefined;
  private holding = false;
  private held: (() => void)[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  get url(): string {
    return this.rx.url;
  }

  get distinct(): number {
    return this.counts.size;
  }

  async start(): Promise<this> {
    this.rx.respond = (req, res) => {
      const id = String((JSON.parse(req.body) as { id: unknown }).id);
      this.arrivals.push(id);
      this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
      this.open.add(res);
      res.once('close', () => {
        this.open.delete(res);
        if (!res.writableEnded) this.orphans.push(id);
        this.notify();
      });
      const answer = (): void => {
        if (this.holding) return void this.held.push(answer);
        this.open.delete(res);
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      };
      setTimeout(answer, 2 + Math.floor(Math.random() * 4));
      this.onArrival?.();
      this.notify();
    };
    await this.rx.start();
    return this;
  }

  /** Stop answering (requests keep being recorded). */
  hold(): void {
    this.holding = true;
  }

  /** Answer everything held and go back to normal. */
  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }

  private notify(): void {
    for (const w of this.waiters.filter((x) => x.check())) w.resolve();
  }

  /** Resolves as soon as `check()` holds (re-checked on every arrival and closed request). */
  waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = {
        check,
        resolve: () => {
          clearTimeout(t);
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve();
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(
          new Error(
            `timed out after ${ms} ms waiting for ${what} (received ${this.arrivals.length}, distinct ${this.distinct}, open ${this.open.size}, orphans ${this.orphans.length})`,
          ),
        );
      }, ms);
      this.waiters.push(w);
    });
  }

  async close(): Promise<void> {
    this.release();
    await this.rx.close();
  }
}

// --- talking to the API -----------------------------------------------------------------

function errorText(err: unknown): string {
  const e = err as Error & { cause?: Error & { code?: string } };
  return e.cause ? `${e.message}: ${e.cause.code ?? e.cause.message}` : String(e.message ?? err);
}

interface PublishRun {
  /** 202: stored now. */
  accepted: string[];
  /** 200: this id was already stored (an earlier attempt committed but its answer was lost). */
  duplicate: string[];
  failed: { id: string; error: string }[];
  /** Not attempted because `stop()` said so. */
  notTried: string[];
}

/** Publishes `load.tick` events with caller-supplied ids, PUBLISH_CONCURRENCY requests at a time. */
async function publish(base: string, list: string[], stop: () => boolean = () => false): Promise<PublishRun> {
  const run: PublishRun = { accepted: [], duplicate: [], failed: [], notTried: [] };
  let next = 0;
  const lane = async () => {
    while (!stop() && next < list.length) {
      const id = list[next++]!;
      try {
        const r = await call(base, 'POST', '/api/v1/events', { type: 'load.tick', id, data: { n: Number(id.slice(2)) } });
        if (r.status === 202 && r.body?.deliveries === 1) run.accepted.push(id);
        else if (r.status === 200 && r.body?.duplicate === true) run.duplicate.push(id);
        else run.failed.push({ id, error: `HTTP ${r.status}: ${JSON.stringify(r.body)}` });
      } catch (err) {
        run.failed.push({ id, error: errorText(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: PUBLISH_CONCURRENCY }, lane));
  run.notTried = list.slice(next);
  return run;
}

// --- processes ----------------------------------------------------------------------------

/** Short lease and poll, so a crashed process is recovered from quickly. */
const writeConfig = (dir: string) =>
  writeServeConfig(dir, { lease: LEASE, poll_interval: '200ms', max_in_flight: MAX_IN_FLIGHT, per_endpoint_in_flight: PER_ENDPOINT });

/** The figures both tests print and check. */
function figures(rx: LoadReceiver) {
  const received = rx.arrivals.length;
  const distinct = rx.distinct;
  const lost = ids.filter((id) => !rx.counts.has(id));
  const unexpected = [...rx.counts.keys()].filter((id) => !/^e-\d+$/.test(id) || Number(id.slice(2)) >= EVENTS);
  return { received, distinct, duplicates: received - distinct, lost, unexpected };
}

function summary(o: Record<string, unknown>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

// --- SQLite -----------------------------------------------------------------------------

describe('crash: SQLite, SIGKILL and restart of `hookline serve`', () => {
  let dir: string | undefined;
  let rx: LoadReceiver | undefined;

  beforeAll(async () => {
    assertCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'hookline-crash-sqlite-'));
    writeConfig(dir);
    rx = await new LoadReceiver().start();
  });

  afterAll(async () => {
    await killAllProcesses();
    await rx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it(
    'delivers every event at least once; redeliveries stay within max_in_flight',
    async () => {
      const started = Date.now();
      const r = rx!;
      const first = await serve('hookline#1', dir!);
      const ep = await call(first.url, 'POST', '/api/v1/webhooks/endpoints', { url: `${r.url}/hook`, events: ['load.*'] });
      expect(ep.status, JSON.stringify(ep.body)).toBe(201);

      // Kill from inside the receiver, synchronously, while the KILL_AFTER-th request is still
      // unanswered: the process dies holding at least that delivery.
      let killed = false;
      let killedAt = 0;
      r.onArrival = () => {
        if (killed || r.arrivals.length < KILL_AFTER) return;
        killed = true;
        killedAt = Date.now();
        r.hold();
        first.proc.child.kill('SIGKILL');
      };
      const run1 = await publish(first.url, ids, () => killed);
      await r.waitUntil(() => killed, 30_000, `${KILL_AFTER} deliveries before the kill`);
      const exit = await first.proc.exited;
      expect(exit.signal, first.proc.describe()).toBe('SIGKILL');
      // Every request the dead process had open ends with its connection.
      await r.waitUntil(() => r.open.size === 0, 10_000, "the killed process's connections to close");
      r.release();
      const receivedAtKill = r.arrivals.length;
      const orphans = [...new Set(r.orphans)];
      expect(orphans.length, 'requests open when the process died').toBeGreaterThan(0);

      // Restart on the same data directory; publish again what was not confirmed.
      const second = await serve('hookline#2', dir!);
      const restartedAt = Date.now();
      const run2 = await publish(second.url, [...run1.failed.map((f) => f.id), ...run1.notTried]);
      expect(run2.failed, 'publishing after the restart').toEqual([]);
      await r.waitUntil(() => r.distinct >= EVENTS, 60_000, `all ${EVENTS} event ids at the receiver`);
      const allReceivedAt = Date.now();
      const totals = await waitForSettled(second.url, EVENTS, 30_000);

      const f = figures(r);
      console.log(
        `[crash sqlite] ${summary({
          published: run1.accepted.length + run2.accepted.length + run2.duplicate.length,
          published_before_kill: run1.accepted.length,
          publish_failed: run1.failed.length,
          publish_not_tried: run1.notTried.length,
          republished_new: run2.accepted.length,
          republished_duplicate: run2.duplicate.length,
          received_at_kill: receivedAtKill,
          open_at_kill: orphans.length,
          received: f.received,
          distinct: f.distinct,
          duplicates: f.duplicates,
          lost: f.lost.length,
          ...totals,
          recovery_ms: allReceivedAt - restartedAt,
          runtime_ms: Date.now() - started,
        })}` + (run1.failed.length ? `\n[crash sqlite] first publish failures, e.g. ${run1.failed[0]!.error}` : ''),
      );
      const stats = `at kill ${killedAt - started} ms; ${first.proc.describe()}\n${second.proc.describe()}`;

      // Every event was stored exactly once across both runs.
      expect(run1.duplicate, stats).toEqual([]);
      expect(run1.accepted.length + run2.accepted.length + run2.duplicate.length, stats).toBe(EVENTS);
      expect(f.unexpected, stats).toEqual([]);
      expect(f.lost, stats).toEqual([]);
      expect(f.distinct).toBe(EVENTS);
      // What the dead process had open was delivered again by the new one.
      expect(
        orphans.filter((id) => r.counts.get(id)! < 2),
        stats,
      ).toEqual([]);
      expect(f.duplicates, stats).toBeGreaterThanOrEqual(orphans.length);
      expect(f.duplicates, stats).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(totals, stats).toEqual({ pending: 0, delivered: EVENTS, failed: 0 });

      expect(await second.proc.stop(), second.proc.describe()).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT,
  );
});

// --- PostgreSQL ---------------------------------------------------------------------------

describe('crash: PostgreSQL, one api and two workers, SIGKILL of a worker', () => {
  let dir: string | undefined;
  let rx: LoadReceiver | undefined;
  let pg: Awaited<ReturnType<typeof createTestSchema>> | undefined;

  beforeAll(async () => {
    assertCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'hookline-crash-pg-'));
    writeConfig(dir);
    rx = await new LoadReceiver().start();
    pg = await createTestSchema();
  });

  afterAll(async () => {
    await killAllProcesses();
    await rx?.close();
    // Only reached with `pg` set when the test failed early: drop the schema, but let the
    // test's own failure be the one reported.
    await pg?.drop().catch((err: unknown) => console.error(`[crash postgres] cleanup: ${(err as Error).message}`));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it(
    "the surviving worker takes over the killed worker's leases; every event arrives at least once",
    async () => {
      const started = Date.now();
      const r = rx!;
      const env = { HOOKLINE_DATABASE_URL: schemaUrl(TEST_DATABASE_URL, pg!.schema, pg!.applicationName) };
      // The api process migrates the schema; workers start once it is listening, so they find it migrated.
      const api = await serve('api', dir!, { role: 'api', env });
      const workers = await Promise.all([serve('worker-1', dir!, { role: 'worker', env }), serve('worker-2', dir!, { role: 'worker', env })]);
      const [victim, survivor] = workers.map((w) => w.proc) as [HooklineProcess, HooklineProcess];

      const ep = await call(api.url, 'POST', '/api/v1/webhooks/endpoints', { url: `${r.url}/hook`, events: ['load.*'] });
      expect(ep.status, JSON.stringify(ep.body)).toBe(201);

      // After KILL_AFTER deliveries, hold every answer until more than PER_ENDPOINT requests are
      // open: a worker has at most PER_ENDPOINT open, so both workers then hold leased
      // deliveries whose requests are in flight. Kill worker-1 at that point.
      let holding = false;
      let holdStartedAt = 0;
      r.onArrival = () => {
        if (holding || r.arrivals.length < KILL_AFTER) return;
        holding = true;
        holdStartedAt = Date.now();
        r.hold();
      };
      const publishing = publish(api.url, ids);
      await r.waitUntil(() => holding, 30_000, `${KILL_AFTER} deliveries`);
      await r.waitUntil(() => r.open.size > PER_ENDPOINT, 1_500, `more than ${PER_ENDPOINT} open requests (both workers sending)`);
      const openAtKill = r.open.size;
      const killedAt = Date.now();
      const exit = await victim.crash();
      expect(exit.signal, victim.describe()).toBe('SIGKILL');
      // The victim's unanswered requests end with its connections; at most PER_ENDPOINT (the survivor's) stay open.
      await r.waitUntil(() => r.orphans.length > 0 && r.open.size <= PER_ENDPOINT, 10_000, "the killed worker's connections to close");
      r.release();
      const holdMs = Date.now() - holdStartedAt;
      const receivedAtKill = r.arrivals.length;
      const orphans = [...new Set(r.orphans)];

      const run1 = await publishing;
      const run2 = await publish(api.url, [...run1.failed.map((f) => f.id), ...run1.notTried]);
      await r.waitUntil(() => r.distinct >= EVENTS, 60_000, `all ${EVENTS} event ids at the receiver`);
      const allReceivedAt = Date.now();
      const totals = await waitForSettled(api.url, EVENTS, 30_000);

      const f = figures(r);
      console.log(
        `[crash postgres] ${summary({
          published: run1.accepted.length,
          publish_failed: run1.failed.length,
          republished_new: run2.accepted.length,
          republished_duplicate: run2.duplicate.length,
          received_at_kill: receivedAtKill,
          open_at_kill: openAtKill,
          orphaned_by_killed_worker: orphans.length,
          hold_ms: holdMs,
          received: f.received,
          distinct: f.distinct,
          duplicates: f.duplicates,
          lost: f.lost.length,
          ...totals,
          recovery_ms: allReceivedAt - killedAt,
          runtime_ms: Date.now() - started,
        })}`,
      );
      const stats = [api.proc, victim, survivor].map((p) => p.describe()).join('\n');

      // Killing a worker does not touch the API: every publish succeeded the first time.
      expect(run1.failed, stats).toEqual([]);
      expect(run1.accepted.length, stats).toBe(EVENTS);
      expect(f.unexpected, stats).toEqual([]);
      expect(f.lost, stats).toEqual([]);
      expect(f.distinct).toBe(EVENTS);
      // The killed worker died holding leased deliveries; the survivor delivered each again.
      expect(orphans.length, stats).toBeGreaterThan(0);
      expect(
        orphans.filter((id) => r.counts.get(id)! < 2),
        stats,
      ).toEqual([]);
      expect(f.duplicates, stats).toBeGreaterThanOrEqual(orphans.length);
      expect(f.duplicates, stats).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(totals, stats).toEqual({ pending: 0, delivered: EVENTS, failed: 0 });

      const exits = await Promise.all([api.proc.stop(), survivor.stop()]);
      expect(exits, stats).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      const schema = pg!;
      pg = undefined;
      await schema.drop();
    },
    TEST_TIMEOUT,
  );
});
