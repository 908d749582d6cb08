import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from '../../test/helpers/process.js';
import { until } from '../../test/helpers/wait.js';
import { ThreadedSender, type ThreadedSenderOptions } from './send-threads.js';

let server: http.Server;
let origin: string;
let seen: { url: string; body: string; signature: string | undefined }[] = [];
let handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body, signature: req.headers['webhook-signature'] as string | undefined });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const senders: ThreadedSender[] = [];
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.destroy()));
  server.closeAllConnections();
  seen = [];
});

function threaded(options: Partial<ThreadedSenderOptions> = {}): ThreadedSender {
  const sender = new ThreadedSender({ threads: 1, allowNetworks: ['127.0.0.1/32'], connections: 64, ...options });
  senders.push(sender);
  return sender;
}

const post = (path: string, timeoutMs = 5000, body = '{"hello":"world"}') => ({
  method: 'POST',
  url: `${origin}${path}`,
  timeoutMs,
  body,
  headers: { 'content-type': 'application/json', 'webhook-signature': 'v1,SECRET-SIGNATURE-VALUE' },
});

describe('ThreadedSender', () => {
  it('sends from a thread and returns what HttpSender returns: status, Retry-After, body', async () => {
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end('slow down');
    const result = await threaded().send(post('/hook?x=1'));
    expect(result).toMatchObject({ statusCode: 429, retryAfterMs: 7000, responseBody: 'slow down', error: null });
    expect(seen).toEqual([{ url: '/hook?x=1', body: '{"hello":"world"}', signature: 'v1,SECRET-SIGNATURE-VALUE' }]);
  });

  it('gives each of many concurrent requests, over several threads, its own answer', async () => {
    handler = (req, res, body) => res.writeHead(200 + (Number(body) % 3)).end(`answer to ${req.url}`);
    const sender = threaded({ threads: 3 });
    const results = await Promise.all(Array.from({ length: 600 }, (_, i) => sender.send(post(`/n/${i}`, 5000, String(i)))));
    results.forEach((result, i) => expect(result).toMatchObject({ statusCode: 200 + (i % 3), responseBody: `answer to /n/${i}`, error: null }));
    expect(seen).toHaveLength(600);
  });

  it('redacts a secret the receiver echoes, inside the thread', async () => {
    handler = (req, res) => res.end(`you sent ${req.headers['webhook-signature']}`);
    const result = await threaded().send(post('/echo'));
    expect(result.responseBody).toBe('you sent [redacted]');
  });

  it("refuses what the thread's SSRF guard does not allow; the server sees nothing", async () => {
    handler = (_req, res) => res.end('reached');
    const result = await threaded({ allowNetworks: [] }).send(post('/'));
    expect(result).toMatchObject({ statusCode: null, error: { code: 'ssrf_blocked' } });
    expect(seen).toHaveLength(0);
  });

  it('times out a receiver that never answers', async () => {
    handler = () => {};
    const result = await threaded().send(post('/hang', 300));
    expect(result.error?.code).toBe('timeout');
    expect(result.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('close() lets an open request finish; a request after it fails without reaching anyone', async () => {
    let answer: (() => void) | undefined;
    handler = (_req, res) => (answer = () => res.end('late but fine'));
    const sender = threaded();
    const open = sender.send(post('/slow'));
    await until('the request to reach the server', async () => seen.length === 1 || undefined);
    const closed = sender.close();
    answer!();
    expect(await open).toMatchObject({ statusCode: 200, responseBody: 'late but fine' });
    await closed;
    expect(await sender.send(post('/after'))).toMatchObject({ statusCode: null, error: { code: 'network_error', message: 'the sender is closed' } });
    expect(seen).toHaveLength(1);
  });

  it('destroy() aborts open requests, which come back as failed attempts', async () => {
    handler = () => {};
    const sender = threaded();
    const open = sender.send(post('/hang'));
    await until('the request to reach the server', async () => seen.length === 1 || undefined);
    await sender.destroy();
    expect((await open).error).not.toBeNull();
  });

  it('reports the open requests of a thread that dies as failed, says so, and starts a new thread for the next', async () => {
    const errors: Error[] = [];
    const sender = threaded({
      threads: 1,
      script: new URL('../../test/fixtures/dying-send-thread.mjs', import.meta.url),
      onThreadError: (err) => errors.push(err),
    });
    const lost = await Promise.all([sender.send(post('/a')), sender.send(post('/b'))]);
    for (const result of lost)
      expect(result).toMatchObject({
        statusCode: null,
        error: { code: 'network_error', message: expect.stringContaining('whether the receiver got the request is unknown') },
      });
    expect(errors.map((e) => e.message)).toEqual(['send thread exited with code 3']);
    // The replacement is the same dying script here: what matters is that the request is answered, not left hanging.
    expect((await sender.send(post('/c'))).error?.code).toBe('network_error');
    expect(errors).toHaveLength(2);
  });

  it('does not keep a process alive once its requests are answered', async () => {
    assertCliBuilt();
    handler = (_req, res) => res.end('ok');
    const dist = new URL('../../dist/delivery/send-threads.js', import.meta.url).href;
    const script = `const { ThreadedSender } = await import(${JSON.stringify(dist)});
      const sender = new ThreadedSender({ threads: 2, allowNetworks: ['127.0.0.1/32'], connections: 4 });
      const result = await sender.send(${JSON.stringify(post('/last'))});
      console.log(result.statusCode ?? JSON.stringify(result.error));`;
    const file = join(mkdtempSync(join(tmpdir(), 'hookline-send-threads-')), 'last-request.mjs');
    writeFileSync(file, script);
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, [file], { timeout: 20_000 }, (err, out) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout: out }),
      );
    });
    rmSync(dirname(file), { recursive: true, force: true });
    expect(stdout.trim()).toBe('200');
    expect(code).toBe(0);
  });
});
