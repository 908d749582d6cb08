/**
 * Drivers for the SSRF matrix: one per place Hookline takes an outbound URL. Each saves a list
 * of URLs the way a user would (API, AGENT.md, the fluent config calls), sends every accepted
 * one `rounds` times the way it is really sent (an event, a run end, a run, the Slack test),
 * and reports what happened to each URL in each round, read back from Hookline's own records.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors/index.js';
import type { Harness } from '../helpers/hookline.js';
import { until } from '../helpers/wait.js';

/** What one send of one URL came to. `blocked`: recorded as refused by the SSRF guard. */
export interface Sent {
  blocked: boolean;
  delivered: boolean;
  httpStatus: number | null;
  detail: string;
}

/** A URL refused when saved (`refused`), or accepted and then sent once per round. */
export type Outcome = { refused: { status: number; code: string; message: string } } | { sent: Sent[] };

export type Driver = (urls: string[], rounds: number) => Promise<Outcome[]>;

/** A URL nobody dials: it answers no DNS lookup, and update surfaces start from it. */
export const PARKED = 'http://parked.invalid:9/start';
const RUNNER_GUARD = 'refused by the SSRF guard';
const CAT = { command: '/bin/cat' };

let seq = 0;
const tag = (prefix: string) => `${prefix}-${++seq}`;

function refusal(r: { status: number; body: any }): Outcome | null {
  if (r.status < 300) return null;
  return { refused: { status: r.status, code: String(r.body?.error?.code), message: String(r.body?.error?.message) } };
}

/** Runs `fn` over `items` a few at a time (the box has two cores and other tests run beside). */
async function inBatches<T, R>(items: T[], fn: (t: T) => Promise<R>, size = 6): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** Endpoint deliveries as the dispatcher recorded them: the one attempt of each. */
function fromAttempt(d: any): Sent {
  const a = d.history[0];
  const code = a?.error?.code ?? null;
  return {
    blocked: code === 'ssrf_blocked',
    delivered: d.status === 'delivered',
    httpStatus: a?.status_code ?? null,
    detail: code ? `${code}: ${a.error.message}` : `HTTP ${a?.status_code}`,
  };
}

/** A notification record (post-action, callback, Slack, named webhook) once it is no longer pending, or after its first attempt. */
function fromNotification(n: any): Sent {
  const err: string = n.last_error ?? '';
  return {
    blocked: err.startsWith('ssrf_blocked'),
    delivered: n.status === 'delivered',
    httpStatus: /^HTTP (\d+)/.exec(err)?.[1] ? Number(/^HTTP (\d+)/.exec(err)![1]) : null,
    detail: err || n.status,
  };
}

function fromRun(r: any): Sent {
  const err: string = r.error ?? '';
  const status = /HTTP (\d{3})/.exec(err)?.[1];
  return {
    blocked: err.includes(RUNNER_GUARD),
    delivered: r.status === 'completed',
    httpStatus: status ? Number(status) : null,
    detail: `${r.status}: ${err}`,
  };
}

export class Surfaces {
  constructor(
    private readonly h: Harness,
    private readonly agentsDir: string,
  ) {}

  private async agent(id: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
    // `notifications: {}`: no Slack default or named webhook hears of this agent's runs.
    return this.h.call('POST', '/api/v1/agents', { id, crew_id: 'ssrf', name: id, runner: 'command', runner_config: CAT, notifications: {}, ...extra });
  }

  async setup(): Promise<void> {
    await this.h.call('POST', '/api/v1/crews', { id: 'ssrf', name: 'SSRF probes' });
  }

  /** A manual run, waited for; its notifications once each has had its first attempt. */
  private async runAndRead(agentId: string, channel: string | null): Promise<Sent> {
    const r = await this.h.call('POST', `/api/v1/agents/${agentId}/runs?wait=true`, { prompt: 'probe' });
    if (r.status !== 200) throw new Error(`run of ${agentId}: ${r.status} ${JSON.stringify(r.body)}`);
    if (channel === null) return fromRun(r.body);
    return this.notification(r.body.id, channel);
  }

  /** Signed agent trigger URL, as post-actions fire only for webhook and schedule runs. */
  private async triggerAndRead(agentId: string, secret: string): Promise<Sent> {
    const body = JSON.stringify({ probe: true });
    const res = await fetch(`${this.h.url}/api/v1/webhooks/ssrf/${agentId}/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', secret).update(body).digest('hex') },
      body,
    });
    if (res.status !== 202) throw new Error(`trigger ${agentId}: ${res.status}`);
    const { run_id } = (await res.json()) as { run_id: string };
    await until(`run ${run_id} to end`, async () =>
      ['queued', 'running'].includes((await this.h.call('GET', `/api/v1/runs/${run_id}`)).body.status) ? undefined : true,
    );
    return this.notification(run_id, 'post_action');
  }

  private async notification(runId: string, channel: string): Promise<Sent> {
    const n = await until(`${channel} notification of ${runId}`, async () => {
      const items = (await this.h.call('GET', `/api/v1/notifications?execution_id=${runId}&channel=${channel}`)).body.items as any[];
      return items.length === 1 && (items[0].status !== 'pending' || items[0].attempts > 0) ? items[0] : undefined;
    });
    return fromNotification(n);
  }

  /** `rounds` times: `fire` (which makes one delivery per endpoint), then drain; returns each endpoint's attempts, oldest first. */
  private async endpointRounds(ids: string[], rounds: number, fire: () => Promise<void>): Promise<Sent[][]> {
    for (let r = 0; r < rounds; r++) {
      await fire();
      await this.h.hl.dispatcher!.drain();
    }
    return Promise.all(
      ids.map(async (id) => {
        const list = (await this.h.call('GET', `/api/v1/deliveries?endpoint_id=${id}&limit=100`)).body.items as any[];
        const details = await Promise.all(list.reverse().map(async (d) => (await this.h.call('GET', `/api/v1/deliveries/${d.id}`)).body));
        return details.map(fromAttempt);
      }),
    );
  }

  /** Saves each URL; sends the accepted ones with `send`, which returns one Sent per round for each. */
  private async collect(
    urls: string[],
    save: (url: string) => Promise<{ outcome: Outcome | null; ref: string }>,
    send: (refs: string[]) => Promise<Sent[][]>,
  ): Promise<Outcome[]> {
    const saved = [];
    for (const url of urls) saved.push(await save(url));
    const accepted = saved.filter((s) => !s.outcome);
    const results = await send(accepted.map((s) => s.ref));
    return saved.map((s) => s.outcome ?? { sent: results[accepted.indexOf(s)]! });
  }

  endpointCreate: Driver = (urls, rounds) => {
    const type = tag('ssrf.probe');
    return this.collect(
      urls,
      async (url) => {
        const r = await this.h.call('POST', '/api/v1/webhooks/endpoints', { url, events: [type] });
        return { outcome: refusal(r), ref: r.body?.id };
      },
      (ids) => this.endpointRounds(ids, rounds, async () => void (await this.h.call('POST', '/api/v1/events', { type, data: {} }))),
    );
  };

  /** PATCH an existing endpoint's URL, then its "send test" button (POST …/{id}/test). */
  endpointUpdate: Driver = (urls, rounds) =>
    this.collect(
      urls,
      async (url) => {
        const ep = await this.h.call('POST', '/api/v1/webhooks/endpoints', { url: PARKED, events: [tag('ssrf.never')] });
        const r = await this.h.call('PATCH', `/api/v1/webhooks/endpoints/${ep.body.id}`, { url });
        return { outcome: refusal(r), ref: ep.body.id };
      },
      (ids) =>
        this.endpointRounds(ids, rounds, async () => {
          for (const id of ids) await this.h.call('POST', `/api/v1/webhooks/endpoints/${id}/test`);
        }),
    );

  private postAction(make: (url: string) => Promise<{ status: number; body: any; id?: string }>): Driver {
    return (urls, rounds) =>
      this.collect(
        urls,
        async (url) => {
          const r = await make(url);
          const outcome = refusal(r);
          if (outcome) return { outcome, ref: '' };
          const id = tag('pa-agent');
          const a = await this.agent(id);
          await this.h.call('POST', `/api/v1/post-actions/${r.id ?? r.body.id}/bindings`, { trigger_type: 'webhook', trigger_id: id, fire_when: 'any' });
          return { outcome: null, ref: `${id} ${a.body.webhook_secret}` };
        },
        (refs) =>
          inBatches(refs, async (ref) => {
            const [id, secret] = ref.split(' ') as [string, string];
            const sent: Sent[] = [];
            for (let r = 0; r < rounds; r++) sent.push(await this.triggerAndRead(id, secret));
            return sent;
          }),
      );
  }

  postActionCreate: Driver = this.postAction((url) => this.h.call('POST', '/api/v1/post-actions', { name: tag('pa'), method: 'POST', url }));

  postActionUpdate: Driver = this.postAction(async (url) => {
    const pa = await this.h.call('POST', '/api/v1/post-actions', { name: tag('pa'), method: 'POST', url: PARKED });
    return { ...(await this.h.call('PATCH', `/api/v1/post-actions/${pa.body.id}`, { url })), id: pa.body.id };
  });

  /**
   * The host comes out of the template only when the run ends (the save-time samples render
   * two different hosts, so the static check cannot judge it): only the send-time guard stands.
   */
  postActionTemplated: Driver = this.postAction((url) => {
    const u = /^(https?:\/\/)([^/]*?)(:\d+)?(\/.*)$/.exec(url)!;
    const templated = `${u[1]}{% if status == "failed" %}parked.invalid{% else %}${u[2]}{% endif %}${u[3] ?? ''}${u[4]}`;
    return this.h.call('POST', '/api/v1/post-actions', { name: tag('pa'), method: 'POST', url: templated });
  });

  /** One agent per URL, each run by hand; `read` names the channel whose record tells the outcome (null: the run itself). */
  private perAgent(
    save: (id: string, url: string) => Promise<{ status: number; body: any }>,
    channel: string | null,
    extra: Record<string, unknown> = {},
  ): Driver {
    return (urls, rounds) =>
      this.collect(
        urls,
        async (url) => {
          const id = tag('agent');
          const made = await this.agent(id, extra);
          if (made.status !== 201) throw new Error(`agent ${id}: ${made.status} ${JSON.stringify(made.body)}`);
          return { outcome: refusal(await save(id, url)), ref: id };
        },
        (ids) =>
          inBatches(ids, async (id) => {
            const sent: Sent[] = [];
            for (let r = 0; r < rounds; r++) sent.push(await this.runAndRead(id, channel));
            return sent;
          }),
      );
  }

  callback: Driver = this.perAgent((id, url) => this.h.call('PUT', `/api/v1/agents/${id}/callback`, { url }), 'callback');

  slackWebhookTarget: Driver = this.perAgent(
    (id, url) => this.h.call('PATCH', `/api/v1/agents/${id}`, { notifications: { on_complete: [{ channel: 'slack', target: url }] } }),
    'slack',
  );

  /** `notifications.webhooks` entries, added as the embedding API does (the config file gets the same checks). */
  namedWebhook: Driver = this.perAgent(async (id, url) => {
    try {
      this.h.hl.useWebhookNotifications({ name: `hook-${id}`, url, secret: 'named-webhook-secret' });
    } catch (err) {
      if (err instanceof UserError) return { status: err.status, body: { error: { code: err.code, message: err.message } } };
      throw err;
    }
    return this.h.call('PATCH', `/api/v1/agents/${id}`, { notifications: { on_complete: [{ channel: 'webhook', target: `hook-${id}` }] } });
  }, 'webhook');

  /** `notifications.slack.api_base_url`: global, so one URL at a time (a message's URL is fixed when its run ends). */
  slackApiBase: Driver = async (urls, rounds) => {
    const out: Outcome[] = [];
    for (const url of urls) {
      const saved = this.setSlackApi(url);
      if (saved) {
        out.push(saved);
        continue;
      }
      const id = tag('slack-api');
      await this.agent(id, { notifications: { on_complete: [{ channel: 'slack', target: '#alerts' }] } });
      const sent: Sent[] = [];
      for (let r = 0; r < rounds; r++) sent.push(await this.runAndRead(id, 'slack'));
      out.push({ sent });
    }
    return out;
  };

  /** POST /api/v1/notifications/slack/test: dials api_base_url at once. */
  slackTest: Driver = async (urls, rounds) => {
    const out: Outcome[] = [];
    for (const url of urls) {
      const saved = this.setSlackApi(url);
      if (saved) {
        out.push(saved);
        continue;
      }
      const sent: Sent[] = [];
      for (let r = 0; r < rounds; r++) {
        const res = await this.h.call('POST', '/api/v1/notifications/slack/test', { channel: '#alerts' });
        const msg = String(res.body?.error?.message ?? '');
        const status = /HTTP (\d{3})/.exec(msg)?.[1];
        sent.push({
          blocked: res.body?.error?.code === 'ssrf_blocked',
          delivered: res.status === 200,
          httpStatus: status ? Number(status) : null,
          detail: `${res.status} ${res.body?.error?.code}: ${msg}`,
        });
      }
      out.push({ sent });
    }
    return out;
  };

  private setSlackApi(url: string): Outcome | null {
    try {
      this.h.hl.useSlackNotifications({ api_base_url: url });
      return null;
    } catch (err) {
      if (err instanceof UserError) return { refused: { status: err.status, code: err.code, message: err.message } };
      throw err;
    }
  }

  private runnerAgent(runner: string, config: (url: string) => object): Driver {
    return (urls, rounds) =>
      this.collect(
        urls,
        async (url) => {
          const id = tag('runner');
          const r = await this.agent(id, { runner, runner_config: config(url), model: 'probe-model' });
          return { outcome: refusal(r), ref: id };
        },
        (ids) =>
          inBatches(ids, async (id) => {
            const sent: Sent[] = [];
            for (let r = 0; r < rounds; r++) sent.push(await this.runAndRead(id, null));
            return sent;
          }),
      );
  }

  httpRunnerCreate: Driver = this.runnerAgent('http', (url) => ({ url }));

  openaiRunnerCreate: Driver = this.runnerAgent('openai', (url) => ({ base_url: url }));

  httpRunnerUpdate: Driver = this.perAgent((id, url) => this.h.call('PATCH', `/api/v1/agents/${id}`, { runner: 'http', runner_config: { url } }), null);

  /** An AGENT.md per URL in agents.dir, then POST /api/v1/agents/reload; a refused file is in the report's errors. */
  agentFile: Driver = async (urls, rounds) => {
    const ids = urls.map(() => tag('file'));
    rmSync(this.agentsDir, { recursive: true, force: true });
    urls.forEach((url, i) => {
      mkdirSync(join(this.agentsDir, ids[i]!), { recursive: true });
      writeFileSync(
        join(this.agentsDir, ids[i]!, 'AGENT.md'),
        `---\ncrew: ssrf\nrunner: http\nrunner_config:\n  url: ${JSON.stringify(url)}\nnotifications: {}\n---\nprobe\n`,
      );
    });
    const report = (await this.h.call('POST', '/api/v1/agents/reload')).body;
    return inBatches(ids, async (id): Promise<Outcome> => {
      const error = (report.errors as any[]).find((e) => e.path.includes(`/${id}/`));
      if (error)
        return {
          refused: {
            status: 422,
            code: /not allowed/.test(error.message) ? 'ssrf_blocked' : /credentials/.test(error.message) ? 'invalid_url' : 'other',
            message: error.message,
          },
        };
      const sent: Sent[] = [];
      for (let r = 0; r < rounds; r++) sent.push(await this.runAndRead(id, null));
      return { sent };
    });
  };
}
