import { describe, expect, it } from 'vitest';
import { compileTemplate, NOTIFICATION_VARIABLES, POST_ACTION_VARIABLES, renderHeaderValue, renderTemplate, renderUrl, TemplateError } from './index.js';
import { ON_COMPLETE_EXAMPLE, PAGERDUTY_EXAMPLE, SLACK_BODY_EXAMPLE } from '../../test/helpers/documented-examples.js';

// The post-action variables of one failed scheduled run.

const postActionVars = {
  status: 'failed',
  trigger_type: 'schedule',
  trigger_name: 'nightly-report',
  team_name: 'research',
  run_id: 'run_01JABC',
  response: 'Done.',
  error: 'agent timed out',
  prompt: 'Summarise',
  started_at: '2026-02-25T09:00:00Z',
  finished_at: '2026-02-25T09:05:00Z',
};
const HOSTILE = 'He said "hi" \\ C:\\path\\ \n\r\t </script><!-- \u2028\u2029 \u0000\u0001\u001f\u007f 😀 \ud83d lone \udc00 {{ not_a_tag }} \' ` ${x}';

describe('the documented post-action templates', () => {
  it('renders the Slack example verbatim, as JSON', () => {
    const out = renderTemplate(SLACK_BODY_EXAMPLE, postActionVars);
    expect(out).toBe(String.raw`{
"text": "schedule 'nightly-report' finished: failed\nTeam: research\nRun: run_01JABC\nError: agent timed out"
}`);
    expect(JSON.parse(out)).toEqual({ text: "schedule 'nightly-report' finished: failed\nTeam: research\nRun: run_01JABC\nError: agent timed out" });
    expect(compileTemplate(SLACK_BODY_EXAMPLE).mode).toBe('json');
    expect(renderTemplate(SLACK_BODY_EXAMPLE, { ...postActionVars, status: 'success', error: '' })).toContain(
      String.raw`finished: success\nTeam: research\nRun: run_01JABC\nError: "`,
    );
  });

  it('keeps the JSON valid whatever the values hold', () => {
    const body = `[{"response": "{{response}}", "error": "{{ error }}", "both": "{{ response ~ '|' ~ error }}"}, ${SLACK_BODY_EXAMPLE}]`;
    const hostile = { ...postActionVars, response: HOSTILE, error: HOSTILE, trigger_name: HOSTILE };
    const parsed = JSON.parse(renderTemplate(body, hostile));
    expect(parsed[0]).toEqual({ response: HOSTILE, error: HOSTILE, both: `${HOSTILE}|${HOSTILE}` });
    expect(parsed[1].text).toBe(`schedule '${HOSTILE}' finished: failed\nTeam: research\nRun: run_01JABC\nError: ${HOSTILE}`);
    expect(JSON.parse(renderTemplate(SLACK_BODY_EXAMPLE, hostile)).text).toContain(HOSTILE);
  });

  it('writes `| tojson` output as raw JSON in JSON templates', () => {
    const out = renderTemplate('{"run": {{ run | tojson }}, "n": {{ n }}, "text": "{{ run.a }}"}', { run: { a: 'x"y', b: [1] }, n: 3 });
    expect(JSON.parse(out)).toEqual({ run: { a: 'x"y', b: [1] }, n: 3, text: 'x"y' });
  });

  it('uses the variables in URLs, percent-encoding every value', () => {
    const url = renderUrl('https://hooks.example.com/runs/{{run_id}}?status={{status}}&by={{ trigger_name }}&q={{ q | urlencode }}', {
      ...postActionVars,
      trigger_name: 'a b&c=d/e?#@evil.com',
      q: 'x/y z',
    });
    expect(url).toBe('https://hooks.example.com/runs/run_01JABC?status=failed&by=a%20b%26c%3Dd%2Fe%3F%23%40evil.com&q=x/y%20z');
    expect(new URL(url).searchParams.get('by')).toBe('a b&c=d/e?#@evil.com');
    expect(new URL(renderUrl('https://x.test/{{ v }}', { v: '../../admin' })).pathname).toBe('/..%2F..%2Fadmin');
  });

  it('uses the variables in header values and refuses line breaks from template or value', () => {
    expect(renderHeaderValue('Bearer {{ token }} ({{status}})', { token: 'abc', status: 'success' })).toBe('Bearer abc (success)');
    const fromValue = (() => {
      try {
        renderHeaderValue('x-{{ trigger_name }}', { trigger_name: 'a\r\nX-Injected: 1' });
      } catch (err) {
        return err;
      }
    })() as TemplateError;
    expect(fromValue).toBeInstanceOf(TemplateError);
    expect(fromValue.toJSON()).toEqual({ line: 1, column: 6, message: 'this value contains a line break (CR or LF), which a header value may not hold' });
    expect(() => compileTemplate('a\nb', { mode: 'header' })).toThrow(/header value may not contain a line break/);
    expect(() => renderHeaderValue('{{ v }}', { v: 'bell\u0007' })).toThrow('this value contains a control character, which a header value may not hold');
    expect(() => renderHeaderValue(compileTemplate('x'), {})).toThrow(TypeError);
  });

  it('chooses JSON mode only when the literal text starts with { or [', () => {
    const mode = (text: string) => compileTemplate(text).mode;
    expect([mode('{"a": 1}'), mode('  \n[1]'), mode('{% if x %}{"a": "{{ x }}"}{% endif %}'), mode('{# note #} {"a": 1}')]).toEqual([
      'json',
      'json',
      'json',
      'json',
    ]);
    expect([mode('{{ status }}: {"a": 1}'), mode('Run {{ run_id }} done'), mode(''), mode('x {')]).toEqual(['text', 'text', 'text', 'text']);
    expect(renderTemplate('{{ response }}', { response: 'a\n"b"' })).toBe('a\n"b"');
    expect(renderTemplate('{{ response }}', { response: 'a\n"b"' }, { mode: 'json' })).toBe('a\\n\\"b\\"');
  });
});

describe('the documented notification templates', () => {
  const event = {
    agent_name: 'report-agent',
    event: 'on_complete',
    execution_id: '5f0c6a2e-1b7d-4c1e-9a4b-2f3d8e6a7b90',
    session_id: null,
    timestamp: '2026-02-25T09:00:00Z',
  };

  it('renders on_complete.json.j2 verbatim, truncating the output to 200 characters', () => {
    const output = `${'Revenue grew 12% quarter over quarter. '.repeat(8)}End.`;
    const out = renderTemplate(ON_COMPLETE_EXAMPLE, { ...event, output });
    const truncated = `${output.slice(0, 197).slice(0, output.slice(0, 197).lastIndexOf(' '))}...`;
    expect(out).toBe(
      String.raw`[
  {
    "type": "section",
    "text": {
      "type": "mrkdwn",
      "text": "*report-agent* finished at 2026-02-25T09:00:00Z\n` +
        truncated +
        String.raw`"
    }
  }
]`,
    );
    expect(JSON.parse(out)[0].text.text).toBe(`*report-agent* finished at 2026-02-25T09:00:00Z\n${truncated}`);
    expect(renderTemplate(ON_COMPLETE_EXAMPLE, { ...event, output: 'Short answer.' })).toContain(
      String.raw`"text": "*report-agent* finished at 2026-02-25T09:00:00Z\nShort answer."`,
    );
  });

  it('renders the PagerDuty payload_template verbatim', () => {
    const out = renderTemplate(PAGERDUTY_EXAMPLE, { ...event, event: 'on_error', error: 'Tool "search" failed:\n  timeout' });
    expect(out).toBe(`{
  "routing_key": "your-routing-key",
  "event_action": "trigger",
  "payload": {
    "summary": "report-agent failed: Tool \\"search\\" failed:\\n  timeout",
    "severity": "error",
    "source": "agent-gateway"
  }
}
`);
    expect(JSON.parse(out).payload.summary).toBe('report-agent failed: Tool "search" failed:\n  timeout');
  });

  it('handles output of any type and a missing session id', () => {
    const t = '{"out": "{{ output | truncate(200) }}", "session": "{{ session_id | default(\'none\') }}", "data": {{ output | tojson }}}';
    expect(JSON.parse(renderTemplate(t, { ...event, output: { rows: [1, 2], note: 'a"b' } }))).toEqual({
      out: '{"rows":[1,2],"note":"a\\"b"}',
      session: 'none',
      data: { rows: [1, 2], note: 'a"b' },
    });
  });
});

describe('variable catalogs', () => {
  it('list the post-action and notification variables as documented', () => {
    expect(POST_ACTION_VARIABLES.map((v) => v.name)).toEqual([
      'status',
      'trigger_type',
      'trigger_name',
      'team_name',
      'run_id',
      'response',
      'error',
      'prompt',
      'started_at',
      'finished_at',
    ]);
    expect(NOTIFICATION_VARIABLES.map((v) => v.name)).toEqual(['agent_name', 'event', 'execution_id', 'session_id', 'output', 'error', 'timestamp']);
  });

  it('let a caller find names a template uses that its catalog lacks', () => {
    const known = new Set(POST_ACTION_VARIABLES.map((v) => v.name));
    expect(compileTemplate(SLACK_BODY_EXAMPLE).variables.filter((name) => !known.has(name))).toEqual([]);
    expect(compileTemplate('{{ stauts }} {{ run_id }}').variables.filter((name) => !known.has(name))).toEqual(['stauts']);
  });
});
