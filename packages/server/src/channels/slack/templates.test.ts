import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinSlackBlocks, type SlackContext } from './message.js';
import { formatLoadError, SlackTemplates } from './templates.js';
import { ON_COMPLETE_EXAMPLE } from '../../../test/helpers/documented-examples.js';

const section = (text: string) => `[{"type": "section", "text": {"type": "mrkdwn", "text": "${text}"}}]`;
const ctx = (over: Partial<SlackContext> = {}): SlackContext => ({
  agent_name: 'report-agent',
  event: 'on_complete',
  execution_id: '3f1c9a52-0000-4000-8000-000000000001',
  session_id: null,
  output: 'Short answer.',
  timestamp: '2026-02-25T09:00:00Z',
  ...over,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hookline-slack-tpl-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function put(rel: string, text: string): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}
const loaded = (): SlackTemplates => {
  const t = new SlackTemplates(dir);
  expect(t.load()).toEqual([]);
  return t;
};
const firstText = (blocks: unknown[]) => (blocks[0] as { text: { text: string } }).text.text;

describe('resolution order', () => {
  it('agent-specific, then event default, then the built-in', () => {
    put('on_complete.json.j2', section('default for {{ agent_name }}'));
    put('report-agent/on_complete.json.j2', section('override for {{ agent_name }}'));
    put('report-agent/on_error.json.j2', section('report error: {{ error }}'));
    const t = loaded();

    expect(firstText(t.renderBlocks('report-agent', 'on_complete', ctx()))).toBe('override for report-agent');
    expect(firstText(t.renderBlocks('other-agent', 'on_complete', ctx({ agent_name: 'other-agent' })))).toBe('default for other-agent');
    expect(firstText(t.renderBlocks('report-agent', 'on_error', ctx({ event: 'on_error', error: 'boom' })))).toBe('report error: boom');
    // No template for on_timeout anywhere, nor on_error for other agents: the built-in message.
    const timeout = ctx({ event: 'on_timeout', error: 'over 30s' });
    expect(t.resolve('report-agent', 'on_timeout')).toBeUndefined();
    expect(t.renderBlocks('report-agent', 'on_timeout', timeout)).toEqual(builtinSlackBlocks(timeout));
    expect(t.resolve('other-agent', 'on_error')).toBeUndefined();
    expect(t.renderMessage('other-agent', 'on_error', ctx()).templatePath).toBeUndefined();
    expect(t.renderMessage('report-agent', 'on_complete', ctx()).templatePath).toBe(path.join(dir, 'report-agent', 'on_complete.json.j2'));
    expect(t.size).toBe(3);
  });

  it('an agent folder does not leak to agents with a similar name', () => {
    put('report-agent/on_complete.json.j2', section('override'));
    const t = loaded();
    expect(t.resolve('report-agent-2', 'on_complete')).toBeUndefined();
    expect(t.resolve('report', 'on_complete')).toBeUndefined();
  });

  it('load() again picks up added, changed and removed files', () => {
    const file = put('on_complete.json.j2', section('v1'));
    const t = loaded();
    expect(firstText(t.renderBlocks('a', 'on_complete', ctx()))).toBe('v1');
    put('on_complete.json.j2', section('v2'));
    put('on_error.json.j2', section('err'));
    expect(t.load()).toEqual([]);
    expect(firstText(t.renderBlocks('a', 'on_complete', ctx()))).toBe('v2');
    expect(t.resolve('a', 'on_error')).toBeDefined();
    unlinkSync(file);
    expect(t.load()).toEqual([]);
    expect(t.resolve('a', 'on_complete')).toBeUndefined();
  });

  it('without a templates_dir every message is the built-in, and there is nothing to report', () => {
    const t = new SlackTemplates(undefined);
    expect(t.load()).toEqual([]);
    expect(t.renderBlocks('a', 'on_complete', ctx())).toEqual(builtinSlackBlocks(ctx()));
  });
});

describe('the documented example template', () => {
  it('renders the example template as valid blocks', () => {
    put('on_complete.json.j2', ON_COMPLETE_EXAMPLE);
    const blocks = loaded().renderBlocks('report-agent', 'on_complete', ctx());
    expect(blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*report-agent* finished at 2026-02-25T09:00:00Z\nShort answer.' } }]);
  });

  it('keeps the JSON valid for a hostile 1000-character output, truncated to 200', () => {
    put('on_complete.json.j2', ON_COMPLETE_EXAMPLE);
    const unit = 'He said "stop" \\ C:\\dir\\ \n\r\t <!channel> 😀 \u2028 ';
    const output = Array.from(unit.repeat(60)).slice(0, 1000).join('');
    expect(Array.from(output)).toHaveLength(1000);
    const blocks = loaded().renderBlocks('report-agent', 'on_complete', ctx({ output }));
    const text = firstText(blocks);
    const shown = text.slice('*report-agent* finished at 2026-02-25T09:00:00Z\n'.length);
    expect(shown.endsWith('...')).toBe(true);
    expect(Array.from(shown).length).toBeLessThanOrEqual(200);
    expect(output.startsWith(shown.slice(0, 50))).toBe(true);
    expect(shown).toContain('"stop" \\ C:\\dir\\ \n\r\t');
  });
});

describe('load errors', () => {
  it('reports a bad template with its path, line and column, and keeps the good ones', () => {
    put('on_complete.json.j2', section('fine'));
    const bad = put('on_error.json.j2', '[\n  {"type": "section",\n   "text": {"type": "mrkdwn", "text": "{{ error | uper }}"}}\n]');
    const t = new SlackTemplates(dir);
    const errors = t.load();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ severity: 'error', path: bad, line: 3, message: expect.stringMatching(/unknown filter "uper"; did you mean "upper"/) });
    expect(errors[0]!.column).toBeGreaterThan(30);
    expect(formatLoadError(errors[0]!)).toBe(`error: ${bad}:3:${errors[0]!.column}: ${errors[0]!.message}`);
    expect(t.resolve('a', 'on_error')).toBeUndefined();
    expect(t.resolve('a', 'on_complete')).toBeDefined();
  });

  it('reports unknown event file names with a suggestion, at top level and in agent folders', () => {
    const top = put('on_finish.json.j2', section('x'));
    const inAgent = put('report-agent/on_eror.json.j2', section('x'));
    const runEvent = put('run.timeout.json.j2', section('x'));
    const far = put('zzz.json.j2', section('x'));
    const errors = new SlackTemplates(dir).load();
    expect(errors.map((e) => e.path)).toEqual([top, inAgent, runEvent, far]);
    expect(errors[0]!.message).toMatch(
      /unknown event "on_finish"; did you mean "on_complete"\?.*on_complete\.json\.j2, on_error\.json\.j2, on_timeout\.json\.j2/,
    );
    expect(errors[1]!.message).toMatch(/unknown event "on_eror"; did you mean "on_error"\?/);
    expect(errors[2]!.message).toMatch(/unknown event "run\.timeout"; did you mean "on_timeout"\?/);
    expect(errors[3]!.message).toMatch(/^unknown event "zzz"; Slack template files are named/);
    expect(errors.every((e) => e.severity === 'error' && e.line === null)).toBe(true);
  });

  it('points out a template with the wrong ending, and ignores unrelated files', () => {
    const wrong = put('on_complete.j2', section('x'));
    put('README.md', '# my templates');
    put('report-agent/notes.txt', 'hello');
    put('deep/nested/on_complete.json.j2', section('not read'));
    const t = new SlackTemplates(dir);
    const errors = t.load();
    expect(errors).toEqual([expect.objectContaining({ path: wrong, message: expect.stringMatching(/rename it to on_complete\.json\.j2/) })]);
    expect(t.size).toBe(0);
  });

  it('a missing directory is one error saying how to fix it', () => {
    const missing = path.join(dir, 'nope');
    const errors = new SlackTemplates(missing).load();
    expect(errors).toEqual([
      { severity: 'error', path: missing, line: null, column: null, message: expect.stringMatching(/does not exist.*notifications\.slack\.templates_dir/) },
    ]);
    const file = put('a-file', 'x');
    expect(new SlackTemplates(file).load()[0]!.message).toMatch(/not a directory/);
  });

  it('warns (and keeps the template) when sample values render invalid JSON or the wrong shape', () => {
    put('on_complete.json.j2', '[{"type": "section", "text": {"type": "mrkdwn", "text": "{{ output }}"}},]');
    put('on_error.json.j2', '{"text": "{{ error }}"}');
    const t = new SlackTemplates(dir);
    const errors = t.load();
    expect(errors.map((e) => [path.basename(e.path), e.severity])).toEqual([
      ['on_complete.json.j2', 'warning'],
      ['on_error.json.j2', 'warning'],
    ]);
    expect(errors[0]!.message).toMatch(/did not render valid JSON.*sample values/);
    expect(errors[1]!.message).toMatch(/an object without a "blocks" array/);
    expect(t.resolve('a', 'on_complete')).toBeDefined();
  });
});

describe('renderBlocks shapes', () => {
  it('accepts an object with a blocks array, and gives its text', () => {
    put('on_complete.json.j2', '{"text": "{{ agent_name }} done", "blocks": [{"type": "divider"}]}');
    const msg = loaded().renderMessage('report-agent', 'on_complete', ctx());
    expect(msg.blocks).toEqual([{ type: 'divider' }]);
    expect(msg.text).toBe('report-agent done');
  });

  it('throws naming the template when real values render something that is not blocks', () => {
    const file = put('on_complete.json.j2', '{% if output == "x" %}{"no": "blocks"}{% else %}[{"type": "divider"}]{% endif %}');
    const t = loaded();
    expect(t.renderBlocks('a', 'on_complete', ctx())).toEqual([{ type: 'divider' }]);
    expect(() => t.renderBlocks('a', 'on_complete', ctx({ output: 'x' }))).toThrow(`Slack template ${file} must render a JSON array of blocks`);
  });

  it('throws naming the template when rendering hits a limit', () => {
    const file = put('on_complete.json.j2', section('{{ output }}'));
    const t = loaded();
    expect(() => t.renderBlocks('a', 'on_complete', ctx({ output: 'x'.repeat(300_000) }))).toThrow(
      new RegExp(`Slack template ${file.replace(/[.\\]/g, '\\$&')}:1:\\d+ failed to render`),
    );
  });
});
