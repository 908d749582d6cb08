// The soak's receiver, in its own process so it never shares an event loop with Hookline or
// the publisher. Endpoint k posts to /ep/<k>. The first `failing` endpoints answer 500 to
// about half their requests (so their failure counters keep resetting and they stay enabled,
// putting retries on Hookline for the whole run); the others answer 200 at once.
//
// Control: GET /__window returns what arrived since the last call and starts a new window;
// GET /__totals returns the running totals; POST /__exit stops.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const failing = Number(process.env.SOAK_FAILING ?? 0);
const wall = () => performance.timeOrigin + performance.now();

/** Event ids that arrived with a 2xx answer, split by healthy/failing endpoint. */
const delivered = { healthy: new Set(), failing: new Set() };
const totals = { requests: 0, answered500: 0, duplicates: 0, badBodies: 0 };
let win = newWindow();

function newWindow() {
  return { startedAt: wall(), delivered: 0, answered500: 0, duplicates: 0, latencies: [] };
}

function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function json(res, body) {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function control(req, res) {
  if (req.url === '/__window') {
    const w = win;
    win = newWindow();
    const sorted = w.latencies.sort((a, b) => a - b);
    return json(res, {
      seconds: (wall() - w.startedAt) / 1000,
      delivered: w.delivered,
      answered500: w.answered500,
      duplicates: w.duplicates,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      maxMs: sorted.at(-1) ?? null,
    });
  }
  if (req.url === '/__totals') return json(res, { ...totals, deliveredHealthy: delivered.healthy.size, deliveredFailing: delivered.failing.size });
  if (req.url === '/__exit') {
    json(res, { ok: true });
    server.closeAllConnections();
    server.close(() => process.exit(0));
    return;
  }
  res.writeHead(404).end();
}

const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const arrived = wall();
  if (req.url.startsWith('/__')) return control(req, res);
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    totals.requests++;
    const k = Number(req.url.slice('/ep/'.length));
    const isFailing = k < failing;
    if (isFailing && Math.random() < 0.5) {
      totals.answered500++;
      win.answered500++;
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': '4' }).end('down');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      totals.badBodies++;
      return;
    }
    const seen = isFailing ? delivered.failing : delivered.healthy;
    if (seen.has(event.id)) {
      totals.duplicates++;
      win.duplicates++;
      return;
    }
    seen.add(event.id);
    win.delivered++;
    // Latency from the publish call to arrival, healthy endpoints only (a failing endpoint's
    // retries wait on its schedule by design). Same machine, same wall clock.
    if (!isFailing && typeof event.data?.sent_at === 'number') win.latencies.push(arrived - event.data.sent_at);
  });
});

process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
