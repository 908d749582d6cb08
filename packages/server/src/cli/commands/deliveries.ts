import { type Command, Option } from 'commander';
import { type Delivery, type Hookline, HooklineApiError } from '@hookline/sdk';
import { examples, listing, pageParams, type PageOpts } from '../args.js';
import { connect } from '../client.js';
import { EXIT, usageError } from '../errors.js';
import { details, note, pageNote, printJson, Progress, say, status, table, when } from '../output.js';

interface RetryOutcome {
  retried: string[];
  refused: { id: string; code: string; message: string }[];
}

/** Retries each delivery (four at a time) with a progress bar; a refusal is counted, not fatal. */
async function retryAll(client: Hookline, ids: string[]): Promise<RetryOutcome> {
  const out: RetryOutcome = { retried: [], refused: [] };
  const bar = new Progress('retrying deliveries', ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        await client.deliveries.retry(id);
        out.retried.push(id);
      } catch (err) {
        if (!(err instanceof HooklineApiError) || err.status === 401 || err.status === 403) throw err;
        out.refused.push({ id, code: err.code, message: err.message });
      }
      bar.tick();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(4, ids.length) }, worker));
  } finally {
    bar.end();
  }
  return out;
}

export function registerDeliveries(program: Command): void {
  const deliveries = program
    .command('deliveries')
    .description('The delivery log: every event sent to every endpoint, with its attempts')
    .addHelpText(
      'after',
      examples('hookline deliveries ls --failed', 'hookline deliveries get dlv_01…', 'hookline deliveries retry --failed --endpoint ep_01…'),
    );

  listing(deliveries.command('ls').alias('list').description('List deliveries, newest first'), 'deliveries')
    .option('--failed', 'only failed ones (same as --status failed)')
    .addOption(new Option('--status <status>', 'only deliveries in this state').choices(['pending', 'delivered', 'failed']))
    .option('--endpoint <id>', "only this endpoint's deliveries")
    .option('--event-type <type>', 'only this event type (exact)')
    .addHelpText('after', examples('hookline deliveries ls --failed', 'hookline deliveries ls --endpoint ep_01… --status pending --json'))
    .action(async (o: PageOpts & { failed?: boolean; status?: string; endpoint?: string; eventType?: string; json?: boolean }, cmd: Command) => {
      if (o.failed && o.status && o.status !== 'failed') throw usageError(`--failed and --status ${o.status} contradict each other`);
      const state = o.failed ? 'failed' : o.status;
      const { client } = connect(cmd);
      const page = await client.deliveries.list({
        ...pageParams(o),
        ...(state ? { status: state as Delivery['status'] } : {}),
        ...(o.endpoint ? { endpoint_id: o.endpoint } : {}),
        ...(o.eventType ? { event_type: o.eventType } : {}),
      });
      if (o.json) return printJson(page);
      if (!page.items.length) return say(state === 'failed' ? 'no failed deliveries' : 'no deliveries match');
      table(page.items, [
        { header: 'ID', value: (d) => d.id },
        { header: 'EVENT', value: (d) => d.event_type, flex: true },
        { header: 'ENDPOINT', value: (d) => d.endpoint_id },
        { header: 'STATUS', value: (d) => status(d.status) },
        { header: 'TRIES', value: (d) => d.attempts },
        { header: 'LAST', value: (d) => d.last_status_code },
        { header: 'CREATED', value: (d) => when(d.created_at) },
        { header: 'ERROR', value: (d) => d.last_error, flex: true },
      ]);
      pageNote(page, 'deliveries');
    });

  deliveries
    .command('get <id>')
    .description('One delivery with its event and every attempt')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline deliveries get dlv_01…'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const d = await client.deliveries.get(id);
      if (o.json) return printJson(d);
      details([
        ['id', d.id],
        ['event', `${d.event_type} ${d.event_id}`],
        ['endpoint', d.endpoint_id],
        ['status', status(d.status)],
        ['attempts', d.attempts],
        ['next attempt', when(d.next_attempt_at)],
        ['last error', d.last_error],
        ['created', when(d.created_at)],
        ['delivered', when(d.delivered_at)],
      ]);
      if (d.history.length) {
        say('');
        table(d.history, [
          { header: '#', value: (a) => a.attempt },
          { header: 'STARTED', value: (a) => when(a.started_at) },
          { header: 'STATUS', value: (a) => a.status_code ?? a.error?.code },
          { header: 'MS', value: (a) => a.duration_ms },
          { header: 'RESPONSE / ERROR', value: (a) => a.error?.message ?? a.response_body, flex: true },
        ]);
      }
    });

  deliveries
    .command('retry [ids...]')
    .description('Send deliveries again now: the ones named, or every failed one (--failed)')
    .option('--failed', 'retry every failed delivery (of --endpoint, if given)')
    .option('--endpoint <id>', "with --failed: only this endpoint's")
    .option('--dry-run', 'with --failed: only say how many would be retried')
    .option('--json', 'print {retried: [ids], refused: [{id, code, message}]}')
    .addHelpText(
      'after',
      examples('hookline deliveries retry dlv_01…', 'hookline deliveries retry dlv_01… dlv_02…', 'hookline deliveries retry --failed --endpoint ep_01…'),
    )
    .action(async (ids: string[], o: { failed?: boolean; endpoint?: string; dryRun?: boolean; json?: boolean }, cmd: Command) => {
      if (o.failed && ids.length) throw usageError('give delivery ids or --failed, not both');
      if (!o.failed && !ids.length) throw usageError('which deliveries? give their ids, or --failed for every failed one');
      if (!o.failed && (o.endpoint || o.dryRun)) throw usageError('--endpoint and --dry-run go with --failed');
      const { client } = connect(cmd);
      if (!o.failed && ids.length === 1) {
        // One id: its own error and exit code (3 when it does not exist).
        const d = await client.deliveries.retry(ids[0]!);
        if (o.json) return printJson({ retried: [d.id], refused: [] });
        return say(`retrying ${d.id} (${d.event_type} → ${d.endpoint_id})`);
      }
      let targets = ids;
      if (o.failed) {
        // Collected first: retrying changes their status, which would shift the pages.
        const found = new Progress('finding failed deliveries', undefined);
        try {
          targets = (await client.deliveries.listAll({ status: 'failed', limit: 1000, ...(o.endpoint ? { endpoint_id: o.endpoint } : {}) })).map((d) => d.id);
        } finally {
          found.end();
        }
        if (o.dryRun) {
          if (o.json) return printJson({ retried: [], refused: [], would_retry: targets });
          return say(`${targets.length} failed deliver${targets.length === 1 ? 'y' : 'ies'} would be retried`);
        }
        if (!targets.length) {
          if (o.json) return printJson({ retried: [], refused: [] });
          return say('no failed deliveries to retry');
        }
      }
      const r = await retryAll(client, targets);
      if (o.json) printJson(r);
      else {
        say(`retried ${r.retried.length} of ${targets.length} deliver${targets.length === 1 ? 'y' : 'ies'}`);
        for (const f of r.refused) note(`  ${f.id}: ${f.message} (${f.code})`);
      }
      if (r.refused.length) process.exitCode = r.refused.every((f) => f.code === 'not_found') ? EXIT.notFound : EXIT.failure;
    });
}
