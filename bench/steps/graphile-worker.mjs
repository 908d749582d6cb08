// Step: graphile-worker, the fastest PostgreSQL job queue a user could pick: N jobs added in
// chunks (addJobs), each worked by a signed POST. Tuned over BENCH_GRAPHILE_GRID
// (concurrency x localQueue.size), with batched fetch (local queue) and batched completion.
import { randomBytes } from 'node:crypto';
import { K } from '../lib/knobs.mjs';
import { packageVersion, peerPoster, timedPeerRun, tuneAndRun } from '../lib/peer.mjs';
import { dropSchema, padFor, pgAdmin, sleep, withParams } from '../lib/util.mjs';

export async function stepGraphileWorker({ undici, pg, rx, track, meter }) {
  const { Logger, run, makeWorkerUtils } = await import('graphile-worker');
  const version = packageVersion('graphile-worker');
  const schema = `gw_bench_${randomBytes(4).toString('hex')}`;
  track('schema', schema);
  const connectionString = withParams(K.databaseUrl, { application_name: `hookline-bench:${schema}` });
  const pad = padFor(K.bodyBytes);
  const http = peerPoster(undici, rx.origin, '/graphile-worker');
  const common = {
    version,
    maxPoolSize: 16,
    completeJobBatchDelay: 0,
    failJobBatchDelay: 0,
    pollInterval: 1000,
    addChunk: 1000,
    addConcurrency: 4,
    httpConnections: http.connections,
  };
  const logger = new Logger(() => (level, message) => level === 'error' && console.error(`  graphile-worker: ${message}`));
  const utils = await makeWorkerUtils({ connectionString, schema, logger });
  await utils.migrate();

  const once = async ({ concurrency, localQueueSize }, count) => {
    const runner = await run({
      connectionString,
      schema,
      concurrency,
      maxPoolSize: common.maxPoolSize,
      pollInterval: common.pollInterval,
      noHandleSignals: true,
      logger,
      taskList: { deliver: (payload, helpers) => http.post(`gw_${helpers.job.id}`, payload) },
      preset: {
        worker: { localQueue: { size: localQueueSize }, completeJobBatchDelay: common.completeJobBatchDelay, failJobBatchDelay: common.failJobBatchDelay },
      },
    });
    try {
      await sleep(200);
      const run = await timedPeerRun({
        rx,
        meter,
        server: 'postgres',
        label: `graphile-worker ${concurrency}x${localQueueSize}`,
        count,
        chunk: common.addChunk,
        concurrency: common.addConcurrency,
        enqueue: (from, to) => {
          const specs = [];
          for (let i = from; i < to; i++) specs.push({ identifier: 'deliver', payload: { i, pad } });
          return utils.addJobs(specs);
        },
        // A completed job is deleted: completion is done when the table is empty.
        completed: () => pgAdmin(pg, async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${schema}._private_jobs`)).rows[0].n === 0),
      });
      return { concurrency, localQueueSize, ...run };
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
