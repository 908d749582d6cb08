import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onlyLoopbackDials } from '../../../test/helpers/loopback-dials.js';
import { SsrfGuard } from '../../net/ssrf-guard.js';
import { OUTPUT_LIMIT_BYTES, OUTPUT_TRUNCATED_NOTE, type RunContext, type RunOutcome } from '../runner.js';
import type { OutboundNet } from './http-call.js';
import { HttpRunner, type HttpRunnerConfig } from './http.js';

const ctx: RunContext = {
  runId: 'run_1',
  agentId: 'agt_1',
  agentName: 'writer',
  crewId: 'crw_1',
  crewName: 'docs',
  triggerType: 'manual',
  triggerName: null,
  prompt: 'summarise the incident',
};
const SECRET = 'Bearer sentinel-header-secret-123';

// Nothing in this file may dial beyond loopback, whatever the guard decides.
const { dialled } = onlyLoopbackDials();

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  closed: boolean;
}
let server: http.Server;
let base: string;
let seen: Seen[] = [];
let answer: (req: Seen, res: http.ServerResponse) => void = (_r, res) => res.end('ok');

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const entry: Seen = { method: req.method, url: req.url, headers: req.headers, body: '', closed: false };
    seen.push(entry);
    res.on('close', () => (entry.closed = true));
    req.setEncoding('utf8');
    req.on('data', (d: string) => (entry.body += d));
    req.on('end', () => answer(entry, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(() => {
  server.closeAllConnections();
  seen = [];
  dialled.length = 0;
});

const loopbackOnly: OutboundNet = { guard: new SsrfGuard({ allowNetworks: ['127.0.0.1/32'] }) };

async function run(
  cfg: Partial<HttpRunnerConfig> = {},
  o: { timeoutMs?: number; controller?: AbortController; net?: OutboundNet } = {},
): Promise<{ outcome: RunOutcome; logs: string[] }> {
  const logs: string[] = [];
  const outcome = await new HttpRunner({ url: `${base}/agent?token=q`, ...cfg }, o.net ?? loopbackOnly).run(ctx, {
    timeoutMs: o.timeoutMs ?? 10_000,
    signal: (o.controller ?? new AbortController()).signal,
    onLog: (_s, line) => logs.push(line),
  });
  return { outcome, logs };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('HttpRunner', () => {
  it('POSTs the run context as JSON and takes output and usage from a JSON answer', async () => {
    answer = (_r, res) =>
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ output: 'all quiet', iterations_used: 3, tool_calls: 2, tokens_used: 99.5 }));
    const { outcome, logs } = await run({ headers: { Authorization: SECRET } });
    expect(outcome).toEqual({ status: 'completed', output: 'all quiet', error: null, exitCode: null, usage: { iterations_used: 3, tool_calls: 2 } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/agent?token=q' });
    expect(seen[0]!.headers).toMatchObject({ authorization: SECRET, 'content-type': 'application/json' });
    expect(JSON.parse(seen[0]!.body)).toEqual({
      run_id: 'run_1',
      agent_id: 'agt_1',
      agent_name: 'writer',
      crew_id: 'crw_1',
      crew_name: 'docs',
      trigger_type: 'manual',
      trigger_name: null,
      prompt: 'summarise the incident',
    });
    // The log names the target without its query string, which may hold a token.
    expect(logs).toEqual([`POST ${base}/agent answered HTTP 200`]);
  });

  it('takes any other body as plain-text output', async () => {
    answer = (_r, res) => res.end('line one\nline two');
    expect((await run()).outcome).toMatchObject({ status: 'completed', output: 'line one\nline two', usage: {} });
    answer = (_r, res) => res.setHeader('content-type', 'application/json').end('{"result":"no output field"}');
    expect((await run()).outcome).toMatchObject({ status: 'completed', output: '{"result":"no output field"}' });
  });

  it('fails the run when a 2xx JSON answer reports an error', async () => {
    answer = (_r, res) => res.end(JSON.stringify({ output: 'partial', error: 'tool crashed', tokens_used: 5 }));
    expect((await run()).outcome).toEqual({ status: 'failed', output: 'partial', error: 'tool crashed', exitCode: null, usage: { tokens_used: 5 } });
  });

  it('fails on a non-2xx answer with its status and the start of its body, header values scrubbed', async () => {
    answer = (r, res) => res.writeHead(503).end(`overloaded, try later (you sent ${String(r.headers.authorization)})`);
    const { outcome } = await run({ headers: { Authorization: SECRET } });
    expect(outcome).toMatchObject({ status: 'failed', output: '' });
    expect(outcome.error).toBe('agent answered HTTP 503: overloaded, try later (you sent [redacted])');
    answer = (_r, res) => res.writeHead(422).end(JSON.stringify({ error: 'prompt too long' }));
    expect((await run()).outcome.error).toBe('agent answered HTTP 422: prompt too long');
  });

  it('does not follow redirects', async () => {
    answer = (_r, res) => res.writeHead(302, { location: `${base}/elsewhere` }).end();
    const { outcome } = await run();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('HTTP 302 (redirects are not followed');
    expect(seen.map((s) => s.url)).toEqual(['/agent?token=q']);
  });

  it('times out a silent agent and drops the connection', async () => {
    answer = () => {};
    const { outcome } = await run({}, { timeoutMs: 300 });
    expect(outcome).toEqual({ status: 'timeout', output: '', error: 'timed out after 0.3s', exitCode: null, usage: {} });
    await until(() => seen[0]?.closed === true);
  });

  it('cancels when the signal aborts, before or during the request', async () => {
    const early = new AbortController();
    early.abort();
    expect((await run({}, { controller: early })).outcome).toMatchObject({ status: 'cancelled', error: 'cancelled before start' });
    expect(seen).toHaveLength(0);

    const controller = new AbortController();
    answer = () => controller.abort();
    const { outcome } = await run({}, { controller });
    expect(outcome).toEqual({ status: 'cancelled', output: '', error: 'cancelled', exitCode: null, usage: {} });
    await until(() => seen[0]?.closed === true);
  });

  it('caps the output, plain or inside JSON, without splitting a character', async () => {
    const big = 'é'.repeat(OUTPUT_LIMIT_BYTES); // 2 bytes each: twice the limit
    answer = (_r, res) => res.end(big);
    const plain = (await run()).outcome;
    expect(plain.status).toBe('completed');
    expect(plain.output.endsWith(OUTPUT_TRUNCATED_NOTE)).toBe(true);
    expect(plain.output).not.toContain('\ufffd');
    expect(Buffer.byteLength(plain.output) - Buffer.byteLength(OUTPUT_TRUNCATED_NOTE)).toBe(OUTPUT_LIMIT_BYTES);

    answer = (_r, res) => res.end(JSON.stringify({ output: 'x'.repeat(OUTPUT_LIMIT_BYTES + 10), tokens_used: 7 }));
    const json = (await run()).outcome;
    expect(json.usage).toEqual({ tokens_used: 7 });
    expect(json.output).toBe('x'.repeat(OUTPUT_LIMIT_BYTES) + OUTPUT_TRUNCATED_NOTE);
  });

  it('refuses blocked addresses, literal or resolved, without dialling them', async () => {
    const literal = (await run({ url: 'http://10.0.0.1/agent' })).outcome;
    expect(literal.status).toBe('failed');
    expect(literal.error).toBe(
      'POST http://10.0.0.1/agent refused by the SSRF guard: 10.0.0.1 is a private address. If this target is intended, add it to delivery.allow_networks in the configuration',
    );

    // A name is vetted against what it resolves to, at connect time.
    const rebinding: OutboundNet = { guard: loopbackOnly.guard, resolve: async () => [{ address: '169.254.169.254', family: 4 }] };
    const resolved = (await run({ url: 'http://agent.example.test/run' }, { net: rebinding })).outcome;
    expect(resolved.status).toBe('failed');
    expect(resolved.error).toContain(
      'refused by the SSRF guard: agent.example.test resolved to a blocked address: 169.254.169.254 is a cloud metadata address',
    );

    // Loopback itself is refused when not allowed.
    const strict: OutboundNet = { guard: new SsrfGuard({ allowNetworks: [] }) };
    expect((await run({}, { net: strict })).outcome.error).toContain('127.0.0.1 is a loopback address');
    expect(dialled).toEqual([]);
    expect(seen).toHaveLength(0);

    // The same name resolving to an allowed address goes through.
    const allowedName: OutboundNet = { guard: loopbackOnly.guard, resolve: async () => [{ address: '127.0.0.1', family: 4 }] };
    answer = (_r, res) => res.end('reached');
    const port = new URL(base).port;
    expect((await run({ url: `http://agent.example.test:${port}/run` }, { net: allowedName })).outcome).toMatchObject({
      status: 'completed',
      output: 'reached',
    });
  });

  it('reports a refused connection as a failed run', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { outcome } = await run({ url: `http://127.0.0.1:${port}/agent` });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(new RegExp(`^POST http://127.0.0.1:${port}/agent failed: connection refused`));
  });
});
