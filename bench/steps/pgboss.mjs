// Step: pg-boss, the peer a user could wire up on PostgreSQL: N jobs inserted in chunks, each
// worked by a signed POST; tuned over BENCH_PGBOSS_GRID (workers x batchSize).
import { randomBytes } from 'node:crypto';
import { K } from '../lib/knobs.mjs';
import { peerPoster, timedPeerRun, tuneAndRun } from '../lib/peer.mjs';
import { dropSchema, padFor, pgAdmin, sleep } from '../lib/util.mjs';

export async function stepPgBoss({ undici, pg, rx, track, meter }) {
  const PgBoss = (await import('pg-boss')).default;
  const schema = `pgboss_bench_${randomBytes(4).toString('hex')}`;
  const applicationName = `hookline-bench:${schema}`;
  track('schema', schema);
  const pad = padFor(K.bodyBytes);
  const http = peerPoster(undici, rx.origin, '/pgboss');
  const common = {
    pollingIntervalSeconds: K.peerPollSeconds,
    insertChunk: 1000,
    insertConcurrency: 4,
    httpConnections: http.connections,
    supervise: false,
    schedule: false,
  };
  let queueSeq = 0;

  const once = async ({ workers, batchSize }, count) => {
    const poolMax = workers + common.insertConcurrency + 2;
    const boss = new PgBoss({ connectionString: K.databaseUrl, schema, max: poolMax, application_name: applicationName, supervise: false, schedule: false });
    const errors = [];
    boss.on('error', (e) => errors.length < 5 && errors.push(e.message));
    await boss.start();
    const queue = `bench_${++queueSeq}`;
    try {
      await boss.createQueue(queue);
      for (let w = 0; w < workers; w++) {
        await boss.work(queue, { batchSize, pollingIntervalSeconds: common.pollingIntervalSeconds }, (jobs) =>
          Promise.all(jobs.map((job) => http.post(job.id, job.data))),
        );
      }
      await sleep(200); // the workers made their first (empty) fetch
      const run = await timedPeerRun({
        rx,
        meter,
        server: 'postgres',
        label: `pg-boss ${workers}x${batchSize}`,
        count,
        chunk: common.insertChunk,
        concurrency: common.insertConcurrency,
        errors,
        enqueue: (from, to) => {
          const jobs = [];
          for (let i = from; i < to; i++) jobs.push({ name: queue, data: { i, pad } });
          return boss.insert(jobs);
        },
        completed: () =>
          pgAdmin(
            pg,
            async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${schema}.job WHERE name = $1 AND state = 'completed'`, [queue])).rows[0].n >= count,
          ),
      });
      return { workers, batchSize, poolMax, ...run };
    } finally {
      await boss.offWork(queue).catch(() => {});
      await boss.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => {});
    }
  };

  try {
    const result = await tuneAndRun('pg-boss', K.pgbossGrid, once, (s) => `${s.workers} workers x batch ${s.batchSize}`);
    return { ...result, settings: { ...common, ...result.best, poolMax: result.poolMax } };
  } finally {
    await http.close();
    await sleep(200); // pg-boss ended its pool in stop(); let the backends go
    await dropSchema(pg, schema);
  }
}
