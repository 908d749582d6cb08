import type { Command } from 'commander';
import { examples, listing, pageParams, type PageOpts } from '../args.js';
import { connect } from '../client.js';
import { details, pageNote, printJson, say, status, table, when } from '../output.js';

export function registerPostActions(program: Command): void {
  const pa = program
    .command('post-actions')
    .description('Post-actions: HTTP calls made when a triggered run ends (create them in the dashboard or API)')
    .addHelpText('after', examples('hookline post-actions ls', 'hookline post-actions runs pa_01… --limit 20'));

  listing(pa.command('ls').alias('list').description('List post-actions'), 'post-actions')
    .addHelpText('after', examples('hookline post-actions ls', 'hookline post-actions ls --json'))
    .action(async (o: PageOpts & { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const page = await client.postActions.list(pageParams(o));
      if (o.json) return printJson(page);
      if (!page.items.length) return say('no post-actions yet; see docs/post-actions.md to create one');
      table(page.items, [
        { header: 'ID', value: (p) => p.id },
        { header: 'NAME', value: (p) => p.name, flex: true },
        { header: 'METHOD', value: (p) => p.method },
        { header: 'URL', value: (p) => p.url, flex: true },
        { header: 'STATUS', value: (p) => status(p.enabled ? 'enabled' : 'disabled') },
      ]);
      pageNote(page, 'post-actions');
    });

  pa.command('get <id>')
    .description('Show one post-action')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline post-actions get pa_01…'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const p = await client.postActions.get(id);
      if (o.json) return printJson(p);
      details([
        ['id', p.id],
        ['name', p.name],
        ['request', `${p.method} ${p.url}`],
        ['headers', Object.keys(p.headers).length ? Object.keys(p.headers).join(', ') : null],
        ['auth', p.auth.type],
        ['timeout', `${p.timeout_seconds} s`],
        ['retries', p.retry_count],
        ['status', status(p.enabled ? 'enabled' : 'disabled')],
        ['created', when(p.created_at)],
      ]);
      if (p.body_template) say(`\n${p.body_template}`);
    });

  listing(pa.command('runs <id>').description('Every time the post-action fired, newest first'), 'runs')
    .addHelpText(
      'after',
      examples('hookline post-actions runs pa_01…', 'hookline post-actions runs pa_01… --json | jq ".items[] | select(.status == \\"failed\\")"'),
    )
    .action(async (id: string, o: PageOpts & { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const page = await client.postActions.runs(id, pageParams(o));
      if (o.json) return printJson(page);
      if (!page.items.length) return say(`post-action ${id} has not fired yet`);
      table(page.items, [
        { header: 'ID', value: (r) => r.id },
        { header: 'STATUS', value: (r) => status(r.status) },
        { header: 'HTTP', value: (r) => r.http_status_code },
        { header: 'TRIES', value: (r) => r.attempts },
        { header: 'RUN', value: (r) => r.run_id },
        { header: 'CREATED', value: (r) => when(r.created_at) },
        { header: 'ERROR', value: (r) => r.error, flex: true },
      ]);
      pageNote(page, 'runs');
    });
}
