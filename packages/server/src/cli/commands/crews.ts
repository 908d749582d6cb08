import type { Command } from 'commander';
import { examples, listing, pageParams, type PageOpts } from '../args.js';
import { connect } from '../client.js';
import { pageNote, printJson, say, table, when } from '../output.js';

export function registerCrews(program: Command): void {
  const crews = program
    .command('crews')
    .description('Crews (teams) that group agents')
    .addHelpText('after', examples('hookline crews ls', 'hookline crews create --id acme --name "Acme Engineering"', 'hookline crews rm acme'));

  listing(crews.command('ls').alias('list').description('List crews'), 'crews')
    .addHelpText('after', examples('hookline crews ls', 'hookline crews ls --json | jq -r ".items[].id"'))
    .action(async (o: PageOpts & { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const page = await client.crews.list(pageParams(o));
      if (o.json) return printJson(page);
      if (!page.items.length) return say('no crews yet; create one with: hookline crews create --name "My team"');
      table(page.items, [
        { header: 'ID', value: (c) => c.id },
        { header: 'NAME', value: (c) => c.name, flex: true },
        { header: 'CREATED', value: (c) => when(c.created_at) },
      ]);
      pageNote(page, 'crews');
    });

  crews
    .command('create')
    .description('Create a crew')
    .requiredOption('--name <name>', 'display name')
    .option('--id <id>', 'its id: lower-case letters, digits, - and _ (default: generated)')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline crews create --id acme --name "Acme Engineering"'))
    .action(async (o: { name: string; id?: string; json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const crew = await client.crews.create({ name: o.name, ...(o.id ? { id: o.id } : {}) });
      if (o.json) return printJson(crew);
      say(`created crew ${crew.id} (${crew.name})`);
    });

  crews
    .command('rm <id>')
    .alias('delete')
    .description('Delete an empty crew')
    .addHelpText('after', examples('hookline crews rm acme'))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { client } = connect(cmd);
      await client.crews.delete(id);
      say(`deleted crew ${id}`);
    });
}
