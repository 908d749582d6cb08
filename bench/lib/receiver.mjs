// The receiver every step delivers to (a child process of the supervisor), and its control client.
//
// Receiver: plain node:http on 127.0.0.1 answering 200 "ok"; counts distinct `webhook-id`s and
// stamps arrivals with a high-resolution wall clock; requests to /sink… are answered and only
// counted (`sink` in /__stats). Controlled over HTTP (/__arm, /__wait,
// /__disarm, /__stats, /__time), so any process can drive it.
import http from 'node:http';
import { K } from './knobs.mjs';
import { cpuUs, round, wall } from './util.mjs';

export function receiverMain() {
  let arm = null;
  let armSeq = 0;
  let total = 0;
  let sink = 0;
  let waiters = [];
  const summary = (a) =>
    a
      ? {
          arm: a.id,
          target: a.target,
          count: a.count,
          unique: a.seen.size,
          dups: a.dups,
          noId: a.noId,
          firstAt: a.firstAt,
          lastAt: a.lastAt,
          reachedAt: a.reachedAt,
        }
      : null;
  const json = (res, body) => {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const settle = (a, ok) => {
    const keep = [];
    for (const w of waiters) {
      if (w.arm !== a.id) keep.push(w);
      else {
        clearTimeout(w.timer);
        json(w.res, { ok, ...summary(a) });
      }
    }
    waiters = keep;
  };

  function control(req, res, url) {
    const q = url.searchParams;
    switch (url.pathname) {
      case '/__time':
        return json(res, { t: wall() });
      case '/__arm': {
        if (arm) settle(arm, false);
        arm = {
          id: ++armSeq,
          target: Number(q.get('target')),
          latency: q.get('latency') === '1',
          count: 0,
          dups: 0,
          noId: 0,
          firstAt: 0,
          lastAt: 0,
          reachedAt: 0,
          seen: new Set(),
          ids: [],
          ts: [],
        };
        return json(res, { arm: arm.id });
      }
      case '/__wait': {
        const id = Number(q.get('arm'));
        if (!arm || arm.id !== id) return json(res, { ok: false, error: 'not armed' });
        if (arm.reachedAt) return json(res, { ok: true, ...summary(arm) });
        const timeout = Math.min(Number(q.get('timeout')) || 60_000, 290_000);
        const w = {
          arm: id,
          res,
          timer: setTimeout(() => {
            waiters = waiters.filter((x) => x !== w);
            json(res, { ok: false, ...summary(arm?.id === id ? arm : null) });
          }, timeout),
        };
        waiters.push(w);
        return;
      }
      case '/__disarm': {
        const a = arm;
        arm = null;
        if (a) settle(a, !!a.reachedAt);
        return json(res, { summary: summary(a), ids: a?.latency ? a.ids : [], ts: a?.latency ? a.ts : [] });
      }
      case '/__stats':
        return json(res, { total, sink, summary: summary(arm), cpuUs: cpuUs(process.cpuUsage()) });
      default:
        res.writeHead(404);
        res.end();
    }
  }

  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
    const t = wall();
    if (req.url.startsWith('/__')) return control(req, res, new URL(req.url, 'http://x'));
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
    // Background traffic (the fairness step's other tenant): answered, counted apart, never armed.
    if (req.url.startsWith('/sink')) return void sink++;
    total++;
    const a = arm;
    if (!a) return;
    a.count++;
    if (a.firstAt === 0) a.firstAt = t;
    const id = req.headers['webhook-id'];
    if (id === undefined) return void a.noId++;
    if (a.seen.has(id)) return void a.dups++;
    a.seen.add(id);
    a.lastAt = t;
    if (a.latency) {
      a.ids.push(id);
      a.ts.push(t);
    }
    if (a.seen.size === a.target) {
      a.reachedAt = t;
      settle(a, true);
    }
  });
  process.on('message', (m) => {
    if (m?.cmd === 'exit') {
      server.closeAllConnections?.();
      server.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 2000).unref();
    }
  });
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }));
}

/** Client side of the receiver's control API (used by the step processes and main). */
export class Rx {
  offset = 0; // receiver clock minus ours, ms
  calibration = null;
  constructor(origin) {
    this.origin = origin;
  }

  async ctl(path, method = 'GET') {
    const res = await fetch(this.origin + path, { method });
    if (!res.ok) throw new Error(`receiver ${path}: HTTP ${res.status}`);
    return res.json();
  }

  /** Estimates the receiver's clock offset from the fastest of 50 round trips. */
  async calibrate(undici) {
    const pool = new undici.Pool(this.origin, { connections: 1 });
    let best = null;
    try {
      for (let k = 0; k < 50; k++) {
        const t0 = wall();
        const res = await pool.request({ path: '/__time', method: 'GET' });
        const { t } = await res.body.json();
        const t1 = wall();
        if (!best || t1 - t0 < best.rttMs) best = { rttMs: t1 - t0, offsetMs: t - (t0 + t1) / 2 };
      }
    } finally {
      await pool.close();
    }
    this.offset = best.offsetMs;
    this.calibration = { rttMs: round(best.rttMs, 3), offsetMs: round(best.offsetMs, 3) };
    return this.calibration;
  }

  #local(m) {
    return {
      ...m,
      at: m.reachedAt ? m.reachedAt - this.offset : null,
      firstAt: m.firstAt ? m.firstAt - this.offset : null,
      lastAt: m.lastAt ? m.lastAt - this.offset : null,
    };
  }

  /**
   * Starts counting distinct `webhook-id`s. `reached` resolves (never rejects) when `target`
   * arrived, with times on our clock, or with `ok: false` and the counts so far at the timeout.
   */
  async arm(target, { latency = false, timeoutMs = K.phaseTimeoutMs } = {}) {
    const { arm } = await this.ctl(`/__arm?target=${target}&latency=${latency ? 1 : 0}`, 'POST');
    const reached = this.ctl(`/__wait?arm=${arm}&timeout=${timeoutMs}`).then(
      (m) => this.#local(m),
      (err) => ({ ok: false, error: err.message }),
    );
    // Returned inside an object: an async function returning the promise would be awaited.
    return { reached };
  }

  async disarm() {
    const r = await this.ctl('/__disarm', 'POST');
    return { summary: r.summary && this.#local(r.summary), ids: r.ids, ts: r.ts.map((t) => t - this.offset) };
  }
}
