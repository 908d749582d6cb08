import { describe, expect, it } from 'vitest';
import { NOTIFICATION_RULES_EXAMPLE } from '../../test/helpers/documented-examples.js';
import { AgentFileError, parseAgentFile } from './agent-file.js';

const file = (fm: string, body = 'Review the change.') => `---\n${fm}\n---\n\n${body}\n`;
const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseAgentFile('/srv/agents/reviewer/AGENT.md', text, env);
const failure = (text: string, env: NodeJS.ProcessEnv = {}) => {
  try {
    parse(text, env);
  } catch (err) {
    expect(err).toBeInstanceOf(AgentFileError);
    return err as AgentFileError;
  }
  throw new Error('expected the file to be refused');
};

describe('AGENT.md parsing', () => {
  it('reads the front matter fields, takes the body as the prompt, and defaults what is missing', () => {
    const d = parse(
      file('name: Code reviewer\ncrew: acme\ncrew_name: Acme Eng\nrunner: command\nrunner_config:\n  command: claude\n  args: [-p]\ntimeout: 15m\nmodel: opus'),
    );
    expect(d).toMatchObject({
      id: 'reviewer',
      crew_id: 'acme',
      crew_name: 'Acme Eng',
      name: 'Code reviewer',
      runner: 'command',
      runner_config: { command: 'claude', args: ['-p'] },
      timeout_seconds: 900,
      max_concurrent_runs: 1,
      model: 'opus',
      prompt_template: 'Review the change.',
      rate_limit_per_minute: null,
    });
    const minimal = parse(file('runner_config:\n  command: ./run.sh'));
    expect(minimal).toMatchObject({ id: 'reviewer', name: 'reviewer', crew_id: 'default', runner: 'command', timeout_seconds: 600 });
  });

  it('accepts the documented notifications block verbatim and returns the rules', () => {
    // The per-agent notification rules of docs/agent-files.md, with the runner this file needs.
    const text = `---
name: report-agent
runner_config: {command: x}
${NOTIFICATION_RULES_EXAMPLE}---
Write the report.
`;
    const d = parseAgentFile('/srv/agents/report-agent/AGENT.md', text, {}, { webhookNames: ['default'] });
    expect(d.name).toBe('report-agent');
    expect(d.notifications).toEqual({
      on_complete: [{ channel: 'slack', target: '#reports' }],
      on_error: [
        { channel: 'slack', target: '#alerts' },
        { channel: 'webhook', target: 'default' },
      ],
    });
    expect(d.lines.notifications).toBe(4);
    // Without a notifications block there are no rules (the gateway defaults apply).
    expect(parse(file('runner_config: {command: x}')).notifications).toBeUndefined();
    expect(parse(file('runner_config: {command: x}\nnotifications: {}')).notifications).toEqual({});
  });

  it('gives a file that names no runner the configured default runner, and only such a file', () => {
    // A notification-only agent file: a name and notification rules, nothing else.
    const text = `---\nname: report-agent\n${NOTIFICATION_RULES_EXAMPLE}---\nWrite the report.\n`;
    const defaultRunner = { runner: 'http' as const, runner_config: { url: 'https://agents.example.com/run', headers: { Authorization: 'Bearer t0ken' } } };
    const d = parseAgentFile('/srv/agents/report-agent/AGENT.md', text, {}, { webhookNames: ['default'], defaultRunner });
    expect(d).toMatchObject({
      name: 'report-agent',
      runner: 'http',
      runner_config: defaultRunner.runner_config,
      runner_from_default: true,
      prompt_template: 'Write the report.',
    });
    expect(d.notifications?.on_error).toHaveLength(2);
    // A file that gives its own runner keeps it.
    const own = parseAgentFile('/srv/agents/reviewer/AGENT.md', file('runner_config: {command: x}'), {}, { defaultRunner });
    expect(own).toMatchObject({ runner: 'command', runner_config: { command: 'x' }, runner_from_default: false });
    // Naming a runner without its settings is still an error, default or not.
    expect(() => parseAgentFile('/srv/agents/reviewer/AGENT.md', file('runner: http'), {}, { defaultRunner })).toThrow(
      /"runner_config" must be a mapping with the http runner's settings/,
    );
  });

  it('without a default runner, says a file naming none needs two lines, and where they go', () => {
    const e = failure(file('name: report-agent\nnotifications: {}'));
    expect(e.line).toBe(0);
    expect(e.message)
      .toBe(`the agent names no runner, and no agents.default_runner is set in hookline.yaml. Add these two lines (with your program, or another runner) to this file's front matter:
  runner: command
  runner_config: {command: ./run-agent.sh}
or put them under agents.default_runner in hookline.yaml, for every agent file that names no runner (see docs/agent-files.md)`);
    expect(e.toString()).toMatch(/^\/srv\/agents\/reviewer\/AGENT\.md: the agent names no runner/);
  });

  it('reports notification rule errors with their path and line', () => {
    const typo = failure(file('runner_config: {command: x}\nnotifications:\n  on_completed:\n    - channel: slack\n      target: "#reports"'));
    expect(typo.line).toBe(4);
    expect(typo.message).toBe(
      'notifications.on_completed: unknown event "on_completed"; did you mean "on_complete"? (the events are on_complete, on_error, on_timeout)',
    );
    const channel = failure(
      file(
        'runner_config: {command: x}\nnotifications:\n  on_error:\n    - channel: slack\n      target: "#alerts"\n    - channel: slak\n      target: "#ops"',
      ),
    );
    expect(channel.line).toBe(7);
    expect(channel.message).toMatch(/^notifications\.on_error\[1\]\.channel: channel must be "slack" or "webhook", not "slak"; did you mean "slack"\?/);
    expect(channel.toString()).toMatch(/^\/srv\/agents\/reviewer\/AGENT\.md:7: notifications\.on_error\[1\]\.channel: /);
    const flow = failure(file('runner_config: {command: x}\nnotifications:\n  on_error: [{channel: slack, target: "#a"}, {channel: slack}]'));
    expect(flow.line).toBe(4);
    expect(flow.message).toMatch(/on_error\[1\]: is missing "target"/);
    expect(failure(file('runner_config: {command: x}\nnotifications: [on_error]')).line).toBe(3);
    expect(failure(file('runner_config: {command: x}\nnotifications:')).message).toMatch(/^notifications: must be a mapping/);
  });

  it('checks webhook targets against the configured webhook names (none by default)', () => {
    const fm = 'runner_config: {command: x}\nnotifications:\n  on_error:\n    - channel: webhook\n      target: pagerduty';
    const none = failure(file(fm));
    expect(none.line).toBe(6);
    expect(none.message).toMatch(/no webhooks are configured; add one under notifications.webhooks in hookline.yaml/);
    const d = parseAgentFile('/srv/agents/reviewer/AGENT.md', file(fm), {}, { webhookNames: ['default', 'pagerduty'] });
    expect(d.notifications).toEqual({ on_error: [{ channel: 'webhook', target: 'pagerduty' }] });
    expect(() => parseAgentFile('/srv/agents/reviewer/AGENT.md', file(fm), {}, { webhookNames: ['default', 'pagerdutty'] })).toThrow(
      /did you mean "pagerdutty"\? \(configured webhooks: "default", "pagerdutty"\)/,
    );
  });

  it('substitutes ${ENV} in the front matter only, and names the line of a missing variable', () => {
    const d = parse(file('runner: openai\nrunner_config:\n  base_url: http://127.0.0.1:11434/v1\n  api_key: ${OPENAI_KEY}', 'Use ${literal} as is.'), {
      OPENAI_KEY: 'sk-test-123',
    });
    expect(d.runner_config).toMatchObject({ api_key: 'sk-test-123' });
    expect(d.prompt_template).toBe('Use ${literal} as is.');
    const e = failure(file('runner: openai\nrunner_config:\n  base_url: http://x\n  api_key: ${MISSING_KEY}'));
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/MISSING_KEY is not set/);
  });

  it('reports YAML syntax errors with the file line', () => {
    const e = failure(file('name: ok\nrunner_config:\n  command: [unclosed'));
    expect(e.path).toBe('/srv/agents/reviewer/AGENT.md');
    expect(e.line).toBeGreaterThanOrEqual(4);
    expect(e.toString()).toMatch(/^\/srv\/agents\/reviewer\/AGENT\.md:\d+: /);
  });

  it('points at the field for unknown keys (with a suggestion) and bad values', () => {
    const typo = failure(file('name: x\ntimout: 5m\nrunner_config: {command: x}'));
    expect(typo.line).toBe(3);
    expect(typo.message).toMatch(/unknown field "timout"; did you mean "timeout"/);
    const runner = failure(file('runner_config: {command: x}\nrunner: shell'));
    expect(runner.line).toBe(3);
    expect(runner.message).toMatch(/runner must be one of command, http, openai/);
    expect(failure(file('runner_config: {command: x}\ntimeout: forever')).line).toBe(3);
    expect(failure(file('runner_config: {command: x}\nmax_concurrent_runs: 0')).message).toMatch(/from 1 to 1000/);
    expect(failure(file('runner_config: {command: x}\nid: Not A Slug')).line).toBe(3);
    expect(failure(file('runner_config: {command: x}\nwebhook_secret: short')).message).toMatch(/at least 16/);
    expect(failure(file('name: x')).message).toMatch(/runner_config/);
    expect(failure(file('timeout: 5m\ntimeout_seconds: 300\nrunner_config: {command: x}')).message).toMatch(/not both/);
  });

  it('refuses files without front matter or with it unclosed', () => {
    expect(failure('Just a prompt').line).toBe(1);
    expect(failure('---\nname: x\n').message).toMatch(/not closed/);
    expect(failure('---\n- a\n- b\n---\nbody').message).toMatch(/mapping/);
  });
});
