import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { judgeSlack, slackMessage, withSlackToken } from '../src/channels/slack/message.js';
import { HttpSender } from '../src/delivery/http-sender.js';
import { SsrfGuard } from '../src/net/ssrf-guard.js';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(() => slack.close());

const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];

async function post(url: string, body: unknown, token: string | null = slack.token) {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    text,
    json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}
const postMessage = (body: unknown, token?: string | null) => post(`${slack.url}/chat.postMessage`, body, token);

describe('fake Slack Web API', () => {
  it('posts to a known channel and answers like chat.postMessage', async () => {
    const r = await postMessage({ channel: '#alerts', text: 'fallback', blocks });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, channel: expect.stringMatching(/^C[A-Z0-9]{8,}$/), ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(r.json!.message).toMatchObject({ text: 'fallback', blocks });
    expect(slack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]).toMatchObject({ method: 'POST', path: '/api/chat.postMessage', json: { channel: '#alerts', text: 'fallback', blocks } });
    expect(slack.requests[0]!.body).toBe(JSON.stringify({ channel: '#alerts', text: 'fallback', blocks }));
    expect(slack.requests[0]!.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(slack.delivered()).toHaveLength(1);
  });

  it('accepts a name without # and the channel id it gave out', async () => {
    const first = await postMessage({ channel: 'reports', text: 't' });
    expect(first.json!.ok).toBe(true);
    expect((await postMessage({ channel: first.json!.channel, text: 't' })).json!.ok).toBe(true);
  });

  it('checks the bearer token', async () => {
    expect((await postMessage({ channel: '#alerts', text: 't' }, null)).json).toEqual({ ok: false, error: 'not_authed' });
    expect((await postMessage({ channel: '#alerts', text: 't' }, 'xoxb-wrong')).json).toEqual({ ok: false, error: 'invalid_auth' });
    expect(slack.delivered()).toHaveLength(0);
  });

  it('answers channel_not_found for unknown channels, in an HTTP 200', async () => {
    const r = await postMessage({ channel: '#nope', text: 't' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: false, error: 'channel_not_found' });
  });

  it('refuses messages without text or blocks, or with blocks that are not a list', async () => {
    expect((await postMessage({ channel: '#alerts' })).json).toEqual({ ok: false, error: 'no_text' });
    expect((await postMessage({ channel: '#alerts', text: 't', blocks: 'x' })).json).toEqual({ ok: false, error: 'invalid_blocks' });
    expect((await postMessage('not json')).json).toEqual({ ok: false, error: 'invalid_json' });
  });

  it('failNext: ratelimited is HTTP 429 with Retry-After: 1, then back to normal', async () => {
    slack.failNext(2, 'ratelimited');
    for (let i = 0; i < 2; i++) {
      const r = await postMessage({ channel: '#alerts', text: 't' });
      expect(r.status).toBe(429);
      expect(r.retryAfter).toBe('1');
      expect(r.json).toEqual({ ok: false, error: 'ratelimited' });
    }
    expect((await postMessage({ channel: '#alerts', text: 't' })).json!.ok).toBe(true);
    expect(slack.requests).toHaveLength(3);
    expect(slack.delivered()).toHaveLength(1);
  });

  it('failNext: channel_not_found and internal_error even for a real channel; or any raw answer', async () => {
    slack.failNext(1, 'channel_not_found');
    slack.failNext(1, 'internal_error');
    slack.failNext(1, { status: 502, body: '<html>bad gateway</html>' });
    expect((await postMessage({ channel: '#alerts', text: 't' })).json).toEqual({ ok: false, error: 'channel_not_found' });
    expect((await postMessage({ channel: '#alerts', text: 't' })).json).toEqual({ ok: false, error: 'internal_error' });
    const raw = await postMessage({ channel: '#alerts', text: 't' });
    expect([raw.status, raw.text]).toEqual([502, '<html>bad gateway</html>']);
  });

  it('waitFor resolves on arrival and rejects when nothing comes', async () => {
    const waiting = slack.waitFor(1, 2000);
    await postMessage({ channel: '#alerts', text: 't' });
    await expect(waiting).resolves.toBeUndefined();
    await expect(slack.waitFor(5, 50)).rejects.toThrow(/1 of 5 requests/);
  });

  it('takes its own token and channels', async () => {
    const other = await startFakeSlack({ token: 'xoxb-other', channels: ['#ops'] });
    try {
      expect((await post(`${other.url}/chat.postMessage`, { channel: '#ops', text: 't' }, 'xoxb-other')).json!.ok).toBe(true);
      expect((await post(`${other.url}/chat.postMessage`, { channel: '#alerts', text: 't' }, 'xoxb-other')).json!.error).toBe('channel_not_found');
    } finally {
      await other.close();
    }
  });
});

describe('fake Slack incoming webhooks', () => {
  it('answers plain-text ok, needs no token, and records the request', async () => {
    const url = slack.webhookUrl('alerts-hook');
    expect(url.startsWith(slack.url.replace(/\/api$/, ''))).toBe(true);
    const r = await post(url, { text: 'hello', blocks }, null);
    expect([r.status, r.text]).toEqual([200, 'ok']);
    expect(slack.requests[0]!.path).toBe(new URL(url).pathname);
    expect(slack.delivered()).toHaveLength(1);
  });

  it("answers Slack's plain-text errors", async () => {
    const url = slack.webhookUrl('x');
    expect(await post(url, 'not json', null)).toMatchObject({ status: 400, text: 'invalid_payload' });
    expect(await post(url, {}, null)).toMatchObject({ status: 400, text: 'no_text' });
    slack.failNext(1, 'channel_not_found');
    expect(await post(url, { text: 't' }, null)).toMatchObject({ status: 404, text: 'channel_not_found' });
    slack.failNext(1, 'ratelimited');
    expect(await post(url, { text: 't' }, null)).toMatchObject({ status: 429, retryAfter: '1' });
    slack.failNext(1, 'internal_error');
    expect(await post(url, { text: 't' }, null)).toMatchObject({ status: 500, text: 'internal_error' });
    expect(slack.delivered()).toHaveLength(0);
  });
});

describe('slack.ts against the fake, through the real sender', () => {
  it("sends, reads Slack's answers and keeps the token out of the frozen request", async () => {
    const sender = new HttpSender({ guard: new SsrfGuard({ allowNetworks: ['127.0.0.1/32'] }) });
    const send = async (target: string, token: string | null) => {
      const msg = slackMessage({ target, blocks, text: 'fallback', apiBaseUrl: `${slack.url}/` });
      const headers = token === null ? msg.headers : withSlackToken(msg.headers, token);
      return judgeSlack(await sender.send({ ...msg, headers, timeoutMs: 5000 }), target.startsWith('http'));
    };
    try {
      expect((await send('alerts', slack.token)).error).toBeNull();
      expect(await send('nope', slack.token)).toMatchObject({ error: { code: 'slack_error', message: 'channel_not_found' }, retryable: false });
      expect(await send('#alerts', 'xoxb-revoked')).toMatchObject({ error: { message: 'invalid_auth' }, retryable: false });
      slack.failNext(1, 'ratelimited');
      expect(await send('#alerts', slack.token)).toMatchObject({ statusCode: 429, retryAfterMs: 1000, error: null });
      expect((await send(slack.webhookUrl('w'), null)).error).toBeNull();
      slack.failNext(1, 'channel_not_found');
      expect(await send(slack.webhookUrl('w'), null)).toMatchObject({ statusCode: 404, error: { message: 'channel_not_found' }, retryable: false });
      expect(slack.requests[0]!.json).toEqual({ channel: '#alerts', text: 'fallback', blocks });
      expect(slack.requests[4]!.headers.authorization).toBeUndefined();
    } finally {
      await sender.close();
    }
  });
});
