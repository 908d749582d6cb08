// Step: BullMQ on Redis (127.0.0.1:6379): N jobs added in chunks (addBulk), each worked by a
// signed POST. Tuned over BENCH_BULLMQ_GRID (Worker instances x concurrency each); completed
// jobs are removed, as a production webhook queue would configure it.
import { randomBytes } from 'node:crypto';
import { K } from '../lib/knobs.mjs';
import { packageVersion, peerPoster, tuneAndRun } from '../lib/peer.mjs';
import { gc, padFor, round, runConcurrent, sleep, waitFor, wall } from '../lib/util.mjs';

export async function stepBullMq({ undici, rx, track, meter }) {
  const { Queue, Worker } = await import('bullmq');
  const redis = new URL(K.redisUrl);
  const connection = { host: redis.hostname, port: Number(redis.port || 6379), maxRetriesPerRequest: null };
  const prefix = `hlbench_${randomBytes(4).toString('hex')}`;
  track('redis-prefix', prefix);
  const pad = padFor(K.bodyBytes);
  const http = peerPoster(undici, rx.origin, '/bullmq');
  const common = { version: packageVersion('bullmq'), ioredis: packageVersion('ioredis'), addChunk: 1000, addConcurrency: 4, removeOnComplete: true, httpConnections: http.connections };
  let queueSeq = 0;

  const once = async ({ workers: workerCount, concurrency }, count) => {
    const name = `bench_${++queueSeq}`;
    const queue = new Queue(name, { connection, prefix });
    let completedJobs = 0;
    const errors = [];
    const workers = Array.from({ length: workerCount }, () => {
      const worker = new Worker(name, (job) => http.post(`bq_${name}_${job.id}`, job.data), { connection, prefix, concurrency, removeOnComplete: { count: 0 } });
      worker.on('completed', () => completedJobs++);
      worker.on('failed', (job, err) => errors.length < 5 && errors.push(err.message));
      worker.on('error', (err) => errors.length < 5 && errors.push(err.message));
      return worker;
    });
    try {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      await sleep(200);
      gc();
      const { reached } = await rx.arm(count);
      const machineMeter = meter('redis');
      await machineMeter.start();
      const t0 = wall();
      await runConcurrent(Math.ceil(count / common.addChunk), common.addConcurrency, async (chunk) => {
        const jobs = [];
        for (let i = chunk * common.addChunk; i < Math.min(count, (chunk + 1) * common.addChunk); i++) jobs.push({ name: 'deliver', data: { i, pad } });
        await queue.addBulk(jobs);
      }, t0 + K.phaseTimeoutMs);
      const tAdded = wall();
      const r = await reached;
      await rx.disarm();
      if (!r.ok) throw new Error(`BullMQ ${workerCount}x${concurrency}: only ${r.unique} of ${count} deliveries arrived${errors.length ? ` (errors: ${errors.join('; ')})` : ''}`);
      const completed = await waitFor('BullMQ completions', () => (completedJobs >= count ? wall() : 0), K.phaseTimeoutMs, 20);
      const machine = await machineMeter.stop(count);
      const seconds = (r.at - t0) / 1000;
      return {
        workers: workerCount, concurrency, n: count, seconds: round(seconds, 3), perSecond: round(count / seconds, 0),
        insertSeconds: round((tAdded - t0) / 1000, 3), completedSeconds: round((completed - t0) / 1000, 3), duplicates: r.dups, machine, errors,
      };
    } finally {
      await Promise.all(workers.map((w) => w.close().catch(() => {})));
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close().catch(() => {});
    }
  };

  try {
    const result = await tuneAndRun('BullMQ', K.bullmqGrid, once, (s) => `${s.workers} workers x concurrency ${s.concurrency}`);
    return { ...result, settings: { ...common, ...result.best } };
  } finally {
    await http.close();
  }
}
