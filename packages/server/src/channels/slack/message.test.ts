import { describe, expect, it } from 'vitest';
import type { SendResult } from '../../delivery/http-sender.js';
import {
  builtinSlackBlocks,
  escapeMrkdwn,
  fallbackText,
  isSlackWebhookUrl,
  judgeSlack,
  type SlackContext,
  slackChannel,
  slackMessage,
  SUMMARY_CHARS,
  truncateChars,
  withSlackToken,
} from './message.js';

const HOSTILE = 'He said "hi" <!channel> <@U123> <https://evil.example|click> & more\nline 2\r\n\ttab \\ C:\\dir ``` fence ``` 😀 日本語 \u2028';
const base: SlackContext = { agent_name: 'report-agent', event: 'on_complete', execution_id: 'exec-123', session_id: null, timestamp: '2026-02-25T09:00:00Z' };

/** All mrkdwn text in a message, joined, to check what Slack would render. */
function allText(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}
const texts = (blocks: unknown[]): string[] => {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
};

describe('slackChannel', () => {
  it.each([
    ['alerts', '#alerts'],
    ['#alerts', '#alerts'],
    ['  reports ', '#reports'],
    ['team-ops_2', '#team-ops_2'],
    ['C0123ABCD', 'C0123ABCD'],
    ['G0123ABCDEF', 'G0123ABCDEF'],
    ['D12345678', 'D12345678'],
    ['Cabc', '#Cabc'],
    ['C0123', '#C0123'],
  ])('%j → %j', (target, want) => expect(slackChannel(target)).toBe(want));

  it.each(['', '   ', '#', 'two words', '#alerts,#reports', 'alerts,reports', 'tab\there', 'a#b'])('rejects %j with a clear message', (target) => {
    expect(() => slackChannel(target)).toThrow(/Slack target .*(empty|space or comma|"#" inside)|Slack target is empty/);
    expect(() => slackChannel(target)).toThrow(/#alerts/);
  });

  it('rejects names longer than Slack allows', () => {
    expect(() => slackChannel('x'.repeat(81))).toThrow(/80-character/);
    expect(slackChannel('x'.repeat(80))).toBe(`#${'x'.repeat(80)}`);
  });
});

describe('isSlackWebhookUrl', () => {
  it('treats http(s) URLs as incoming webhooks and everything else as channels', () => {
    expect(isSlackWebhookUrl('https://hooks.slack.com/services/T0/B0/xyz')).toBe(true);
    expect(isSlackWebhookUrl('http://127.0.0.1:4000/services/a')).toBe(true);
    expect(isSlackWebhookUrl('HTTPS://hooks.slack.com/x')).toBe(true);
    for (const t of ['#alerts', 'alerts', 'C0123ABCD', 'ftp://x/y', 'https://', 'hooks.slack.com/services/x']) expect(isSlackWebhookUrl(t)).toBe(false);
  });
});

describe('builtinSlackBlocks', () => {
  it('shows agent name, event in words, execution id and the output summary', () => {
    const blocks = builtinSlackBlocks({ ...base, output: 'All 12 reports generated.' });
    const t = texts(blocks).join('\n');
    expect(t).toContain('*report-agent* completed');
    expect(t).toContain('`exec-123`');
    expect(t).toContain('*Output*\n```All 12 reports generated.```');
    expect(t).toContain('2026-02-25T09:00:00Z');
    expect(t).not.toContain('*Error*');
  });

  it.each([
    ['on_error', 'failed'],
    ['on_timeout', 'timed out'],
  ])('%s shows "%s" and the error, not the output', (event, words) => {
    const t = texts(builtinSlackBlocks({ ...base, event, error: 'Tool "search" failed', output: 'secret output' })).join('\n');
    expect(t).toContain(`*report-agent* ${words}`);
    expect(t).toContain('*Error*\n```Tool "search" failed```');
    expect(t).not.toContain('secret output');
  });

  it('escapes &, < and > so mentions and links in values are shown, not acted on', () => {
    const blocks = builtinSlackBlocks({ ...base, agent_name: 'a<b>&c', output: HOSTILE });
    const t = texts(blocks).join('\n');
    expect(t).not.toMatch(/<!channel>|<@U123>|<https:/);
    expect(t).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; more');
    expect(t).toContain('*a&lt;b&gt;&amp;c*');
    // Quotes, newlines, backslashes and unicode survive intact through JSON.
    const round = JSON.parse(JSON.stringify(blocks)) as unknown[];
    expect(texts(round).join('\n')).toContain('He said "hi"');
    expect(allText(round)).toContain('😀 日本語');
    expect(texts(round).join('\n')).toContain('line 2\r\n\ttab \\ C:\\dir');
    // A ``` in the value cannot close the summary's code block early.
    const summary = texts(blocks).find((x) => x.startsWith('*Output*'))!;
    expect(summary.match(/```/g)).toHaveLength(2);
  });

  it(`cuts long summaries to ${SUMMARY_CHARS} characters with "…", never splitting an emoji`, () => {
    const long = '😀'.repeat(2000);
    const summary = texts(builtinSlackBlocks({ ...base, output: long })).find((x) => x.startsWith('*Output*'))!;
    const inner = summary.slice('*Output*\n```'.length, -3);
    expect(Array.from(inner)).toHaveLength(SUMMARY_CHARS);
    expect(inner.endsWith('…')).toBe(true);
    expect(inner).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    // Escaping happens after the cut, so even a worst case stays inside Slack's 3000-char limit.
    const worst = texts(builtinSlackBlocks({ ...base, output: '&'.repeat(5000) })).find((x) => x.startsWith('*Output*'))!;
    expect(worst.length).toBeLessThan(3000);
  });

  it('prints non-string outputs as JSON and says when there is nothing', () => {
    expect(texts(builtinSlackBlocks({ ...base, output: { rows: 3, ok: true } })).join()).toContain('{"rows":3,"ok":true}');
    expect(texts(builtinSlackBlocks({ ...base, output: undefined })).join()).toContain('_(no output)_');
    expect(texts(builtinSlackBlocks({ ...base, event: 'on_error', error: null })).join()).toContain('_(no error message)_');
  });

  it('mentions the session only when there is one', () => {
    expect(texts(builtinSlackBlocks(base)).join()).not.toContain('session');
    expect(texts(builtinSlackBlocks({ ...base, session_id: 'sess-9' })).join()).toContain('session `sess-9`');
  });

  it('uses only block types Slack knows, with mrkdwn text objects', () => {
    for (const b of builtinSlackBlocks({ ...base, output: 'x' }) as { type: string }[]) expect(['section', 'context']).toContain(b.type);
  });
});

describe('fallbackText', () => {
  it('is short, names agent and event, and includes the error for failures', () => {
    expect(fallbackText({ ...base, output: 'long output' })).toBe('report-agent completed');
    expect(fallbackText({ ...base, event: 'on_timeout', error: 'ran over\n 30s <!here>' })).toBe('report-agent timed out: ran over 30s &lt;!here&gt;');
    expect(Array.from(fallbackText({ ...base, event: 'on_error', error: 'e'.repeat(1000) })).length).toBeLessThan(200);
  });
});

describe('slackMessage and withSlackToken', () => {
  const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];

  it.each(['https://slack.com/api', 'https://slack.com/api/', 'https://slack.com/api//'])('posts chat.postMessage under %j', (apiBaseUrl) => {
    const req = slackMessage({ target: 'alerts', blocks, text: 'fallback', apiBaseUrl });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://slack.com/api/chat.postMessage');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(req.body)).toEqual({ channel: '#alerts', text: 'fallback', blocks });
    expect(Object.keys(req.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it('posts {text, blocks} to an incoming-webhook URL, without a channel or token', () => {
    const url = 'http://127.0.0.1:9/services/T0/B0/abc';
    const req = slackMessage({ target: url, blocks, text: 'fallback', apiBaseUrl: 'https://slack.com/api' });
    expect(req.url).toBe(url);
    expect(JSON.parse(req.body)).toEqual({ text: 'fallback', blocks });
    expect(req.headers.authorization).toBeUndefined();
  });

  it('refuses a bad channel target when building', () => {
    expect(() => slackMessage({ target: '#a, #b', blocks, text: 't', apiBaseUrl: 'https://slack.com/api' })).toThrow(/space or comma/);
  });

  it('adds the bearer token without changing the frozen headers', () => {
    const req = slackMessage({ target: 'C0123ABCD', blocks, text: 't', apiBaseUrl: 'https://slack.com/api' });
    const sent = withSlackToken(req.headers, 'xoxb-1');
    expect(sent.authorization).toBe('Bearer xoxb-1');
    expect(sent['content-type']).toBe(req.headers['content-type']);
    expect(req.headers.authorization).toBeUndefined();
  });
});

describe('judgeSlack', () => {
  const res = (statusCode: number | null, responseBody = '', extra: Partial<SendResult> = {}): SendResult => ({
    statusCode,
    retryAfterMs: null,
    responseBody,
    durationMs: 5,
    error: null,
    ...extra,
  });
  const api = (body: object) => judgeSlack(res(200, JSON.stringify(body)), false);

  it('delivered: HTTP 200 {"ok":true}', () => {
    const r = api({ ok: true, channel: 'C1', ts: '1.2' });
    expect(r.error).toBeNull();
    expect(r.retryable).toBeUndefined();
  });

  it.each(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'])('%s inside a 200 is a retryable failure', (e) => {
    const r = api({ ok: false, error: e });
    expect(r.error).toEqual({ code: 'slack_error', message: e });
    expect(r.retryable).toBe(true);
  });

  it.each([
    'channel_not_found',
    'not_in_channel',
    'invalid_auth',
    'not_authed',
    'token_revoked',
    'account_inactive',
    'is_archived',
    'msg_too_long',
    'invalid_blocks',
    'no_permission',
    'missing_scope',
    'no_text',
    'some_future_error',
  ])("%s inside a 200 fails without retrying, with Slack's error as the message", (e) => {
    const r = api({ ok: false, error: e });
    expect(r.error).toEqual({ code: 'slack_error', message: e });
    expect(r.retryable).toBe(false);
    expect(r.statusCode).toBe(200);
  });

  it('{"ok":false} without an error string is still a failure', () => {
    expect(api({ ok: false }).error).toEqual({ code: 'slack_error', message: 'unknown_error' });
  });

  it.each(['<html>gateway</html>', '', '{"channel":"C1"}', '[]', 'null', '{"ok":"true"}'])('a 200 with %j is a bad response, retried', (body) => {
    const r = judgeSlack(res(200, body), false);
    expect(r.error?.code).toBe('slack_bad_response');
    expect(r.error?.message).toMatch(/Slack answered HTTP 200 without a JSON "ok" field/);
    expect(r.retryable).toBe(true);
  });

  it('reads ok/error from the start of an answer the sender cut at 4 KB (Slack echoes long messages back)', () => {
    const echoed = JSON.stringify({ ok: true, channel: 'C1', ts: '1.2', message: { text: 'x'.repeat(5000) } }).slice(0, 4096);
    expect(() => JSON.parse(echoed)).toThrow();
    expect(judgeSlack(res(200, echoed), false).error).toBeNull();
    const refused = `{"ok":false,"error":"msg_too_long","detail":"${'y'.repeat(5000)}`.slice(0, 4096);
    expect(judgeSlack(res(200, refused), false).error).toEqual({ code: 'slack_error', message: 'msg_too_long' });
    // Only a leading ok field counts: an "ok" further in is not Slack's verdict.
    expect(judgeSlack(res(200, `{"channel":"C1","ok":true,"x":"${'z'.repeat(5000)}`.slice(0, 4096)), false).error?.code).toBe('slack_bad_response');
  });

  it('leaves HTTP 429 (with its Retry-After) and 5xx to the engine', () => {
    const limited = res(429, '{"ok":false,"error":"ratelimited"}', { retryAfterMs: 1000 });
    expect(judgeSlack(limited, false)).toEqual(limited);
    expect(judgeSlack(res(503, 'down'), false)).toEqual(res(503, 'down'));
    expect(judgeSlack(res(500, '{"ok":false,"error":"internal_error"}'), false).retryable).toBeUndefined();
  });

  it('reads a Slack error out of a 4xx JSON answer too', () => {
    const r = judgeSlack(res(404, '{"ok":false,"error":"unknown_method"}'), false);
    expect(r.error).toEqual({ code: 'slack_error', message: 'unknown_method' });
    expect(r.retryable).toBe(false);
  });

  it('passes network failures through unchanged, for both kinds', () => {
    const net = res(null, '', { error: { code: 'connection_refused', message: 'ECONNREFUSED' } });
    expect(judgeSlack(net, false)).toBe(net);
    expect(judgeSlack(net, true)).toBe(net);
    const late = res(200, 'partial', { error: { code: 'timeout', message: 'no complete response' } });
    expect(judgeSlack(late, false)).toBe(late);
  });

  describe('incoming webhooks', () => {
    it('200 "ok" is delivered', () => {
      const r = judgeSlack(res(200, 'ok'), true);
      expect(r.error).toBeNull();
      expect(r.retryable).toBeUndefined();
    });

    it.each([
      [404, 'channel_not_found'],
      [404, 'no_service'],
      [400, 'invalid_payload'],
      [400, 'no_text'],
      [410, 'channel_is_archived'],
      [403, 'action_prohibited'],
      [403, 'posting_to_general_channel_denied'],
      [403, 'invalid_token'],
      [400, 'user_not_found'],
    ])('%i %s fails without retrying, message = the text', (status, body) => {
      const r = judgeSlack(res(status, `${body}\n`), true);
      expect(r.error).toEqual({ code: 'slack_error', message: body });
      expect(r.retryable).toBe(false);
    });

    it('a 4xx with a non-Slack body says the status instead of echoing it', () => {
      expect(judgeSlack(res(404, '<html>Not Found</html>'), true).error).toEqual({ code: 'slack_error', message: 'HTTP 404' });
    });

    it('leaves 429, 408 and 5xx to the engine', () => {
      for (const r of [res(429, 'rate_limited', { retryAfterMs: 1000 }), res(408, ''), res(500, 'internal_error'), res(503, '')]) {
        expect(judgeSlack(r, true)).toEqual(r);
      }
    });
  });
});

describe('helpers', () => {
  it('escapeMrkdwn escapes exactly &, < and >', () => {
    expect(escapeMrkdwn(`<a href="x">&amp;'*_~`)).toBe(`&lt;a href="x"&gt;&amp;amp;'*_~`);
  });
  it('truncateChars counts characters', () => {
    expect(truncateChars('abcdef', 6)).toBe('abcdef');
    expect(truncateChars('abcdefg', 6)).toBe('abcde…');
    expect(truncateChars('😀😀😀', 2)).toBe('😀…');
  });
});
