#!/usr/bin/env node
// Hookline delivery benchmark: `npm run build && npm run bench`. See bench/README.md.
//
// Processes:
//   main      supervises: starts the receiver, runs each step in its own child process under
//             a hard deadline, cleans up after a killed step, prints the table, writes JSON.
//   receiver  plain node:http on 127.0.0.1 answering 200 "ok"; counts distinct `webhook-id`s
//             and stamps arrivals with a high-resolution wall clock. Controlled over HTTP
//             (/__arm, /__wait, /__disarm, /__stats, /__time), so any process can drive it.
//   step      one per measured step (limit, sqlite, postgres, peer, backlog, *-defaults): a
//             fresh process, so steps cannot disturb each other (heap, JIT, sockets), and a step
//             that wedges its own event loop is killed instead of hanging the benchmark.
import { execFileSync, fork } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const BENCH_DIR = dirname(SELF);
const ROOT = dirname(BENCH_DIR);
const DIST = resolve(process.env.BENCH_DIST ?? join(ROOT, 'packages/server/dist/index.js'));
const RESULTS = join(BENCH_DIR, 'results', 'latest.json');

/** High-resolution wall clock (ms since the epoch, sub-ms precision), comparable across processes. */
const wall = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------
// Knobs (see bench/README.md)
// ---------------------------------------------------------------------------------------

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(1);
}
function intEnv(name, def, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) fail(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return v;
}
function listEnv(name, def) {
  const raw = process.env[name];
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : def;
}

const ALL_STEPS = ['limit', 'sqlite', 'postgres', 'peer', 'backlog', 'sqlite-defaults', 'postgres-defaults'];
const K = {
  n: intEnv('BENCH_N', 20_000, 100, 1_000_000),
  limitConcurrency: listEnv('BENCH_LIMIT_CONCURRENCY', ['64', '256']).map((s) => {
    const c = Number(s);
    if (!Number.isInteger(c) || c < 1 || c > 4096) fail(`BENCH_LIMIT_CONCURRENCY entries must be integers in [1, 4096], got "${s}"`);
    return c;
  }),
  publishConcurrency: intEnv('BENCH_PUBLISH_CONCURRENCY', 64, 1, 4096),
  maxInFlight: intEnv('BENCH_MAX_IN_FLIGHT', 256, 1, 10_000),
  perEndpointInFlight: intEnv('BENCH_PER_ENDPOINT_IN_FLIGHT', 256, 1, 1000),
  batchSize: intEnv('BENCH_BATCH_SIZE', 256, 1, 5000),
  pgPoolSize: intEnv('BENCH_PG_POOL_SIZE', 10, 1, 200),
  rate: intEnv('BENCH_RATE', 1000, 1, 100_000),
  latencySeconds: intEnv('BENCH_LATENCY_SECONDS', 10, 1, 300),
  backlog: intEnv('BENCH_BACKLOG', 1_000_000, 1, 50_000_000),
  backlogPollSeconds: intEnv('BENCH_BACKLOG_POLL_SECONDS', 10, 1, 600),
  defaultsN: intEnv('BENCH_DEFAULTS_N', 5000, 100, 1_000_000),
  defaultsSeconds: intEnv('BENCH_DEFAULTS_SECONDS', 20, 5, 600),
  bodyBytes: intEnv('BENCH_BODY_BYTES', 300, 200, 100_000),
  phaseTimeoutMs: intEnv('BENCH_PHASE_TIMEOUT_SECONDS', 120, 5, 3600) * 1000,
  peerTuneN: intEnv('BENCH_PEER_TUNE_N', 0, 0, 1_000_000), // 0: min(N, 10000)
  // pg-boss grid: "workers x batchSize"; pollingIntervalSeconds is pinned at pg-boss's minimum.
  peerGrid: listEnv('BENCH_PEER_GRID', ['4x100', '16x100', '8x500', '16x250', '32x250']).map((s) => {
    const [w, b] = s.split('x').map(Number);
    if (!Number.isInteger(w) || !Number.isInteger(b) || w < 1 || b < 1 || w > 256 || b > 10_000) fail(`BENCH_PEER_GRID entry "${s}" must look like 16x250 (workers x batchSize)`);
    return { workers: w, batchSize: b };
  }),
  peerPollSeconds: 0.5,
  only: listEnv('BENCH_ONLY', ALL_STEPS),
  databaseUrl: process.env.BENCH_DATABASE_URL ?? process.env.HOOKLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
};
for (const s of K.only) if (!ALL_STEPS.includes(s)) fail(`BENCH_ONLY: unknown step "${s}" (steps: ${ALL_STEPS.join(', ')})`);

const TARGETS = { sqliteVsLimit: 0.7, postgresVsLimit: 0.5, hooklineVsPeer: 5, p99Ms: 10, rssGrowthMB: 50 };
const MASTER_KEY = '11'.repeat(32);

function checkLocal(url) {
  let host;
  try {
    host = new URL(url).hostname;
  } catch {
    fail('BENCH_DATABASE_URL is not a URL');
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) fail(`the benchmark only talks to 127.0.0.1; BENCH_DATABASE_URL points at "${host}"`);
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** Runs fn(0..n-1) with at most `conc` calls open; throws once past the deadline. */
async function runConcurrent(n, conc, fn, deadline) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      if (wall() > deadline) throw new Error(`deadline passed after ${next} of ${n}`);
      await fn(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(conc, n) }, worker));
}

/** Polls `probe` until it returns a truthy value; bounded in time and in count. */
async function waitFor(what, probe, timeoutMs, everyMs = 50) {
  const deadline = wall() + timeoutMs;
  for (let i = 0; i <= Math.ceil(timeoutMs / everyMs); i++) {
    const v = await probe();
    if (v) return v;
    if (wall() > deadline) break;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function percentiles(values) {
  const a = Float64Array.from(values).sort();
  const at = (p) => (a.length ? a[Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1))] : NaN);
  return { n: a.length, min: a[0], p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: a[a.length - 1] };
}

const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
const mb = (bytes) => round(bytes / 1048576, 1);
const cpuUs = (c) => c.user + c.system;

function gc() {
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
}

/** The pad that makes a Hookline-shaped envelope about `bodyBytes` long. */
function padFor(bodyBytes) {
  const sample = JSON.stringify({ id: 'evt_' + '0'.repeat(26), type: 'bench.tick', timestamp: new Date().toISOString(), org_id: 'org_default', env_id: 'env_default', data: { i: 12345, pad: '' } });
  return 'x'.repeat(Math.max(0, bodyBytes - sample.length));
}

// ---------------------------------------------------------------------------------------
// Receiver (child process)
// ---------------------------------------------------------------------------------------

function receiverMain() {
  let arm = null;
  let armSeq = 0;
  let total = 0;
  let waiters = [];
  const summary = (a) => (a ? { arm: a.id, target: a.target, count: a.count, unique: a.seen.size, dups: a.dups, noId: a.noId, firstAt: a.firstAt, lastAt: a.lastAt, reachedAt: a.reachedAt } : null);
  const json = (res, body) => {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const settle = (a, ok) => {
    const keep = [];
    for (const w of waiters) {
      if (w.arm !== a.id) keep.push(w);
      else {
        clearTimeout(w.timer);
        json(w.res, { ok, ...summary(a) });
      }
    }
    waiters = keep;
  };

  function control(req, res, url) {
    const q = url.searchParams;
    switch (url.pathname) {
      case '/__time':
        return json(res, { t: wall() });
      case '/__arm': {
        if (arm) settle(arm, false);
        arm = { id: ++armSeq, target: Number(q.get('target')), latency: q.get('latency') === '1', count: 0, dups: 0, noId: 0, firstAt: 0, lastAt: 0, reachedAt: 0, seen: new Set(), ids: [], ts: [] };
        return json(res, { arm: arm.id });
      }
      case '/__wait': {
        const id = Number(q.get('arm'));
        if (!arm || arm.id !== id) return json(res, { ok: false, error: 'not armed' });
        if (arm.reachedAt) return json(res, { ok: true, ...summary(arm) });
        const timeout = Math.min(Number(q.get('timeout')) || 60_000, 290_000);
        const w = { arm: id, res, timer: setTimeout(() => {
          waiters = waiters.filter((x) => x !== w);
          json(res, { ok: false, ...summary(arm?.id === id ? arm : null) });
        }, timeout) };
        waiters.push(w);
        return;
      }
      case '/__disarm': {
        const a = arm;
        arm = null;
        if (a) settle(a, !!a.reachedAt);
        return json(res, { summary: summary(a), ids: a?.latency ? a.ids : [], ts: a?.latency ? a.ts : [] });
      }
      case '/__stats':
        return json(res, { total, summary: summary(arm), cpuUs: cpuUs(process.cpuUsage()) });
      default:
        res.writeHead(404);
        res.end();
    }
  }

  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
    const t = wall();
    if (req.url.startsWith('/__')) return control(req, res, new URL(req.url, 'http://x'));
    total++;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
    const a = arm;
    if (!a) return;
    a.count++;
    if (a.firstAt === 0) a.firstAt = t;
    const id = req.headers['webhook-id'];
    if (id === undefined) return void a.noId++;
    if (a.seen.has(id)) return void a.dups++;
    a.seen.add(id);
    a.lastAt = t;
    if (a.latency) {
      a.ids.push(id);
      a.ts.push(t);
    }
    if (a.seen.size === a.target) {
      a.reachedAt = t;
      settle(a, true);
    }
  });
  process.on('message', (m) => {
    if (m?.cmd === 'exit') {
      server.closeAllConnections?.();
      server.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 2000).unref();
    }
  });
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }));
}

/** Client side of the receiver's control API (used by the step processes and main). */
class Rx {
  offset = 0; // receiver clock minus ours, ms
  calibration = null;
  constructor(origin) {
    this.origin = origin;
  }

  async ctl(path, method = 'GET') {
    const res = await fetch(this.origin + path, { method });
    if (!res.ok) throw new Error(`receiver ${path}: HTTP ${res.status}`);
    return res.json();
  }

  /** Estimates the receiver's clock offset from the fastest of 50 round trips. */
  async calibrate(undici) {
    const pool = new undici.Pool(this.origin, { connections: 1 });
    let best = null;
    try {
      for (let k = 0; k < 50; k++) {
        const t0 = wall();
        const res = await pool.request({ path: '/__time', method: 'GET' });
        const { t } = await res.body.json();
        const t1 = wall();
        if (!best || t1 - t0 < best.rttMs) best = { rttMs: t1 - t0, offsetMs: t - (t0 + t1) / 2 };
      }
    } finally {
      await pool.close();
    }
    this.offset = best.offsetMs;
    this.calibration = { rttMs: round(best.rttMs, 3), offsetMs: round(best.offsetMs, 3) };
    return this.calibration;
  }

  #local(m) {
    return { ...m, at: m.reachedAt ? m.reachedAt - this.offset : null, firstAt: m.firstAt ? m.firstAt - this.offset : null, lastAt: m.lastAt ? m.lastAt - this.offset : null };
  }

  /**
   * Starts counting distinct `webhook-id`s. `reached` resolves (never rejects) when `target`
   * arrived, with times on our clock, or with `ok: false` and the counts so far at the timeout.
   */
  async arm(target, { latency = false, timeoutMs = K.phaseTimeoutMs } = {}) {
    const { arm } = await this.ctl(`/__arm?target=${target}&latency=${latency ? 1 : 0}`, 'POST');
    const reached = this.ctl(`/__wait?arm=${arm}&timeout=${timeoutMs}`).then(
      (m) => this.#local(m),
      (err) => ({ ok: false, error: err.message }),
    );
    // Returned inside an object: an async function returning the promise would be awaited.
    return { reached };
  }

  async disarm() {
    const r = await this.ctl('/__disarm', 'POST');
    return { summary: r.summary && this.#local(r.summary), ids: r.ids, ts: r.ts.map((t) => t - this.offset) };
  }
}

// ---------------------------------------------------------------------------------------
// Step: limit (raw undici)
// ---------------------------------------------------------------------------------------

async function stepLimit({ undici, rx }) {
  const body = JSON.stringify({ id: 'evt_' + '0'.repeat(26), type: 'bench.tick', timestamp: new Date().toISOString(), org_id: 'org_default', env_id: 'env_default', data: { i: 12345, pad: padFor(K.bodyBytes) } });
  const runs = [];
  for (const conc of K.limitConcurrency) {
    const pool = new undici.Pool(rx.origin, { connections: conc, pipelining: 1, keepAliveTimeout: 60_000 });
    let errors = 0;
    const post = async (id) => {
      const res = await pool.request({ path: '/limit', method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id }, body });
      await res.body.text();
      if (res.statusCode !== 200) errors++;
    };
    try {
      await runConcurrent(Math.min(2000, K.n), conc, (i) => post(`lw${conc}_${i}`), wall() + K.phaseTimeoutMs);
      gc();
      const { reached } = await rx.arm(K.n);
      const cpu0 = process.cpuUsage();
      const t0 = wall();
      await runConcurrent(K.n, conc, (i) => post(`l${conc}_${i}`), t0 + K.phaseTimeoutMs);
      const tClient = wall();
      const cpu = process.cpuUsage(cpu0);
      const r = await reached;
      await rx.disarm();
      if (!r.ok) throw new Error(`limit(${conc}): only ${r.unique} of ${K.n} requests arrived`);
      const seconds = (r.at - t0) / 1000;
      const run = { concurrency: conc, n: K.n, bodyBytes: body.length, seconds: round(seconds, 3), perSecond: round(K.n / seconds, 0), clientSeconds: round((tClient - t0) / 1000, 3), errors, cpuUsPerDelivery: round(cpuUs(cpu) / K.n, 1) };
      runs.push(run);
      console.log(`  undici ${String(conc).padStart(4)} connections: ${run.perSecond}/s`);
    } finally {
      await pool.close();
    }
  }
  return { runs, best: runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)) };
}

// ---------------------------------------------------------------------------------------
// Step: peer (pg-boss)
// ---------------------------------------------------------------------------------------

async function pgAdmin(pg, fn) {
  const c = new pg.Client({ connectionString: K.databaseUrl, application_name: 'hookline-bench-admin', statement_timeout: 60_000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function stepPeer({ undici, pg, PgBoss, rx, track }) {
  const n = K.n;
  const schema = `pgboss_bench_${randomBytes(4).toString('hex')}`;
  const applicationName = `hookline-bench:${schema}`;
  track('schema', schema);
  const pad = padFor(K.bodyBytes);
  const secret = randomBytes(24);
  const pool = new undici.Pool(rx.origin, { connections: 256, pipelining: 1, keepAliveTimeout: 60_000 });
  const common = { pollingIntervalSeconds: K.peerPollSeconds, insertChunk: 1000, insertConcurrency: 4, httpConnections: 256, supervise: false, schedule: false };
  let queueSeq = 0;

  // One delivery the way a pg-boss based webhook worker does it: sign, POST, read the answer.
  const post = async (job) => {
    const body = JSON.stringify({ id: job.id, type: 'bench.tick', timestamp: new Date().toISOString(), org_id: 'org_default', env_id: 'env_default', data: job.data });
    const ts = Math.floor(Date.now() / 1000);
    const sig = createHmac('sha256', secret).update(`${job.id}.${ts}.${body}`).digest('base64');
    const res = await pool.request({
      path: '/peer',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': job.id, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${sig}` },
      body,
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  };

  const once = async ({ workers, batchSize }, count) => {
    const poolMax = workers + common.insertConcurrency + 2;
    const boss = new PgBoss({ connectionString: K.databaseUrl, schema, max: poolMax, application_name: applicationName, supervise: false, schedule: false });
    const errors = [];
    boss.on('error', (e) => errors.length < 5 && errors.push(e.message));
    await boss.start();
    const queue = `bench_${++queueSeq}`;
    try {
      await boss.createQueue(queue);
      for (let w = 0; w < workers; w++) {
        await boss.work(queue, { batchSize, pollingIntervalSeconds: common.pollingIntervalSeconds }, (jobs) => Promise.all(jobs.map(post)));
      }
      await sleep(200); // the workers made their first (empty) fetch
      gc();
      const { reached } = await rx.arm(count);
      const cpu0 = process.cpuUsage();
      const t0 = wall();
      const chunks = Math.ceil(count / common.insertChunk);
      await runConcurrent(chunks, common.insertConcurrency, async (c) => {
        const jobs = [];
        for (let i = c * common.insertChunk; i < Math.min(count, (c + 1) * common.insertChunk); i++) jobs.push({ name: queue, data: { i, pad } });
        await boss.insert(jobs);
      }, t0 + K.phaseTimeoutMs);
      const tInserted = wall();
      const r = await reached;
      const cpu = process.cpuUsage(cpu0);
      await rx.disarm();
      if (!r.ok) throw new Error(`pg-boss ${workers}x${batchSize}: only ${r.unique} of ${count} deliveries arrived${errors.length ? ` (errors: ${errors.join('; ')})` : ''}`);
      // Completion is pg-boss's counterpart of Hookline's result write: wait for it too.
      const completed = await waitFor('pg-boss completions', () =>
        pgAdmin(pg, async (c) => {
          const q = await c.query(`SELECT count(*)::int AS n FROM ${schema}.job WHERE name = $1 AND state = 'completed'`, [queue]);
          return q.rows[0].n >= count ? wall() : 0;
        }), K.phaseTimeoutMs, 100);
      const seconds = (r.at - t0) / 1000;
      return {
        workers, batchSize, poolMax, n: count,
        seconds: round(seconds, 3), perSecond: round(count / seconds, 0),
        insertSeconds: round((tInserted - t0) / 1000, 3), completedSeconds: round((completed - t0) / 1000, 3),
        duplicates: r.dups, cpuUsPerDelivery: round(cpuUs(cpu) / count, 1), errors,
      };
    } finally {
      await boss.offWork(queue).catch(() => {});
      await boss.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => {});
    }
  };

  try {
    const tuneN = K.peerTuneN || Math.min(n, 10_000);
    const tuning = [];
    for (const cfg of K.peerGrid) {
      const r = await once(cfg, tuneN);
      tuning.push(r);
      console.log(`  pg-boss ${String(cfg.workers).padStart(2)} workers x batch ${String(cfg.batchSize).padStart(4)}: ${r.perSecond}/s over ${tuneN}`);
    }
    const best = tuning.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const final = await once(best, n);
    console.log(`  best ${final.workers}x${final.batchSize}: ${final.perSecond}/s over ${n}`);
    return { ...final, settings: { ...common, workers: best.workers, batchSize: best.batchSize, poolMax: final.poolMax }, tuning };
  } finally {
    await pool.close();
    await sleep(200); // pg-boss ended its pool in stop(); let the backends go
    await pgAdmin(pg, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  }
}

// ---------------------------------------------------------------------------------------
// Hookline steps
// ---------------------------------------------------------------------------------------

function hooklineDelivery(defaults) {
  if (defaults) return { allow_networks: ['127.0.0.1/32'] };
  return { allow_networks: ['127.0.0.1/32'], max_in_flight: K.maxInFlight, per_endpoint_in_flight: K.perEndpointInFlight, batch_size: K.batchSize };
}

async function openHookline({ lib, pg, track }, kind, origin, { defaults = false } = {}) {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'hookline-bench-'));
  track('dir', dataDir);
  let schema;
  if (kind === 'postgres') {
    schema = `hl_bench_${randomBytes(4).toString('hex')}`;
    track('schema', schema);
    await pgAdmin(pg, (c) => c.query(`CREATE SCHEMA ${schema}`));
  }
  const applicationName = schema ? `hookline-bench:${schema}` : undefined;
  const config = lib.validateConfig({
    data_dir: dataDir,
    // 'worker': start() runs the dispatcher and no HTTP API (we publish through the library).
    server: { role: 'worker', port: 0 },
    database: kind === 'postgres' ? { url: K.databaseUrl, ...(defaults ? {} : { pool_size: K.pgPoolSize }) } : {},
    security: { master_key: MASTER_KEY },
    delivery: hooklineDelivery(defaults),
    log: { level: 'silent' },
  });
  const cleanup = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      await pgAdmin(pg, async (c) => {
        // Connections close asynchronously after end(); wait (bounded) before dropping.
        await waitFor('Hookline connections to close', async () => (await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows[0].n === 0, 5000, 100).catch(() => {});
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      });
    }
  };
  let hl;
  try {
    hl = await lib.Hookline.create({ config, ...(schema ? { schema, applicationName } : {}) });
    await hl.start();
    const endpoint = await hl.endpoints.create({ url: `${origin}/hook`, events: ['bench.*'] });
    const d = config.delivery;
    const settings = { max_in_flight: d.max_in_flight, per_endpoint_in_flight: d.per_endpoint_in_flight, batch_size: d.batch_size, poll_interval: d.poll_interval, ...(schema ? { pool_size: config.database.pool_size } : {}) };
    return {
      hl, endpoint, dataDir, config, settings,
      async close() {
        await hl.stop().catch((e) => console.error(`bench: stopping Hookline: ${e.message}`));
        await cleanup();
      },
    };
  } catch (err) {
    await hl?.stop().catch(() => {});
    await cleanup();
    throw err;
  }
}

/** Waits until no delivery is pending and `expected` have a final state; returns the counts. */
async function waitSettled(h, expected) {
  let last;
  const at = await waitFor(`${expected} deliveries to be recorded`, async () => {
    // Straight from the table (the store keeps no counting method just for the benchmark).
    const rows = await h.hl.store.db.selectFrom('deliveries').select(['status', (e) => e.fn.countAll().as('n')]).groupBy('status').execute();
    last = { pending: 0, delivered: 0, failed: 0, ...Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) };
    return last.pending === 0 && last.delivered + last.failed >= expected ? wall() : 0;
  }, K.phaseTimeoutMs, 25);
  return { at, counts: last };
}

async function hooklineThroughput(h, rx, n, { warm = Math.min(2000, n), conc = K.publishConcurrency, onStart } = {}) {
  const pad = padFor(K.bodyBytes);
  const publish = (i) => h.hl.publisher.publish({ type: 'bench.tick', data: { i, pad } });
  if (warm > 0) {
    // Warm-up (JIT, sockets), then wait until its results are written.
    const { reached } = await rx.arm(warm);
    await runConcurrent(warm, conc, publish, wall() + K.phaseTimeoutMs);
    const w = await reached;
    await rx.disarm();
    if (!w.ok) throw new Error(`warm-up: only ${w.unique} of ${warm} deliveries arrived`);
    await waitSettled(h, warm);
    gc();
  }
  const { reached } = await rx.arm(n);
  const cpu0 = process.cpuUsage();
  const t0 = wall();
  onStart?.(t0);
  await runConcurrent(n, conc, publish, t0 + K.phaseTimeoutMs);
  const tPublished = wall();
  const r = await reached;
  const cpu = process.cpuUsage(cpu0);
  await rx.disarm();
  if (!r.ok) throw new Error(`only ${r.unique} of ${n} deliveries arrived within ${K.phaseTimeoutMs / 1000}s`);
  const settled = await waitSettled(h, warm + n);
  const seconds = (r.at - t0) / 1000;
  return {
    n, publishConcurrency: conc,
    seconds: round(seconds, 3), perSecond: round(n / seconds, 0),
    publishSeconds: round((tPublished - t0) / 1000, 3), publishPerSecond: round(n / ((tPublished - t0) / 1000), 0),
    recordedSeconds: round((settled.at - t0) / 1000, 3),
    duplicates: r.dups, counts: settled.counts, cpuUsPerDelivery: round(cpuUs(cpu) / n, 1),
  };
}

async function hooklineLatency(h, rx) {
  const pad = padFor(K.bodyBytes);
  const total = K.rate * K.latencySeconds;
  const pubStart = new Float64Array(total);
  const scheduled = new Float64Array(total);
  const idx = new Map();
  const calls = [];
  let errors = 0;
  gc();
  const { reached } = await rx.arm(total, { latency: true });
  const start = wall() + 5;
  const deadline = start + K.latencySeconds * 1000 + 10_000;
  let k = 0;
  // Open loop: whatever is due by now is published now, then a ~1 ms sleep.
  for (let loops = 0; k < total && loops < total * 20 && wall() < deadline; loops++) {
    const due = Math.min(total, Math.floor(((wall() - start) * K.rate) / 1000) + 1);
    while (k < due) {
      const i = k++;
      scheduled[i] = start + (i * 1000) / K.rate;
      pubStart[i] = wall();
      calls.push(h.hl.publisher.publish({ type: 'bench.tick', data: { i, pad } }).then((res) => void idx.set(res.event.id, i), () => void errors++));
    }
    await sleep(1);
  }
  const tEnd = wall();
  await Promise.all(calls);
  const r = await reached;
  const got = await rx.disarm();
  const fromCall = [];
  const fromSchedule = [];
  let last = 0;
  for (let j = 0; j < got.ids.length; j++) {
    const i = idx.get(got.ids[j]);
    if (i === undefined) continue;
    fromCall.push(got.ts[j] - pubStart[i]);
    fromSchedule.push(got.ts[j] - scheduled[i]);
    last = Math.max(last, got.ts[j]);
  }
  await waitFor('the queue to drain', async () => (await h.hl.store.countPending()) === 0, K.phaseTimeoutMs, 25);
  const pick = (p) => ({ p50: round(p.p50, 2), p90: round(p.p90, 2), p99: round(p.p99, 2), p999: round(p.p999, 2), max: round(p.max, 2), min: round(p.min, 2) });
  // Delivered at the offered rate? If not, the percentiles measure a growing queue.
  const deliveredRate = fromCall.length / ((last - start) / 1000);
  return {
    rate: K.rate, seconds: K.latencySeconds, published: k, achievedPublishRate: round(k / ((tEnd - start) / 1000), 0),
    received: got.ids.length, complete: r.ok, publishErrors: errors,
    deliveredRate: round(deliveredRate, 0), saturated: fromCall.length < k || deliveredRate < 0.95 * K.rate,
    ms: pick(percentiles(fromCall)), fromScheduleMs: pick(percentiles(fromSchedule)),
  };
}

function stepHookline(kind) {
  return async (ctx) => {
    const h = await openHookline(ctx, kind, ctx.rx.origin);
    try {
      const throughput = await hooklineThroughput(h, ctx.rx, K.n);
      console.log(`  throughput ${throughput.perSecond}/s (publish ${throughput.publishPerSecond}/s, ${throughput.cpuUsPerDelivery} µs CPU/delivery)`);
      const latency = await hooklineLatency(h, ctx.rx);
      console.log(`  latency @${K.rate}/s: p50 ${latency.ms.p50} ms, p99 ${latency.ms.p99} ms${latency.saturated ? ` (SATURATED: delivered ${latency.deliveredRate}/s)` : ''}`);
      return { settings: h.settings, throughput, latency };
    } finally {
      await h.close();
    }
  };
}

/** Default delivery settings (per_endpoint_in_flight 16): how far N deliveries get in a bounded time. */
function stepDefaults(kind) {
  return async (ctx) => {
    const h = await openHookline(ctx, kind, ctx.rx.origin, { defaults: true });
    try {
      const t = await hooklineThroughput(h, ctx.rx, K.defaultsN, { warm: 0, onStart: (t0) => ctx.send({ type: 'mark', t0 }) });
      return { settings: h.settings, throughput: t };
    } finally {
      await h.close();
    }
  };
}

// ---------------------------------------------------------------------------------------
// Step: RSS with a backlog (SQLite)
// ---------------------------------------------------------------------------------------

async function stepBacklog(ctx) {
  const mem = () => {
    gc();
    const m = process.memoryUsage();
    return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external) };
  };
  const h = await openHookline(ctx, 'sqlite', ctx.rx.origin);
  const out = { backlog: K.backlog, pollSeconds: K.backlogPollSeconds, pollInterval: h.config.delivery.poll_interval };
  try {
    const store = h.hl.store;
    await sleep(1000);
    out.before = mem();
    const t0 = wall();
    const now = Date.now();
    // Pending but not due for a day: the dispatcher polls past them and must hold none in memory.
    const dueAt = now + 86_400_000;
    const CHUNK = 5000;
    const payload = JSON.stringify({ id: 'evt_backlog', type: 'bench.backlog', timestamp: new Date(now).toISOString(), org_id: 'org_default', env_id: 'env_default', data: { pad: padFor(K.bodyBytes) } });
    const chunks = Math.ceil(K.backlog / CHUNK);
    for (let c = 0; c < chunks && wall() - t0 < K.phaseTimeoutMs; c++) {
      const events = [];
      const deliveries = [];
      for (let i = c * CHUNK; i < Math.min(K.backlog, (c + 1) * CHUNK); i++) {
        const s = String(i).padStart(9, '0');
        events.push({ id: `evt_backlog_${s}`, type: 'bench.backlog', created_at: now, payload });
        deliveries.push({
          id: `dlv_backlog_${s}`, event_id: `evt_backlog_${s}`, endpoint_id: h.endpoint.id, event_type: 'bench.backlog', status: 'pending', attempts: 0,
          next_attempt_at: dueAt, lease_owner: null, created_at: now, updated_at: now, delivered_at: null, last_status_code: null, last_error: null,
        });
      }
      await store.transaction(async (tx) => {
        for (let i = 0; i < events.length; i += 500) await tx.db.insertInto('events').values(events.slice(i, i + 500)).execute();
        await tx.insertDeliveries(deliveries);
      });
    }
    out.insertSeconds = round((wall() - t0) / 1000, 1);
    out.pending = await store.countPending();
    if (out.pending < K.backlog) throw new Error(`only ${out.pending} of ${K.backlog} backlog rows were inserted within ${K.phaseTimeoutMs / 1000}s`);
    out.afterInsert = mem();
    // The dispatcher polls every poll_interval by itself; wake it every 100 ms on top.
    const tPoll = wall();
    for (let i = 0; i < K.backlogPollSeconds * 10 && wall() - tPoll < K.backlogPollSeconds * 1000; i++) {
      h.hl.dispatcher.wake();
      await sleep(100);
    }
    out.afterPolling = mem();
    // What one claim costs with the backlog present (nothing is due, so nothing is taken).
    const claims = [];
    for (let i = 0; i < 20; i++) {
      const t = wall();
      // perEndpoint/skipEndpoints: newer ClaimArgs need them; older builds ignore them.
      const rows = await store.claimDue({ now: Date.now(), leaseUntil: Date.now() + 60_000, owner: 'bench-probe', limit: K.batchSize, perEndpoint: K.perEndpointInFlight, skipEndpoints: [] });
      claims.push(wall() - t);
      if (rows.length) throw new Error('a not-yet-due delivery was claimed');
    }
    out.claimMs = round(percentiles(claims).p50, 3);
    out.dbFileMB = mb(statSync(join(h.dataDir, 'hookline.db')).size);
    out.growthMB = round(out.afterPolling.rssMB - out.before.rssMB, 1);
    out.pollingGrowthMB = round(out.afterPolling.rssMB - out.afterInsert.rssMB, 1);
    out.heapGrowthMB = round(out.afterPolling.heapUsedMB - out.before.heapUsedMB, 1);
    console.log(`  RSS ${out.before.rssMB} -> ${out.afterInsert.rssMB} -> ${out.afterPolling.rssMB} MB with ${out.pending} pending (inserted in ${out.insertSeconds}s)`);
  } finally {
    await h.close();
  }
  return out;
}

const STEPS = {
  limit: { run: stepLimit, timeoutMs: () => 60_000 + K.limitConcurrency.length * K.phaseTimeoutMs },
  sqlite: { run: stepHookline('sqlite'), timeoutMs: () => 4 * K.phaseTimeoutMs },
  postgres: { run: stepHookline('postgres'), timeoutMs: () => 4 * K.phaseTimeoutMs },
  peer: { run: stepPeer, timeoutMs: () => (K.peerGrid.length + 1) * K.phaseTimeoutMs },
  backlog: { run: stepBacklog, timeoutMs: () => 3 * K.phaseTimeoutMs },
  'sqlite-defaults': { run: stepDefaults('sqlite'), timeoutMs: () => K.defaultsSeconds * 1000, partial: true },
  'postgres-defaults': { run: stepDefaults('postgres'), timeoutMs: () => K.defaultsSeconds * 1000, partial: true },
};

async function stepMain(name) {
  const lib = await import(pathToFileURL(DIST).href);
  const undici = await import('undici');
  const pg = (await import('pg')).default;
  const PgBoss = (await import('pg-boss')).default;
  const rx = new Rx(process.env.BENCH_RECEIVER);
  await rx.calibrate(undici);
  const send = (m) => process.send(m);
  const track = (kind, value) => send({ type: 'resource', kind, value });
  const result = await STEPS[name].run({ lib, undici, pg, PgBoss, rx, track, send });
  return { ...result, clock: rx.calibration };
}

// ---------------------------------------------------------------------------------------
// Main (supervisor)
// ---------------------------------------------------------------------------------------

async function startReceiver() {
  const child = fork(SELF, ['--receiver'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the receiver did not start within 10 s')), 10_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m.port);
    });
    child.once('exit', (code) => reject(new Error(`the receiver exited (code ${code})`)));
  });
  return {
    rx: new Rx(`http://127.0.0.1:${port}`),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ cmd: 'exit' });
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Runs one step in a child process; kills it at its deadline and cleans up what it created. */
async function runStep(name, rx, pg) {
  const timeoutMs = STEPS[name].timeoutMs();
  const child = fork(SELF, ['--step', name], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'], env: { ...process.env, BENCH_RECEIVER: rx.origin } });
  const resources = [];
  let mark = null;
  const outcome = await new Promise((resolve) => {
    const timer = setTimeout(async () => {
      // Read the receiver before the kill: what got through by the deadline.
      const stats = await rx.ctl('/__stats').catch(() => null);
      resolve({ timedOut: true, stats, at: wall() });
    }, timeoutMs);
    child.on('message', (m) => {
      if (m.type === 'resource') resources.push(m);
      else if (m.type === 'mark') mark = m;
      else if (m.type === 'result') {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `the step process exited (${signal ?? `code ${code}`}) without a result` });
    });
  });
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    if (outcome.timedOut) child.kill('SIGKILL');
    await Promise.race([exited, sleep(outcome.timedOut ? 5000 : 15_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  let result;
  if (outcome.timedOut) {
    // What the receiver saw by the deadline (the step may have wedged its own event loop).
    await rx.ctl('/__disarm', 'POST').catch(() => {});
    const s = outcome.stats?.summary;
    const since = mark?.t0 ?? (s?.firstAt || null);
    const elapsed = since ? (outcome.at - since) / 1000 : null;
    result = { error: `no result within ${round(timeoutMs / 1000, 0)} s; killed`, timedOut: true, received: s?.unique ?? 0, target: s?.target ?? null, elapsedSeconds: round(elapsed, 1), perSecond: elapsed ? round((s?.unique ?? 0) / elapsed, 0) : 0 };
  } else {
    result = outcome.ok ? outcome.result : { error: outcome.error };
  }
  // Clean up whatever a failed or killed step left behind.
  for (const r of resources) {
    if (r.kind === 'dir') rmSync(r.value, { recursive: true, force: true });
    if (r.kind === 'schema' && pg) {
      await pgAdmin(pg, async (c) => {
        await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()", [`hookline-bench:${r.value}`]);
        await c.query(`DROP SCHEMA IF EXISTS ${r.value} CASCADE`);
      }).catch((e) => console.error(`bench: could not drop schema ${r.value}: ${e.message}`));
    }
  }
  return result;
}

function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? round(a / b, 2) : null;
}

function printReport(res) {
  const rows = [];
  const row = (name, perSec, p50, p99, note) => rows.push([name, perSec ?? '-', p50 ?? '-', p99 ?? '-', note ?? '']);
  const lim = res.steps.limit;
  if (lim?.best) row(`limit: undici, ${lim.best.concurrency} connections`, lim.best.perSecond, null, null, `${lim.best.cpuUsPerDelivery} µs CPU/request`);
  const peer = res.steps.peer;
  if (peer && !peer.error) row(`peer: pg-boss ${peer.workers} workers x batch ${peer.batchSize}`, peer.perSecond, null, null, `${peer.cpuUsPerDelivery} µs CPU/delivery; all completed at ${peer.completedSeconds}s`);
  for (const [key, label] of [['sqlite', 'Hookline SQLite'], ['postgres', 'Hookline PostgreSQL']]) {
    const r = res.steps[key];
    if (!r || r.error) continue;
    const l = r.latency;
    row(label, r.throughput.perSecond, l.ms.p50, l.ms.p99, `${r.throughput.cpuUsPerDelivery} µs CPU/delivery; publish ${r.throughput.publishPerSecond}/s${l.saturated ? `; SATURATED at ${K.rate}/s (delivered ${l.deliveredRate}/s)` : ''}`);
  }
  for (const [key, label] of [['sqlite-defaults', 'Hookline SQLite, default config'], ['postgres-defaults', 'Hookline PostgreSQL, default config']]) {
    const r = res.steps[key];
    if (!r) continue;
    if (r.timedOut) row(label, r.perSecond, null, null, `did not finish: ${r.received} of ${r.target ?? K.defaultsN} delivered in ${r.elapsedSeconds}s, then killed`);
    else if (r.error) row(label, null, null, null, `FAILED: ${r.error}`);
    else row(label, r.throughput.perSecond, null, null, `per_endpoint_in_flight ${r.settings.per_endpoint_in_flight}; N=${r.throughput.n}`);
  }
  const head = ['', 'deliveries/s', `p50 ms @${K.rate}/s`, `p99 ms @${K.rate}/s`, 'notes'];
  const all = [head, ...rows].map((r) => r.map(String));
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
  console.log('\n' + line(all[0]));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));

  console.log('\nratios');
  for (const x of res.ratios) {
    const verdict = x.value === null ? 'n/a' : x.ok ? 'ok' : 'MISS';
    console.log(`  ${x.name.padEnd(32)} ${String(x.value ?? '-').padStart(8)}   target ${x.target.padEnd(7)} ${verdict}`);
  }
  const b = res.steps.backlog;
  if (b && !b.error) {
    console.log(`\nRSS with ${b.pending.toLocaleString('en')} pending deliveries (SQLite file ${b.dbFileMB} MB, inserted in ${b.insertSeconds}s):`);
    console.log(`  before ${b.before.rssMB} MB, after insert ${b.afterInsert.rssMB} MB, after ${b.pollSeconds}s of polling ${b.afterPolling.rssMB} MB`);
    console.log(`  growth ${b.growthMB} MB (during polling ${b.pollingGrowthMB} MB; JS heap ${b.heapGrowthMB} MB); one empty claim ${b.claimMs} ms`);
  }
  for (const [k, v] of Object.entries(res.steps)) if (v?.error && !v.timedOut) console.log(`\n${k}: FAILED: ${v.error}`);
}

/** Which code was measured: the commit, whether the server's sources differ from it, when dist was built. */
function buildInfo() {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const dirty = git('status', '--porcelain', '--', 'packages/server/src');
  // tsc -b rewrites only changed outputs, so the newest file says when dist was last built.
  const distDir = dirname(DIST);
  let newest = 0;
  for (const f of readdirSync(distDir, { recursive: true }).slice(0, 10_000)) {
    if (String(f).endsWith('.js')) newest = Math.max(newest, statSync(join(distDir, String(f))).mtimeMs);
  }
  return { commit: git('rev-parse', 'HEAD'), serverSrcModified: dirty === null ? null : dirty.length > 0, distBuiltAt: new Date(newest).toISOString() };
}

async function main() {
  if (!existsSync(DIST)) fail(`${DIST} is missing: build the server first with \`npm run build\`, then run \`npm run bench\`.`);
  checkLocal(K.databaseUrl);
  if (typeof global.gc !== 'function') console.warn('bench: run with --expose-gc (npm run bench does) for meaningful memory figures');
  const pg = (await import('pg')).default;
  const started = new Date();
  const t0 = wall();
  const res = {
    date: started.toISOString(), node: process.version, platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, dist: DIST,
    settings: {
      n: K.n, bodyBytes: K.bodyBytes, publishConcurrency: K.publishConcurrency, hookline: hooklineDelivery(false), pgPoolSize: K.pgPoolSize,
      rate: K.rate, latencySeconds: K.latencySeconds, backlog: K.backlog, backlogPollSeconds: K.backlogPollSeconds,
      limitConcurrency: K.limitConcurrency, peerGrid: K.peerGrid, peerPollSeconds: K.peerPollSeconds, peerTuneN: K.peerTuneN || Math.min(K.n, 10_000),
      defaultsN: K.defaultsN, defaultsSeconds: K.defaultsSeconds, phaseTimeoutSeconds: K.phaseTimeoutMs / 1000,
      database: K.databaseUrl.replace(/\/\/[^@/]*@/, '//***@'),
    },
    build: buildInfo(),
    steps: {},
    loadavgBefore: os.loadavg().map((x) => round(x, 2)),
  };
  if (os.loadavg()[0] > 0.5 * os.cpus().length) console.warn(`bench: the machine is busy (1-min load average ${round(os.loadavg()[0], 2)} on ${os.cpus().length} CPUs); figures will be noisy`);
  let steps = K.only;
  if (steps.some((s) => s === 'postgres' || s === 'peer' || s === 'postgres-defaults')) {
    try {
      await pgAdmin(pg, (c) => c.query('SELECT 1'));
    } catch (err) {
      console.warn(`bench: PostgreSQL at ${res.settings.database} is unreachable (${err.message}); skipping the PostgreSQL and pg-boss steps`);
      steps = steps.filter((s) => s !== 'postgres' && s !== 'peer' && s !== 'postgres-defaults');
    }
  }
  const receiver = await startReceiver();
  try {
    for (const name of ALL_STEPS.filter((s) => steps.includes(s))) {
      const t = wall();
      console.log(`\n# ${name}`);
      res.steps[name] = await runStep(name, receiver.rx, pg);
      const st = res.steps[name];
      if (st.timedOut) console.log(`  did not finish: ${st.received} of ${st.target} delivered in ${st.elapsedSeconds}s (${st.perSecond}/s); killed at the ${round(STEPS[name].timeoutMs() / 1000, 0)} s deadline`);
      else if (st.error) console.log(`  FAILED: ${st.error}`);
      console.log(`  (${round((wall() - t) / 1000, 1)} s)`);
    }
  } finally {
    await receiver.close();
  }

  const s = res.steps;
  const lim = s.limit?.best?.perSecond;
  const sq = s.sqlite?.throughput?.perSecond;
  const pq = s.postgres?.throughput?.perSecond;
  const peer = s.peer?.perSecond;
  const r = (name, value, target, ok) => ({ name, value, target, ok: value === null ? null : ok(value) });
  res.ratios = [
    r('Hookline SQLite / limit', ratio(sq, lim), `>= ${TARGETS.sqliteVsLimit}`, (v) => v >= TARGETS.sqliteVsLimit),
    r('Hookline PostgreSQL / limit', ratio(pq, lim), `>= ${TARGETS.postgresVsLimit}`, (v) => v >= TARGETS.postgresVsLimit),
    r('Hookline PostgreSQL / peer', ratio(pq, peer), `>= ${TARGETS.hooklineVsPeer}`, (v) => v >= TARGETS.hooklineVsPeer),
    r('Hookline SQLite / peer', ratio(sq, peer), `>= ${TARGETS.hooklineVsPeer}`, (v) => v >= TARGETS.hooklineVsPeer),
    r(`p99 SQLite @${K.rate}/s, ms`, s.sqlite?.latency?.ms?.p99 ?? null, `<= ${TARGETS.p99Ms}`, (v) => v <= TARGETS.p99Ms),
    r(`p99 PostgreSQL @${K.rate}/s, ms`, s.postgres?.latency?.ms?.p99 ?? null, `<= ${TARGETS.p99Ms}`, (v) => v <= TARGETS.p99Ms),
    r('RSS growth with backlog, MB', s.backlog?.growthMB ?? null, `< ${TARGETS.rssGrowthMB}`, (v) => v < TARGETS.rssGrowthMB),
  ];
  res.targets = TARGETS;
  res.loadavgAfter = os.loadavg().map((x) => round(x, 2));
  res.totalSeconds = round((wall() - t0) / 1000, 1);
  printReport(res);
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS + '.tmp', JSON.stringify(res, null, 2) + '\n');
  renameSync(RESULTS + '.tmp', RESULTS);
  console.log(`\nwrote ${RESULTS} (total ${res.totalSeconds} s)`);
}

const mode = process.argv[2];
if (mode === '--receiver') {
  receiverMain();
} else if (mode === '--step') {
  const name = process.argv[3];
  try {
    process.send({ type: 'result', ok: true, result: await stepMain(name) });
  } catch (err) {
    console.error(`bench: step ${name} failed: ${err.stack ?? err}`);
    process.send({ type: 'result', ok: false, error: String(err.message ?? err) });
  }
  process.disconnect();
  // Anything still holding the loop (a wedged pool, a timer) must not keep the step alive.
  setTimeout(() => process.exit(0), 2000).unref();
} else {
  await main();
}
