import { type Command, Option } from 'commander';
import type { Endpoint, EndpointWithSecret, Hookline, SaveWarning } from '@hookline/sdk';
import { examples, headerPairs, integer, list, listing, pageParams, type PageOpts, repeat, seconds, time } from '../args.js';
import { connect } from '../client.js';
import { usageError } from '../errors.js';
import { details, note, pageNote, printJson, Progress, say, status, table, when, yellow } from '../output.js';

const SCHEMES = ['standard', 'x-signature', 'agentgateway', 'github'];

interface EndpointFlags {
  events?: string[];
  description?: string;
  header?: string[];
  clearHeaders?: boolean;
  requestTimeout?: number;
  retrySchedule?: string;
  scheme?: string;
  rateLimit?: number;
  disabled?: boolean;
  endpointUrl?: string;
  json?: boolean;
}

/** Options create and update share (the root's --url is the server, so the endpoint's URL is an argument or --endpoint-url). */
function endpointOptions(cmd: Command): Command {
  return cmd
    .option('--events <types>', 'event types to receive, comma-separated: exact (invoice.paid), prefix (run.*) or *', list)
    .option('--description <text>', 'what it is for')
    .option('-H, --header <header>', "an extra request header 'Name: value' (repeatable; stored encrypted)", repeat)
    .option('--request-timeout <seconds>', 'per-request timeout, 1–300 s (default 30)', integer(1, 300))
    .option('--retry-schedule <delays>', 'delays before each retry, e.g. 30s,2m,10m; "none" for no retries; "default" for the server\'s')
    .addOption(new Option('--scheme <scheme>', 'how requests are signed').choices(SCHEMES))
    .option('--rate-limit <n>', 'at most this many deliveries a second', integer(1, 100_000))
    .option('--json', "print the API's JSON");
}

function retrySchedule(v: string): (string | number)[] | null {
  if (v === 'default') return null;
  if (v === 'none') return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function fields(o: EndpointFlags): Record<string, unknown> {
  const headers = headerPairs(o.header, '--header');
  return {
    ...(o.events ? { events: o.events } : {}),
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(headers ? { headers } : o.clearHeaders ? { headers: {} } : {}),
    ...(o.requestTimeout !== undefined ? { timeout_seconds: o.requestTimeout } : {}),
    ...(o.retrySchedule !== undefined ? { retry_schedule: retrySchedule(o.retrySchedule) } : {}),
    ...(o.scheme ? { signing_scheme: o.scheme } : {}),
    ...(o.rateLimit !== undefined ? { rate_limit: o.rateLimit } : {}),
  };
}

function show(e: Endpoint): void {
  details([
    ['id', e.id],
    ['url', e.url],
    ['events', e.events.join(', ')],
    ['description', e.description],
    ['status', e.enabled ? status('enabled') : `${status('disabled')}${e.disabled_reason ? ` (${e.disabled_reason})` : ''}`],
    ['failures in a row', e.consecutive_failures],
    ['signing scheme', e.signing_scheme],
    ['headers', Object.keys(e.headers).length ? Object.keys(e.headers).join(', ') : null],
    ['timeout', `${e.timeout_seconds} s`],
    ['retry schedule', e.retry_schedule === null ? 'server default' : e.retry_schedule.length ? e.retry_schedule.map((s) => `${s}s`).join(', ') : 'no retries'],
    ['rate limit', e.rate_limit === null ? null : `${e.rate_limit}/s`],
    ['rotation ends', when(e.secret_rotation_ends_at)],
    ['created', when(e.created_at)],
  ]);
}

function showSecret(e: EndpointWithSecret, what: string): void {
  say(`${what} ${e.id} → ${e.url}`);
  say(`signing secret: ${e.secret}`);
  say('(shown only now; verify deliveries with it, e.g. hookline verify --secret whsec_…)');
}

/** The API's advice about a saved endpoint (e.g. an event type nothing publishes), on stderr; --json has it in `warnings`. */
function printWarnings(warnings: SaveWarning[] | undefined): void {
  for (const w of warnings ?? []) note(`${yellow(process.stderr, 'warning')}: ${w.field}: ${w.message}`);
}

/** Replayed deliveries still pending, as a progress bar until they are all sent (or failed). */
async function watchReplay(client: Hookline, id: string, enqueued: number): Promise<number> {
  const bar = new Progress('delivering replayed events', enqueued);
  try {
    for (;;) {
      const pending = (await client.deliveries.list({ endpoint_id: id, status: 'pending', limit: 1 })).total;
      bar.set(Math.max(0, enqueued - pending));
      if (pending === 0) return pending;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    bar.end();
  }
}

export function registerEndpoints(program: Command): void {
  const endpoints = program
    .command('endpoints')
    .description('Endpoints: URLs that receive signed events')
    .addHelpText(
      'after',
      examples(
        'hookline endpoints create https://app.example.com/hooks --events "run.*,invoice.paid"',
        'hookline endpoints ls',
        'hookline endpoints replay ep_01… --since 2h --wait',
      ),
    );

  listing(endpoints.command('ls').alias('list').description('List endpoints'), 'endpoints')
    .addHelpText('after', examples('hookline endpoints ls', 'hookline endpoints ls --json'))
    .action(async (o: PageOpts & { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const page = await client.webhookEndpoints.list(pageParams(o));
      if (o.json) return printJson(page);
      if (!page.items.length) return say('no endpoints yet; create one with: hookline endpoints create <url> --events "*"');
      table(page.items, [
        { header: 'ID', value: (e) => e.id },
        { header: 'URL', value: (e) => e.url, flex: true },
        { header: 'EVENTS', value: (e) => e.events.join(','), flex: true },
        { header: 'STATUS', value: (e) => status(e.enabled ? 'enabled' : 'disabled') },
        { header: 'FAILS', value: (e) => e.consecutive_failures },
        { header: 'SCHEME', value: (e) => e.signing_scheme },
      ]);
      pageNote(page, 'endpoints');
    });

  endpoints
    .command('get <id>')
    .description('Show one endpoint')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline endpoints get ep_01…'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const e = await client.webhookEndpoints.get(id);
      if (o.json) return printJson(e);
      show(e);
    });

  endpointOptions(endpoints.command('create <url>').description('Create an endpoint; prints its signing secret once'))
    .option('--disabled', 'create it disabled')
    .addHelpText(
      'after',
      examples(
        'hookline endpoints create https://app.example.com/hooks --events "*"',
        'hookline endpoints create https://ci.example/hook --events run.failed -H "Authorization: Bearer abc" --scheme github',
      ),
    )
    .action(async (url: string, o: EndpointFlags, cmd: Command) => {
      if (!o.events?.length)
        throw usageError('--events is required: which event types should this endpoint receive?', 'e.g. --events "*" or --events "run.*,invoice.paid"');
      const { client } = connect(cmd);
      const e = await client.webhookEndpoints.create({ url, ...fields(o), ...(o.disabled ? { enabled: false } : {}) } as never);
      if (o.json) return printJson(e);
      showSecret(e, 'created endpoint');
      printWarnings(e.warnings);
    });

  endpointOptions(endpoints.command('update <id>').description('Change an endpoint (only the options given)'))
    .option('--endpoint-url <url>', 'a new URL to deliver to')
    .option('--clear-headers', 'remove every custom header')
    .addHelpText(
      'after',
      examples(
        'hookline endpoints update ep_01… --events "run.*"',
        'hookline endpoints update ep_01… --endpoint-url https://new.example/hooks --retry-schedule 10s,1m',
      ),
    )
    .action(async (id: string, o: EndpointFlags, cmd: Command) => {
      const body = { ...fields(o), ...(o.endpointUrl ? { url: o.endpointUrl } : {}) };
      if (!Object.keys(body).length) throw usageError('nothing to change: give at least one option', 'hookline endpoints update --help lists them');
      const { client } = connect(cmd);
      const e = await client.webhookEndpoints.update(id, body as never);
      if (o.json) return printJson(e);
      say(`updated endpoint ${e.id}`);
      printWarnings(e.warnings);
    });

  endpoints
    .command('rm <id>')
    .alias('delete')
    .description('Delete an endpoint; its pending deliveries fail as endpoint_deleted')
    .addHelpText('after', examples('hookline endpoints rm ep_01…'))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { client } = connect(cmd);
      await client.webhookEndpoints.delete(id);
      say(`deleted endpoint ${id}`);
    });

  for (const [name, summary] of [
    ['enable', 'Enable again (nothing from the disabled period is delivered)'],
    ['disable', 'Stop delivering to it'],
  ] as const) {
    endpoints
      .command(`${name} <id>`)
      .description(summary)
      .option('--json', "print the API's JSON")
      .addHelpText('after', examples(`hookline endpoints ${name} ep_01…`))
      .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
        const { client } = connect(cmd);
        const e = name === 'enable' ? await client.webhookEndpoints.enable(id) : await client.webhookEndpoints.disable(id);
        if (o.json) return printJson(e);
        say(`endpoint ${e.id} is ${status(e.enabled ? 'enabled' : 'disabled')}`);
      });
  }

  endpoints
    .command('rotate-secret <id>')
    .description('New signing secret; the old one keeps signing during the grace period')
    .option('--grace <duration>', "how long the old secret still signs: seconds or 30m, 24h, 7d (default: the server's, 24h)", seconds)
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline endpoints rotate-secret ep_01…', 'hookline endpoints rotate-secret ep_01… --grace 0'))
    .action(async (id: string, o: { grace?: number; json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const e = await client.webhookEndpoints.rotateSecret(id, o.grace !== undefined ? { grace_period_seconds: o.grace } : {});
      if (o.json) return printJson(e);
      showSecret(e, 'rotated the secret of endpoint');
      if (e.secret_rotation_ends_at) say(`the old secret signs too until ${when(e.secret_rotation_ends_at)}`);
    });

  endpoints
    .command('test <id>')
    .description('Send a webhook.test event to this endpoint only')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline endpoints test ep_01…', 'hookline deliveries ls --endpoint ep_01… --limit 1'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const r = await client.webhookEndpoints.sendTest(id);
      if (o.json) return printJson(r);
      say(`sent test event ${r.event_id}; see it with: hookline deliveries ls --endpoint ${id}`);
    });

  endpoints
    .command('replay <id>')
    .description("Re-send this endpoint's events from a time window")
    .requiredOption('--since <time>', 'start: ISO-8601, epoch ms, or an age like 2h, 7d')
    .option('--until <time>', 'end (default: now)')
    .option('--wait', 'show progress until every replayed delivery is sent')
    .option('--json', "print the API's JSON")
    .addHelpText(
      'after',
      examples(
        'hookline endpoints replay ep_01… --since 2h',
        'hookline endpoints replay ep_01… --since 2026-03-01T00:00:00Z --until 2026-03-02T00:00:00Z --wait',
      ),
    )
    .action(async (id: string, o: { since: string; until?: string; wait?: boolean; json?: boolean }, cmd: Command) => {
      const since = parseTime(o.since, '--since');
      const until = o.until === undefined ? undefined : parseTime(o.until, '--until');
      const { client } = connect(cmd);
      const spin = new Progress('enqueueing events', undefined);
      let r: { enqueued: number };
      try {
        r = await client.webhookEndpoints.replay(id, { since, ...(until ? { until } : {}) });
      } finally {
        spin.end();
      }
      if (o.json) printJson(r);
      else say(`replaying ${r.enqueued} event${r.enqueued === 1 ? '' : 's'} to ${id}`);
      if (o.wait && r.enqueued > 0) {
        await watchReplay(client, id, r.enqueued);
        if (!o.json) note(`replayed deliveries to ${id} are done; failures: hookline deliveries ls --endpoint ${id} --failed`);
      }
    });
}

function parseTime(v: string, flag: string): string {
  try {
    return time(v);
  } catch (err) {
    throw usageError(`${flag} ${(err as Error).message}`);
  }
}
