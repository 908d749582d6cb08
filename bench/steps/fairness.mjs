// Step: tenants share the dispatcher fairly. Tenant B publishes single events at
// BENCH_FAIRNESS_RATE/s for BENCH_FAIRNESS_SECONDS, first on the idle system, then while tenant
// A has BENCH_FAIRNESS_BACKLOG (1,000,000) due deliveries (inserted by one SQL statement) that
// the dispatcher is draining. B's publish → arrival p99 under A's backlog over its idle p99 is
// the figure (target ≤ 2).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { hooklineLatency, openHookline } from '../lib/hookline.mjs';
import { K } from '../lib/knobs.mjs';
import { startReceiver } from '../lib/supervisor.mjs';
import { padFor, pgAdmin, round, wall, waitFor } from '../lib/util.mjs';

/** A's deliveries spread over this many endpoints. */
const A_ENDPOINTS = 8;

/**
 * A's backlog: one event (every delivery carries it) and `n` deliveries due in the past, older
 * than anything B publishes, sent to the receiver's /sink paths (answered, not counted).
 */
async function insertBacklog(h, kind, tenantA, endpointIds, n) {
  const now = Date.now();
  const payload = JSON.stringify({
    id: 'evt_fairness_a',
    type: 'fairness.a',
    timestamp: new Date(now).toISOString(),
    org_id: tenantA.orgId,
    env_id: tenantA.envId,
    data: { pad: padFor(K.bodyBytes) },
  });
  const db = h.hl.store.db;
  await sql`INSERT INTO events (id, type, created_at, payload, env_id) VALUES ('evt_fairness_a', 'fairness.a', ${kind === 'postgres' ? sql`${now}::bigint` : now}, ${payload}, ${tenantA.envId})`.execute(
    db,
  );
  // The endpoint of row i: the (i mod A_ENDPOINTS)-th id of a JSON array, in either dialect.
  const endpoints = JSON.stringify(endpointIds);
  const series =
    kind === 'postgres'
      ? sql`SELECT g AS i FROM generate_series(0, ${n - 1}) g`
      : sql`WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < ${n - 1}) SELECT i FROM r`;
  // Times as bigint on PostgreSQL (a bare parameter would be an integer).
  const [since, at] = kind === 'postgres' ? [sql`${now - n}::bigint`, sql`${now}::bigint`] : [sql`${now - n}`, sql`${now}`];
  const endpointOf =
    kind === 'postgres'
      ? sql`(${endpoints}::jsonb ->> (s.i % ${A_ENDPOINTS})::int)`
      : sql`json_extract(${endpoints}, '$[' || CAST(s.i % ${A_ENDPOINTS} AS INTEGER) || ']')`;
  // Ids sort as the rows were created, as real ones do (they are time-ordered): the drain then
  // updates index pages in order instead of all over the primary key.
  const idNumber = kind === 'postgres' ? sql`lpad(s.i::text, 8, '0')` : sql`printf('%08d', s.i)`;
  await sql`
    INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempts, next_attempt_at, lease_owner, created_at, updated_at, env_id)
    SELECT 'dlv_fairness_a_' || ${idNumber}, 'evt_fairness_a', ${endpointOf}, 'fairness.a', 'pending', 0, ${since} + s.i, NULL, ${since} + s.i, ${at}, ${tenantA.envId}
    FROM (${series}) s`.execute(db);
}

/**
 * PostgreSQL: a checkpoint now, so neither phase starts with one under way: the previous step's
 * writes (before the idle phase) or the backlog's million rows written in seconds (before the
 * busy one) would otherwise be flushed while B is measured. A backlog built up over hours would
 * not leave that debt. Needs a superuser or pg_checkpoint; without, the phases run as they are.
 */
async function checkpoint(ctx, kind) {
  if (kind !== 'postgres') return;
  await pgAdmin(ctx.pg, (c) => c.query('CHECKPOINT')).catch((err) => console.log(`  (no checkpoint before the phase: ${err.message})`));
}

/** Deliveries started so far, by how: `handoff` (from the publishing write) or `claim`. */
async function starts(h) {
  const metric = await h.hl.registry.getSingleMetric('hookline_delivery_starts_total').get();
  return Object.fromEntries(metric.values.map((v) => [v.labels.via, v.value]));
}

/** B's phase, with how its process fared: deliveries started by hand-off and by claim, and the event loop's delay. */
async function measured(h, rx, phase) {
  const before = await starts(h);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const latency = await hooklineLatency(h, rx, phase);
  loop.disable();
  const after = await starts(h);
  const started = Object.fromEntries(Object.entries(after).map(([via, n]) => [via, n - (before[via] ?? 0)]));
  return {
    ...latency,
    started,
    loopDelayMs: { p50: round(loop.percentile(50) / 1e6, 1), p99: round(loop.percentile(99) / 1e6, 1), max: round(loop.max / 1e6, 1) },
  };
}

/** Where B's time went: the publish write, and after it committed. */
function split(phase) {
  return `write p50/p99 ${phase.writeMs.p50}/${phase.writeMs.p99} ms, then ${phase.afterWriteMs.p50}/${phase.afterWriteMs.p99} ms to arrive`;
}

export function stepFairness(kind) {
  return async (ctx) => {
    const h = await openHookline(ctx, kind, ctx.rx.origin);
    // A's receiver is a process of its own: a tenant's endpoints are its servers, not B's, and
    // one process answering both would queue B's requests behind A's thousands a second.
    const sinkA = await startReceiver(fileURLToPath(new URL('../delivery.mjs', import.meta.url)));
    const out = { backlog: K.fairnessBacklog, rate: K.fairnessRate, seconds: K.fairnessSeconds, settings: h.settings };
    try {
      // Tenant A is an org of its own (so the installation has tenants, and each holds at most its share); B is the default tenant.
      const orgA = await h.hl.tenants.createOrg({ name: 'bench tenant A' });
      const tenantA = { orgId: orgA.id, envId: orgA.envs[0].id };
      const endpointIds = [];
      for (let k = 0; k < A_ENDPOINTS; k++)
        endpointIds.push((await h.hl.endpoints.create(tenantA, { url: `${sinkA.rx.origin}/sink/a${k}`, events: ['fairness.a'] })).id);
      const phase = { rate: K.fairnessRate, seconds: K.fairnessSeconds, drain: false };
      // Warm-up (JIT, sockets), then B on the idle system.
      await hooklineLatency(h, ctx.rx, { ...phase, seconds: 1 });
      await checkpoint(ctx, kind);
      out.idle = await measured(h, ctx.rx, phase);
      console.log(
        `  idle: B p50 ${out.idle.ms.p50} ms, p99 ${out.idle.ms.p99} ms (${split(out.idle)}; started ${JSON.stringify(out.idle.started)}, event loop delay p99 ${out.idle.loopDelayMs.p99} ms)`,
      );

      const t0 = wall();
      await insertBacklog(h, kind, tenantA, endpointIds, K.fairnessBacklog);
      out.insertSeconds = round((wall() - t0) / 1000, 1);
      await checkpoint(ctx, kind);
      const sunk = async () => (await sinkA.rx.ctl('/__stats')).sink;
      const sinkBefore = await sunk();
      h.hl.dispatcher.wake();
      // A's backlog is being sent before B starts.
      await waitFor('A to be draining', async () => (await sunk()) - sinkBefore >= 1000, K.phaseTimeoutMs, 50);
      const tBusy = wall();
      const sinkAtBusy = await sunk();
      out.busy = await measured(h, ctx.rx, phase);
      out.aPerSecond = round(((await sunk()) - sinkAtBusy) / ((wall() - tBusy) / 1000), 0);
      out.ratio = out.idle.ms.p99 > 0 ? round(out.busy.ms.p99 / out.idle.ms.p99, 2) : null;
      console.log(
        `  with A's ${K.fairnessBacklog.toLocaleString('en')} due (inserted in ${out.insertSeconds} s, draining at ${out.aPerSecond}/s): B p50 ${out.busy.ms.p50} ms, p99 ${out.busy.ms.p99} ms; p99 ratio ${out.ratio} (${split(out.busy)}; started ${JSON.stringify(out.busy.started)}, event loop delay p99 ${out.busy.loopDelayMs.p99} ms)`,
      );
    } finally {
      await h.close();
      await sinkA.close();
    }
    return out;
  };
}
