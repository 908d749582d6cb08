// Step: graphile-worker, the fastest PostgreSQL job queue a user could pick: N jobs added in
// chunks (addJobs), each worked by a signed POST. Tuned over BENCH_GRAPHILE_GRID
// (concurrency x localQueue.size), with batched fetch (local queue) and batched completion.
import { randomBytes } from 'node:crypto';
import { K } from '../lib/knobs.mjs';
import { packageVersion, peerPoster, tuneAndRun } from '../lib/peer.mjs';
import { dropSchema, gc, padFor, pgAdmin, round, runConcurrent, sleep, waitFor, wall, withParams } from '../lib/util.mjs';

export async function stepGraphileWorker({ undici, pg, rx, track, meter }) {
  const { Logger, run, makeWorkerUtils } = await import('graphile-worker');
  const version = packageVersion('graphile-worker');
  const schema = `gw_bench_${randomBytes(4).toString('hex')}`;
  track('schema', schema);
  const connectionString = withParams(K.databaseUrl, { application_name: `hookline-bench:${schema}` });
  const pad = padFor(K.bodyBytes);
  const http = peerPoster(undici, rx.origin, '/graphile-worker');
  const common = { version, maxPoolSize: 16, completeJobBatchDelay: 0, failJobBatchDelay: 0, pollInterval: 1000, addChunk: 1000, addConcurrency: 4, httpConnections: http.connections };
  const logger = new Logger(() => (level, message) => level === 'error' && console.error(`  graphile-worker: ${message}`));
  const utils = await makeWorkerUtils({ connectionString, schema, logger });
  await utils.migrate();

  const once = async ({ concurrency, localQueueSize }, count) => {
    const runner = await run({
      connectionString, schema, concurrency, maxPoolSize: common.maxPoolSize, pollInterval: common.pollInterval, noHandleSignals: true,
      logger,
      taskList: { deliver: (payload, helpers) => http.post(`gw_${helpers.job.id}`, payload) },
      preset: { worker: { localQueue: { size: localQueueSize }, completeJobBatchDelay: common.completeJobBatchDelay, failJobBatchDelay: common.failJobBatchDelay } },
    });
    try {
      await sleep(200);
      gc();
      const { reached } = await rx.arm(count);
      const machineMeter = meter('postgres');
      await machineMeter.start();
      const t0 = wall();
      await runConcurrent(Math.ceil(count / common.addChunk), common.addConcurrency, async (chunk) => {
        const specs = [];
        for (let i = chunk * common.addChunk; i < Math.min(count, (chunk + 1) * common.addChunk); i++) specs.push({ identifier: 'deliver', payload: { i, pad } });
        await utils.addJobs(specs);
      }, t0 + K.phaseTimeoutMs);
      const tAdded = wall();
      const r = await reached;
      await rx.disarm();
      if (!r.ok) throw new Error(`graphile-worker ${concurrency}x${localQueueSize}: only ${r.unique} of ${count} deliveries arrived`);
      // A completed job is deleted: completion is done when the table is empty.
      const completed = await waitFor('graphile-worker completions', () =>
        pgAdmin(pg, async (c) => ((await c.query(`SELECT count(*)::int AS n FROM ${schema}._private_jobs`)).rows[0].n === 0 ? wall() : 0)), K.phaseTimeoutMs, 100);
      const machine = await machineMeter.stop(count);
      const seconds = (r.at - t0) / 1000;
      return {
        concurrency, localQueueSize, n: count, seconds: round(seconds, 3), perSecond: round(count / seconds, 0),
        insertSeconds: round((tAdded - t0) / 1000, 3), completedSeconds: round((completed - t0) / 1000, 3), duplicates: r.dups, machine,
      };
    } finally {
      await runner.stop().catch(() => {});
      await runner.promise.catch(() => {});
    }
  };

  try {
    const result = await tuneAndRun('graphile-worker', K.graphileGrid, once, (s) => `concurrency ${s.concurrency}, localQueue ${s.localQueueSize}`);
    return { ...result, settings: { ...common, ...result.best } };
  } finally {
    await utils.release().catch(() => {});
    await http.close();
    await dropSchema(pg, schema);
  }
}
