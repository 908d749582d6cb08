// Steps: end to end through the real `hookline serve`, events published over HTTP with an admin
// key to BENCH_HTTP_ENDPOINTS endpoints (event i goes to endpoint i mod E), at open-loop fixed
// rates rising until saturation (delivered < 95 % of offered). Default delivery settings.
//   http-sqlite            one process, SQLite
//   http-postgres          one process, PostgreSQL
//   http-postgres-split    1 `--role api` + BENCH_HTTP_WORKERS `--role worker` on one schema
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ADMIN_KEY, K } from '../lib/knobs.mjs';
import { startServe } from '../lib/serve.mjs';
import { cpuUs, dropSchema, gc, padFor, pgAdmin, pickPercentiles, round, sleep, wall, withParams } from '../lib/util.mjs';

/** How long after a rate's window the deliveries may still arrive and count as keeping up. */
const GRACE_MS = 2000;
/** The delivered rate is counted from this far into the window (the pipeline fills first). */
const STEADY_AFTER_MS = 1000;

async function api(undici, base, method, path, body) {
  const res = await undici.request(base + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Offers `rate` events/s for `seconds`, open loop; measures publish→receiver for each arrival. */
async function offerRate({ pool, rx, rate, seconds, tag, meter }) {
  const pad = padFor(K.bodyBytes);
  const total = rate * seconds;
  const sentAt = new Float64Array(total);
  let accepted = 0;
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const firstErrors = [];
  const publish = async (i) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const body = JSON.stringify({ id: `${tag}_${i}`, type: `bench.e${i % K.httpEndpoints}`, data: { i, pad } });
      const res = await pool.request({
        path: '/api/v1/events',
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body,
      });
      const text = await res.body.text();
      if (res.statusCode === 202) accepted++;
      else if (errors++ < 3) firstErrors.push(`HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    } catch (err) {
      if (errors++ < 3) firstErrors.push(err.message);
    } finally {
      inFlight--;
    }
  };
  gc();
  // Bounded: a saturated rate must not hold the ladder for the whole phase timeout.
  const { reached } = await rx.arm(total, { latency: true, timeoutMs: seconds * 1000 + 15_000 });
  await meter.start();
  const generatorCpu = process.cpuUsage();
  const calls = [];
  const start = wall() + 5;
  const deadline = start + seconds * 1000 + 10_000;
  let issued = 0;
  // Open loop: whatever is due by now is sent now, then a ~1 ms sleep.
  while (issued < total && wall() < deadline) {
    const due = Math.min(total, Math.floor(((wall() - start) * rate) / 1000) + 1);
    while (issued < due) {
      sentAt[issued] = wall();
      calls.push(publish(issued++));
    }
    await sleep(1);
  }
  const issueEnd = wall();
  // Kept up? What was accepted and delivered by the window's end plus a grace period, taken
  // while slow publishes may still be open (waiting for them first would hide the backlog).
  const atGrace = sleep(Math.max(0, issueEnd + GRACE_MS - wall())).then(async () => {
    const acceptedNow = accepted;
    return { accepted: acceptedNow, delivered: (await rx.ctl('/__stats')).summary?.unique ?? 0 };
  });
  await Promise.all(calls);
  const publishEnd = wall();
  const grace = await atGrace;
  const generatorCpuUs = cpuUs(process.cpuUsage(generatorCpu));
  const byGrace = grace.delivered;
  const r = await reached; // everything, or the phase timeout
  const machine = await meter.stop(Math.max(1, r.unique ?? byGrace));
  const got = await rx.disarm();
  const latencies = [];
  // Steady state: arrivals in the window after its first second, as a rate.
  const steadyFrom = start + STEADY_AFTER_MS;
  let steady = 0;
  for (let j = 0; j < got.ids.length; j++) {
    const i = Number(got.ids[j].slice(tag.length + 1));
    if (Number.isInteger(i) && i < total) latencies.push(got.ts[j] - sentAt[i]);
    if (got.ts[j] >= steadyFrom && got.ts[j] <= issueEnd) steady++;
  }
  const deliveredPerSecond = steady / ((issueEnd - steadyFrom) / 1000);
  const saturated = deliveredPerSecond < 0.95 * rate || byGrace < 0.95 * total || grace.accepted < 0.95 * total;
  return {
    rate,
    seconds,
    offered: total,
    issued,
    issuedPerSecond: round(issued / ((issueEnd - start) / 1000), 0),
    accepted,
    acceptedByGrace: grace.accepted,
    acceptedPerSecond: round(accepted / ((publishEnd - start) / 1000), 0),
    publishErrors: errors,
    firstErrors,
    generatorMaxInFlight: maxInFlight,
    generatorCpuUsPerEvent: round(generatorCpuUs / Math.max(1, issued), 1),
    deliveredPerSecond: round(deliveredPerSecond, 0),
    deliveredByGrace: byGrace,
    deliveredFraction: round(byGrace / total, 3),
    receivedTotal: got.ids.length,
    drained: !!r.ok,
    saturated,
    ms: pickPercentiles(latencies),
    machine,
  };
}

export function stepHttp(mode) {
  return async ({ undici, pg, rx, track, meter }) => {
    const dataDir = mkdtempSync(join(os.tmpdir(), 'hookline-bench-http-'));
    track('dir', dataDir);
    const processes = [];
    let schema = null;
    const env = {};
    if (mode !== 'sqlite') {
      schema = `hl_bench_http_${randomBytes(4).toString('hex')}`;
      track('schema', schema);
      await pgAdmin(pg, (c) => c.query(`CREATE SCHEMA ${schema}`));
      env.HOOKLINE_DATABASE_URL = withParams(K.databaseUrl, { options: `-c search_path=${schema}`, application_name: `hookline-bench:${schema}` });
    }
    const start = async (role) => {
      const p = await startServe({ role, dataDir, env, onPid: (pid) => track('pid', pid) });
      processes.push(p);
      return p;
    };
    let pool;
    try {
      const apiProcess = await start(mode === 'postgres-split' ? 'api' : undefined);
      if (mode === 'postgres-split') for (let w = 0; w < K.httpWorkers; w++) await start('worker');
      const base = apiProcess.url;
      for (let k = 0; k < K.httpEndpoints; k++)
        await api(undici, base, 'POST', '/api/v1/webhooks/endpoints', { url: `${rx.origin}/hook/${k}`, events: [`bench.e${k}`] });
      pool = new undici.Pool(base, { connections: K.httpConnections, pipelining: 1, keepAliveTimeout: 60_000 });
      // Machine CPU of the delivery system: serve processes + database + receiver, not the generator.
      const machine = () => meter(schema ? 'postgres' : 'none', () => processes.map((p) => p.pid), { includeSelf: false });
      const tagBase = randomBytes(3).toString('hex');
      const warm = await offerRate({ pool, rx, rate: Math.min(500, K.httpRates[0]), seconds: 2, tag: `w${tagBase}`, meter: machine() });
      if (!warm.drained) throw new Error(`warm-up: only ${warm.receivedTotal} of ${warm.offered} deliveries arrived`);
      const rates = [];
      for (const rate of K.httpRates) {
        const run = await offerRate({ pool, rx, rate, seconds: K.httpSeconds, tag: `r${rate}${tagBase}`, meter: machine() });
        rates.push(run);
        console.log(
          `  ${String(rate).padStart(5)}/s offered: generator ${run.issuedPerSecond}/s, 202 ${run.acceptedPerSecond}/s, delivered ${run.deliveredPerSecond}/s (${round(run.deliveredFraction * 100, 1)}% by +${GRACE_MS / 1000}s), p50 ${run.ms.p50} ms, p99 ${run.ms.p99} ms, machine ${run.machine.usPerDelivery} µs${run.saturated ? '  SATURATED' : ''}`,
        );
        if (run.saturated || !run.drained) break;
      }
      const kept = rates.filter((run) => !run.saturated);
      const at1k = rates.find((run) => run.rate === 1000 && !run.saturated);
      return {
        mode,
        processes: processes.length,
        endpoints: K.httpEndpoints,
        generatorConnections: K.httpConnections,
        graceMs: GRACE_MS,
        maxPerSecond: kept.length ? Math.max(...kept.map((run) => run.rate)) : 0,
        p99MsAt1k: at1k?.ms.p99 ?? null,
        rates,
      };
    } finally {
      await pool?.close().catch(() => {});
      await Promise.all(processes.map((p) => p.stop()));
      if (schema) await dropSchema(pg, schema).catch((err) => console.error(`bench: could not drop ${schema}: ${err.message}`));
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
