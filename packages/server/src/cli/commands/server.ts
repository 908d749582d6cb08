import { type Command, InvalidArgumentError, Option } from 'commander';
import { type AgentFilesReport } from '../../agents/index.js';
import type { HooklineConfig } from '../../config/index.js';
import type { ApiKeys, KeyRole } from '../../keys/index.js';
import { examples } from '../args.js';
import { connect, globals, tenantFlags } from '../client.js';
import { CliError, EXIT } from '../errors.js';
import { printJson, Progress, say, status, table, when } from '../output.js';

/** Set by `serve`: the process keeps running after its action returns. */
export const lifetime = { serving: false };

// The server's modules load only for the commands that are the server: client commands
// start in a fraction of the time without them.
async function config(opts: { config?: string; port?: number; host?: string; role?: string }): Promise<HooklineConfig> {
  const { loadConfig } = await import('../../load-config.js');
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

/** `serve` and `migrate`: this process is the server, configured by hookline.yaml and HOOKLINE_* variables. */
export function registerServer(program: Command): void {
  program
    .command('serve')
    .description('Run Hookline: the HTTP API and the delivery workers')
    .option('-p, --port <port>', 'API port (default 8787)', port)
    .option('--host <host>', 'API address (default 127.0.0.1)')
    .addOption(new Option('--role <role>', 'what this process does (scheduler: only fires cron ticks)').choices(['all', 'api', 'worker', 'scheduler']))
    .addHelpText(
      'after',
      examples(
        'npx hookline serve                                   # embedded SQLite in ./.hookline',
        'HOOKLINE_DATABASE_URL=postgres://localhost/hookline npx hookline serve --role worker',
      ),
    )
    .action(async (opts: { port?: number; host?: string; role?: string }, cmd: Command) => {
      const c = await config({ ...opts, config: globals(cmd).config });
      if (c.server.role !== 'all' && !c.database.url) {
        throw new CliError(
          `--role ${c.server.role} needs a shared PostgreSQL database`,
          EXIT.serveRole,
          'postgres_required',
          'set HOOKLINE_DATABASE_URL=postgres://… (the embedded SQLite store serves one process)',
        );
      }
      lifetime.serving = true;
      const { Hookline } = await import('../../app.js');
      // A reload re-reads the configuration for agents.default_runner (the rest needs a restart).
      const hl = await Hookline.create({ config: c, rereadConfig: () => config({ ...opts, config: globals(cmd).config }) });
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
      // The process lives until it is signalled. A worker has no listening socket, and its loops'
      // timers are unref'd: without this it would exit (code 0) as soon as its database
      // connections dropped, e.g. during a PostgreSQL restart.
      setInterval(() => {}, 2 ** 30);
      const store = c.database.url ? 'PostgreSQL' : `SQLite (${c.data_dir}/hookline.db)`;
      console.log(`Hookline ${address ? `listening on ${address}` : c.server.role} · store: ${store} · role: ${c.server.role}`);
      if (address) console.log(`API docs: ${address}/docs`);
      const printAgentFiles = (r: AgentFilesReport | undefined) => {
        if (!r) return;
        if (r.config_error) console.error(`hookline: configuration not re-read (agents.default_runner kept as it was): ${r.config_error}`);
        if (r.loaded.length || r.removed.length)
          console.log(`Agent files (${r.dir}): ${r.loaded.length} loaded${r.removed.length ? `, ${r.removed.length} removed` : ''}`);
        for (const e of r.errors)
          console.error(`hookline: ${e.path}${e.line ? `:${e.line}` : ''}: ${e.message} (this agent was not loaded; fix the file and send SIGHUP)`);
      };
      printAgentFiles(hl.agentFilesReport);
      reload = () => hl.reloadFiles().then(printAgentFiles, (err: Error) => console.error(`hookline: reloading agent files failed: ${err.message}`));
      if (firstKey) {
        console.log(
          `\nAdmin API key (shown once; store it now):\n\n  ${firstKey}\n\nUse it as: curl -H "Authorization: Bearer ${firstKey.slice(0, 12)}…" ${address ?? ''}/api/v1/webhooks/endpoints\n`,
        );
      }
    });

  program
    .command('migrate')
    .description('Create or upgrade the database schema, then exit')
    .addHelpText('after', examples('npx hookline migrate', 'HOOKLINE_DATABASE_URL=postgres://localhost/hookline npx hookline migrate'))
    .action(async (_o: unknown, cmd: Command) => {
      const c = await config({ config: globals(cmd).config });
      const { openStore, storeOptionsFromConfig } = await import('../../store/index.js');
      const bar = new Progress('migrating the database', 0);
      let applied: string[];
      try {
        const store = await openStore(storeOptionsFromConfig(c));
        try {
          applied = await store.migrate((done, total) => bar.set(done, total));
        } finally {
          await store.close();
        }
      } finally {
        bar.end();
      }
      say(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    });
}

/** True when `keys` should ask a server rather than open the database: --url, HOOKLINE_URL or --profile given. */
function viaServer(cmd: Command): boolean {
  const g = globals(cmd);
  return Boolean(g.url ?? process.env.HOOKLINE_URL ?? g.profile ?? process.env.HOOKLINE_PROFILE);
}

async function withKeys<T>(cmd: Command, fn: (k: ApiKeys) => Promise<T>): Promise<T> {
  const [{ openStore, storeOptionsFromConfig }, { ApiKeys }] = await Promise.all([import('../../store/index.js'), import('../../keys/index.js')]);
  const store = await openStore(storeOptionsFromConfig(await config({ config: globals(cmd).config })));
  try {
    await store.migrate();
    return await fn(new ApiKeys(store));
  } finally {
    await store.close();
  }
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  role: string;
  org_id: string | null;
  env_id: string | null;
  revoked_at: string | null;
  last_used_at?: string | null;
}

/** What a key is limited to: "org_… / env_…", "org_…", or '' for the whole installation. */
const scopeOf = (k: Pick<KeyRow, 'org_id' | 'env_id'>) => [k.org_id, k.env_id].filter(Boolean).join(' / ');

export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description('Manage API keys: on the database directly, or on a server with --url / HOOKLINE_URL / --profile')
    .addHelpText(
      'after',
      examples(
        "npx hookline keys create --name ci --role read          # this machine's database (no server needed)",
        'hookline keys ls --url https://hookline.example.com    # a running server (admin key needed)',
      ),
    );

  keys
    .command('create')
    .description('Mint an API key; it is printed once and stored only as a hash')
    .requiredOption('-n, --name <name>', 'what the key is for, e.g. "ci"')
    .addOption(new Option('--role <role>', 'admin can change things; read can only look').choices(['admin', 'read']).default('admin'))
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      examples('npx hookline keys create --name ci --role read', 'hookline keys create --name acme-ci --org org_01… --env env_01…   # limited to that tenant') +
        '\n\nThe global --org / --env (or HOOKLINE_ORG / HOOKLINE_ENV) limit the new key to that org or environment.',
    )
    .action(async (opts: { name: string; role: KeyRole; json?: boolean }, cmd: Command) => {
      const { org, env } = tenantFlags(globals(cmd));
      const k = viaServer(cmd)
        ? await connect(cmd).client.keys.create({ name: opts.name, role: opts.role, ...(org ? { org_id: org } : {}), ...(env ? { env_id: env } : {}) })
        : await withKeys(cmd, (api) => api.create(opts.name, opts.role, { orgId: org ?? null, envId: env ?? null }));
      if (opts.json) console.log(JSON.stringify(k));
      else console.log(`${k.key}\n\n(id ${k.id}, role ${k.role}${scopeOf(k) ? `, limited to ${scopeOf(k)}` : ''}; this is the only time the key is shown)`);
    });

  keys
    .command('list')
    .alias('ls')
    .description('List API keys (ids and prefixes, never the keys)')
    .option('--json', 'print JSON')
    .addHelpText('after', examples('npx hookline keys ls', 'hookline keys ls --url https://hookline.example.com --json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const server = viaServer(cmd);
      const list: KeyRow[] = server ? (await connect(cmd).client.keys.list()).items : await withKeys(cmd, (api) => api.list());
      if (opts.json) return server ? printJson({ items: list }) : console.log(JSON.stringify(list));
      if (!list.length) return console.log('no API keys yet; create one with: npx hookline keys create --name NAME');
      table(list, [
        { header: 'ID', value: (k) => k.id },
        { header: 'PREFIX', value: (k) => `${k.prefix}…` },
        { header: 'ROLE', value: (k) => k.role },
        { header: 'LIMITED TO', value: (k) => scopeOf(k) || 'installation' },
        { header: 'STATUS', value: (k) => status(k.revoked_at ? 'revoked' : 'active') },
        { header: 'LAST USED', value: (k) => when(k.last_used_at) },
        { header: 'NAME', value: (k) => k.name, flex: true },
      ]);
    });

  keys
    .command('revoke <id>')
    .description('Revoke an API key; it stops working at once')
    .addHelpText('after', examples('npx hookline keys revoke key_01…'))
    .action(async (id: string, _o: unknown, cmd: Command) => {
      if (viaServer(cmd)) await connect(cmd).client.keys.revoke(id);
      else await withKeys(cmd, (api) => api.revoke(id));
      console.log(`revoked ${id}`);
    });
}
