#!/usr/bin/env node
// Hookline delivery benchmark: `npm run build && npm run bench`. See bench/README.md.
//
// Processes:
//   main      supervises (lib/supervisor.mjs): starts the receiver, runs each step in its own
//             child process under a hard deadline, cleans up after a failed or killed step,
//             prints the tables and writes bench/results/latest.json with its `summary`.
//   receiver  lib/receiver.mjs: node:http on 127.0.0.1, counts distinct `webhook-id`s.
//   step      one per step (steps/*.mjs), a fresh process: steps cannot disturb each other,
//             and a step that wedges its own event loop is killed instead of hanging the run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hooklineDelivery } from './lib/hookline.mjs';
import { ALL_STEPS, checkLocal, DIST, fail, K, RESULTS, ROOT } from './lib/knobs.mjs';
import { machineMeter } from './lib/machine.mjs';
import { receiverMain, Rx } from './lib/receiver.mjs';
import { buildSummary, checkTargets, printReport } from './lib/report.mjs';
import { runStep, startReceiver } from './lib/supervisor.mjs';
import { pgAdmin, round, wall } from './lib/util.mjs';
import { stepBacklog } from './steps/backlog.mjs';
import { stepBullMq } from './steps/bullmq.mjs';
import { stepGraphileWorker } from './steps/graphile-worker.mjs';
import { stepFairness } from './steps/fairness.mjs';
import { stepDefaults, stepHookline, stepPostgresRtt } from './steps/hookline.mjs';
import { stepHttp } from './steps/http.mjs';
import { stepIntake } from './steps/intake.mjs';
import { stepLimit } from './steps/limit.mjs';
import { stepPgBoss } from './steps/pgboss.mjs';

const SELF = fileURLToPath(import.meta.url);
const maskUrl = (url) => url.replace(/\/\/[^@/]*@/, '//***@');
const phase = () => K.phaseTimeoutMs;
const httpTimeout = () => 120_000 + K.httpRates.length * (K.httpSeconds * 1000 + 30_000);

/** Each step: what runs in its process, its hard deadline, whether it needs PostgreSQL / Redis. */
const STEPS = {
  limit: { run: stepLimit, timeoutMs: () => 60_000 + K.limitConcurrency.length * phase() },
  sqlite: { run: stepHookline('sqlite'), timeoutMs: () => 4 * phase() },
  postgres: { run: stepHookline('postgres'), timeoutMs: () => 4 * phase(), postgres: true },
  pgboss: { run: stepPgBoss, timeoutMs: () => (K.pgbossGrid.length + 1) * phase(), postgres: true },
  'graphile-worker': { run: stepGraphileWorker, timeoutMs: () => (K.graphileGrid.length + 1) * phase(), postgres: true },
  bullmq: { run: stepBullMq, timeoutMs: () => (K.bullmqGrid.length + 1) * phase(), redis: true },
  'postgres-1ms': { run: stepPostgresRtt, timeoutMs: () => 3 * phase(), postgres: true },
  'http-sqlite': { run: stepHttp('sqlite'), timeoutMs: httpTimeout },
  'http-postgres': { run: stepHttp('postgres'), timeoutMs: httpTimeout, postgres: true },
  'http-postgres-split': { run: stepHttp('postgres-split'), timeoutMs: httpTimeout, postgres: true },
  backlog: { run: stepBacklog, timeoutMs: () => 3 * phase() },
  intake: { run: stepIntake, timeoutMs: () => 4 * K.intakeSeconds * 1000 + 90_000 },
  'sqlite-defaults': { run: stepDefaults('sqlite'), timeoutMs: () => K.defaultsSeconds * 1000 },
  'postgres-defaults': { run: stepDefaults('postgres'), timeoutMs: () => K.defaultsSeconds * 1000, postgres: true },
  'fairness-sqlite': { run: stepFairness('sqlite'), timeoutMs: () => 3 * phase() },
  'fairness-postgres': { run: stepFairness('postgres'), timeoutMs: () => 3 * phase(), postgres: true },
};

async function stepMain(name) {
  const lib = await import(pathToFileURL(DIST).href);
  const undici = await import('undici');
  const pg = (await import('pg')).default;
  const rx = new Rx(process.env.BENCH_RECEIVER);
  await rx.calibrate(undici);
  const receiverPid = Number(process.env.BENCH_RECEIVER_PID) || null;
  const send = (m) => process.send(m);
  const track = (kind, value) => send({ type: 'resource', kind, value });
  const meter = (server, extraPids, options = {}) => machineMeter({ pg, receiverPid, server, extraPids, ...options });
  const result = await STEPS[name].run({ lib, undici, pg, rx, track, send, meter });
  return { ...result, clock: rx.calibration };
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

/** Steps whose server is unreachable are recorded as failed (their summary keys become null). */
async function reachable(pg) {
  const out = { postgres: true, redis: true };
  try {
    await pgAdmin(pg, (c) => c.query('SELECT 1'));
  } catch (err) {
    out.postgres = `PostgreSQL unreachable: ${err.message}`;
  }
  try {
    const Redis = (await import('ioredis')).default;
    const redis = new Redis(K.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    redis.on('error', () => {}); // the connect() rejection below says it
    await redis.connect();
    await redis.ping();
    await redis.quit();
  } catch (err) {
    out.redis = `Redis unreachable at ${maskUrl(K.redisUrl)}: ${err.message}`;
  }
  return out;
}

async function main() {
  if (!existsSync(DIST)) fail(`${DIST} is missing: build the server first with \`npm run build\`, then run \`npm run bench\`.`);
  checkLocal(K.databaseUrl, 'BENCH_DATABASE_URL');
  checkLocal(K.redisUrl, 'BENCH_REDIS_URL');
  if (typeof global.gc !== 'function') console.warn('bench: run with --expose-gc (npm run bench does) for meaningful memory figures');
  const pg = (await import('pg')).default;
  const t0 = wall();
  const res = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    dist: DIST,
    // The URLs only with their credentials masked.
    settings: { ...K, hookline: hooklineDelivery(false), databaseUrl: maskUrl(K.databaseUrl), redisUrl: maskUrl(K.redisUrl) },
    build: buildInfo(),
    loadavgBefore: os.loadavg().map((x) => round(x, 2)),
    summary: null,
    steps: {},
  };
  if (os.loadavg()[0] > 0.5 * os.cpus().length)
    console.warn(`bench: the machine is busy (1-min load average ${round(os.loadavg()[0], 2)} on ${os.cpus().length} CPUs); figures will be noisy`);
  const servers = await reachable(pg);
  const receiver = await startReceiver(SELF);
  try {
    for (const name of ALL_STEPS.filter((s) => K.only.includes(s))) {
      const t = wall();
      console.log(`\n# ${name}`);
      const missing = (STEPS[name].postgres && servers.postgres !== true && servers.postgres) || (STEPS[name].redis && servers.redis !== true && servers.redis);
      if (missing) {
        res.steps[name] = { error: missing };
        console.log(`  skipped: ${missing}`);
        continue;
      }
      res.steps[name] = await runStep({ entry: SELF, name, timeoutMs: STEPS[name].timeoutMs(), receiver, pg });
      const st = res.steps[name];
      if (st.timedOut)
        console.log(
          `  did not finish: ${st.received} of ${st.target} delivered in ${st.elapsedSeconds}s (${st.perSecond}/s); killed at the ${round(STEPS[name].timeoutMs() / 1000, 0)} s deadline`,
        );
      else if (st.error) console.log(`  FAILED: ${st.error}`);
      console.log(`  (${round((wall() - t) / 1000, 1)} s)`);
    }
  } finally {
    await receiver.close();
  }
  res.summary = buildSummary(res.steps);
  res.targets = checkTargets(res.summary, res.steps);
  res.loadavgAfter = os.loadavg().map((x) => round(x, 2));
  res.totalSeconds = round((wall() - t0) / 1000, 1);
  printReport(res);
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS + '.tmp', JSON.stringify(res, null, 2) + '\n');
  renameSync(RESULTS + '.tmp', RESULTS);
  console.log(`\nwrote ${RESULTS} (total ${res.totalSeconds} s; load average before ${res.loadavgBefore.join(' ')}, after ${res.loadavgAfter.join(' ')})`);
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
