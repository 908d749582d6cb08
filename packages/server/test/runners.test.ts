import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import { Receiver } from './helpers/receiver.js';

const HEADER_SECRET = 'Bearer sentinel-http-agent-token';
const API_KEY = 'sk-sentinel-openai-key-0123456789';

describe.each(STORES)('http and openai runners through the API (%s)', (kind) => {
  let h: Harness;
  let httpAgent: Receiver;
  let model: Receiver;

  beforeAll(async () => {
    // A local HTTP agent: answers with what it was asked and some usage.
    httpAgent = await new Receiver().start();
    httpAgent.respond = (req, res) => {
      const ctx = JSON.parse(req.body) as { prompt: string; agent_id: string; trigger_type: string };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ output: `${ctx.agent_id}/${ctx.trigger_type}: ${ctx.prompt}`, iterations_used: 2, tool_calls: 3, tokens_used: 17 }));
    };
    // A local OpenAI-compatible model: demands the key, echoes the user message, counts tokens.
    model = await new Receiver().start();
    model.respond = (req, res) => {
      if (req.path !== '/v1/chat/completions' || req.headers.authorization !== `Bearer ${API_KEY}`)
        return void res.writeHead(401).end(JSON.stringify({ error: { message: 'bad key' } }));
      const body = JSON.parse(req.body) as { model: string; messages: { role: string; content: string }[] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: 'assistant', content: `${body.model} says: ${body.messages.at(-1)!.content}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 },
        }),
      );
    };
    h = await startHookline(kind); // allows 127.0.0.1 for outbound requests
    expect((await h.call('POST', '/api/v1/crews', { id: 'ops', name: 'Ops' })).status).toBe(201);
  });
  afterAll(async () => {
    await h.close();
    await httpAgent.close();
    await model.close();
  });

  it('runs an http agent: its answer becomes the run output and usage; header values are never shown', async () => {
    const created = await h.call('POST', '/api/v1/agents', {
      id: 'remote',
      crew_id: 'ops',
      name: 'Remote agent',
      runner: 'http',
      runner_config: { url: `${httpAgent.url}/run`, headers: { Authorization: HEADER_SECRET } },
    });
    expect(created.status).toBe(201);
    expect(created.body.runner_config).toEqual({ url: `${httpAgent.url}/run`, headers: { Authorization: '********' } });

    const run = await h.call('POST', '/api/v1/agents/remote/runs?wait=true', { prompt: 'check the queue' });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'completed', error: null, exit_code: null, usage: { iterations_used: 2, tool_calls: 3, tokens_used: 17 } });
    expect(run.body.output).toMatch(/^remote\/manual: .*check the queue/s);
    expect(httpAgent.received.at(-1)!.headers.authorization).toBe(HEADER_SECRET);

    const got = await h.call('GET', '/api/v1/agents/remote');
    expect(got.body.runner_config.headers).toEqual({ Authorization: '********' });
    expect(JSON.stringify(got.body)).not.toContain('sentinel-http-agent-token');
  });

  it('runs an openai agent with the agent model as fallback, records tokens, and never shows the key', async () => {
    const created = await h.call('POST', '/api/v1/agents', {
      id: 'llm',
      crew_id: 'ops',
      name: 'LLM',
      model: 'tiny-llama',
      runner: 'openai',
      runner_config: { base_url: `${model.url}/v1`, api_key: API_KEY, system_prompt: 'Be brief.' },
    });
    expect(created.status).toBe(201);
    expect(created.body.runner_config).toEqual({
      base_url: `${model.url}/v1`,
      model: null,
      api_key: '********',
      system_prompt: 'Be brief.',
      temperature: null,
      max_tokens: null,
    });

    const run = await h.call('POST', '/api/v1/agents/llm/runs?wait=true', { prompt: 'why is the disk full?' });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'completed', error: null, usage: { iterations_used: 1, tool_calls: null, tokens_used: 29 } });
    expect(run.body.output).toMatch(/^tiny-llama says: .*why is the disk full\?/s);
    const sent = JSON.parse(model.received.at(-1)!.body) as { model: string; stream: boolean; messages: { role: string }[] };
    expect(sent).toMatchObject({ model: 'tiny-llama', stream: false });
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user']);

    for (const path of ['/api/v1/agents/llm', '/api/v1/agents?crew_id=ops']) {
      const got = await h.call('GET', path);
      expect(got.status).toBe(200);
      expect(JSON.stringify(got.body)).not.toContain(API_KEY);
    }
  });

  it('fails a run against a wrong key with the API message, and validates runner settings on save', async () => {
    const patched = await h.call('PATCH', '/api/v1/agents/llm', { runner_config: { base_url: `${model.url}/v1`, api_key: 'sk-wrong-key-0000' } });
    expect(patched.status).toBe(200);
    const run = await h.call('POST', '/api/v1/agents/llm/runs?wait=true', { prompt: 'x' });
    expect(run.body).toMatchObject({ status: 'failed', error: 'model API answered HTTP 401: bad key' });

    const blocked = await h.call('POST', '/api/v1/agents', {
      crew_id: 'ops',
      name: 'Metadata',
      runner: 'http',
      runner_config: { url: 'http://169.254.169.254/latest' },
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error).toMatchObject({
      code: 'ssrf_blocked',
      message: expect.stringContaining('runner_config.url is not allowed: 169.254.169.254 is a cloud metadata address'),
    });

    // Another runner's settings: `command` is not a field of the http runner's.
    const wrongShape = await h.call('POST', '/api/v1/agents', { crew_id: 'ops', name: 'X', runner: 'http', runner_config: { command: 'true' } });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.error).toMatchObject({
      code: 'unknown_field',
      message: 'body.runner_config.command: unknown field "command"; the fields here are url, headers',
    });
    const noUrl = await h.call('POST', '/api/v1/agents', { crew_id: 'ops', name: 'X', runner: 'http', runner_config: { headers: {} } });
    expect(noUrl.status).toBe(422);
    expect(noUrl.body.error.message).toBe('body.runner_config: missing required field "url"');

    const noModel = await h.call('POST', '/api/v1/agents', { crew_id: 'ops', name: 'X', runner: 'openai', runner_config: { base_url: `${model.url}/v1` } });
    expect(noModel.status).toBe(422);
    expect(noModel.body.error.message).toContain('missing required field "model"');

    const switchWithout = await h.call('PATCH', '/api/v1/agents/remote', { runner: 'openai' });
    expect(switchWithout.status).toBe(422);
    expect(switchWithout.body.error.message).toBe('changing runner to "openai" needs its runner_config as well');
    const patchShape = await h.call('PATCH', '/api/v1/agents/remote', { runner_config: { url: httpAgent.url, token: 'x' } });
    expect(patchShape.status).toBe(400);
    expect(patchShape.body.error).toMatchObject({
      code: 'unknown_field',
      message: 'body.runner_config.token: unknown field "token"; the fields here are url, headers',
    });
    expect((await h.call('GET', '/api/v1/agents/remote')).body.runner).toBe('http');
  });
});
