// What the queue peers (pg-boss, graphile-worker, BullMQ) share: one delivery the way a webhook
// worker built on a job queue does it (sign like Hookline's standard scheme, POST with undici,
// read the answer), and the tuning loop that picks each peer's best settings fairly.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, K } from './knobs.mjs';
import { gc, round, runConcurrent, waitFor, wall } from './util.mjs';

/** The version of a peer installed in bench/node_modules. */
export function packageVersion(name) {
  return JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** A signed POST to the receiver over one shared undici Pool of `connections`. */
export function peerPoster(undici, origin, path, connections = 256) {
  const pool = new undici.Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const secret = randomBytes(24);
  const post = async (id, data) => {
    const body = JSON.stringify({ id, type: 'bench.tick', timestamp: new Date().toISOString(), org_id: 'org_default', env_id: 'env_default', data });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
    const res = await pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` },
      body,
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  };
  return { post, close: () => pool.close(), connections };
}

/**
 * Runs `once(settings, tuneN)` for every grid entry, then `once(best, N)`: the figure reported
 * is the best setting's over the full N. `describe(settings)` names a setting in the log.
 */
export async function tuneAndRun(label, grid, once, describe) {
  const tuneN = K.peerTuneN || Math.min(K.n, 5000);
  const tuning = [];
  for (const settings of grid) {
    const run = await once(settings, tuneN);
    tuning.push(run);
    console.log(`  ${label} ${describe(settings)}: ${run.perSecond}/s over ${tuneN}`);
  }
  const best = grid[tuning.indexOf(tuning.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)))];
  const final = await once(best, K.n);
  console.log(`  best ${describe(best)}: ${final.perSecond}/s over ${K.n} (machine ${final.machine?.usPerDelivery} µs/delivery)`);
  return { ...final, best, tuning };
}

/**
 * One timed peer run: `enqueue(from, to)` adds jobs [from, to) in chunks of `chunk`, at most
 * `concurrency` at a time; the window runs from the first enqueue to the `count`-th distinct
 * arrival (deliveries/s), and the machine CPU until `completed()` says every job's completion
 * is recorded (the peer's counterpart of Hookline's result write).
 */
export async function timedPeerRun({ rx, meter, server, label, count, chunk, concurrency, enqueue, completed, errors = [] }) {
  gc();
  const { reached } = await rx.arm(count);
  const machineMeter = meter(server);
  await machineMeter.start();
  const t0 = wall();
  await runConcurrent(Math.ceil(count / chunk), concurrency, (c) => enqueue(c * chunk, Math.min(count, (c + 1) * chunk)), t0 + K.phaseTimeoutMs);
  const tEnqueued = wall();
  const r = await reached;
  await rx.disarm();
  if (!r.ok) throw new Error(`${label}: only ${r.unique} of ${count} deliveries arrived${errors.length ? ` (errors: ${errors.join('; ')})` : ''}`);
  await waitFor(`${label} completions`, completed, K.phaseTimeoutMs, 50);
  const tCompleted = wall();
  const machine = await machineMeter.stop(count);
  const seconds = (r.at - t0) / 1000;
  return {
    n: count,
    seconds: round(seconds, 3),
    perSecond: round(count / seconds, 0),
    insertSeconds: round((tEnqueued - t0) / 1000, 3),
    completedSeconds: round((tCompleted - t0) / 1000, 3),
    duplicates: r.dups,
    machine,
    errors,
  };
}
