import { type Command, Option } from 'commander';
import type { Hookline, Run, RunLogLine } from '@hookline/sdk';
import { examples, integer, jsonValue, listing, pageParams, type PageOpts, textOrFile } from '../args.js';
import { type ClientSettings, connect } from '../client.js';
import { EXIT, usageError } from '../errors.js';
import { followRun, hasEnded } from '../follow.js';
import { details, dim, note, pageNote, printJson, printJsonLine, red, say, status, table, when } from '../output.js';

const STATUSES = ['queued', 'running', 'completed', 'failed', 'timeout', 'cancelled'];

function printLine(json: boolean) {
  return (l: RunLogLine) => {
    if (json) return printJsonLine(l);
    const text = l.stream === 'stderr' ? red(process.stdout, l.line) : l.stream === 'system' ? dim(process.stdout, l.line) : l.line;
    say(text);
  };
}

/** One line on stderr saying how the run ended; the exit code says it to scripts (0 only for completed). */
function ending(run: Run): number {
  const took = run.duration_seconds === null ? '' : ` in ${run.duration_seconds.toFixed(1)} s`;
  note(`run ${run.id} ${status(run.status, process.stderr)}${took}${run.error ? `: ${run.error}` : ''}`);
  return run.status === 'completed' ? EXIT.ok : EXIT.failure;
}

function showRun(r: Run): void {
  details([
    ['id', r.id],
    ['agent', r.agent_id],
    ['crew', r.crew_id],
    ['status', status(r.status)],
    ['trigger', [r.trigger_type, r.trigger_name ?? r.trigger_id].filter(Boolean).join(' ')],
    ['created', when(r.created_at)],
    ['started', when(r.started_at)],
    ['finished', when(r.finished_at)],
    ['duration', r.duration_seconds === null ? null : `${r.duration_seconds.toFixed(1)} s`],
    ['exit code', r.exit_code],
    ['error', r.error],
    ['usage', Object.values(r.usage).some((v) => v !== null) ? r.usage : null],
  ]);
  if (r.output) say(`\n${r.output}`);
}

async function follow(client: Hookline, settings: ClientSettings, runId: string, json: boolean): Promise<void> {
  const run = await followRun(client, settings, runId, printLine(json));
  process.exitCode = ending(run);
}

export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description('Agent runs: start them, list them, read and follow their logs')
    .addHelpText(
      'after',
      examples('hookline runs trigger reviewer --prompt "Review PR #42" --follow', 'hookline runs ls --status failed', 'hookline runs logs run_01… -f'),
    );

  runs
    .command('trigger <agent>')
    .description('Start a run of an agent by hand')
    .option('--prompt <text>', "text added after the agent's prompt template (@file reads a file)")
    .option('--data <json>', 'a JSON payload (literal, @file, or - for stdin), added to the prompt as JSON')
    .option('--wait', 'wait until the run ends; exit 0 only if it completed')
    .option('-f, --follow', "print the run's log lines as they come, until it ends (implies --wait)")
    .option('--json', "print the API's JSON for the run (with --follow: each log line as JSON)")
    .addHelpText(
      'after',
      examples(
        'hookline runs trigger reviewer --prompt "Review PR #42"',
        'hookline runs trigger reviewer --data \'{"pr": 42}\' --wait && echo done',
        'hookline runs trigger nightly --follow',
      ),
    )
    .action(async (agent: string, o: { prompt?: string; data?: string; wait?: boolean; follow?: boolean; json?: boolean }, cmd: Command) => {
      if (o.prompt !== undefined && o.data !== undefined) throw usageError('give --prompt or --data, not both');
      let prompt = o.prompt === undefined ? undefined : textOrFile(o.prompt, '--prompt');
      if (o.data !== undefined) prompt = JSON.stringify(await jsonValue(o.data, '--data'), null, 2);
      const { client, settings } = connect(cmd);
      const body = prompt !== undefined ? { prompt } : {};
      if (o.follow) {
        const run = await client.runs.create(agent, body);
        note(dim(process.stderr, `run ${run.id} ${run.status}`));
        return follow(client, settings, run.id, Boolean(o.json));
      }
      let run = await client.runs.create(agent, o.wait ? { ...body, wait: true, wait_seconds: 60 } : body);
      // The server waits a minute at most; a longer run is polled until it ends.
      if (o.wait && !hasEnded(run.status)) run = await waitMore(client, run.id);
      if (o.json) printJson(run);
      else if (!o.wait) say(`started run ${run.id} (${run.status}); follow it with: hookline runs logs ${run.id} -f`);
      else showRun(run);
      if (o.wait) process.exitCode = run.status === 'completed' ? EXIT.ok : EXIT.failure;
    });

  listing(runs.command('ls').alias('list').description('List runs, newest first'), 'runs')
    .option('--agent <id>', "only this agent's runs")
    .option('--crew <id>', "only this crew's runs")
    .addOption(new Option('--status <status>', 'only runs in this state').choices(STATUSES))
    .addHelpText('after', examples('hookline runs ls --agent reviewer --status failed', 'hookline runs ls --limit 5 --json'))
    .action(async (o: PageOpts & { agent?: string; crew?: string; status?: string; json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const page = await client.runs.list({
        ...pageParams(o),
        ...(o.agent ? { agent_id: o.agent } : {}),
        ...(o.crew ? { crew_id: o.crew } : {}),
        ...(o.status ? { status: o.status as Run['status'] } : {}),
      });
      if (o.json) return printJson(page);
      if (!page.items.length) return say('no runs match; start one with: hookline runs trigger <agent>');
      table(page.items, [
        { header: 'ID', value: (r) => r.id },
        { header: 'AGENT', value: (r) => r.agent_id },
        { header: 'STATUS', value: (r) => status(r.status) },
        { header: 'TRIGGER', value: (r) => r.trigger_name ?? r.trigger_type },
        { header: 'CREATED', value: (r) => when(r.created_at) },
        { header: 'DURATION', value: (r) => (r.duration_seconds === null ? null : `${r.duration_seconds.toFixed(1)}s`) },
        { header: 'ERROR', value: (r) => r.error, flex: true },
      ]);
      pageNote(page, 'runs');
    });

  runs
    .command('get <id>')
    .description('Show one run with its output')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline runs get run_01…'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const r = await client.runs.get(id);
      if (o.json) return printJson(r);
      showRun(r);
    });

  runs
    .command('logs <id>')
    .description("Print a run's log lines; with -f, follow them live until the run ends")
    .option('-f, --follow', 'keep printing new lines until the run ends; exit 0 only if it completed')
    .option('--limit <n>', 'without -f: at most this many lines (default 1000)', integer(1, 10_000))
    .option('--json', 'one JSON object per line ({run_id, seq, at, stream, line})')
    .addHelpText('after', examples('hookline runs logs run_01…', 'hookline runs logs run_01… -f', 'hookline runs logs run_01… --json | jq -r .line'))
    .action(async (id: string, o: { follow?: boolean; limit?: number; json?: boolean }, cmd: Command) => {
      const { client, settings } = connect(cmd);
      if (o.follow) return follow(client, settings, id, Boolean(o.json));
      const page = await client.runs.logs(id, { limit: o.limit ?? 1000 });
      page.items.forEach(printLine(Boolean(o.json)));
      if (!o.json && !page.items.length) note(`no log lines (run is ${page.run_status})`);
    });

  runs
    .command('cancel <id>')
    .description('Cancel a queued or running run')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline runs cancel run_01…'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const r = await client.runs.cancel(id);
      if (o.json) return printJson(r);
      say(`run ${r.id} is ${r.status}`);
    });
}

/** Polls the run (once a second) until it has ended. */
async function waitMore(client: Hookline, id: string): Promise<Run> {
  for (;;) {
    const r = await client.runs.get(id);
    if (hasEnded(r.status)) return r;
    await new Promise((res) => setTimeout(res, 1000));
  }
}
