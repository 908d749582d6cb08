// The recipes in docs/recipes/ are backed by examples/recipes/<name>/: a hookline.yaml, an
// AGENT.md with a stand-in agent, a setup.sh, a sender and a receiver. Each test loads those
// files into a real Hookline, runs them as a reader would, and follows the result to the
// stand-in Slack, PagerDuty or customer backend.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { substituteEnv } from '../src/config/index.js';
import { cleanEnv, Proc, REPO, runToEnd } from './helpers/docs.js';
import { freePort } from './helpers/ports.js';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.js';
import { ADMIN_KEY, type Harness, startHookline } from './helpers/hookline.js';
import { settledNotifications } from './helpers/notify.js';
import { PAGERDUTY_EXAMPLE } from './helpers/documented-examples.js';
import { until } from './helpers/wait.js';

const dirOf = (recipe: string) => join(REPO, 'examples/recipes', recipe);

/** The recipe's hookline.yaml as Hookline would read it with `env`. */
function recipeConfig(recipe: string, env: Record<string, string>): Record<string, any> {
  const file = join(dirOf(recipe), 'hookline.yaml');
  return parseYaml(substituteEnv(readFileSync(file, 'utf8'), env, file)) as Record<string, any>;
}

/**
 * A Hookline started from the recipe's hookline.yaml. The AGENT.md files run their stand-in
 * agents by paths relative to the repository root, where the recipes tell readers to start
 * Hookline; the test runs from there too. startHookline allows 127.0.0.1/32, as the recipes
 * tell readers to for the local stand-ins (HOOKLINE_ALLOW_NETWORKS).
 */
async function recipeHookline(recipe: string, env: Record<string, string>): Promise<Harness> {
  expect(resolve(process.cwd()), 'run the tests from the repository root').toBe(resolve(REPO));
  const config = recipeConfig(recipe, env);
  const h = await startHookline('sqlite', { overrides: config });
  expect(h.hl.agentFilesReport?.errors ?? []).toEqual([]);
  return h;
}

/** A script of the recipe, run as the reader runs it, with the reader's variables. */
async function runScript(h: Harness, recipe: string, script: string, env: Record<string, string>, args: string[] = []) {
  const command = script.endsWith('.sh') ? 'bash' : process.execPath;
  return runToEnd(command, [join(dirOf(recipe), script), ...args], { env: cleanEnv({ HOOKLINE_URL: h.url, HOOKLINE_API_KEY: ADMIN_KEY, ...env }) });
}

function endedRun(h: Harness, runId: string): Promise<any> {
  return until(`run ${runId} to end`, async () => {
    const r = (await h.call('GET', `/api/v1/runs/${runId}`)).body;
    return ['queued', 'running'].includes(r.status) ? undefined : r;
  });
}

/** `202 {"status":"accepted","run_id":…}` as the senders print it. */
function acceptedRunId(stdout: string): string {
  const m = /^202 (.*)$/m.exec(stdout);
  if (!m) throw new Error(`the sender did not get 202:\n${stdout}`);
  return JSON.parse(m[1]!).run_id;
}

describe('recipe: GitHub pull request → review agent → Slack', () => {
  const recipe = 'github-pr-review';
  const GITHUB_SECRET = 'gh-webhook-secret-0123456789abcdef';
  let slack: FakeSlack;
  let h: Harness;

  beforeAll(async () => {
    slack = await startFakeSlack({ channels: ['#code-review'] });
    h = await recipeHookline(recipe, { SLACK_BOT_TOKEN: slack.token, SLACK_API_BASE_URL: slack.url });
  });
  afterAll(async () => {
    await h?.close();
    await slack?.close();
  });

  it('loads the reviewer from its AGENT.md, with its Slack rules', async () => {
    const a = await h.call('GET', '/api/v1/agents/reviewer');
    expect(a.body).toMatchObject({ crew_id: 'engineering', name: 'PR reviewer', source: 'file', runner: 'command' });
    expect(a.body.notifications.on_complete).toEqual([{ channel: 'slack', target: '#code-review' }]);
  });

  it('setup.sh adds the GitHub trigger; a signed pull_request.opened is reviewed and the review posted to #code-review', async () => {
    const setup = await runScript(h, recipe, 'setup.sh', { GITHUB_WEBHOOK_SECRET: GITHUB_SECRET });
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);
    expect(setup.stdout).toContain(`GitHub webhook Payload URL: ${h.url}/api/v1/webhooks/engineering/reviewer/github`);

    const send = await runScript(h, recipe, 'send-pull-request.mjs', { GITHUB_WEBHOOK_SECRET: GITHUB_SECRET });
    expect(send.code, send.stdout + send.stderr).toBe(0);
    const run = await endedRun(h, acceptedRunId(send.stdout));
    expect(run).toMatchObject({ status: 'completed', trigger_type: 'webhook', trigger_name: 'github' });
    expect(run.prompt).toContain('Event: pull_request.opened');
    expect(run.prompt).toContain('Source: github:acme/shop');
    expect(run.output).toContain('Review of #42 "Add retry backoff to the payment client" by octocat (+120/-8 in 3 files):');

    await slack.waitFor(1);
    const [msg] = slack.delivered();
    expect(msg!.headers.authorization).toBe(`Bearer ${slack.token}`);
    expect(msg!.json).toMatchObject({ channel: '#code-review', text: 'PR reviewer completed' });
    expect(JSON.stringify((msg!.json as any).blocks)).toContain('Review of #42');
  });

  it('a pull request signed with another secret gets 401 and starts no run', async () => {
    const before = (await h.call('GET', '/api/v1/runs?agent_id=reviewer')).body.total;
    const send = await runScript(h, recipe, 'send-pull-request.mjs', { GITHUB_WEBHOOK_SECRET: `${GITHUB_SECRET}-wrong` });
    expect(send.code).toBe(1);
    expect(send.stdout).toMatch(/^401 /);
    expect((await h.call('GET', '/api/v1/runs?agent_id=reviewer')).body.total).toBe(before);
  });
});

describe('recipe: Grafana alert → SRE agent → PagerDuty', () => {
  const recipe = 'grafana-sre-pagerduty';
  const GRAFANA_SECRET = 'grafana-contact-point-secret-0123';
  let pd: Proc;
  let h: Harness;
  let eventsUrl: string;
  let postActionId: string;

  beforeAll(async () => {
    const port = await freePort();
    eventsUrl = `http://127.0.0.1:${port}/v2/enqueue`;
    pd = Proc.spawn(process.execPath, [join(dirOf(recipe), 'pagerduty-receiver.mjs')], { env: cleanEnv({ PORT: String(port) }) });
    await pd.waitFor([`pagerduty receiver listening on ${eventsUrl}`], 'pagerduty-receiver.mjs');
    h = await recipeHookline(recipe, { PAGERDUTY_EVENTS_URL: eventsUrl, PAGERDUTY_HOOK_SECRET: 'pd-hook-secret-0123' });
  });
  afterAll(async () => {
    await h?.close();
    await pd?.stop();
  });

  it('hookline.yaml carries the documented PagerDuty webhook template verbatim', () => {
    const [webhook] = recipeConfig(recipe, { PAGERDUTY_HOOK_SECRET: 'x' }).notifications.webhooks;
    expect(webhook).toMatchObject({ name: 'pagerduty', events: ['on_error'], url: 'https://events.pagerduty.com/v2/enqueue' });
    expect(webhook.payload_template).toBe(PAGERDUTY_EXAMPLE);
  });

  it('setup.sh adds the Grafana trigger and a PagerDuty post-action; a signed firing alert is diagnosed and sent to PagerDuty', async () => {
    const setup = await runScript(h, recipe, 'setup.sh', {
      GRAFANA_WEBHOOK_SECRET: GRAFANA_SECRET,
      PAGERDUTY_ROUTING_KEY: 'R0123456789ABCDEF0123456789ABCDE',
      PAGERDUTY_EVENTS_URL: eventsUrl,
    });
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    expect(setup.stdout).toContain(`Grafana contact point URL: ${h.url}/api/v1/webhooks/ops/sre/alerts`);
    postActionId = /post-action (\S+) bound/.exec(setup.stdout)![1]!;

    const send = await runScript(h, recipe, 'send-alert.mjs', { GRAFANA_WEBHOOK_SECRET: GRAFANA_SECRET });
    expect(send.code, send.stdout + send.stderr).toBe(0);
    const run = await endedRun(h, acceptedRunId(send.stdout));
    expect(run).toMatchObject({ status: 'completed', trigger_name: 'alerts' });
    expect(run.prompt).toContain('Event: alert.firing');
    expect(run.output).toContain('HighErrorRate on checkout-7f9c: 5xx rate above 5% for 10 minutes. Likely cause:');

    // The summary is the output cut by `truncate(200)` (Jinja's: at a word, with "...").
    await pd.waitFor(
      [
        `trigger critical hookline-${run.id}: HighErrorRate on checkout-7f9c: 5xx rate above 5% for 10 minutes. Likely cause: a recent deploy or a traffic spike. First step: compare the error rate with the last deploy time and roll back if...\n`,
      ],
      'pagerduty-receiver.mjs',
    );
    const history = await until('the post-action to settle', async () => {
      const items = (await h.call('GET', `/api/v1/post-actions/${postActionId}/runs`)).body.items as any[];
      return items.length === 1 && items[0].status !== 'pending' ? items : undefined;
    });
    expect(history[0]).toMatchObject({ status: 'success', http_status_code: 202, run_id: run.id, attempts: 1 });
  });

  it('an alert the agent cannot diagnose fails the run, and the named webhook pages a person instead', async () => {
    const send = await runScript(h, recipe, 'send-alert.mjs', { GRAFANA_WEBHOOK_SECRET: GRAFANA_SECRET }, ['--no-alerts']);
    expect(send.code, send.stdout + send.stderr).toBe(0);
    const run = await endedRun(h, acceptedRunId(send.stdout));
    expect(run.status).toBe('failed');
    expect(run.error).toContain('the notification has no alerts to diagnose');

    await pd.waitFor(['trigger error …: SRE agent failed: …the notification has no alerts to diagnose'], 'pagerduty-receiver.mjs');
    // Only the webhook: the post-action fires on success.
    const [n] = await settledNotifications(h, run.id, 1);
    expect(n).toMatchObject({ channel: 'webhook', target: 'pagerduty', event_type: 'on_error', status: 'delivered' });
    expect((await h.call('GET', `/api/v1/post-actions/${postActionId}/runs`)).body.total).toBe(1);
  });
});

describe('recipe: nightly schedule → report agent → callback to a customer backend', () => {
  const recipe = 'nightly-report-callback';
  let h: Harness;
  let backend: Proc | undefined;
  let callbackUrl: string;

  beforeAll(async () => {
    h = await recipeHookline(recipe, {});
    callbackUrl = `http://127.0.0.1:${await freePort()}/hookline/agent-results`;
  });
  afterAll(async () => {
    await h?.close();
    await backend?.stop();
  });

  it('setup.sh schedules the report for 02:00 Berlin time and sets the callback; "run now" reaches the backend verified, once', async () => {
    const setup = await runScript(h, recipe, 'setup.sh', { CUSTOMER_BACKEND_URL: callbackUrl, REPORT_TIMEZONE: 'Europe/Berlin' });
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    const secret = /^HOOKLINE_CALLBACK_SECRET=(hlcb_\S+)$/m.exec(setup.stdout)?.[1];
    expect(secret).toBeDefined();

    const [schedule] = (await h.call('GET', '/api/v1/schedules?agent_id=nightly-report')).body.items;
    expect(schedule).toMatchObject({ cron: '0 2 * * *', timezone: 'Europe/Berlin', misfire_grace_seconds: 1800, enabled: true });
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(schedule.next_run_at),
    );
    expect(berlin).toBe('02:00');

    backend = Proc.spawn(process.execPath, [join(dirOf(recipe), 'customer-backend.mjs')], {
      env: cleanEnv({ HOOKLINE_CALLBACK_SECRET: secret!, PORT: new URL(callbackUrl).port }),
    });
    await backend.waitFor([`customer backend listening on ${callbackUrl}`], 'customer-backend.mjs');

    // What the 02:00 tick does, now.
    const now = await h.call('POST', `/api/v1/schedules/${schedule.id}/run`, {});
    expect(now.status).toBe(202);
    const run = await endedRun(h, now.body.id);
    expect(run).toMatchObject({ status: 'completed', trigger_type: 'schedule', trigger_name: 'nightly sales report', usage: { tokens_used: 1250 } });
    await backend.waitFor(
      [
        `verified completed ${run.id} from "Nightly sales report" (1250 tokens):`,
        'Sales report for …(schedule: nightly sales report)',
        'Unusual: refunds doubled',
      ],
      'customer-backend.mjs',
    );

    const [n] = await settledNotifications(h, run.id, 1);
    expect(n).toMatchObject({ channel: 'callback', status: 'delivered', attempts: 1 });

    // A retry brings the same callback again: the backend acknowledges it and stores nothing new.
    expect((await h.call('POST', `/api/v1/notifications/${n.id}/retry`, {})).status).toBe(202);
    await until('the retried callback to be delivered', async () => {
      const r = (await h.call('GET', `/api/v1/notifications/${n.id}`)).body;
      return r.attempts === 2 && r.status === 'delivered' ? r : undefined;
    });
    expect(backend.stdout.match(/verified completed/g)).toHaveLength(1);
  });

  it('the backend refuses a callback that Hookline did not sign', async () => {
    const body = JSON.stringify({ execution_id: 'run_forged', status: 'completed', result: { output: 'fake' } });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': 'sha256=' + '0'.repeat(64) },
      body,
    });
    expect(res.status).toBe(401);
    await until('the backend to log the refusal', async () => (backend!.stderr.includes('rejected a callback: bad or stale signature') ? true : undefined));
  });
});
