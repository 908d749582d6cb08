import type { Command } from 'commander';
import { examples, jsonValue } from '../args.js';
import { connect } from '../client.js';
import { details, printJson, say, when } from '../output.js';

export function registerEvents(program: Command): void {
  const events = program
    .command('events')
    .description('Publish your own events to subscribed endpoints; read one back')
    .addHelpText('after', examples('hookline events publish invoice.paid --data \'{"invoice":"in_1","amount":4200}\'', 'hookline events get evt_01…'));

  events
    .command('publish <type>')
    .description('Publish an event to every endpoint subscribed to its type')
    .option('--data <json>', 'the payload: JSON, @file, or - for stdin (default {})')
    .option('--id <id>', 'your id for it: publishing the same id again sends nothing new')
    .option('--json', "print the API's JSON")
    .addHelpText(
      'after',
      examples(
        'hookline events publish invoice.paid --data \'{"invoice":"in_1"}\'',
        'hookline events publish order.shipped --data @order.json --id order-981-shipped',
        'echo \'{"n":1}\' | hookline events publish counter.bumped --data -',
      ),
    )
    .action(async (type: string, o: { data?: string; id?: string; json?: boolean }, cmd: Command) => {
      const data = o.data === undefined ? {} : await jsonValue(o.data, '--data');
      const { client } = connect(cmd);
      const r = await client.events.publish({ type, data, ...(o.id ? { id: o.id } : {}) });
      if (o.json) return printJson(r);
      if (r.duplicate) say(`event ${r.event.id} was already published; nothing new was sent`);
      else say(`published ${r.event.type} ${r.event.id} → ${r.deliveries} endpoint${r.deliveries === 1 ? '' : 's'}`);
    });

  events
    .command('get <id>')
    .description('One event, exactly as endpoints receive it')
    .option('--json', 'print the envelope as JSON')
    .addHelpText('after', examples('hookline events get evt_01…', 'hookline events get evt_01… --json | jq .data'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const e = await client.events.get(id);
      if (o.json) return printJson(e);
      details([
        ['id', e.id],
        ['type', e.type],
        ['time', when(e.timestamp)],
      ]);
      say(JSON.stringify(e.data, null, 2));
    });
}
