#!/usr/bin/env node
// Micro-benchmark of HttpSender.send alone: `node bench/http-sender.mjs` after `npm run build`.
// A local receiver in its own process answers 200 "ok"; this process sends BENCH_SENDER_N
// POSTs (~300-byte JSON) with BENCH_SENDER_CONCURRENCY open at once and prints sends/s and
// this process's CPU per send (user + system). BENCH_DIST (as in delivery.mjs) measures another
// build, so an old and a new build can be run back to back.
import { fork } from 'node:child_process';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = dirname(dirname(SELF));

function intEnv(name, fallback, min, max) {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`bench: ${name} must be an integer in [${min}, ${max}], got "${raw}"`);
    process.exit(1);
  }
  return value;
}

if (process.argv[2] === '--receiver') {
  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok'));
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('disconnect', () => process.exit(0));
} else {
  const n = intEnv('BENCH_SENDER_N', 20_000, 100, 10_000_000);
  const concurrency = intEnv('BENCH_SENDER_CONCURRENCY', 64, 1, 4096);
  const dist = dirname(resolve(process.env.BENCH_DIST ?? join(ROOT, 'packages/server/dist/index.js')));
  const { HttpSender } = await import(pathToFileURL(join(dist, 'delivery/http-sender.js')).href);
  const { SsrfGuard } = await import(pathToFileURL(join(dist, 'delivery/ssrf-guard.js')).href);

  const receiver = fork(SELF, ['--receiver'], { stdio: 'inherit' });
  const port = await new Promise((ok) => receiver.once('message', (m) => ok(m.port)));
  const sender = new HttpSender({ guard: new SsrfGuard({ allowNetworks: ['127.0.0.1/32'] }), connections: concurrency });
  const body = JSON.stringify({ type: 'bench.sent', data: { padding: 'x'.repeat(240) } });
  const request = (id) => ({
    method: 'POST',
    url: `http://127.0.0.1:${port}/hook`,
    timeoutMs: 30_000,
    body,
    headers: { 'content-type': 'application/json', 'user-agent': 'hookline-bench', 'webhook-id': `msg_${id}` },
  });

  /** Sends `count` requests, `concurrency` at a time; fails loudly on any non-200. */
  async function run(count) {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const result = await sender.send(request(next++));
        if (result.statusCode !== 200) throw new Error(`send failed: ${JSON.stringify(result)}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }

  await run(Math.min(n, 2_000)); // warm the JIT and the connection pool
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run(n);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    JSON.stringify({
      dist,
      n,
      concurrency,
      sends_per_s: Math.round(n / seconds),
      cpu_us_per_send: +((cpu.user + cpu.system) / n).toFixed(1),
    }),
  );
  await sender.close();
  receiver.disconnect();
}
