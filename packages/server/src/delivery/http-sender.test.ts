import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { onlyLoopbackDials } from '../../test/helpers/loopback-dials.js';
import { ManualClock } from '../util/clock.js';
import { HttpSender, parseRetryAfter, type Resolver } from './http-sender.js';
import { SsrfGuard } from '../net/index.js';

// Nothing in this file may dial beyond loopback (the rebinding tests aim elsewhere on purpose).
const { dialled, misroute } = onlyLoopbackDials();

interface Seen {
  method?: string;
  url?: string;
  host?: string;
  body: string;
  headers: http.IncomingHttpHeaders;
}

let server: http.Server;
let port: number;
let seen: Seen[] = [];
let tcpConnections = 0;
let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end('ok');

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const entry: Seen = { method: req.method, url: req.url, host: req.headers.host, headers: req.headers, body: '' };
    seen.push(entry);
    req.setEncoding('utf8');
    req.on('data', (d: string) => (entry.body += d));
    req.on('end', () => handler(req, res));
  });
  server.on('connection', () => tcpConnections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const senders: HttpSender[] = [];
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
  server.closeAllConnections(); // drop hung connections left by timeout tests
  seen = [];
  tcpConnections = 0;
  handler = (_req, res) => res.end('ok');
});

function sender(allow: string[] = ['127.0.0.1/32'], extra: { resolve?: Resolver; clock?: ManualClock } = {}) {
  const s = new HttpSender({ guard: new SsrfGuard({ allowNetworks: allow }), ...extra });
  senders.push(s);
  return s;
}

const post = (url: string, timeoutMs = 5000) => ({
  method: 'POST',
  url,
  timeoutMs,
  body: '{"hello":"world"}',
  headers: { 'content-type': 'application/json', 'webhook-signature': 'v1,SECRET-SIGNATURE-VALUE' },
});

describe('HttpSender against a local server', () => {
  it('delivers a POST and returns 2xx with the body', async () => {
    handler = (_req, res) => res.writeHead(202, { 'content-type': 'text/plain' }).end('accepted');
    const r = await sender().send(post(`http://127.0.0.1:${port}/hook?x=1`));
    expect(r).toMatchObject({ statusCode: 202, responseBody: 'accepted', error: null, retryAfterMs: null });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/hook?x=1', body: '{"hello":"world"}' });
    expect(seen[0]!.headers['webhook-signature']).toBe('v1,SECRET-SIGNATURE-VALUE');
  });

  it('returns 500 as a status, not an error', async () => {
    handler = (_req, res) => res.writeHead(500).end('boom');
    expect(await sender().send(post(`http://127.0.0.1:${port}/`))).toMatchObject({ statusCode: 500, responseBody: 'boom', error: null });
  });

  it('does not follow redirects', async () => {
    handler = (req, res) => (req.url === '/old' ? res.writeHead(301, { location: '/new' }).end() : res.end('followed'));
    const r = await sender().send(post(`http://127.0.0.1:${port}/old`));
    expect(r).toMatchObject({ statusCode: 301, error: null });
    expect(seen.map((s) => s.url)).toEqual(['/old']);
  });

  it('parses Retry-After in seconds and as an HTTP-date against the injected clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const s = sender(undefined, { clock });
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end();
    expect(await s.send(post(`http://127.0.0.1:${port}/`))).toMatchObject({ statusCode: 429, retryAfterMs: 120_000 });
    handler = (_req, res) => res.writeHead(429, { 'retry-after': 'Thu, 01 Jan 2026 12:00:30 GMT' }).end();
    expect(await s.send(post(`http://127.0.0.1:${port}/`))).toMatchObject({ statusCode: 429, retryAfterMs: 30_000 });
  });

  it('gives up on a server that never answers with timeout near the limit', async () => {
    handler = () => {}; // read the request, never respond
    const r = await sender().send(post(`http://127.0.0.1:${port}/`, 400));
    expect(r.statusCode).toBeNull();
    expect(r.error?.code).toBe('timeout');
    expect(r.durationMs).toBeGreaterThanOrEqual(350);
    expect(r.durationMs).toBeLessThan(1500);
  });

  it('times out a body that stalls after the headers, keeping the status', async () => {
    handler = (_req, res) => res.writeHead(200).write('partial');
    const r = await sender().send(post(`http://127.0.0.1:${port}/`, 400));
    expect(r).toMatchObject({ statusCode: 200, responseBody: 'partial', error: { code: 'timeout' } });
    expect(r.durationMs).toBeLessThan(1500);
  });

  it('reads only a 4096-byte snippet of a ~100 MB response and stops', async () => {
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let cutOff!: () => void;
    const serverSideClosed = new Promise<void>((resolve) => (cutOff = resolve));
    handler = (_req, res) => {
      res.on('close', cutOff);
      res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) });
      const pump = () => {
        while (written < 100 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      pump();
    };
    const started = performance.now();
    const r = await sender().send(post(`http://127.0.0.1:${port}/big`, 10_000));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r).toMatchObject({ statusCode: 200, error: null });
    expect(r.responseBody).toBe('a'.repeat(4096));
    // Counted once the server has seen the connection end: nothing more can be written then.
    await serverSideClosed;
    expect(written).toBeLessThan(20 * 1024 * 1024); // the server was cut off, not drained
  });

  it('times out a body that trickles a byte at a time, at the configured deadline', async () => {
    // Each byte arrives well inside undici's idle limits; only the overall deadline can end this.
    const trickles: NodeJS.Timeout[] = [];
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      trickles.push(setInterval(() => res.write('x'), 20));
      res.on('close', () => clearInterval(trickles.pop()));
    };
    const r = await sender().send(post(`http://127.0.0.1:${port}/`, 600));
    trickles.forEach(clearInterval);
    expect(r).toMatchObject({ statusCode: 200, error: { code: 'timeout', message: 'no complete response within 600 ms' } });
    expect(r.responseBody).toMatch(/^x+$/);
    expect(r.durationMs).toBeGreaterThanOrEqual(600);
    expect(r.durationMs).toBeLessThan(3000);
  });

  it('times out a status line that trickles a byte at a time', async () => {
    const head = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
    const sockets = new Set<net.Socket>();
    const raw = net.createServer((socket) => {
      let sent = 0;
      const trickle = setInterval(() => (sent < head.length ? socket.write(head[sent++]!) : undefined), 20);
      sockets.add(socket.on('error', () => {}).on('close', () => clearInterval(trickle)));
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const r = await sender().send(post(`http://127.0.0.1:${(raw.address() as net.AddressInfo).port}/`, 500));
      expect(r).toMatchObject({ statusCode: null, responseBody: '', error: { code: 'timeout' } });
      expect(r.durationMs).toBeGreaterThanOrEqual(500);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => raw.close(r));
    }
  });

  it('keeps each deadline when requests with different timeouts are open together', async () => {
    handler = () => {}; // never answer
    const s = sender();
    const [short, long, shortAgain] = await Promise.all([
      s.send(post(`http://127.0.0.1:${port}/`, 300)),
      s.send(post(`http://127.0.0.1:${port}/`, 700)),
      s.send(post(`http://127.0.0.1:${port}/`, 300)),
    ]);
    for (const [r, limit] of [
      [short, 300],
      [long, 700],
      [shortAgain, 300],
    ] as const) {
      expect(r.error?.code).toBe('timeout');
      expect(r.durationMs).toBeGreaterThanOrEqual(limit);
      expect(r.durationMs).toBeLessThan(limit + 1500);
    }
  });

  it('stops at the deadline while the connection is still being set up', async () => {
    // A name server that never answers holds the connect step; the delivery deadline must still end the send.
    let release = () => {};
    const resolve: Resolver = () => new Promise((ok) => (release = () => ok([])));
    const s = new HttpSender({ guard: new SsrfGuard({ allowNetworks: ['127.0.0.1/32'] }), resolve });
    try {
      const r = await s.send(post(`http://stuck.test:${port}/`, 300));
      expect(r).toMatchObject({ statusCode: null, error: { code: 'timeout' } });
      expect(r.durationMs).toBeGreaterThanOrEqual(300);
      expect(r.durationMs).toBeLessThan(3000); // the connector's own DNS limit is 10 s
      expect(seen).toHaveLength(0);
    } finally {
      release();
      await s.destroy();
    }
  });

  it('keeps an answer of exactly 4096 bytes whole, and its connection; one byte more is cut', async () => {
    let size = 4096;
    handler = (_req, res) => res.end('b'.repeat(size - 1) + 'z');
    const s = sender();
    const exact = await s.send(post(`http://127.0.0.1:${port}/`));
    expect(exact.responseBody).toBe('b'.repeat(4095) + 'z');
    expect((await s.send(post(`http://127.0.0.1:${port}/`))).error).toBeNull();
    expect((await s.send(post(`http://127.0.0.1:${port}/`))).error).toBeNull();
    expect(tcpConnections).toBeLessThan(3); // read to its end, so its socket went back to the pool
    size = 4097;
    const over = await s.send(post(`http://127.0.0.1:${port}/`));
    expect(over).toMatchObject({ statusCode: 200, error: null, responseBody: 'b'.repeat(4096) });
  });

  it('maps a reset connection to connection_reset', async () => {
    handler = (req) => req.socket.destroy();
    const r = await sender().send(post(`http://127.0.0.1:${port}/`));
    expect(r).toMatchObject({ statusCode: null, error: { code: 'connection_reset' } });
  });

  it('maps a closed port to connection_refused', async () => {
    const tmp = net.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const closedPort = (tmp.address() as net.AddressInfo).port;
    await new Promise((r) => tmp.close(r));
    const r = await sender().send(post(`http://127.0.0.1:${closedPort}/`));
    expect(r).toMatchObject({ statusCode: null, error: { code: 'connection_refused' } });
    expect(r.error?.message).not.toContain('SECRET-SIGNATURE-VALUE');
  });

  it('maps a TLS handshake failure to tls_error', async () => {
    const r = await sender().send(post(`https://127.0.0.1:${port}/`)); // plain HTTP server
    expect(r.error?.code).toBe('tls_error');
    expect(seen).toHaveLength(0);
  });

  it('maps DNS failures to dns_failed', async () => {
    const resolve: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    };
    const r = await sender(undefined, { resolve }).send(post('http://nowhere.test/'));
    expect(r).toMatchObject({ statusCode: null, error: { code: 'dns_failed' } });
  });

  it('reports an invalid URL without throwing', async () => {
    expect((await sender().send(post('not a url'))).error?.code).toBe('network_error');
  });
});

describe('HttpSender redacts echoed secrets from the recorded answer', () => {
  const basicUser = 'deploy-bot';
  const basicPassword = 'hunter2-but-longer';
  const echoing = (url: string, timeoutMs = 5000) => ({
    method: 'POST',
    url,
    timeoutMs,
    body: '{}',
    headers: {
      'content-type': 'application/json',
      'webhook-signature': 'v1,SECRET-SIGNATURE-VALUE',
      authorization: `Basic ${Buffer.from(`${basicUser}:${basicPassword}`).toString('base64')}`,
      'x-api-key': 'key/with spaces&"quotes"',
    },
  });
  const secrets = ['SECRET-SIGNATURE-VALUE', basicPassword, basicUser, Buffer.from(`${basicUser}:${basicPassword}`).toString('base64'), 'key/with spaces'];

  it('redacts header values, credentials and their encoded forms echoed in a 2xx answer', async () => {
    handler = (req, res) => res.end(JSON.stringify({ headers: req.headers, url: `/?k=${encodeURIComponent(String(req.headers['x-api-key']))}` }));
    const r = await sender().send(echoing(`http://127.0.0.1:${port}/`));
    expect(r).toMatchObject({ statusCode: 200, error: null });
    for (const secret of secrets) expect(r.responseBody).not.toContain(secret);
    expect(r.responseBody).not.toContain(encodeURIComponent('key/with spaces&"quotes"'));
    expect(r.responseBody).toContain('[redacted]');
    expect(r.responseBody).toContain('application/json'); // framing headers are not secrets
  });

  it('redacts a secret cut in half by the 4096-byte limit', async () => {
    handler = (_req, res) => res.end(`${'a'.repeat(4096 - 12)}v1,SECRET-SIGNATURE-VALUE and more`);
    const r = await sender().send(echoing(`http://127.0.0.1:${port}/`));
    expect(r.responseBody).toBe(`${'a'.repeat(4096 - 12)}[redacted]`);
  });

  it('redacts an echo that arrived before a timeout', async () => {
    handler = (req, res) => res.writeHead(200).write(`echo ${String(req.headers['webhook-signature'])}`); // then stall
    const r = await sender().send(echoing(`http://127.0.0.1:${port}/`, 400));
    expect(r).toMatchObject({ statusCode: 200, responseBody: 'echo [redacted]', error: { code: 'timeout' } });
  });

  it('leaves short and empty answers as they are', async () => {
    handler = (_req, res) => res.end('ok');
    expect((await sender().send(echoing(`http://127.0.0.1:${port}/`))).responseBody).toBe('ok');
    handler = (_req, res) => res.writeHead(204).end();
    expect(await sender().send(echoing(`http://127.0.0.1:${port}/`))).toMatchObject({ statusCode: 204, responseBody: '', error: null });
  });
});

describe('HttpSender SSRF defence', () => {
  const rebindTo =
    (...addresses: string[]): Resolver =>
    async () =>
      addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));

  it('refuses a literal loopback address when it is not allowed; the server sees nothing', async () => {
    const r = await sender([]).send(post(`http://127.0.0.1:${port}/`));
    expect(r).toMatchObject({ statusCode: null, error: { code: 'ssrf_blocked' } });
    expect(r.error?.message).toContain('loopback');
    expect(seen).toHaveLength(0);
    expect(tcpConnections).toBe(0);
  });

  it('refuses a name resolving to loopback', async () => {
    const r = await sender([], { resolve: rebindTo('127.0.0.1') }).send(post(`http://rebind.test:${port}/`));
    expect(r.error).toMatchObject({ code: 'ssrf_blocked' });
    expect(r.error?.message).toMatch(/rebind\.test.*127\.0\.0\.1.*loopback/);
    expect(tcpConnections).toBe(0);
  });

  it('refuses a mixed public + loopback answer before dialling anything', async () => {
    dialled.length = 0;
    const r = await sender([], { resolve: rebindTo('93.184.215.14', '127.0.0.1') }).send(post(`http://rebind.test:${port}/`));
    expect(r.error).toMatchObject({ code: 'ssrf_blocked' });
    expect(dialled).toEqual([]);
    expect(tcpConnections).toBe(0);
  });

  it('refuses IPv6 loopback and mapped answers', async () => {
    const s = sender(['127.0.0.1/32'], { resolve: rebindTo('::1') });
    expect((await s.send(post(`http://rebind.test:${port}/`))).error?.code).toBe('ssrf_blocked');
    expect((await sender([]).send(post(`http://[::ffff:7f00:1]:${port}/`))).error?.code).toBe('ssrf_blocked');
  });

  it('connects to the vetted, pinned address and sends the original Host', async () => {
    dialled.length = 0;
    let lookups = 0;
    const resolve: Resolver = async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }]);
    const r = await sender(['127.0.0.1/32'], { resolve }).send(post(`http://rebind.test:${port}/pinned`));
    expect(r).toMatchObject({ statusCode: 200, error: null });
    expect(seen[0]).toMatchObject({ url: '/pinned', host: `rebind.test:${port}` });
    expect(lookups).toBe(1);
    expect(dialled).toEqual(['127.0.0.1']); // also proves the file's dial safety net is active
  });

  it('falls back to the next vetted address when the first refuses', async () => {
    dialled.length = 0;
    // Linux routes all of 127/8 to lo; nothing listens on 127.0.0.2, so that dial is refused.
    const r = await sender(['127.0.0.0/8'], { resolve: rebindTo('127.0.0.2', '127.0.0.1') }).send(post(`http://rebind.test:${port}/`));
    expect(r).toMatchObject({ statusCode: 200, error: null });
    expect(dialled).toEqual(['127.0.0.2', '127.0.0.1']);
  });

  it('re-checks the connected peer address and drops a socket that landed elsewhere', async () => {
    misroute.set('127.0.0.2', '127.0.0.1');
    try {
      const r = await sender(['127.0.0.2/32'], { resolve: rebindTo('127.0.0.2') }).send(post(`http://rebind.test:${port}/`));
      expect(r.error).toMatchObject({ code: 'ssrf_blocked', message: expect.stringContaining('connected peer 127.0.0.1') });
      expect(seen).toHaveLength(0);
    } finally {
      misroute.clear();
    }
  });

  it('skips address checks for a host name on the allow list', async () => {
    const r = await sender(['rebind.test'], { resolve: rebindTo('127.0.0.1') }).send(post(`http://rebind.test:${port}/`));
    expect(r).toMatchObject({ statusCode: 200, error: null });
  });

  it('keeps the host name for TLS SNI while dialling the pinned IP', async () => {
    const tlsConnect = vi.mocked(tls.connect);
    tlsConnect.mockClear();
    const r = await sender(['127.0.0.1/32'], { resolve: rebindTo('127.0.0.1') }).send(post(`https://rebind.test:${port}/`));
    expect(r.error?.code).toBe('tls_error'); // the test server speaks plain HTTP
    expect(tlsConnect.mock.calls[0]?.[0]).toMatchObject({ host: '127.0.0.1', servername: 'rebind.test' });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1);
  it('handles seconds, dates, past dates and junk', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 5 ', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-3', now)).toBeNull();
    expect(parseRetryAfter('2026', now)).toBe(2_026_000); // digits are always delta-seconds
    expect(parseRetryAfter('Sunday, 01-Feb-26 00:00:00 GMT', now)).toBeGreaterThan(0);
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
