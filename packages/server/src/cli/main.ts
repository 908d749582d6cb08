import { Command, InvalidArgumentError, Option } from 'commander';
import { Hookline } from '../app.js';
import type { AgentFilesReport } from '../agents/agent-files.js';
import { ConfigError, loadConfig, type HooklineConfig } from '../config/index.js';
import { openStore, storeOptionsFromConfig } from '../store/index.js';
import { ApiKeys, type KeyRole } from '../keys/index.js';

/** Exit codes scripts can trust. */
const EXIT = { ok: 0, failure: 1, usage: 64, config: 78 } as const;

function config(opts: { config?: string; port?: number; host?: string; role?: string }): HooklineConfig {
  const server: Record<string, unknown> = {};
  if (opts.port !== undefined) server.port = opts.port;
  if (opts.host) server.host = opts.host;
  if (opts.role) server.role = opts.role;
  return loadConfig({ ...(opts.config ? { file: opts.config } : {}), overrides: Object.keys(server).length ? { server } : {} });
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number between 0 and 65535');
  return n;
}

const program = new Command('hookline')
  .description('Hookline: signed, retried, logged webhook delivery for AI-agent runs.')
  .option('-c, --config <file>', 'configuration file (default: ./hookline.yaml when present)')
  .showHelpAfterError('(run with --help for usage)');

program
  .command('serve')
  .description('Run Hookline: the HTTP API and the delivery workers')
  .option('-p, --port <port>', 'API port (default 8787)', port)
  .option('--host <host>', 'API address (default 127.0.0.1)')
  .addOption(new Option('--role <role>', 'what this process does (scheduler: only fires cron ticks)').choices(['all', 'api', 'worker', 'scheduler']))
  .addHelpText('after', `
Examples:
  $ npx hookline serve                                   # embedded SQLite in ./.hookline
  $ HOOKLINE_DATABASE_URL=postgres://localhost/hookline npx hookline serve --role worker`)
  .action(async (opts) => {
    const c = config({ ...program.opts(), ...opts });
    if (c.server.role !== 'all' && !c.database.url) {
      console.error(`hookline: --role ${c.server.role} needs a shared PostgreSQL database; set HOOKLINE_DATABASE_URL=postgres://… (the embedded SQLite store serves one process).`);
      process.exit(EXIT.usage);
    }
    const hl = await Hookline.create({ config: c });
    // Installed before anything is announced, so a supervisor that signals as soon as it
    // sees the "listening" line still gets a graceful stop.
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) process.exit(EXIT.failure);
      stopping = true;
      hl.log.info({ signal }, 'stopping: finishing open deliveries (signal again to force)');
      await hl.stop();
      process.exit(EXIT.ok);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    // SIGHUP re-reads the AGENT.md files, as daemons conventionally reload their configuration.
    // Handled from the start (its default action would kill the process); acted on once started.
    let reload = (): unknown => undefined;
    process.on('SIGHUP', () => void reload());
    const firstKey = await hl.bootstrapAdminKey();
    const address = await hl.start();
    const store = c.database.url ? 'PostgreSQL' : `SQLite (${c.data_dir}/hookline.db)`;
    console.log(`Hookline ${address ? `listening on ${address}` : c.server.role} · store: ${store} · role: ${c.server.role}`);
    if (address) console.log(`API docs: ${address}/docs`);
    const printAgentFiles = (r: AgentFilesReport | undefined) => {
      if (!r) return;
      if (r.loaded.length || r.removed.length) console.log(`Agent files (${r.dir}): ${r.loaded.length} loaded${r.removed.length ? `, ${r.removed.length} removed` : ''}`);
      for (const e of r.errors) console.error(`hookline: ${e.path}${e.line ? `:${e.line}` : ''}: ${e.message} (this agent was not loaded; fix the file and send SIGHUP)`);
    };
    printAgentFiles(hl.agentFilesReport);
    reload = () => hl.reloadFiles().then(printAgentFiles, (err: Error) => console.error(`hookline: reloading agent files failed: ${err.message}`));
    if (firstKey) {
      console.log(`\nAdmin API key (shown once; store it now):\n\n  ${firstKey}\n\nUse it as: curl -H "Authorization: Bearer ${firstKey.slice(0, 12)}…" ${address ?? ''}/api/v1/webhooks/endpoints\n`);
    }
  });

program
  .command('migrate')
  .description('Create or upgrade the database schema, then exit')
  .action(async () => {
    const c = config(program.opts());
    const store = await openStore(storeOptionsFromConfig(c));
    try {
      const applied = await store.migrate();
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await store.close();
    }
  });

const keys = program.command('keys').description('Manage API keys (works on the database directly)');

async function withKeys<T>(fn: (k: ApiKeys) => Promise<T>): Promise<T> {
  const store = await openStore(storeOptionsFromConfig(config(program.opts())));
  try {
    await store.migrate();
    return await fn(new ApiKeys(store));
  } finally {
    await store.close();
  }
}

keys
  .command('create')
  .description('Mint an API key; it is printed once and stored only as a hash')
  .requiredOption('-n, --name <name>', 'what the key is for, e.g. "ci"')
  .addOption(new Option('--role <role>', 'admin can change things; read can only look').choices(['admin', 'read']).default('admin'))
  .option('--json', 'print JSON')
  .addHelpText('after', '\nExample:\n  $ npx hookline keys create --name ci --role read')
  .action(async (opts: { name: string; role: KeyRole; json?: boolean }) => {
    const k = await withKeys((api) => api.create(opts.name, opts.role));
    if (opts.json) console.log(JSON.stringify(k));
    else console.log(`${k.key}\n\n(id ${k.id}, role ${k.role}; this is the only time the key is shown)`);
  });

keys
  .command('list')
  .description('List API keys (ids and prefixes, never the keys)')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const list = await withKeys((api) => api.list());
    if (opts.json) return console.log(JSON.stringify(list));
    if (!list.length) return console.log('no API keys yet; create one with: npx hookline keys create --name NAME');
    for (const k of list) console.log(`${k.id}  ${k.prefix}…  ${k.role.padEnd(5)}  ${k.revoked_at ? 'revoked' : 'active '}  ${k.name}`);
  });

keys
  .command('revoke <id>')
  .description('Revoke an API key; it stops working at once')
  .action(async (id: string) => {
    await withKeys((api) => api.revoke(id));
    console.log(`revoked ${id}`);
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`hookline: ${err.message}`);
    process.exit(EXIT.config);
  }
  const e = err as Error & { code?: string };
  if (e.name === 'UserError') {
    console.error(`hookline: ${e.message}`);
    process.exit(EXIT.failure);
  }
  if (e.code === 'EADDRINUSE') {
    console.error(`hookline: the port is already in use. Stop the other process or pick another port with --port.`);
    process.exit(EXIT.failure);
  }
  if (e.code === 'ECONNREFUSED') {
    console.error(`hookline: cannot reach the database (${e.message}). Is PostgreSQL running and HOOKLINE_DATABASE_URL right?`);
    process.exit(EXIT.failure);
  }
  console.error(`hookline: ${e.message ?? String(err)}`);
  process.exit(EXIT.failure);
});
