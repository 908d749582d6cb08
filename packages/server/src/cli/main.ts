import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { examples } from './args.js';
import { registerAgents } from './commands/agents.js';
import { registerCrews } from './commands/crews.js';
import { registerDeliveries } from './commands/deliveries.js';
import { registerEndpoints } from './commands/endpoints.js';
import { registerEvents } from './commands/events.js';
import { registerListen } from './commands/listen.js';
import { registerLogin } from './commands/login.js';
import { registerNotifications } from './commands/notifications.js';
import { registerOrgs, registerPortal } from './commands/orgs.js';
import { registerPostActions } from './commands/post-actions.js';
import { registerRuns } from './commands/runs.js';
import { lifetime, registerKeys, registerServer } from './commands/server.js';
import { registerVerify } from './commands/verify.js';
import { describeFailure, EXIT, EXIT_CODES_HELP } from './errors.js';
import { dim, red } from './output.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('hookline')
  .version(version, '-V, --version', 'print the version')
  .description(
    'Hookline: signed, retried, logged webhook delivery for AI-agent runs.\n\nserve, migrate and keys work on this machine; the other commands talk to a server.',
  )
  .option('-c, --config <file>', 'server configuration file for serve/migrate/keys (default: ./hookline.yaml when present)')
  .option('--url <url>', 'the Hookline server (env HOOKLINE_URL, or a profile)')
  .option('--api-key <key>', 'API key (env HOOKLINE_API_KEY, or a profile)')
  .option('--profile <name>', 'saved profile to use (env HOOKLINE_PROFILE; default: the default profile)')
  .option('--org <id>', "the org to act in, sent as Hookline-Org (env HOOKLINE_ORG, or a profile; default: the key's own)")
  .option('--env <id>', 'the environment to act in, sent as Hookline-Env (env HOOKLINE_ENV, or a profile)')
  // Errors are printed once, by the handler below, as "error: … (code)" plus a hint.
  .configureOutput({ outputError: () => undefined })
  .configureHelp({ showGlobalOptions: true })
  .exitOverride()
  .showHelpAfterError(false)
  .addHelpText(
    'after',
    `
Configuration (client commands):
  --url / --api-key beat HOOKLINE_URL / HOOKLINE_API_KEY, which beat the profile
  saved by \`hookline login\` in ~/.config/hookline/config.json (mode 0600).
  --org / --env (or HOOKLINE_ORG / HOOKLINE_ENV) name the tenant to act in; either one
  replaces the profile's org and env. Without any, the key's own tenant.
${EXIT_CODES_HELP}
${examples(
  'hookline login --url http://127.0.0.1:8787 --api-key hl_sk_…',
  'hookline endpoints create https://app.example.com/hooks --events "run.*"',
  'hookline runs trigger reviewer --prompt "Review PR #42" --follow',
  'hookline deliveries retry --failed',
  'hookline listen --forward-to http://localhost:3000/hooks',
  "hookline --env env_01… endpoints ls                  # another tenant's endpoints",
)}

Docs: docs/cli.md`,
  );

registerServer(program);
registerKeys(program);
registerLogin(program);
registerOrgs(program);
registerPortal(program);
registerCrews(program);
registerAgents(program);
registerRuns(program);
registerEndpoints(program);
registerEvents(program);
registerDeliveries(program);
registerPostActions(program);
registerNotifications(program);
registerVerify(program);
registerListen(program);

function fail(err: unknown): never {
  if (err instanceof CommanderError) {
    // --help and --version print and end successfully; everything else commander rejects is bad arguments.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(EXIT.ok);
    // `hookline help` asked for it (0); `hookline runs` without a subcommand is a usage error.
    if (err.code === 'commander.help') process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  const f = describeFailure(err);
  process.stderr.write(`${red(process.stderr, 'error:')} ${f.message} (${f.code})\n`);
  if (f.hint) process.stderr.write(dim(process.stderr, `hint: ${f.hint}`) + '\n');
  process.exit(f.exitCode);
}

program.parseAsync().then(() => {
  // Client commands end here even if a keep-alive socket lingers; `serve` keeps running.
  if (!lifetime.serving) process.exit(process.exitCode ?? EXIT.ok);
}, fail);
