import { type Command, Option } from 'commander';
import { CHANNELS } from '../../notifications/index.js';
import { examples, listing, pageParams, type PageOpts } from '../args.js';
import { connect } from '../client.js';
import { pageNote, printJson, say, status, table, when } from '../output.js';

export function registerNotifications(program: Command): void {
  const n = program
    .command('notifications')
    .description("The notification log: every message sent about a run's end (Slack, webhooks, callbacks, post-actions)")
    .addHelpText('after', examples('hookline notifications ls --status failed', 'hookline notifications retry ntf_01…'));

  listing(n.command('ls').alias('list').description('List notifications, newest first'), 'notifications')
    .addOption(new Option('--status <status>', 'only in this state').choices(['pending', 'delivered', 'failed']))
    .addOption(new Option('--channel <channel>', 'only this channel').choices([...CHANNELS]))
    .option('--agent <id>', "only this agent's (id or name)")
    .option('--run <id>', "only this run's")
    .addHelpText('after', examples('hookline notifications ls --status failed --channel slack', 'hookline notifications ls --run run_01… --json'))
    .action(async (o: PageOpts & { status?: string; channel?: string; agent?: string; run?: string; json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const page = await client.notifications.list({
        ...pageParams(o),
        ...(o.status ? { status: o.status } : {}),
        ...(o.channel ? { channel: o.channel } : {}),
        ...(o.agent ? { agent_id: o.agent } : {}),
        ...(o.run ? { execution_id: o.run } : {}),
      } as never);
      if (o.json) return printJson(page);
      if (!page.items.length) return say('no notifications match');
      table(page.items, [
        { header: 'ID', value: (x) => x.id },
        { header: 'RUN', value: (x) => x.execution_id },
        { header: 'EVENT', value: (x) => x.event_type },
        { header: 'CHANNEL', value: (x) => x.channel },
        { header: 'TARGET', value: (x) => x.target, flex: true },
        { header: 'STATUS', value: (x) => status(x.status) },
        { header: 'TRIES', value: (x) => x.attempts },
        { header: 'CREATED', value: (x) => when(x.created_at) },
        { header: 'ERROR', value: (x) => x.last_error, flex: true },
      ]);
      pageNote(page, 'notifications');
    });

  n.command('retry <id>')
    .description('Send a notification again now, with the same content')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline notifications retry ntf_01…'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const x = await client.notifications.retry(id);
      if (o.json) return printJson(x);
      say(`retrying notification ${x.id} (${x.channel} → ${x.target})`);
    });
}
