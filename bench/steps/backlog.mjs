// Step: RSS of a SQLite Hookline holding BENCH_BACKLOG pending (not yet due) deliveries while
// its dispatcher keeps polling: memory must stay flat, whatever the backlog.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openHookline } from '../lib/hookline.mjs';
import { K } from '../lib/knobs.mjs';
import { gc, mb, padFor, percentiles, round, sleep, wall } from '../lib/util.mjs';

export async function stepBacklog(ctx) {
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
    const payload = JSON.stringify({
      id: 'evt_backlog',
      type: 'bench.backlog',
      timestamp: new Date(now).toISOString(),
      org_id: 'org_default',
      env_id: 'env_default',
      data: { pad: padFor(K.bodyBytes) },
    });
    const chunks = Math.ceil(K.backlog / CHUNK);
    for (let c = 0; c < chunks && wall() - t0 < K.phaseTimeoutMs; c++) {
      const events = [];
      const deliveries = [];
      for (let i = c * CHUNK; i < Math.min(K.backlog, (c + 1) * CHUNK); i++) {
        const s = String(i).padStart(9, '0');
        events.push({ id: `evt_backlog_${s}`, type: 'bench.backlog', created_at: now, payload });
        deliveries.push({
          id: `dlv_backlog_${s}`,
          event_id: `evt_backlog_${s}`,
          endpoint_id: h.endpoint.id,
          event_type: 'bench.backlog',
          status: 'pending',
          attempts: 0,
          next_attempt_at: dueAt,
          lease_owner: null,
          created_at: now,
          updated_at: now,
          delivered_at: null,
          last_status_code: null,
          last_error: null,
        });
      }
      await store.transaction(async (tx) => {
        await tx.events.insert(events);
        await tx.deliveries.insert(deliveries);
      });
    }
    out.insertSeconds = round((wall() - t0) / 1000, 1);
    out.pending = await store.deliveries.countPending();
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
      const rows = await store.deliveries.claimDue({
        now: Date.now(),
        leaseUntil: Date.now() + 60_000,
        owner: 'bench-probe',
        limit: K.batchSize,
        perEndpoint: K.perEndpointInFlight,
        skipEndpoints: [],
      });
      claims.push(wall() - t);
      if (rows.length) throw new Error('a not-yet-due delivery was claimed');
    }
    out.claimMs = round(percentiles(claims).p50, 3);
    out.dbFileMB = mb(statSync(join(h.dataDir, 'hookline.db')).size);
    out.growthMB = round(out.afterPolling.rssMB - out.before.rssMB, 1);
    out.pollingGrowthMB = round(out.afterPolling.rssMB - out.afterInsert.rssMB, 1);
    out.heapGrowthMB = round(out.afterPolling.heapUsedMB - out.before.heapUsedMB, 1);
    console.log(
      `  RSS ${out.before.rssMB} -> ${out.afterInsert.rssMB} -> ${out.afterPolling.rssMB} MB with ${out.pending} pending (inserted in ${out.insertSeconds}s)`,
    );
  } finally {
    await h.close();
  }
  return out;
}
