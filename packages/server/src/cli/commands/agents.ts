import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { HooklineApiError } from '@hookline/sdk';
import { examples, integer, jsonValue, listing, pageParams, type PageOpts, repeat, seconds, textOrFile } from '../args.js';
import { connect } from '../client.js';
import { usageError } from '../errors.js';
import { bold, details, note, pageNote, printJson, say, table, when } from '../output.js';

interface CreateOpts {
  file?: string;
  id?: string;
  crew?: string;
  name?: string;
  description?: string;
  runner?: string;
  command?: string;
  arg?: string[];
  runnerConfig?: string;
  prompt?: string;
  timeout?: number;
  maxConcurrent?: number;
  model?: string;
  json?: boolean;
}

/** The create body from an AGENT.md (as the server would load it) or from flags. */
async function agentBody(o: CreateOpts): Promise<{ body: Record<string, unknown>; crewName?: string | undefined }> {
  if (o.file) {
    const path = resolve(o.file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw usageError(`--file: cannot read ${o.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    // The parser (YAML, the config's ${VAR} substitution) loads only when a file is given.
    const { AgentFileError, agentSettings, parseAgentFile } = await import('../../agents/index.js');
    try {
      const def = parseAgentFile(path, text);
      if (def.webhook_secret) note("note: webhook_secret in the file is not sent; the server generates the agent's secret (printed below, once)");
      const body: Record<string, unknown> = {
        id: o.id ?? def.id,
        crew_id: o.crew ?? def.crew_id,
        ...agentSettings(def),
        ...(def.notifications ? { notifications: def.notifications } : {}),
      };
      return { body, crewName: def.crew_name };
    } catch (err) {
      if (err instanceof AgentFileError) throw usageError(err.toString(), 'fix the file; docs/agent-files.md lists the fields');
      throw err;
    }
  }
  if (!o.crew || !o.name)
    throw usageError('give --file AGENT.md, or at least --crew and --name (and --command or --runner-config)', 'hookline agents create --help shows both ways');
  const runner = o.runner ?? 'command';
  let runnerConfig: unknown;
  if (o.runnerConfig) runnerConfig = await jsonValue(o.runnerConfig, '--runner-config');
  else if (o.command) runnerConfig = { command: o.command, ...(o.arg?.length ? { args: o.arg } : {}) };
  else throw usageError('say how the agent runs: --command <program> [--arg …], or --runner-config <json|@file>', 'e.g. --command claude --arg -p');
  return {
    body: {
      crew_id: o.crew,
      name: o.name,
      runner,
      runner_config: runnerConfig,
      ...(o.id ? { id: o.id } : {}),
      ...(o.description !== undefined ? { description: o.description } : {}),
      ...(o.prompt !== undefined ? { prompt_template: textOrFile(o.prompt, '--prompt') } : {}),
      ...(o.timeout !== undefined ? { timeout_seconds: o.timeout } : {}),
      ...(o.maxConcurrent !== undefined ? { max_concurrent_runs: o.maxConcurrent } : {}),
      ...(o.model !== undefined ? { model: o.model } : {}),
    },
  };
}

export function registerAgents(program: Command): void {
  const agents = program
    .command('agents')
    .description('Agents: what runs, and how it is triggered')
    .addHelpText('after', examples('hookline agents ls --crew acme', 'hookline agents create --file agents/reviewer/AGENT.md', 'hookline agents get reviewer'));

  listing(agents.command('ls').alias('list').description('List agents'), 'agents')
    .option('--crew <id>', "only this crew's agents")
    .addHelpText('after', examples('hookline agents ls', 'hookline agents ls --crew acme --json'))
    .action(async (o: PageOpts & { crew?: string; json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const page = await client.agents.list({ ...pageParams(o), ...(o.crew ? { crew_id: o.crew } : {}) });
      if (o.json) return printJson(page);
      if (!page.items.length) return say('no agents yet; create one with: hookline agents create --file AGENT.md');
      table(page.items, [
        { header: 'ID', value: (a) => a.id },
        { header: 'CREW', value: (a) => a.crew_id },
        { header: 'NAME', value: (a) => a.name, flex: true },
        { header: 'RUNNER', value: (a) => a.runner },
        { header: 'SOURCE', value: (a) => a.source },
        { header: 'TRIGGER URL', value: (a) => a.trigger_url, flex: true },
      ]);
      pageNote(page, 'agents');
    });

  agents
    .command('get <id>')
    .description('Show one agent')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline agents get reviewer'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const a = await client.agents.get(id);
      if (o.json) return printJson(a);
      details([
        ['id', a.id],
        ['name', a.name],
        ['crew', a.crew_id],
        ['description', a.description],
        ['runner', a.runner],
        ['runner_config', a.runner_config],
        ['model', a.model],
        ['timeout', `${a.timeout_seconds} s`],
        ['max concurrent', a.max_concurrent_runs],
        ['rate limit', a.rate_limit_per_minute === null ? null : `${a.rate_limit_per_minute}/min`],
        ['trigger url', a.trigger_url],
        ['callback', a.callback_url],
        ['notifications', a.notifications],
        ['source', a.source_path ? `${a.source} (${a.source_path})` : a.source],
        ['created', when(a.created_at)],
        ['updated', when(a.updated_at)],
      ]);
      if (a.prompt_template) say(`\n${bold(process.stdout, 'prompt template')}\n${a.prompt_template}`);
    });

  agents
    .command('create')
    .description('Create an agent from an AGENT.md file or from flags; prints its trigger secret once')
    .option('-f, --file <AGENT.md>', 'an agent file (YAML front matter + prompt, as in agents/<name>/AGENT.md)')
    .option('--id <id>', "its id (default: the file's id or folder; else generated)")
    .option('--crew <id>', "crew id (with --file: overrides the file's crew; a missing crew is created)")
    .option('--name <name>', 'display name')
    .option('--description <text>', 'what it does')
    .addOption(new Option('--runner <kind>', 'how it runs').choices(['command', 'http', 'openai']))
    .option('--command <program>', 'command runner: the program to run (the prompt arrives on stdin)')
    .option('--arg <arg>', 'command runner: an argument (repeatable)', repeat)
    .option('--runner-config <json>', "the runner's settings as JSON, @file or - for stdin")
    .option('--prompt <text>', 'prompt template put before every trigger payload (@file reads a file)')
    .option('--timeout <duration>', 'run timeout: seconds or 90s, 15m, 2h (default 10m)', seconds)
    .option('--max-concurrent <n>', 'runs at once; more wait in the queue (default 1)', integer(1, 1000))
    .option('--model <label>', 'model label')
    .option('--json', "print the API's JSON (includes webhook_secret)")
    .addHelpText(
      'after',
      examples(
        'hookline agents create --file agents/reviewer/AGENT.md',
        'hookline agents create --crew acme --name Reviewer --id reviewer --command claude --arg -p --prompt @prompt.md',
        'hookline agents create --crew acme --name Bot --runner http --runner-config \'{"url":"https://bot.example/run"}\'',
      ),
    )
    .action(async (o: CreateOpts, cmd: Command) => {
      const { body, crewName } = await agentBody(o);
      const { client } = connect(cmd);
      // As the server does for files: a missing crew is created (named as the file says).
      if (o.file) {
        const crewId = String(body.crew_id);
        try {
          await client.crews.get(crewId);
        } catch (err) {
          if (!(err instanceof HooklineApiError && err.status === 404)) throw err;
          await client.crews.create({ id: crewId, name: crewName ?? crewId });
          note(`created crew ${crewId}`);
        }
      }
      const a = await client.agents.create(body as never);
      if (o.json) return printJson(a);
      say(`created agent ${a.id} in crew ${a.crew_id}`);
      say(`trigger URL:    ${a.trigger_url}`);
      say(`webhook secret: ${a.webhook_secret}`);
      say('(the secret is shown only now; sign trigger requests with it: X-Signature = hex HMAC-SHA256 of the body)');
    });

  agents
    .command('rm <id>')
    .alias('delete')
    .description('Delete an agent (its runs stay)')
    .addHelpText('after', examples('hookline agents rm reviewer'))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { client } = connect(cmd);
      await client.agents.delete(id);
      say(`deleted agent ${id}`);
    });

  agents
    .command('rotate-secret <id>')
    .description("Replace the agent's trigger secret; the old one stops working at once")
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline agents rotate-secret reviewer'))
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const r = await client.agents.rotateWebhookSecret(id);
      if (o.json) return printJson(r);
      say(`new webhook secret for ${id}: ${(r as { webhook_secret: string }).webhook_secret}`);
      say('(shown only now; the old secret no longer works)');
    });
}
