import type { Command } from 'commander';
import { Hookline } from '@hookline/sdk';
import { examples, readStdin } from '../args.js';
import { checkUrl, globals, profileName, profilePath, readProfiles, tenantFlags, writeProfiles } from '../client.js';
import { usageError } from '../errors.js';
import { say, table } from '../output.js';

/** `login`, `logout`, `profiles`: the saved servers. The key is written to the 0600 file and never printed. */
export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('Save a server and API key as a profile (~/.config/hookline/config.json, mode 0600)')
    .option('--api-key-stdin', 'read the API key from stdin (keeps it out of the shell history and process list)')
    .option('--no-verify', 'save without checking the key against the server')
    .option('--default', 'make this profile the default')
    .addHelpText(
      'after',
      examples(
        'hookline login --url http://127.0.0.1:8787 --api-key hl_sk_…',
        'printf %s "$KEY" | hookline login --url https://hookline.example.com --api-key-stdin --profile prod',
        'hookline --profile prod runs ls',
        'hookline login --profile acme --url https://hookline.example.com --api-key hl_sk_… --org org_01… --env env_01…',
      ) +
        '\n\n--url, --api-key, --profile, --org and --env are the global options (see hookline --help); --org / --env are saved as the tenant the profile acts in.',
    )
    .action(async (o: { apiKeyStdin?: boolean; verify: boolean; default?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      if (!g.url)
        throw usageError('--url is required: the address of the Hookline server', 'e.g. hookline login --url http://127.0.0.1:8787 --api-key hl_sk_…');
      const url = checkUrl(g.url, '--url');
      const apiKey = o.apiKeyStdin ? (await readStdin()).trim() : (g.apiKey ?? process.env.HOOKLINE_API_KEY);
      if (!apiKey)
        throw usageError(
          'an API key is required: --api-key hl_sk_…, --api-key-stdin, or HOOKLINE_API_KEY',
          'create one on the server with: npx hookline keys create --name laptop',
        );
      const tenant = tenantFlags(g);
      if (o.verify) {
        // Any key may list keys; a wrong key, URL or tenant (404) fails here, not at the first real command.
        await new Hookline({ apiKey, baseUrl: url, timeoutMs: 15_000, maxRetries: 0, org: tenant.org ?? '', env: tenant.env ?? '' }).keys.list();
      }
      const file = readProfiles();
      const name = g.profile ?? process.env.HOOKLINE_PROFILE ?? file.default_profile ?? 'default';
      file.profiles[name] = { url, api_key: apiKey, ...(tenant.org ? { org: tenant.org } : {}), ...(tenant.env ? { env: tenant.env } : {}) };
      if (o.default || !file.default_profile) file.default_profile = name;
      writeProfiles(file);
      const where = [tenant.org, tenant.env].filter(Boolean).join(' / ');
      say(
        `saved profile "${name}" (${url}${where ? `, acting in ${where}` : ''}) to ${profilePath()}${file.default_profile === name ? ' as the default' : ''}`,
      );
    });

  program
    .command('logout')
    .description('Remove a saved profile (default: the current one)')
    .addHelpText('after', examples('hookline logout', 'hookline logout --profile prod'))
    .action((_o: unknown, cmd: Command) => {
      const file = readProfiles();
      const name = profileName(globals(cmd), file);
      if (!file.profiles[name]) return say(`no profile "${name}"; nothing to remove`);
      delete file.profiles[name];
      if (file.default_profile === name) delete file.default_profile;
      writeProfiles(file);
      say(`removed profile "${name}"`);
    });

  program
    .command('profiles')
    .description('List saved profiles (servers only; keys are never shown)')
    .option('--json', 'print [{name, url, default, org, env}]')
    .addHelpText('after', examples('hookline profiles'))
    .action((o: { json?: boolean }) => {
      const file = readProfiles();
      const rows = Object.entries(file.profiles).map(([name, p]) => ({
        name,
        url: p.url,
        default: file.default_profile === name,
        org: p.org ?? null,
        env: p.env ?? null,
      }));
      if (o.json) return say(JSON.stringify(rows, null, 2));
      if (!rows.length) return say('no profiles; save one with: hookline login --url … --api-key …');
      table(rows, [
        { header: 'NAME', value: (r) => `${r.name}${r.default ? ' *' : ''}` },
        { header: 'URL', value: (r) => r.url, flex: true },
        { header: 'ORG', value: (r) => r.org },
        { header: 'ENV', value: (r) => r.env },
      ]);
    });
}
