// The supervising process: starts the receiver, runs each step in its own child process under
// a hard deadline, and cleans up what a failed or killed step left behind (temp dirs, schemas,
// Redis keys, `hookline serve` processes).
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { K } from './knobs.mjs';
import { Rx } from './receiver.mjs';
import { pgAdmin, round, sleep, wall } from './util.mjs';

export async function startReceiver(entry) {
  const child = fork(entry, ['--receiver'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the receiver did not start within 10 s')), 10_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m.port);
    });
    child.once('exit', (code) => reject(new Error(`the receiver exited (code ${code})`)));
  });
  return {
    rx: new Rx(`http://127.0.0.1:${port}`),
    pid: child.pid,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ cmd: 'exit' });
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

async function cleanUp(resources, pg, failed) {
  // Processes a step started: only after a failure (on success the step stopped them itself).
  for (const r of failed ? resources.filter((x) => x.kind === 'pid') : []) {
    try {
      process.kill(r.value, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const r of resources) {
    if (r.kind === 'dir') rmSync(r.value, { recursive: true, force: true });
    if (r.kind === 'schema' && pg) {
      await pgAdmin(pg, async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [
          `hookline-bench:${r.value}`,
        ]);
        await c.query(`DROP SCHEMA IF EXISTS ${r.value} CASCADE`);
      }).catch((e) => console.error(`bench: could not drop schema ${r.value}: ${e.message}`));
    }
    if (r.kind === 'redis-prefix') {
      try {
        const Redis = (await import('ioredis')).default;
        const redis = new Redis(K.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
        await redis.connect();
        for (let cursor = '0', first = true; first || cursor !== '0'; first = false) {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${r.value}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        }
        await redis.quit();
      } catch (e) {
        console.error(`bench: could not delete Redis keys ${r.value}:*: ${e.message}`);
      }
    }
  }
}

/** Runs one step in a child process; kills it at its deadline and cleans up what it created. */
export async function runStep({ entry, name, timeoutMs, receiver, pg }) {
  const { rx } = receiver;
  const child = fork(entry, ['--step', name], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--expose-gc', ...(process.env.BENCH_STEP_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    env: { ...process.env, BENCH_RECEIVER: rx.origin, BENCH_RECEIVER_PID: String(receiver.pid) },
  });
  const resources = [];
  let mark = null;
  const outcome = await new Promise((resolve) => {
    const timer = setTimeout(async () => {
      // Read the receiver before the kill: what got through by the deadline.
      const stats = await rx.ctl('/__stats').catch(() => null);
      resolve({ timedOut: true, stats, at: wall() });
    }, timeoutMs);
    child.on('message', (m) => {
      if (m.type === 'resource') resources.push(m);
      else if (m.type === 'mark') mark = m;
      else if (m.type === 'result') {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `the step process exited (${signal ?? `code ${code}`}) without a result` });
    });
  });
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    if (outcome.timedOut) child.kill('SIGKILL');
    await Promise.race([exited, sleep(outcome.timedOut ? 5000 : 15_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  let result;
  if (outcome.timedOut) {
    // What the receiver saw by the deadline (the step may have wedged its own event loop).
    await rx.ctl('/__disarm', 'POST').catch(() => {});
    const s = outcome.stats?.summary;
    const since = mark?.t0 ?? (s?.firstAt || null);
    const elapsed = since ? (outcome.at - since) / 1000 : null;
    result = {
      error: `no result within ${round(timeoutMs / 1000, 0)} s; killed`,
      timedOut: true,
      received: s?.unique ?? 0,
      target: s?.target ?? null,
      elapsedSeconds: round(elapsed, 1),
      perSecond: elapsed ? round((s?.unique ?? 0) / elapsed, 0) : 0,
    };
  } else {
    result = outcome.ok ? outcome.result : { error: outcome.error };
  }
  await cleanUp(resources, pg, !!result.error);
  return result;
}
