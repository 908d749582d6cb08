// Step: BullMQ on Redis (127.0.0.1:6379): N jobs added in chunks (addBulk), each worked by a
// signed POST. Tuned over BENCH_BULLMQ_GRID (Worker instances x concurrency each); completed
// jobs are removed, as a production webhook queue would configure it.
import { randomBytes } from 'node:crypto';
import { K } from '../lib/knobs.mjs';
import { packageVersion, peerPoster, timedPeerRun, tuneAndRun } from '../lib/peer.mjs';
import { padFor, sleep } from '../lib/util.mjs';

export async function stepBullMq({ undici, rx, track, meter }) {
  const { Queue, Worker } = await import('bullmq');
  const redis = new URL(K.redisUrl);
  const connection = { host: redis.hostname, port: Number(redis.port || 6379), maxRetriesPerRequest: null };
  const prefix = `hlbench_${randomBytes(4).toString('hex')}`;
  track('redis-prefix', prefix);
  const pad = padFor(K.bodyBytes);
  const http = peerPoster(undici, rx.origin, '/bullmq');
  const common = {
    version: packageVersion('bullmq'),
    ioredis: packageVersion('ioredis'),
    addChunk: 1000,
    addConcurrency: 4,
    removeOnComplete: true,
    httpConnections: http.connections,
  };
  let queueSeq = 0;

  const once = async ({ workers: workerCount, concurrency }, count) => {
    const name = `bench_${++queueSeq}`;
    const queue = new Queue(name, { connection, prefix });
    let completedJobs = 0;
    const errors = [];
    const workers = Array.from({ length: workerCount }, () => {
      const worker = new Worker(name, (job) => http.post(`bq_${name}_${job.id}`, job.data), {
        connection,
        prefix,
        concurrency,
        removeOnComplete: { count: 0 },
      });
      worker.on('completed', () => completedJobs++);
      worker.on('failed', (job, err) => errors.length < 5 && errors.push(err.message));
      worker.on('error', (err) => errors.length < 5 && errors.push(err.message));
      return worker;
    });
    try {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      await sleep(200);
      const run = await timedPeerRun({
        rx,
        meter,
        server: 'redis',
        label: `BullMQ ${workerCount}x${concurrency}`,
        count,
        chunk: common.addChunk,
        concurrency: common.addConcurrency,
        errors,
        enqueue: (from, to) => {
          const jobs = [];
          for (let i = from; i < to; i++) jobs.push({ name: 'deliver', data: { i, pad } });
          return queue.addBulk(jobs);
        },
        completed: () => completedJobs >= count,
      });
      return { workers: workerCount, concurrency, ...run };
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
