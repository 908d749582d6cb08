import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SsrfGuard } from '../../net/ssrf-guard.js';
import { OUTPUT_LIMIT_BYTES, OUTPUT_TRUNCATED_NOTE, type RunContext, type RunOutcome } from '../runner.js';
import type { OutboundNet } from './http-call.js';
import { OpenAIRunner, type OpenAIRunnerConfig } from './openai.js';

const ctx: RunContext = {
  runId: 'run_1',
  agentId: 'agt_1',
  agentName: 'triage',
  crewId: 'crw_1',
  crewName: 'ops',
  triggerType: 'webhook',
  triggerName: 'alerts',
  prompt: 'Is the disk alert real?',
};
const KEY = 'sk-test-0123456789abcdef';

interface Call {
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  closed: boolean;
}

/**
 * A small OpenAI-compatible server. It checks the path and the key, and its behaviour is picked
 * by the requested model: echo, tools, big, hang, error-in-200, not-json, leak (repeats the key).
 */
class StubOpenAI {
  calls: Call[] = [];
  url = '';
  private server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => {
      const call: Call = { url: req.url, headers: req.headers, body: JSON.parse(raw || 'null'), closed: false };
      this.calls.push(call);
      res.on('close', () => (call.closed = true));
      this.answer(call, res);
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  dropConnections(): void {
    this.server.closeAllConnections();
  }

  private answer(call: Call, res: http.ServerResponse): void {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (call.url !== '/v1/chat/completions') return json(404, { error: { message: `no route ${call.url}` } });
    const auth = call.headers.authorization;
    if (auth !== undefined && auth !== `Bearer ${KEY}`)
      return json(401, { error: { message: `Incorrect API key provided: ${auth.slice(7)}`, type: 'invalid_request_error' } });
    const { model, messages } = call.body as { model: string; messages: { role: string; content: string }[] };
    const reply = (message: object, usage?: object) =>
      json(200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model,
        choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
        ...(usage ? { usage } : {}),
      });
    switch (model) {
      case 'hang':
        return;
      case 'tools':
        return reply(
          {
            content: null,
            tool_calls: [
              { id: 'a', type: 'function' },
              { id: 'b', type: 'function' },
            ],
          },
          { prompt_tokens: 10, completion_tokens: 5 },
        );
      case 'big':
        return reply({ content: 'y'.repeat(OUTPUT_LIMIT_BYTES + 100) }, { total_tokens: 1 });
      case 'error-in-200':
        return json(200, { error: { message: 'model "error-in-200" is loading' } });
      case 'not-json':
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>gateway</html>');
      case 'leak':
        return reply({ content: `your key is ${auth ?? 'none'}` });
      default:
        return reply({ content: `echo: ${messages.at(-1)!.content}` }, { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 });
    }
  }
}

let stub: StubOpenAI;
beforeAll(async () => (stub = await new StubOpenAI().start()));
afterAll(() => stub.close());
afterEach(() => {
  stub.dropConnections();
  stub.calls = [];
});

const loopbackOnly: OutboundNet = { guard: new SsrfGuard({ allowNetworks: ['127.0.0.1/32'] }) };

async function run(cfg: Partial<OpenAIRunnerConfig>, o: { timeoutMs?: number; controller?: AbortController; net?: OutboundNet } = {}): Promise<RunOutcome> {
  return new OpenAIRunner({ base_url: stub.url, model: 'echo', ...cfg }, o.net ?? loopbackOnly).run(ctx, {
    timeoutMs: o.timeoutMs ?? 10_000,
    signal: (o.controller ?? new AbortController()).signal,
    onLog: () => {},
  });
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('OpenAIRunner', () => {
  it('sends one non-streaming chat completion and records the answer and tokens', async () => {
    const outcome = await run({ api_key: KEY, system_prompt: 'You are on call.', temperature: 0.2, max_tokens: 256 });
    expect(outcome).toEqual({
      status: 'completed',
      output: 'echo: Is the disk alert real?',
      error: null,
      exitCode: null,
      usage: { iterations_used: 1, tokens_used: 42 },
    });
    expect(stub.calls).toHaveLength(1);
    expect(stub.calls[0]!.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'content-type': 'application/json' });
    expect(stub.calls[0]!.body).toEqual({
      model: 'echo',
      messages: [
        { role: 'system', content: 'You are on call.' },
        { role: 'user', content: 'Is the disk alert real?' },
      ],
      stream: false,
      temperature: 0.2,
      max_tokens: 256,
    });
  });

  it('sends no Authorization or system message when none is configured; tolerates a trailing slash', async () => {
    const outcome = await run({ base_url: `${stub.url}/` });
    expect(outcome.status).toBe('completed');
    expect(stub.calls[0]!.headers.authorization).toBeUndefined();
    expect(stub.calls[0]!.body).toEqual({ model: 'echo', messages: [{ role: 'user', content: 'Is the disk alert real?' }], stream: false });
  });

  it('counts tool calls and adds up prompt and completion tokens when total is missing', async () => {
    expect(await run({ model: 'tools' })).toEqual({
      status: 'completed',
      output: '',
      error: null,
      exitCode: null,
      usage: { iterations_used: 1, tool_calls: 2, tokens_used: 15 },
    });
  });

  it('fails with the API error message, never the key', async () => {
    const wrong = await run({ api_key: `${KEY}-wrong` });
    expect(wrong.status).toBe('failed');
    expect(wrong.error).toBe('model API answered HTTP 401: Incorrect API key provided: [redacted]');
    expect(JSON.stringify(wrong)).not.toContain(KEY);

    expect(await run({ model: 'error-in-200' })).toMatchObject({ status: 'failed', error: 'model API error: model "error-in-200" is loading' });
    expect(await run({ base_url: stub.url.replace('/v1', '/v2') })).toMatchObject({
      status: 'failed',
      error: 'model API answered HTTP 404: no route /v2/chat/completions',
    });
    expect(await run({ model: 'not-json' })).toMatchObject({
      status: 'failed',
      error: 'model API answered with something other than a JSON object: <html>gateway</html>',
    });
  });

  it('keeps the key out of the output even when the server repeats it', async () => {
    const outcome = await run({ model: 'leak', api_key: KEY });
    expect(outcome).toMatchObject({ status: 'completed', output: 'your key is Bearer [redacted]' });
  });

  it('fails without a model rather than sending an empty one', async () => {
    const outcome = await new OpenAIRunner({ base_url: stub.url }, loopbackOnly).run(ctx, {
      timeoutMs: 1000,
      signal: new AbortController().signal,
      onLog: () => {},
    });
    expect(outcome).toMatchObject({ status: 'failed', error: "no model configured: set runner_config.model or the agent's model" });
    expect(stub.calls).toHaveLength(0);
  });

  it('times out and cancels a model that never answers, closing the connection', async () => {
    expect(await run({ model: 'hang', api_key: KEY }, { timeoutMs: 250 })).toEqual({
      status: 'timeout',
      output: '',
      error: 'timed out after 0.25s',
      exitCode: null,
      usage: {},
    });
    await until(() => stub.calls[0]?.closed === true);

    const controller = new AbortController();
    const pending = run({ model: 'hang' }, { controller });
    await until(() => stub.calls.length === 2);
    controller.abort();
    expect(await pending).toEqual({ status: 'cancelled', output: '', error: 'cancelled', exitCode: null, usage: {} });
    await until(() => stub.calls[1]?.closed === true);
  });

  it('caps a huge answer at the output limit', async () => {
    const outcome = await run({ model: 'big' });
    expect(outcome.status).toBe('completed');
    expect(outcome.output).toBe('y'.repeat(OUTPUT_LIMIT_BYTES) + OUTPUT_TRUNCATED_NOTE);
  });

  it('refuses a base URL the SSRF guard blocks, and says how to allow it', async () => {
    const outcome = await run({ base_url: 'http://169.254.169.254/v1', api_key: KEY });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(
      'POST http://169.254.169.254/v1/chat/completions refused by the SSRF guard: 169.254.169.254 is a cloud metadata address. If this target is intended, add it to delivery.allow_networks in the configuration',
    );
    const strict: OutboundNet = { guard: new SsrfGuard({ allowNetworks: [] }) };
    expect((await run({}, { net: strict })).error).toContain('127.0.0.1 is a loopback address');
    expect(stub.calls).toHaveLength(0);
  });
});
