import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type HooklineConfig } from '../src/config/index.js';
import { validateConfig } from '../src/load-config.js';
import { ADMIN_KEY, type Harness, STORES, startHookline, TEST_MASTER_KEY } from './helpers/hookline.js';
import { assertCliBuilt, HooklineProcess } from './helpers/process.js';
import { NOTIFICATION_RULES_EXAMPLE } from './helpers/documented-examples.js';
import { until } from './helpers/wait.js';

// The model is configured once for the whole server; a notification-only AGENT.md carries a name and rules only.
const NOTIFICATION_ONLY_AGENT = `---\nname: report-agent\n${NOTIFICATION_RULES_EXAMPLE}---\nWrite the report.\n`;
const node = process.execPath;
const TOKEN = 'default-runner-token-0123';
/** Echoes the prompt and the token it was given in its environment (a secret of the default runner). */
const echoRunner = {
  runner: 'command',
  runner_config: {
    command: node,
    args: ['-e', "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(s+' token='+process.env.AGENT_TOKEN))"],
    env: { AGENT_TOKEN: TOKEN },
  },
};
const webhooks = [{ name: 'default', url: 'https://hooks.example.com/agent-events', secret: 's3cret' }];

function write(dir: string, folder: string, text: string): string {
  mkdirSync(join(dir, folder), { recursive: true });
  const path = join(dir, folder, 'AGENT.md');
  writeFileSync(path, text);
  return path;
}

describe.each(STORES)('AGENT.md files that name no runner use agents.default_runner (%s)', (kind) => {
  let h: Harness;
  let dir: string;
  /** What the next reload reads as the configuration: a config, or the error reading it gives. */
  let reread: HooklineConfig | ConfigError;
  const configWith = (defaultRunner: unknown) => validateConfig({ agents: { dir, default_runner: defaultRunner }, notifications: { webhooks } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-default-runner-'));
    write(dir, 'report-agent', NOTIFICATION_ONLY_AGENT);
    write(dir, 'own', '---\nrunner_config: {command: "true"}\n---\nMine.\n');
    reread = configWith(echoRunner);
    h = await startHookline(kind, {
      overrides: { agents: { dir, default_runner: echoRunner }, notifications: { webhooks } },
      rereadConfig: () => {
        if (reread instanceof ConfigError) throw reread;
        return reread;
      },
    });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads with the default runner: the API shows it (secrets hidden), the trigger URL answers, and runs use it', async () => {
    expect(h.hl.agentFilesReport!.errors).toEqual([]);
    const agent = await h.call('GET', '/api/v1/agents/report-agent');
    expect(agent.status).toBe(200);
    expect(agent.body).toMatchObject({
      name: 'report-agent',
      source: 'file',
      runner: 'command',
      runner_config: { command: node, args: echoRunner.runner_config.args, env: { AGENT_TOKEN: '********' } },
    });
    expect(agent.body.notifications.on_error).toEqual([
      { channel: 'slack', target: '#alerts' },
      { channel: 'webhook', target: 'default' },
    ]);
    expect(JSON.stringify(agent.body)).not.toContain(TOKEN);
    // Stored sealed, as a front matter's secrets are.
    expect(JSON.stringify(await h.hl.store.agents.getAgent(h.hl.tenants.fallback.envId, 'report-agent'))).not.toContain(TOKEN);

    const { webhook_secret: secret } = (await h.call('POST', '/api/v1/agents/report-agent/webhook-secret/rotate')).body;
    const body = JSON.stringify({ quarter: 'Q3' });
    const trigger = await fetch(`${h.url}${agent.body.trigger_url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', secret).update(body).digest('hex') },
      body,
    });
    expect(trigger.status).toBe(202);

    const run = await h.call('POST', '/api/v1/agents/report-agent/runs?wait=true&wait_seconds=20', { prompt: 'Q3 figures' });
    expect(run.body.status).toBe('completed');
    expect(run.body.output).toContain('Write the report.');
    expect(run.body.output).toContain(`token=${TOKEN}`);
  });

  it('a reload re-reads the default: agents using it are updated, the others left alone; an unreadable configuration keeps it', async () => {
    reread = configWith({ runner: 'command', runner_config: { command: node, args: ['-e', 'process.stdout.write("second default")'] } });
    let r = await h.call('POST', '/api/v1/agents/reload');
    expect(r.body.errors).toEqual([]);
    expect(r.body.config_error).toBeUndefined();
    expect(Object.fromEntries(r.body.loaded.map((l: { id: string; action: string }) => [l.id, l.action]))).toEqual({
      'report-agent': 'updated',
      own: 'unchanged',
    });
    const run = await h.call('POST', '/api/v1/agents/report-agent/runs?wait=true&wait_seconds=20', { prompt: 'again' });
    expect(run.body.output).toBe('second default');

    try {
      configWith({ runner: 'command', runner_config: { args: [] } });
    } catch (err) {
      reread = err as ConfigError;
    }
    expect(reread).toBeInstanceOf(ConfigError);
    r = await h.call('POST', '/api/v1/agents/reload');
    expect(r.body.config_error).toMatch(/option "agents\.default_runner\.runner_config": missing required field "command" for runner "command"/);
    expect(r.body.loaded.find((l: { id: string }) => l.id === 'report-agent').action).toBe('unchanged');
    expect((await h.call('GET', '/api/v1/agents/report-agent')).body.runner_config.args).toEqual(['-e', 'process.stdout.write("second default")']);
  });
});

describe('AGENT.md files that name no runner, without agents.default_runner', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-no-default-'));
    write(dir, 'report-agent', NOTIFICATION_ONLY_AGENT);
    h = await startHookline('sqlite', { overrides: { agents: { dir }, notifications: { webhooks } } });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are not loaded; the error names the file and shows the two lines to add, and where', async () => {
    const [error, ...others] = h.hl.agentFilesReport!.errors;
    expect(others).toEqual([]);
    expect(error).toEqual({
      path: join(dir, 'report-agent', 'AGENT.md'),
      line: 0,
      message: expect.stringMatching(/^the agent names no runner, and no agents\.default_runner is set in hookline\.yaml\./),
    });
    expect(error!.message).toContain(
      "to this file's front matter:\n  runner: command\n  runner_config: {command: ./run-agent.sh}\nor put them under agents.default_runner in hookline.yaml",
    );
    expect((await h.call('GET', '/api/v1/agents/report-agent')).status).toBe(404);
  });
});

describe('hookline serve: SIGHUP re-reads agents.default_runner from hookline.yaml', () => {
  assertCliBuilt();
  let proc: HooklineProcess | undefined;
  const cwd = mkdtempSync(join(tmpdir(), 'hookline-default-runner-cli-'));
  afterAll(async () => {
    await proc?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('prints the missing-runner error at start, and loads the agent once the default is added and SIGHUP sent', async () => {
    const path = write(join(cwd, 'agents'), 'report-agent', NOTIFICATION_ONLY_AGENT);
    const yaml = 'notifications:\n  webhooks:\n    - name: default\n      url: https://hooks.example.com/agent-events\n      secret: ${EVENTS_SECRET}\n';
    writeFileSync(join(cwd, 'hookline.yaml'), yaml);
    const started = await HooklineProcess.start({
      name: 'serve',
      args: ['serve', '--port', '0'],
      cwd,
      env: { HOOKLINE_ADMIN_KEY: ADMIN_KEY, HOOKLINE_MASTER_KEY: TEST_MASTER_KEY, HOOKLINE_LOG_LEVEL: 'warn', EVENTS_SECRET: 's3cret', RUN_TOKEN: TOKEN },
      ready: /listening on (http:\/\/[\d.:]+)/,
    });
    proc = started.proc;
    // Printed to stderr just after the ready line.
    const printed = `hookline: ${path}: the agent names no runner, and no agents.default_runner is set in hookline.yaml.`;
    await until('the missing-runner error on stderr', async () => (proc!.tail().includes(printed) ? true : undefined));
    const get = () => fetch(`${started.url}/api/v1/agents/report-agent`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect((await get()).status).toBe(404);

    writeFileSync(
      join(cwd, 'hookline.yaml'),
      `${yaml}agents:\n  default_runner:\n    runner: command\n    runner_config: {command: ./run-agent.sh, env: {RUN_TOKEN: \${RUN_TOKEN}}}\n`,
    );
    proc.child.kill('SIGHUP');
    const agent = await until('the agent to load after SIGHUP', async () => {
      const res = await get();
      return res.status === 200 ? ((await res.json()) as { runner: string; runner_config: unknown }) : undefined;
    });
    expect(agent).toMatchObject({ runner: 'command', runner_config: { command: './run-agent.sh', env: { RUN_TOKEN: '********' } } });
    expect(proc.tail()).not.toContain(TOKEN);
    expect(proc.exitStatus).toBeUndefined();
  });
});
