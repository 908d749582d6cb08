// The benchmark's settings, each overridable by an environment variable (see bench/README.md).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH_DIR);
export const DIST = resolve(process.env.BENCH_DIST ?? join(ROOT, 'packages/server/dist/index.js'));
export const CLI = join(ROOT, 'packages/server/bin/hookline.js');
export const RESULTS = join(BENCH_DIR, 'results', 'latest.json');
export const MASTER_KEY = '11'.repeat(32);
export const ADMIN_KEY = 'hl_sk_bench_admin_0123456789abcdef';

export function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(1);
}

function intEnv(name, def, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) fail(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return value;
}

function listEnv(name, def) {
  const raw = process.env[name];
  return raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : def;
}

function intListEnv(name, def, min, max) {
  return listEnv(name, def).map((s) => {
    const value = Number(s);
    if (!Number.isInteger(value) || value < min || value > max) fail(`${name} entries must be integers in [${min}, ${max}], got "${s}"`);
    return value;
  });
}

/** "AxB" pairs, e.g. pg-boss "workers x batchSize". */
function pairListEnv(name, def, [a, b]) {
  return listEnv(name, def).map((s) => {
    const [x, y] = s.split('x').map(Number);
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 1 || y < 1 || x > 10_000 || y > 10_000)
      fail(`${name} entry "${s}" must look like 16x250 (${a} x ${b})`);
    return { [a]: x, [b]: y };
  });
}

/** Steps in the order they run. */
export const ALL_STEPS = [
  'limit',
  'sqlite',
  'postgres',
  'pgboss',
  'graphile-worker',
  'bullmq',
  'postgres-1ms',
  'http-sqlite',
  'http-postgres',
  'http-postgres-split',
  'backlog',
  'intake',
  'sqlite-defaults',
  'postgres-defaults',
  'fairness-sqlite',
  'fairness-postgres',
];

export const K = {
  n: intEnv('BENCH_N', 20_000, 100, 1_000_000),
  limitConcurrency: intListEnv('BENCH_LIMIT_CONCURRENCY', ['64', '256'], 1, 4096),
  publishConcurrency: intEnv('BENCH_PUBLISH_CONCURRENCY', 64, 1, 4096),
  maxInFlight: intEnv('BENCH_MAX_IN_FLIGHT', 256, 1, 10_000),
  perEndpointInFlight: intEnv('BENCH_PER_ENDPOINT_IN_FLIGHT', 256, 1, 1000),
  batchSize: intEnv('BENCH_BATCH_SIZE', 256, 1, 5000),
  pgPoolSize: intEnv('BENCH_PG_POOL_SIZE', 10, 1, 200),
  rate: intEnv('BENCH_RATE', 1000, 1, 100_000),
  latencySeconds: intEnv('BENCH_LATENCY_SECONDS', 8, 1, 300),
  backlog: intEnv('BENCH_BACKLOG', 1_000_000, 1, 50_000_000),
  backlogPollSeconds: intEnv('BENCH_BACKLOG_POLL_SECONDS', 10, 1, 600),
  defaultsN: intEnv('BENCH_DEFAULTS_N', 5000, 100, 1_000_000),
  defaultsSeconds: intEnv('BENCH_DEFAULTS_SECONDS', 20, 5, 600),
  fairnessBacklog: intEnv('BENCH_FAIRNESS_BACKLOG', 1_000_000, 1000, 50_000_000),
  fairnessRate: intEnv('BENCH_FAIRNESS_RATE', 100, 1, 10_000),
  fairnessSeconds: intEnv('BENCH_FAIRNESS_SECONDS', 60, 1, 300),
  bodyBytes: intEnv('BENCH_BODY_BYTES', 300, 200, 100_000),
  phaseTimeoutMs: intEnv('BENCH_PHASE_TIMEOUT_SECONDS', 120, 5, 3600) * 1000,
  peerTuneN: intEnv('BENCH_PEER_TUNE_N', 0, 0, 1_000_000), // 0: min(N, 5000)
  // pg-boss: "workers x batchSize"; pollingIntervalSeconds is pinned at pg-boss's minimum.
  pgbossGrid: pairListEnv('BENCH_PGBOSS_GRID', ['16x100', '8x500', '32x250'], ['workers', 'batchSize']),
  peerPollSeconds: 0.5,
  // graphile-worker: "concurrency x localQueueSize" (batched fetch), completion batched.
  graphileGrid: pairListEnv('BENCH_GRAPHILE_GRID', ['64x65', '256x257'], ['concurrency', 'localQueueSize']),
  // BullMQ: "workers x concurrency" (Worker instances in this process x concurrency each).
  bullmqGrid: pairListEnv('BENCH_BULLMQ_GRID', ['1x256', '4x64'], ['workers', 'concurrency']),
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  // HTTP end to end through `hookline serve`: open-loop rates, each for httpSeconds.
  httpRates: intListEnv('BENCH_HTTP_RATES', ['500', '1000', '2000', '2500', '3000', '4000', '5000', '7500'], 1, 100_000),
  httpSeconds: intEnv('BENCH_HTTP_SECONDS', 8, 1, 120),
  httpEndpoints: intEnv('BENCH_HTTP_ENDPOINTS', 100, 1, 1000),
  httpConnections: intEnv('BENCH_HTTP_CONNECTIONS', 128, 1, 4096),
  httpWorkers: intEnv('BENCH_HTTP_WORKERS', 2, 1, 16),
  // PostgreSQL behind the latency proxy: added round trip, microseconds (timer resolution ~1 ms).
  rttUs: intEnv('BENCH_RTT_US', 1000, 0, 100_000),
  intakeSeconds: intEnv('BENCH_INTAKE_SECONDS', 10, 1, 300),
  intakeConnections: intEnv('BENCH_INTAKE_CONNECTIONS', 64, 1, 4096),
  only: listEnv('BENCH_ONLY', ALL_STEPS),
  databaseUrl: process.env.BENCH_DATABASE_URL ?? process.env.HOOKLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
};
for (const step of K.only) if (!ALL_STEPS.includes(step)) fail(`BENCH_ONLY: unknown step "${step}" (steps: ${ALL_STEPS.join(', ')})`);

/** Performance targets (ratios in one run; the table marks each ok or MISS). */
export const TARGETS = {
  sqliteVsLimit: 0.7,
  postgresVsLimit: 0.4,
  vsGraphile: 1.5,
  machineUsSqlite: 170,
  machineUsPostgres: 300,
  p99Ms: 10,
  httpP99Ms: 25,
  intakeVsCeiling: 0.5,
  rttKeep: 0.7,
  rssGrowthMB: 50,
  fairnessP99Ratio: 2,
};

export function checkLocal(url, what) {
  let host;
  try {
    host = new URL(url).hostname;
  } catch {
    fail(`${what} is not a URL`);
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) fail(`the benchmark only talks to 127.0.0.1; ${what} points at "${host}"`);
}
