import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { until } from '../helpers/wait.js';
import { type Harness, startHookline } from '../helpers/hookline.js';
import { createTargets, hmac, signedHeaders, type Target, type TargetKind } from './trigger-targets.js';

/**
 * Floods (SECURITY.md): rate limits and body-size limits hold under load, memory stays bounded and
 * the API keeps answering. Figures are printed on `[attack figure]` lines for docs/reliability.md.
 */
const RATE_PER_MINUTE = 120;
const BODY_LIMIT = 1_048_576;
const MB = 1024 * 1024;
/** Wrongly signed requests in the memory flood. */
const FLOOD = 10_000;

// A forced collection before each memory reading, so garbage not yet collected is not counted as growth.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const memory = () => {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
};
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** Samples RSS while `work` runs; returns the peak. */
async function peakRssDuring(work: () => Promise<void>): Promise<number> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss);
}

describe('floods', () => {
  let h: Harness;
  let pool: Pool;
  let targets: Record<TargetKind, Target>;
  const clock = new ManualClock();
  const port = () => Number(new URL(h.url).port);

  beforeAll(async () => {
    h = await startHookline('sqlite', { clock, overrides: { server: { role: 'api', body_limit_bytes: BODY_LIMIT } } });
    targets = (await createTargets(h, 'fl', 'fl-agent', { rate_limit_per_minute: RATE_PER_MINUTE })).targets;
    pool = new Pool(h.url, { connections: 32 });
  });
  afterAll(async () => {
    await pool?.close();
    await h?.close();
  });

  const runs = async () => (await h.hl.store.agents.listRuns(h.hl.tenants.fallback.envId, { agentId: 'fl-agent', limit: 1, offset: 0 })).total;
  let n = 0;
  /** A request signed the scheme's way: with the trigger's secret, or (invalid) with another one. */
  const signedPost = async (t: Target, valid = true, extra: Record<string, string> = {}) => {
    const body = Buffer.from(JSON.stringify({ event: 'flood', n: n++ }));
    const wrongSecret = t.kind === 'standard' ? 'whsec_' + Buffer.alloc(32, 1).toString('base64') : 'hltr_not_the_secret_at_all';
    const signer = valid ? t : { ...t, secret: wrongSecret };
    const headers = {
      'content-type': 'application/json',
      ...signedHeaders(signer, body, { nowSec: Math.floor(clock.now() / 1000), deliveryId: `fl-${n}` }),
      ...extra,
    };
    const res = await pool.request({ method: 'POST', path: t.path, headers, body });
    const text = await res.body.text();
    return { status: res.statusCode, retryAfter: res.headers['retry-after'] as string | undefined, json: JSON.parse(text) };
  };
  /** Polls /healthz while a flood runs: every answer must be 200. */
  const healthDuring = async (flood: Promise<unknown>) => {
    let done = false;
    void flood.finally(() => (done = true));
    const latencies: number[] = [];
    do {
      const t0 = performance.now();
      const res = await fetch(`${h.url}/healthz`);
      expect(res.status).toBe(200);
      await res.text();
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    } while (!done);
    await flood;
    return { answers: latencies.length, maxMs: Math.round(Math.max(...latencies)) };
  };

  it(`rate_limit_per_minute ${RATE_PER_MINUTE}: a minute-long flood of 3,000 requests across two URLs lets exactly ${RATE_PER_MINUTE} through`, async () => {
    const before = await runs();
    const counts = { requests: 0, 202: 0, 429: 0, 401: 0, other: 0 };
    const retryAfters = new Set<string>();
    const flood = (async () => {
      // One simulated minute: 60 seconds, each with 50 requests at once (40 signed, alternating
      // the agent URL and a named trigger, and 10 with a wrong signature).
      for (let second = 0; second < 60; second++) {
        const batch = await Promise.all(Array.from({ length: 50 }, (_, i) => signedPost(i % 2 ? targets.agent : targets.hookline, i >= 10)));
        let accepted = 0;
        for (const r of batch) {
          counts.requests++;
          if (r.status === 202) accepted++;
          if (r.status === 429) {
            expect(r.json.error.code).toBe('rate_limited');
            expect(r.retryAfter).toMatch(/^[1-9]\d*$/);
            retryAfters.add(r.retryAfter!);
          }
          const key = r.status in counts ? (r.status as 202 | 429 | 401) : 'other';
          counts[key]++;
        }
        // Tokens refill at 2 a second: each second lets exactly 2 through, however many ask.
        expect(accepted).toBe(RATE_PER_MINUTE / 60);
        clock.advance(1000);
      }
    })();
    const health = await healthDuring(flood);
    expect(counts[202]).toBe(RATE_PER_MINUTE);
    expect(counts[401]).toBe(600);
    expect(counts[429]).toBe(3000 - 600 - RATE_PER_MINUTE);
    expect(counts.other).toBe(0);
    expect(await runs()).toBe(before + RATE_PER_MINUTE);

    // Retry-After is honest: waiting exactly that long gets the next request in.
    const drain = async () => {
      for (;;) {
        const r = await signedPost(targets.agent);
        if (r.status === 429) return r;
        expect(r.status).toBe(202);
      }
    };
    const limited = await drain();
    clock.advance(Number(limited.retryAfter) * 1000);
    expect((await signedPost(targets.agent)).status).toBe(202);
    console.log(
      `[attack figure] rate-limit flood: requests ${counts.requests}, 202 ${counts[202]}, 429 ${counts[429]} (Retry-After ${[...retryAfters].join('/')} s), 401 ${counts[401]}, runs created ${counts[202]}; /healthz answered ${health.answers}× during it, max ${health.maxMs} ms`,
    );
  }, 60_000);

  /**
   * Sends a body of `total` bytes over a raw socket, chunked or with Content-Length, writing as
   * fast as the server takes it until it answers and closes; one reused chunk, so the client
   * holds no copy of the body.
   */
  function upload(total: number, chunked: boolean): Promise<{ status: number; code: string | undefined; written: number }> {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    return new Promise((resolve) => {
      const socket = connect(port(), '127.0.0.1');
      let response = '';
      let written = 0;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        socket.destroy();
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
        const code = /"code":"([a-z_]+)"/.exec(response)?.[1];
        resolve({ status, code, written });
      };
      socket.on('data', (d) => {
        response += d.toString('latin1');
        // The whole answer is in (its body is small JSON): stop, as a client would.
        if (/\r\n\r\n[\s\S]*\}$/.test(response)) done();
      });
      socket.on('error', done);
      socket.on('close', done);
      socket.write(
        `POST ${targets.agent.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Signature: ${'0'.repeat(64)}\r\n${chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`}\r\n\r\n`,
      );
      const pump = () => {
        while (!finished && written < total) {
          const piece = Math.min(chunk.length, total - written);
          // Every write is queued whatever it returns; `false` only asks us to wait for 'drain'.
          if (chunked) socket.write(`${piece.toString(16)}\r\n`);
          const ok = socket.write(chunk.subarray(0, piece));
          if (chunked) socket.write('\r\n');
          written += piece;
          if (!ok) return void socket.once('drain', pump);
        }
        if (!finished && chunked) socket.write('0\r\n\r\n');
      };
      pump();
    });
  }

  it('bodies just over the limit are refused with 413, whether declared or chunked; exactly the limit is accepted', async () => {
    clock.advance(60_000); // the agent's rate limit, drained by the flood above, is full again
    const exact = Buffer.from(JSON.stringify({ data: 'x'.repeat(BODY_LIMIT - 11) }));
    expect(exact.length).toBe(BODY_LIMIT);
    const ok = await pool.request({
      method: 'POST',
      path: targets.grafana.path,
      headers: { 'content-type': 'application/json', 'x-grafana-alerting-signature': hmac(targets.grafana.secret, exact).toString('hex') },
      body: exact,
    });
    expect(ok.statusCode, await ok.body.text()).toBe(202);
    for (const chunked of [false, true]) {
      const r = await upload(BODY_LIMIT + 1, chunked);
      expect(r).toMatchObject({ status: 413, code: 'body_too_large' });
    }
  });

  it('a refused upload is closed without a reset: after the 413 the client can still write until it closes', async () => {
    // Closing a socket with unread bytes makes the kernel answer with RST, which can destroy the
    // 413 before the client reads it; the server must half-close and read on instead.
    // Half-open, as a client still sending its body is: the server's FIN does not end our side.
    const socket = connect({ port: port(), host: '127.0.0.1', allowHalfOpen: true });
    let response = '';
    let failure: Error | null | undefined;
    let ended = false;
    socket.on('data', (d) => (response += d.toString('latin1')));
    socket.on('error', (err) => (failure = err));
    socket.on('end', () => (ended = true));
    const closed = new Promise<boolean>((resolve) => socket.on('close', resolve));
    const part = Buffer.alloc(BODY_LIMIT * 2, 0x20);
    socket.write(`POST ${targets.agent.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${50 * MB}\r\n\r\n`);
    socket.write(part);
    await until('the 413 and the end of the answer', async () => (ended ? true : undefined));
    expect(response).toMatch(/^HTTP\/1\.1 413 [\s\S]*connection: close[\s\S]*"code":"body_too_large"/i);
    // More of the body, sent after the answer (a client that reads late): read and discarded,
    // where a closed server socket would answer it with RST and fail the client's writes.
    const piece = part.subarray(0, 256 * 1024);
    for (let sent = 0; sent < 4 * MB && !failure; sent += piece.length) {
      await new Promise<void>((resolve) => socket.write(piece, (err) => resolve(void (failure ??= err))));
    }
    socket.end();
    const hadError = await closed;
    expect(failure?.message).toBeUndefined();
    expect(hadError).toBe(false);
  });

  it('20 concurrent 50 MB uploads are refused with 413 without the server buffering them', async () => {
    const before = memory();
    const results: Awaited<ReturnType<typeof upload>>[] = [];
    const peak = await peakRssDuring(async () => {
      const flood = Promise.all(Array.from({ length: 20 }, (_, i) => upload(50 * MB, i % 2 === 1))).then((r) => results.push(...r));
      const health = await healthDuring(flood);
      expect(health.answers).toBeGreaterThan(0);
    });
    const after = memory();
    for (const r of results) expect(r).toMatchObject({ status: 413, code: 'body_too_large' });
    const written = results.reduce((s, r) => s + r.written, 0);
    console.log(
      `[attack figure] oversized uploads: 20 × 50 MB (10 declared, 10 chunked), 413 ${results.filter((r) => r.status === 413).length}, client wrote ${mb(written)} of ${mb(20 * 50 * MB)} before the server closed, RSS before ${mb(before.rss)}, peak ${mb(peak)}, after ${mb(after.rss)} (heap ${mb(before.heap)} → ${mb(after.heap)})`,
    );
    expect(peak - before.rss).toBeLessThan(64 * MB);
    expect(after.heap - before.heap).toBeLessThan(16 * MB);
  }, 60_000);

  it('a flood of 10,000 wrongly signed requests starts nothing and does not grow memory', async () => {
    const before = await runs();
    // Warm up first, so that first-use allocations (JIT, pools) are not counted as growth.
    await Promise.all(Array.from({ length: 500 }, (_, i) => signedPost(i % 2 ? targets.agent : targets.hookline, false)));
    const m0 = memory();
    let refused = 0;
    const flood = (async () => {
      for (let i = 0; i < FLOOD; i += 100) {
        const batch = await Promise.all(
          Array.from({ length: 100 }, (_, j) =>
            signedPost([targets.agent, targets.hookline, targets.github, targets.standard][j % 4]!, false, { 'idempotency-key': `k-${i + j}` }),
          ),
        );
        for (const r of batch) if (r.status === 401 && r.json.error.code === 'unauthorized') refused++;
      }
    })();
    const health = await healthDuring(flood);
    const m1 = memory();
    expect(refused).toBe(FLOOD);
    expect(await runs()).toBe(before);
    console.log(
      `[attack figure] invalid-signature flood: ${FLOOD} requests, 401 ${refused}, runs created 0, RSS ${mb(m0.rss)} → ${mb(m1.rss)}, heap ${mb(m0.heap)} → ${mb(m1.heap)}; /healthz answered ${health.answers}× during it, max ${health.maxMs} ms`,
    );
    expect(m1.heap - m0.heap).toBeLessThan(16 * MB);
    expect(m1.rss - m0.rss).toBeLessThan(64 * MB);
  }, 60_000);
});
