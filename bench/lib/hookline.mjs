// Hookline through its library API (as `hookline serve --role worker` runs the dispatcher):
// opening one on a throwaway SQLite dir or PostgreSQL schema, and the throughput and
// open-loop latency phases the sqlite, postgres and postgres-1ms steps share.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { K, MASTER_KEY } from './knobs.mjs';
import { cpuUs, gc, padFor, pgAdmin, pickPercentiles, round, runConcurrent, sleep, waitFor, wall } from './util.mjs';

export function hooklineDelivery(defaults) {
  if (defaults) return { allow_networks: ['127.0.0.1/32'] };
  // HOOKLINE_SEND_THREADS reaches `hookline serve` through its environment; here it is set by hand.
  const threads = process.env.HOOKLINE_SEND_THREADS ? { send_threads: Number(process.env.HOOKLINE_SEND_THREADS) } : {};
  return { ...threads, allow_networks: ['127.0.0.1/32'], max_in_flight: K.maxInFlight, per_endpoint_in_flight: K.perEndpointInFlight, batch_size: K.batchSize };
}

export async function openHookline({ lib, pg, track }, kind, origin, { defaults = false, databaseUrl = K.databaseUrl } = {}) {
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
    database: kind === 'postgres' ? { url: databaseUrl, ...(defaults ? {} : { pool_size: K.pgPoolSize }) } : {},
    security: { master_key: MASTER_KEY },
    delivery: hooklineDelivery(defaults),
    log: { level: 'silent' },
  });
  const cleanup = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      await pgAdmin(pg, async (c) => {
        // Connections close asynchronously after end(); wait (bounded) before dropping.
        await waitFor(
          'Hookline connections to close',
          async () => (await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows[0].n === 0,
          5000,
          100,
        ).catch(() => {});
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      });
    }
  };
  let hl;
  try {
    hl = await lib.Hookline.create({ config, ...(schema ? { schema, applicationName } : {}) });
    await hl.start();
    const endpoint = await hl.endpoints.create(hl.tenants.fallback, { url: `${origin}/hook`, events: ['bench.*'] });
    const d = config.delivery;
    const settings = {
      max_in_flight: d.max_in_flight,
      per_endpoint_in_flight: d.per_endpoint_in_flight,
      batch_size: d.batch_size,
      poll_interval: d.poll_interval,
      ...(schema ? { pool_size: config.database.pool_size } : {}),
    };
    return {
      hl,
      endpoint,
      dataDir,
      config,
      settings,
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
export async function waitSettled(h, expected) {
  let last;
  const at = await waitFor(
    `${expected} deliveries to be recorded`,
    async () => {
      // Straight from the table (the store keeps no counting method just for the benchmark).
      const rows = await h.hl.store.db
        .selectFrom('deliveries')
        .select(['status', (e) => e.fn.countAll().as('n')])
        .groupBy('status')
        .execute();
      last = { pending: 0, delivered: 0, failed: 0, ...Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) };
      return last.pending === 0 && last.delivered + last.failed >= expected ? wall() : 0;
    },
    K.phaseTimeoutMs,
    25,
  );
  return { at, counts: last };
}

export async function hooklineThroughput(h, rx, n, { warm = Math.min(2000, n), conc = K.publishConcurrency, onStart, meter } = {}) {
  const pad = padFor(K.bodyBytes);
  const publish = (i) => h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'bench.tick', data: { i, pad } });
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
  await meter?.start();
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
  // Machine CPU up to the last result recorded: the result writes are part of a delivery.
  const machine = await meter?.stop(n);
  const seconds = (r.at - t0) / 1000;
  return {
    n,
    publishConcurrency: conc,
    seconds: round(seconds, 3),
    perSecond: round(n / seconds, 0),
    publishSeconds: round((tPublished - t0) / 1000, 3),
    publishPerSecond: round(n / ((tPublished - t0) / 1000), 0),
    recordedSeconds: round((settled.at - t0) / 1000, 3),
    duplicates: r.dups,
    counts: settled.counts,
    cpuUsPerDelivery: round(cpuUs(cpu) / n, 1),
    machine: machine ?? null,
  };
}

/** Open-loop publishes at `rate`/s for `seconds`; `drain: false` does not wait for the whole queue (others' rows) to empty. */
export async function hooklineLatency(h, rx, { rate = K.rate, seconds = K.latencySeconds, drain = true } = {}) {
  const pad = padFor(K.bodyBytes);
  const total = rate * seconds;
  const pubStart = new Float64Array(total);
  const scheduled = new Float64Array(total);
  const idx = new Map();
  /** When each publish call resolved (its write committed). */
  const committed = new Float64Array(total);
  const calls = [];
  let errors = 0;
  gc();
  const { reached } = await rx.arm(total, { latency: true });
  const start = wall() + 5;
  const deadline = start + seconds * 1000 + 10_000;
  let k = 0;
  // Open loop: whatever is due by now is published now, then a ~1 ms sleep.
  for (let loops = 0; k < total && loops < total * 20 && wall() < deadline; loops++) {
    const due = Math.min(total, Math.floor(((wall() - start) * rate) / 1000) + 1);
    while (k < due) {
      const i = k++;
      scheduled[i] = start + (i * 1000) / rate;
      pubStart[i] = wall();
      calls.push(
        h.hl.publisher.publish({ tenant: h.hl.tenants.fallback, type: 'bench.tick', data: { i, pad } }).then(
          (res) => {
            committed[i] = wall();
            idx.set(res.event.id, i);
          },
          () => void errors++,
        ),
      );
    }
    await sleep(1);
  }
  const tEnd = wall();
  await Promise.all(calls);
  const r = await reached;
  const got = await rx.disarm();
  const fromCall = [];
  const fromSchedule = [];
  const writes = [];
  const afterWrites = [];
  let last = 0;
  for (let j = 0; j < got.ids.length; j++) {
    const i = idx.get(got.ids[j]);
    if (i === undefined) continue;
    fromCall.push(got.ts[j] - pubStart[i]);
    fromSchedule.push(got.ts[j] - scheduled[i]);
    writes.push(committed[i] - pubStart[i]);
    afterWrites.push(got.ts[j] - committed[i]);
    last = Math.max(last, got.ts[j]);
  }
  if (drain) await waitFor('the queue to drain', async () => (await h.hl.store.deliveries.countPending()) === 0, K.phaseTimeoutMs, 25);
  // Delivered at the offered rate? If not, the percentiles measure a growing queue.
  const deliveredRate = fromCall.length / ((last - start) / 1000);
  return {
    rate: rate,
    seconds: seconds,
    published: k,
    achievedPublishRate: round(k / ((tEnd - start) / 1000), 0),
    received: got.ids.length,
    complete: r.ok,
    publishErrors: errors,
    deliveredRate: round(deliveredRate, 0),
    saturated: fromCall.length < k || deliveredRate < 0.95 * rate,
    ms: pickPercentiles(fromCall),
    fromScheduleMs: pickPercentiles(fromSchedule),
    // The two halves of `ms`: the publish call (its write committed), then on to the receiver.
    writeMs: pickPercentiles(writes),
    afterWriteMs: pickPercentiles(afterWrites),
  };
}
