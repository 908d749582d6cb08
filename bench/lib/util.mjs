// Small helpers every benchmark process uses.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { K } from './knobs.mjs';

export { sleep };

/** High-resolution wall clock (ms since the epoch, sub-ms precision), comparable across processes. */
export const wall = () => performance.timeOrigin + performance.now();

/** Runs fn(0..n-1) with at most `conc` calls open; throws once past the deadline. */
export async function runConcurrent(n, conc, fn, deadline) {
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
export async function waitFor(what, probe, timeoutMs, everyMs = 50) {
  const deadline = wall() + timeoutMs;
  for (let i = 0; i <= Math.ceil(timeoutMs / everyMs); i++) {
    const value = await probe();
    if (value) return value;
    if (wall() > deadline) break;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN);
  return { n: sorted.length, min: sorted[0], p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: sorted[sorted.length - 1] };
}

/** Percentiles rounded for the JSON. */
export function pickPercentiles(values) {
  const p = percentiles(values);
  return { p50: round(p.p50, 2), p90: round(p.p90, 2), p99: round(p.p99, 2), p999: round(p.p999, 2), max: round(p.max, 2), min: round(p.min, 2) };
}

export const round = (x, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);
export const mb = (bytes) => round(bytes / 1048576, 1);
export const cpuUs = (c) => c.user + c.system;
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? round(a / b, 2) : null);

export function gc() {
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
}

/** The pad that makes a Hookline-shaped envelope about `bodyBytes` long. */
export function padFor(bodyBytes) {
  const sample = JSON.stringify({
    id: 'evt_' + '0'.repeat(26),
    type: 'bench.tick',
    timestamp: new Date().toISOString(),
    org_id: 'org_default',
    env_id: 'env_default',
    data: { i: 12345, pad: '' },
  });
  return 'x'.repeat(Math.max(0, bodyBytes - sample.length));
}

/** Runs fn with a short-lived admin connection to the benchmark database. */
export async function pgAdmin(pg, fn, url = K.databaseUrl) {
  const client = new pg.Client({ connectionString: url, application_name: 'hookline-bench-admin', statement_timeout: 60_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `url` with query parameters added (application_name, options, …). */
export function withParams(url, params) {
  const u = new URL(url);
  for (const [key, value] of Object.entries(params)) u.searchParams.set(key, value);
  return u.toString();
}

/** Drops a schema once the connections tagged with its application name are gone (bounded wait). */
export async function dropSchema(pg, schema) {
  await pgAdmin(pg, async (client) => {
    const applicationName = `hookline-bench:${schema}`;
    await waitFor(
      `connections of ${schema} to close`,
      async () => (await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows[0].n === 0,
      5000,
      100,
    ).catch(async () => {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [applicationName]);
    });
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
}
