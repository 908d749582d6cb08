import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../load-config.js';
import { ConfigError, renderConfigReference } from './index.js';

function yaml(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'hl-cfg-')), 'hookline.yaml');
  writeFileSync(f, text);
  return f;
}

/** The message of the ConfigError that hookline.yaml holding `text` gives. */
function configError(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    loadConfig({ file: yaml(text), env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults with no file and no environment', () => {
    const c = loadConfig({ env: {} });
    expect(c.server).toEqual({ host: '127.0.0.1', port: 8787, body_limit_bytes: 1_048_576, role: 'all' });
    expect(c.delivery.retry_schedule).toEqual(['30s', '2m', '10m', '1h', '4h']);
    expect(c.delivery.auto_disable_after).toBe(50);
    expect(c.database.url).toBeUndefined();
    expect(c.data_dir).toBe('.hookline');
  });

  it('reads hookline.yaml with ${ENV} and ${ENV:-fallback} substitution', () => {
    const f = yaml('org_id: ${ORG}\nenv_id: ${ENV_NAME:-env_dev}\nserver:\n  port: 9000\ndelivery:\n  retry_schedule: ["1s", "5s"]\n');
    const c = loadConfig({ file: f, env: { ORG: 'org_acme' } });
    expect(c.org_id).toBe('org_acme');
    expect(c.env_id).toBe('env_dev');
    expect(c.server.port).toBe(9000);
    expect(c.delivery.retry_schedule).toEqual(['1s', '5s']);
  });

  it('lets environment variables override the file, and flags override both', () => {
    const f = yaml('server:\n  port: 9000\n');
    const c = loadConfig({
      file: f,
      env: { HOOKLINE_PORT: '9100', HOOKLINE_DATABASE_URL: 'postgres://db/x', HOOKLINE_ALLOW_NETWORKS: '10.0.0.0/8, hooks.internal' },
    });
    expect(c.server.port).toBe(9100);
    expect(c.database.url).toBe('postgres://db/x');
    expect(c.delivery.allow_networks).toEqual(['10.0.0.0/8', 'hooks.internal']);
    expect(loadConfig({ file: f, env: { HOOKLINE_PORT: '9100' }, overrides: { server: { port: 1 } } }).server.port).toBe(1);
  });

  it('names an unset variable and the line it is on', () => {
    const f = yaml('org_id: a\nenv_id: ${MISSING_VAR}\n');
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/hookline.yaml:2: environment variable MISSING_VAR is not set/);
  });

  it('names unknown keys and bad values, and says what is accepted', () => {
    const err = configError;
    expect(err('delivery:\n  retries: 3\n')).toMatch(/unknown option "delivery.retries"/);
    expect(err('server:\n  port: 70000\n')).toMatch(/option "server.port".*70000/);
    expect(err('delivery:\n  lease: "soon"\n')).toMatch(/option "delivery.lease".*duration/);
    expect(err('server:\n  role: boss\n')).toMatch(/option "server.role"/);
    expect(err('database:\n  url: mysql://x\n')).toMatch(/option "database.url"/);
    expect(err('- a\n- b\n')).toMatch(/must hold a mapping/);
    expect(err('a: [\n')).toMatch(/not valid YAML/);
    expect(err('{}', { HOOKLINE_ADMIN_KEY: 'letmein' })).toMatch(/option "security.admin_key"/);
    // A public URL is an absolute http(s) address with no query or fragment.
    for (const bad of ['hooks.example.com', 'ftp://hooks.example.com', 'https://hooks.example.com/?a=1', 'https://hooks.example.com/#x', 'https://'])
      expect(err(`server:\n  public_url: "${bad}"\n`)).toMatch(/option "server.public_url"/);
    expect(loadConfig({ env: { HOOKLINE_PUBLIC_URL: 'https://hooks.example.com/base/' } }).server.public_url).toBe('https://hooks.example.com/base/');
  });

  describe('notifications', () => {
    // The Slack and named-webhook examples of docs/notifications.md, merged into one block.
    const NOTIFICATIONS_EXAMPLE = `notifications:
  slack:
    enabled: true
    bot_token: "xoxb-..."
    default_channel: "#alerts"
    templates_dir: "templates/slack"
  webhooks:
    - name: "default"
      url: "https://hooks.example.com/agent-events"
      secret: "s3cret"
      events:
        - on_complete
        - on_error
    - name: "pagerduty"
      url: "https://events.pagerduty.com/v2/enqueue"
      secret: "s3cret"
      events:
        - on_error
      payload_template: |
        {
          "routing_key": "your-routing-key",
          "event_action": "trigger",
          "payload": {
            "summary": "{{ agent_name }} failed: {{ error }}",
            "severity": "error",
            "source": "agent-gateway"
          }
        }
`;
    const err = configError;
    const hook = (fields: string) => `notifications:\n  webhooks:\n    - name: a\n      url: https://hooks.example.com/a\n      secret: s3cret\n${fields}`;

    it('defaults to nothing enabled', () => {
      const c = loadConfig({ env: {} });
      expect(c.notifications).toEqual({ slack: { enabled: false, api_base_url: 'https://slack.com/api' }, webhooks: [] });
    });

    it('accepts the documented block verbatim and fills the defaults', () => {
      const c = loadConfig({ file: yaml(NOTIFICATIONS_EXAMPLE), env: {} });
      expect(c.notifications.slack).toEqual({
        enabled: true,
        bot_token: 'xoxb-...',
        default_channel: '#alerts',
        templates_dir: 'templates/slack',
        api_base_url: 'https://slack.com/api',
      });
      expect(c.notifications.webhooks).toHaveLength(2);
      expect(c.notifications.webhooks[0]).toEqual({
        name: 'default',
        url: 'https://hooks.example.com/agent-events',
        secret: 's3cret',
        events: ['on_complete', 'on_error'],
      });
      expect(c.notifications.webhooks[1]!.payload_template).toContain('"routing_key": "your-routing-key"');
      // An entry without `events` gets all three.
      expect(loadConfig({ file: yaml(hook('')), env: {} }).notifications.webhooks[0]!.events).toEqual(['on_complete', 'on_error', 'on_timeout']);
    });

    it('takes the bot token from HOOKLINE_SLACK_BOT_TOKEN, and an incoming-webhook URL instead of a token', () => {
      const c = loadConfig({
        file: yaml('notifications:\n  slack:\n    enabled: true\n    default_channel: alerts\n'),
        env: { HOOKLINE_SLACK_BOT_TOKEN: 'xoxb-from-env' },
      });
      expect(c.notifications.slack.bot_token).toBe('xoxb-from-env');
      expect(loadConfig({ env: { HOOKLINE_SLACK_BOT_TOKEN: 'xoxb-only-env' } }).notifications.slack).toMatchObject({
        enabled: false,
        bot_token: 'xoxb-only-env',
      });
      const viaUrl = loadConfig({
        file: yaml('notifications:\n  slack:\n    enabled: true\n    default_channel: https://hooks.slack.com/services/T0/B0/abc\n'),
        env: {},
      });
      expect(viaUrl.notifications.slack.bot_token).toBeUndefined();
    });

    it('says how to fix Slack enabled without a way to post', () => {
      const m = err('notifications:\n  slack:\n    enabled: true\n    default_channel: "#alerts"\n');
      expect(m).toMatch(/option "notifications.slack": Slack is enabled but has no way to post/);
      expect(m).toMatch(/notifications.slack.bot_token \(or the environment variable HOOKLINE_SLACK_BOT_TOKEN\)/);
      expect(m).toMatch(/default_channel to an incoming-webhook URL/);
      expect(m).toMatch(/enabled: false/);
      // Disabled Slack needs neither.
      expect(loadConfig({ file: yaml('notifications:\n  slack:\n    default_channel: "#alerts"\n'), env: {} }).notifications.slack.enabled).toBe(false);
    });

    it('refuses unusable Slack channels and API base URLs', () => {
      expect(err('notifications:\n  slack:\n    default_channel: "my alerts"\n')).toMatch(
        /option "notifications.slack.default_channel": Slack target "my alerts" is not one channel name/,
      );
      expect(err('notifications:\n  slack:\n    api_base_url: slack.com/api\n')).toMatch(
        /option "notifications.slack.api_base_url" "slack.com\/api" is not a valid absolute URL; write it like https:\/\/slack.com\/api/,
      );
    });

    it('refuses duplicate webhook names and bad names', () => {
      const m = err(
        hook(
          '    - name: b\n      url: https://hooks.example.com/b\n      secret: s\n    - name: a\n      url: https://hooks.example.com/c\n      secret: s\n',
        ),
      );
      expect(m).toMatch(/option "notifications.webhooks\[2\].name": "a" is already the name of notifications.webhooks\[0\]; give each webhook its own name/);
      expect(err('notifications:\n  webhooks:\n    - name: "my hook"\n      url: https://x.example\n      secret: s\n')).toMatch(
        /option "notifications.webhooks\[0\].name"/,
      );
      expect(err('notifications:\n  webhooks:\n    - name: ' + 'n'.repeat(65) + '\n      url: https://x.example\n      secret: s\n')).toMatch(
        /option "notifications.webhooks\[0\].name"/,
      );
    });

    it('refuses webhook URLs that are relative, not http(s), or carry credentials, without echoing them', () => {
      expect(err(hook('').replace('https://hooks.example.com/a', '/agent-events'))).toMatch(
        /option "notifications.webhooks\[0\].url" "\/agent-events" is not a valid absolute URL/,
      );
      expect(err(hook('').replace('https://hooks.example.com/a', 'ftp://hooks.example.com/a'))).toMatch(
        /option "notifications.webhooks\[0\].url" must use http or https, not ftp/,
      );
      const creds = err(hook('').replace('https://hooks.example.com/a', 'https://bob:hunter22@hooks.example.com/a'));
      expect(creds).toMatch(/option "notifications.webhooks\[0\].url" must not contain credentials; remove the user:password part/);
      expect(creds).not.toContain('hunter22');
    });

    it('requires name, url and secret, and known events', () => {
      expect(err('notifications:\n  webhooks:\n    - name: a\n      url: https://x.example\n')).toMatch(
        /option "notifications.webhooks\[0\].secret": Expected required property/,
      );
      expect(err(hook('      events: [on_completed]\n'))).toMatch(
        /option "notifications.webhooks\[0\].events\[0\]": must be one of "on_complete", "on_error", "on_timeout" \(got "on_completed"\); did you mean "on_complete"\?/,
      );
      expect(err(hook('      events: [on_error, on_error]\n'))).toMatch(/option "notifications.webhooks\[0\].events"/);
      expect(err(hook('      secert: x\n'))).toMatch(/unknown option "notifications.webhooks\[0\].secert"; did you mean "secret"\?/);
      expect(err('notifications:\n  email: {}\n')).toMatch(/unknown option "notifications.email"/);
    });

    it('names the webhook, line and column of a payload template that does not compile', () => {
      const m = err(hook('      payload_template: |\n        {\n          "summary": "{{ agent_name | nope }}"\n        }\n'));
      expect(m).toMatch(/option "notifications.webhooks\[0\].payload_template": line 2, column \d+ of the template: .*nope/);
      expect(err(hook('      payload_template: "{{ agent_name"\n'))).toMatch(
        /option "notifications.webhooks\[0\].payload_template": line 1, column \d+ of the template/,
      );
    });

    it('never repeats a secret in an error message', () => {
      const secrets = err('notifications:\n  slack:\n    bot_token: 12345678\n  webhooks: {name: a, url: "https://x.example", secret: topsecret99}\n');
      expect(secrets).toMatch(/option "notifications.slack.bot_token"/);
      // A mapping where a list belongs is reported, not silently replaced by the default [].
      expect(secrets).toMatch(/option "notifications.webhooks": Expected array/);
      expect(secrets).not.toContain('12345678');
      expect(secrets).not.toContain('topsecret99');
      expect(err('{}', { HOOKLINE_ADMIN_KEY: 'letmein-please' })).not.toContain('letmein-please');
    });
  });

  describe('agents.default_runner', () => {
    const err = configError;
    const runner = (lines: string) =>
      `agents:\n  default_runner:\n${lines
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}\n`;

    it('is unset by default, and takes a runner as an AGENT.md front matter gives it', () => {
      expect(loadConfig({ env: {} }).agents.default_runner).toBeUndefined();
      const c = loadConfig({
        file: yaml(runner('runner: http\nrunner_config:\n  url: https://agents.example.com/run\n  headers: {Authorization: "Bearer ${AGENT_TOKEN}"}')),
        env: { AGENT_TOKEN: 'tok-123' },
      });
      expect(c.agents.default_runner).toEqual({
        runner: 'http',
        runner_config: { url: 'https://agents.example.com/run', headers: { Authorization: 'Bearer tok-123' } },
      });
      // An openai runner may leave the model to each agent's `model:`.
      expect(
        loadConfig({ file: yaml(runner('runner: openai\nrunner_config: {base_url: "https://api.example.com/v1"}')), env: {} }).agents.default_runner?.runner,
      ).toBe('openai');
    });

    it('is checked as a front matter runner is, with the messages pointing at hookline.yaml', () => {
      const missing = err(runner('runner: command\nrunner_config: {args: [-p]}'));
      expect(missing).toMatch(
        /hookline\.yaml is invalid:\n {2}- option "agents\.default_runner\.runner_config": missing required field "command" for runner "command"$/,
      );
      expect(err(runner('runner: command\nrunner_config: {command: x, arg: [-p]}'))).toMatch(
        /option "agents\.default_runner\.runner_config": unknown field "arg"; runner "command" takes command, args, cwd, env/,
      );
      expect(err(runner('runner: shell\nrunner_config: {command: x}'))).toMatch(
        /option "agents\.default_runner\.runner": must be one of "command", "http", "openai" \(got "shell"\)/,
      );
      expect(err(runner('runner: command'))).toMatch(/option "agents\.default_runner\.runner_config"/);
      expect(err(runner('runner: command\nrunner_config: {command: x}\nmodel: m'))).toMatch(/unknown option "agents\.default_runner\.model"/);
      expect(err(runner('runner: http\nrunner_config: {url: "ftp://x.example"}'))).toMatch(
        /option "agents\.default_runner\.runner_config\.url": must use http or https, not ftp/,
      );
      // The SSRF guard of delivery.allow_networks, as for agents saved through the API.
      const loopback = runner('runner: http\nrunner_config: {url: "http://127.0.0.1:9000/run"}');
      expect(err(loopback)).toMatch(/option "agents\.default_runner\.runner_config\.url": is not allowed: .*delivery\.allow_networks/);
      expect(loadConfig({ file: yaml(`${loopback}delivery:\n  allow_networks: [127.0.0.1]\n`), env: {} }).agents.default_runner?.runner).toBe('http');
    });

    it('never repeats a secret of its settings in an error message', () => {
      const header = err(runner('runner: http\nrunner_config:\n  url: https://agents.example.com/run\n  headers: {Authorization: "Bearer top-secret-1\\n"}'));
      expect(header).toMatch(/option "agents\.default_runner\.runner_config\.headers": "Authorization" has a line break/);
      expect(header).not.toContain('top-secret-1');
      const shaped = err(runner('runner: openai\nrunner_config: "sk-top-secret-2"'));
      expect(shaped).toMatch(/option "agents\.default_runner\.runner_config"/);
      expect(shaped).not.toContain('sk-top-secret-2');
      expect(err(runner('runner: 7\nrunner_config: {api_key: sk-top-secret-3}'))).not.toContain('sk-top-secret-3');
    });
  });

  it('docs/configuration.md is the reference generated from the schema (run `npm run docs:config`)', () => {
    const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderConfigReference());
    expect(doc).toContain('`delivery.retry_schedule`');
    expect(doc).toContain('`HOOKLINE_DATABASE_URL`');
    expect(doc).toContain('`notifications.webhooks[].secret`');
    expect(doc).toContain('`HOOKLINE_SLACK_BOT_TOKEN`');
  });
});
