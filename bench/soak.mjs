// `npm run bench:soak`: Hookline as a real `hookline serve` process, fed at a fixed rate for a
// long time, to see whether anything drifts: throughput, latency, memory.
//
// Defaults: 30 minutes at 1,000 events/s spread over 100 endpoints (each endpoint
// subscribes to its own event type, so 1,000 deliveries/s), 5% of them failing. Every 10 s it
// samples throughput, p50/p99 from the publish call to the receiver, and Hookline's RSS; at
// the end it waits for the healthy endpoints to drain and writes bench/results/soak.json,
// soak.svg and soak.png (soak-postgres.* with SOAK_STORE=postgres). See bench/README.md ("Soak") for every setting.
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { writeSoakChart } from './soak-chart.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const CLI = join(ROOT, 'packages/server/bin/hookline.js');
const RESULTS = join(BENCH, 'results');
const ADMIN_KEY = 'hl_sk_soak_admin_0123456789abcdef';
const wall = () => performance.timeOrigin + performance.now();

function num(name, def, min, max) {
  const v = process.env[name] === undefined ? def : Number(process.env[name]);
  if (!Number.isFinite(v) || v < min || v > max) {
    console.error(`${name} must be a number from ${min} to ${max} (got "${process.env[name]}").`);
    process.exit(2);
  }
  return v;
}

const S = {
  minutes: num('SOAK_MINUTES', 30, 0.5, 24 * 60),
  rate: num('SOAK_RATE', 1000, 1, 100_000),
  endpoints: num('SOAK_ENDPOINTS', 100, 1, 10_000),
  failingPercent: num('SOAK_FAILING_PERCENT', 5, 0, 100),
  sampleSeconds: num('SOAK_SAMPLE_SECONDS', 10, 1, 600),
  drainSeconds: num('SOAK_DRAIN_SECONDS', 120, 5, 3600),
  store: process.env.SOAK_STORE ?? 'sqlite',
  databaseUrl: process.env.HOOKLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
};
S.failingEndpoints = Math.round((S.endpoints * S.failingPercent) / 100);
if (!['sqlite', 'postgres'].includes(S.store)) {
  console.error(`SOAK_STORE must be sqlite or postgres (got "${S.store}").`);
  process.exit(2);
}
if (!existsSync(join(ROOT, 'packages/server/dist/cli/main.js'))) {
  console.error('packages/server/dist is missing: run `npm run build` first.');
  process.exit(2);
}

const cleanups = [];
async function cleanup() {
  for (const fn of cleanups.reverse())
    await Promise.resolve()
      .then(fn)
      .catch((e) => console.error(`cleanup: ${e.message}`));
}

function startReceiver() {
  const child = fork(join(BENCH, 'soak-receiver.mjs'), { env: { ...process.env, SOAK_FAILING: String(S.failingEndpoints) } });
  cleanups.push(() => child.kill());
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${m.port}` }));
    child.once('exit', (code) => reject(new Error(`receiver exited (${code})`)));
  });
}

async function postgresSchema() {
  const { default: pg } = await import('pg');
  const schema = `soak_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: S.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: S.databaseUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });
  const sep = S.databaseUrl.includes('?') ? '&' : '?';
  return `${S.databaseUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function startHookline() {
  const dir = mkdtempSync(join(os.tmpdir(), 'hookline-soak-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const env = {
    ...process.env,
    HOOKLINE_DATA_DIR: dir,
    HOOKLINE_ADMIN_KEY: ADMIN_KEY,
    HOOKLINE_MASTER_KEY: '11'.repeat(32),
    HOOKLINE_ALLOW_NETWORKS: '127.0.0.1/32',
    HOOKLINE_LOG_LEVEL: 'warn',
  };
  if (S.store === 'postgres') env.HOOKLINE_DATABASE_URL = await postgresSchema();
  const child = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => child.kill('SIGTERM'));
  const errors = [];
  child.stderr.on('data', (c) => errors.push(String(c)) && errors.length > 50 && errors.shift());
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      // Hookline logs JSON to stdout: keep its warnings and errors (a failed result write is one).
      for (const line of String(c).split('\n')) {
        if (!/"level":(40|50|60)/.test(line)) continue;
        errors.push(`${line}\n`);
        if (errors.length > 50) errors.shift();
      }
      if (out.length > 4096) return;
      out += c;
      const m = /Hookline listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`hookline serve exited (${code}): ${errors.join('')}`)));
  });
  return { child, url, errors };
}

/** RSS in MB and CPU seconds (user+system) of a process, from /proc. */
function procStats(pid) {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { rssMB: rss, cpuSeconds: (Number(f[11]) + Number(f[12])) / 100 };
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const round = (x, d = 1) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

async function main() {
  const { Pool } = await import('undici');
  const rx = await startReceiver();
  const hl = await startHookline();
  const api = new Pool(hl.url, { connections: 64, pipelining: 1 });
  cleanups.push(() => api.close());
  const call = async (method, path, body) => {
    const res = await api.request({
      method,
      path,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null };
  };
  const endpointIds = [];
  for (let k = 0; k < S.endpoints; k++) {
    const r = await call('POST', '/api/v1/webhooks/endpoints', {
      url: `${rx.url}/ep/${k}`,
      events: [`soak.e${k}`],
      description: k < S.failingEndpoints ? 'soak: failing half the time' : 'soak: healthy',
    });
    if (r.status !== 201) throw new Error(`creating endpoint ${k}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    endpointIds.push(r.body.id);
  }
  const rxGet = async (path) => (await fetch(rx.url + path)).json();
  await rxGet('/__window');

  console.log(
    `soak: ${S.rate} events/s to ${S.endpoints} endpoints (${S.failingEndpoints} failing half the time) on ${S.store} for ${S.minutes} min; a sample every ${S.sampleSeconds} s`,
  );
  const pub = { sent: 0, accepted: { healthy: 0, failing: 0 }, statuses: {}, inFlight: 0, behind: 0, win: { sent: 0, accepted: 0 } };
  const MAX_IN_FLIGHT = 5000;
  const publishOne = (seq) => {
    const k = seq % S.endpoints;
    pub.inFlight++;
    pub.sent++;
    pub.win.sent++;
    call('POST', '/api/v1/events', { type: `soak.e${k}`, data: { seq, sent_at: wall() } })
      .then((r) => {
        pub.statuses[r.status] = (pub.statuses[r.status] ?? 0) + 1;
        if (r.status === 202) {
          pub.win.accepted++;
          pub.accepted[k < S.failingEndpoints ? 'failing' : 'healthy']++;
        }
      })
      .catch((e) => (pub.statuses[e.code ?? 'error'] = (pub.statuses[e.code ?? 'error'] ?? 0) + 1))
      .finally(() => pub.inFlight--);
  };

  // Open loop: the offered rate does not slow down when Hookline does (no coordinated omission).
  const start = wall();
  const end = start + S.minutes * 60_000;
  let offered = 0;
  const ticker = setInterval(() => {
    const due = Math.floor(((Math.min(wall(), end) - start) / 1000) * S.rate);
    for (; offered < due; offered++) {
      if (pub.inFlight >= MAX_IN_FLIGHT) pub.behind++;
      else publishOne(offered);
    }
  }, 10);

  const samples = [];
  let lastCpu = procStats(hl.child.pid).cpuSeconds;
  let lastAt = start;
  while (wall() < end) {
    await sleep(Math.min(S.sampleSeconds * 1000, end - wall() + 5));
    const now = wall();
    const secs = (now - lastAt) / 1000;
    const w = await rxGet('/__window');
    const ps = procStats(hl.child.pid);
    const sample = {
      t: round((now - start) / 1000, 0),
      offeredPerSec: round(pub.win.sent / secs),
      acceptedPerSec: round(pub.win.accepted / secs),
      deliveredPerSec: round(w.delivered / w.seconds),
      p50Ms: round(w.p50Ms, 2),
      p99Ms: round(w.p99Ms, 2),
      maxMs: round(w.maxMs, 1),
      answered500: w.answered500,
      duplicates: w.duplicates,
      rssMB: round(ps.rssMB),
      cpuPercent: round(((ps.cpuSeconds - lastCpu) / secs) * 100, 0),
      publisherInFlight: pub.inFlight,
    };
    lastCpu = ps.cpuSeconds;
    lastAt = now;
    pub.win = { sent: 0, accepted: 0 };
    samples.push(sample);
    console.log(
      `  ${String(sample.t).padStart(5)} s  accepted ${sample.acceptedPerSec}/s  delivered ${sample.deliveredPerSec}/s  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms  RSS ${sample.rssMB} MB  CPU ${sample.cpuPercent}%`,
    );
  }
  clearInterval(ticker);
  while (pub.inFlight > 0) await sleep(50);

  // Drain: every accepted event for a healthy endpoint must arrive; the failing ones wait on
  // their retry schedule (30 s, 2 min, 10 min…), so what is still pending there is reported.
  const drainStart = wall();
  let totals = await rxGet('/__totals');
  while (totals.deliveredHealthy < pub.accepted.healthy && wall() - drainStart < S.drainSeconds * 1000) {
    await sleep(500);
    totals = await rxGet('/__totals');
  }
  const drainSeconds = (wall() - drainStart) / 1000;
  // Not arrived is not lost: what the store still holds as pending for a healthy endpoint is a
  // backlog (Hookline slower than the offered rate); only the rest would be a loss.
  let healthyStillPending = 0;
  if (totals.deliveredHealthy < pub.accepted.healthy) {
    for (let k = S.failingEndpoints; k < S.endpoints; k++) {
      const r = await call('GET', `/api/v1/deliveries?endpoint_id=${endpointIds[k]}&status=pending&limit=1`);
      healthyStillPending += r.body.total;
    }
  }

  // RSS trend after warm-up (the first fifth of the run, at most 2 minutes).
  const warm = Math.min(120, (S.minutes * 60) / 5);
  const steady = samples.filter((s) => s.t >= warm);
  const perMin =
    steady.length >= 3
      ? slope(
          steady.map((s) => s.t / 60),
          steady.map((s) => s.rssMB),
        )
      : null;
  const meanRss = steady.reduce((a, s) => a + s.rssMB, 0) / Math.max(1, steady.length);
  const spanMin = steady.length ? (steady.at(-1).t - steady[0].t) / 60 : 0;
  const growth = perMin === null ? null : perMin * spanMin;
  const flat = growth !== null && growth < Math.max(20, meanRss * 0.1);
  const all = (f) => samples.map(f).filter((v) => typeof v === 'number');
  const sorted = (xs) => [...xs].sort((a, b) => a - b);

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    settings: { ...S, databaseUrl: S.store === 'postgres' ? S.databaseUrl : undefined },
    publisher: { offered, sent: pub.sent, behind: pub.behind, accepted: pub.accepted, statuses: pub.statuses },
    delivered: { healthy: totals.deliveredHealthy, failing: totals.deliveredFailing, duplicates: totals.duplicates, answered500: totals.answered500 },
    healthyStillPending,
    lostHealthy: pub.accepted.healthy - totals.deliveredHealthy - healthyStillPending,
    failingStillInRetry: pub.accepted.failing - totals.deliveredFailing,
    drainSeconds: round(drainSeconds),
    summary: {
      acceptedPerSecMean: round(all((s) => s.acceptedPerSec).reduce((a, b) => a + b, 0) / samples.length),
      deliveredPerSecMean: round(all((s) => s.deliveredPerSec).reduce((a, b) => a + b, 0) / samples.length),
      p50MsMedianOfWindows: round(sorted(all((s) => s.p50Ms))[Math.floor(samples.length / 2)], 2),
      p99MsMedianOfWindows: round(sorted(all((s) => s.p99Ms))[Math.floor(samples.length / 2)], 2),
      p99MsWorstWindow: round(Math.max(...all((s) => s.p99Ms)), 2),
      rss: {
        warmupSeconds: warm,
        meanMB: round(meanRss),
        minMB: round(Math.min(...steady.map((s) => s.rssMB))),
        maxMB: round(Math.max(...steady.map((s) => s.rssMB))),
        slopeMBPerMin: round(perMin, 3),
        growthOverRunMB: round(growth),
        flat,
      },
    },
    hooklineWarningsTail: hl.errors.join('').slice(-4000),
    samples,
  };
  // Over the run, not after the drain: Hookline delivered noticeably less than it accepted.
  result.saturated = result.summary.deliveredPerSecMean < 0.95 * result.summary.acceptedPerSecMean;
  mkdirSync(RESULTS, { recursive: true });
  // soak.json for the embedded default; soak-postgres.json etc. so a run on another store keeps the first.
  const name = S.store === 'sqlite' ? 'soak' : `soak-${S.store}`;
  writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const chart = await writeSoakChart(result, join(RESULTS, `${name}.svg`), join(RESULTS, `${name}.png`));
  console.log(
    `\nsoak done: accepted ${pub.accepted.healthy + pub.accepted.failing} of ${offered} offered (${pub.behind} not sent: publisher over ${MAX_IN_FLIGHT} in flight)`,
  );
  console.log(
    `  healthy endpoints: lost ${result.lostHealthy}, duplicates ${totals.duplicates}, ${healthyStillPending ? `${healthyStillPending} still pending after ${result.drainSeconds} s` : `drained in ${result.drainSeconds} s`}${result.saturated ? ' (SATURATED: Hookline delivered less than it accepted)' : ''}`,
  );
  console.log(`  failing endpoints: ${totals.deliveredFailing} delivered, ${result.failingStillInRetry} still in retry`);
  console.log(
    `  p50 ${result.summary.p50MsMedianOfWindows} ms, p99 ${result.summary.p99MsMedianOfWindows} ms (median window), worst window p99 ${result.summary.p99MsWorstWindow} ms`,
  );
  console.log(
    `  RSS ${result.summary.rss.minMB}–${result.summary.rss.maxMB} MB after warm-up, trend ${result.summary.rss.slopeMBPerMin} MB/min (${result.summary.rss.growthOverRunMB} MB over the run): ${flat ? 'flat' : 'GROWING'}`,
  );
  console.log(`  wrote bench/results/${name}.json, ${chart.png ? `${name}.png` : chart.note}`);
  return result.lostHealthy === 0 && flat ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (err) => {
    console.error(`soak failed: ${err.stack ?? err}`);
    await cleanup();
    process.exit(1);
  });
