// A TCP proxy on 127.0.0.1 that holds every chunk for a fixed delay, so a client behind it
// sees a longer round trip (this machine's kernel has no netem). Each direction of each
// connection has its own FIFO queue, so bytes keep their order. Node's timers cannot wait less
// than 1 ms, so 0.5 ms each way would really add 2+ ms: the bench puts the whole added round
// trip on the client-to-server direction (the same for a request/response protocol) and
// measures what it really adds (measureRoundTrips). It runs in its own process (`node
// latency-proxy.mjs <host> <port> <upMs> <downMs>`), so the client's event loop cannot stretch it.
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** One direction: chunks from `from` reach `to` `delayMs` after they arrived, in order. */
function delayedPipe(from, to, delayMs) {
  const queue = [];
  let timer = null;
  const flush = () => {
    timer = null;
    const now = performance.now();
    while (queue.length && queue[0].due <= now) to.write(queue.shift().chunk);
    if (queue.length) timer = setTimeout(flush, Math.max(0, queue[0].due - now));
  };
  from.on('data', (chunk) => {
    // No delay: straight through (a 0 ms timer would still wait ~1 ms).
    if (delayMs <= 0 && !queue.length) return void to.write(chunk);
    queue.push({ chunk, due: performance.now() + delayMs });
    if (!timer) timer = setTimeout(flush, delayMs);
  });
  // An end or error on one side ends the other once the queued bytes are out.
  from.on('end', () => {
    const finish = () => (queue.length || timer ? setTimeout(finish, delayMs) : to.end());
    finish();
  });
  from.on('error', () => to.destroy());
  return () => timer && clearTimeout(timer);
}

/**
 * Starts the proxy in this process in front of `target` ({host, port}); resolves with its port,
 * counters and close(). `upMs` is added client→server, `downMs` server→client.
 */
export function startLatencyProxy({ target, upMs, downMs }) {
  const sockets = new Set();
  const stats = { connections: 0, chunksUp: 0, chunksDown: 0, bytesUp: 0, bytesDown: 0 };
  const server = net.createServer((client) => {
    stats.connections++;
    const upstream = net.connect(target);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk) => {
      stats.chunksUp++;
      stats.bytesUp += chunk.length;
    });
    upstream.on('data', (chunk) => {
      stats.chunksDown++;
      stats.bytesDown += chunk.length;
    });
    const stopUp = delayedPipe(client, upstream, upMs);
    const stopDown = delayedPipe(upstream, client, downMs);
    const teardown = () => {
      stopUp();
      stopDown();
    };
    client.on('close', teardown);
    upstream.on('close', teardown);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        stats,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** Median and p99 of `count` sequential `SELECT 1` round trips over `client` (a connected pg.Client), ms. */
export async function measureRoundTrips(client, count = 200) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await client.query('SELECT 1');
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { count, p50Ms: Math.round(times[Math.floor(count / 2)] * 1000) / 1000, p99Ms: Math.round(times[Math.floor(count * 0.99)] * 1000) / 1000 };
}

/** The proxy in a child process; resolves with its port, pid and close() (which also reads its counters). */
export function forkLatencyProxy({ target, upMs, downMs }) {
  const child = fork(fileURLToPath(import.meta.url), [target.host, String(target.port), String(upMs), String(downMs)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the latency proxy exited (code ${code})`)));
    child.once('message', ({ port }) =>
      resolve({
        port,
        pid: child.pid,
        close: () =>
          new Promise((done) => {
            child.once('message', (stats) => {
              child.kill();
              done(stats);
            });
            child.send('stop');
            setTimeout(() => done(null), 3000).unref();
          }),
      }),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const [host, port, upMs, downMs] = process.argv.slice(2);
  const proxy = await startLatencyProxy({ target: { host, port: Number(port) }, upMs: Number(upMs), downMs: Number(downMs) });
  process.send({ port: proxy.port });
  process.on('message', async () => {
    await proxy.close();
    process.send(proxy.stats);
  });
  process.on('disconnect', () => process.exit(0));
}
