import type { Command } from 'commander';
import type { Environment, Org, OrgSettings } from '@hookline/sdk';
import { examples, jsonValue, list } from '../args.js';
import { connect } from '../client.js';
import { usageError } from '../errors.js';
import { details, note, printJson, say, table, when } from '../output.js';

function showOrg(org: Org): void {
  details([
    ['id', org.id],
    ['name', org.name],
    ['default', org.default ? 'yes (the installation default)' : 'no'],
    ['settings', Object.keys(org.settings).length ? org.settings : null],
    ['created', when(org.created_at)],
    ['updated', when(org.updated_at)],
  ]);
}

function envTable(envs: Environment[]): void {
  table(envs, [
    { header: 'ID', value: (e) => e.id },
    { header: 'NAME', value: (e) => `${e.name}${e.default ? ' *' : ''}` },
    { header: 'CREATED', value: (e) => when(e.created_at) },
  ]);
}

/** `--settings` as the object the API takes (exit 2 when it is not one). */
async function settingsFlag(raw: string | undefined): Promise<{ settings?: OrgSettings }> {
  if (raw === undefined) return {};
  const value = await jsonValue(raw, '--settings');
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw usageError('--settings must be a JSON object', `e.g. --settings '{"quotas":{"endpoints":10}}'`);
  return { settings: value as OrgSettings };
}

/** `orgs` and `orgs envs`: the tenants of a server (docs/tenants.md). */
export function registerOrgs(program: Command): void {
  const orgs = program
    .command('orgs')
    .description('Orgs (tenants) and their environments; act in one with --org / --env')
    .addHelpText(
      'after',
      examples(
        'hookline orgs create "Acme" --env-name production',
        'hookline orgs envs create org_01… staging',
        'hookline keys create --name acme-ci --org org_01… --env env_01…',
        'hookline --env env_01… endpoints ls',
        'hookline orgs rm org_01… --confirm',
      ),
    );

  orgs
    .command('ls')
    .alias('list')
    .description('List the orgs this key can see')
    .option('--json', "print the API's JSON")
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const page = await client.orgs.list();
      if (o.json) return printJson({ items: page.items });
      table(page.items, [
        { header: 'ID', value: (org) => org.id },
        { header: 'NAME', value: (org) => `${org.name}${org.default ? ' *' : ''}`, flex: true },
        { header: 'CREATED', value: (org) => when(org.created_at) },
      ]);
    });

  orgs
    .command('create <name>')
    .description('Create an org with its first environment (installation keys only)')
    .option('--env-name <name>', 'name of its first environment (default: production)')
    .option('--settings <json>', 'retention, quotas, portal_origins, brand: JSON, @file or - for stdin')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline orgs create "Acme" --env-name live', `hookline orgs create "Acme" --settings '{"quotas":{"endpoints":10}}'`))
    .action(async (name: string, o: { envName?: string; settings?: string; json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const org = await client.orgs.create({ name, ...(o.envName ? { env_name: o.envName } : {}), ...(await settingsFlag(o.settings)) });
      if (o.json) return printJson(org);
      const env = org.envs[0]!;
      say(`created org ${org.id} (${org.name}) with environment ${env.id} (${env.name})`);
      say(`act in it with: hookline --org ${org.id} --env ${env.id} <command>`);
    });

  orgs
    .command('get <org>')
    .alias('show')
    .description('Show an org and its environments')
    .option('--json', "print the API's JSON (the org only)")
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const { client } = connect(cmd);
      const org = await client.orgs.get(id);
      if (o.json) return printJson(org);
      showOrg(org);
      say();
      envTable((await client.orgs.envs.list(id)).items);
    });

  orgs
    .command('update <org>')
    .description('Rename an org or replace its settings')
    .option('--name <name>', 'its new name')
    .option('--settings <json>', 'replaces every setting: JSON, @file or - for stdin')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('hookline orgs update org_01… --name "Acme Inc"', `hookline orgs update org_01… --settings '{"brand":{"color":"#1f6feb"}}'`))
    .action(async (id: string, o: { name?: string; settings?: string; json?: boolean }, cmd: Command) => {
      const body = { ...(o.name !== undefined ? { name: o.name } : {}), ...(await settingsFlag(o.settings)) };
      if (!Object.keys(body).length) throw usageError('nothing to change', 'pass --name and/or --settings');
      const org = await connect(cmd).client.orgs.update(id, body);
      if (o.json) return printJson(org);
      showOrg(org);
    });

  orgs
    .command('rm <org>')
    .alias('delete')
    .description('Delete an org and erase everything in it (installation keys only)')
    .option('--confirm', 'needed when it holds data: everything in it is erased')
    .addHelpText('after', examples('hookline orgs rm org_01…', 'hookline orgs rm org_01… --confirm'))
    .action(async (id: string, o: { confirm?: boolean }, cmd: Command) => {
      await connect(cmd).client.orgs.delete(id, o.confirm ? { confirm: id } : {});
      say(`deleted org ${id}`);
    });

  const envs = orgs
    .command('envs')
    .description("An org's environments")
    .addHelpText(
      'after',
      examples('hookline orgs envs ls org_01…', 'hookline orgs envs create org_01… staging', 'hookline orgs envs rm org_01… env_01… --confirm'),
    );

  envs
    .command('ls <org>')
    .alias('list')
    .description("List an org's environments")
    .option('--json', "print the API's JSON")
    .action(async (orgId: string, o: { json?: boolean }, cmd: Command) => {
      const page = await connect(cmd).client.orgs.envs.list(orgId);
      if (o.json) return printJson({ items: page.items });
      envTable(page.items);
    });

  envs
    .command('create <org> <name>')
    .description('Create an environment')
    .option('--json', "print the API's JSON")
    .action(async (orgId: string, name: string, o: { json?: boolean }, cmd: Command) => {
      const env = await connect(cmd).client.orgs.envs.create(orgId, { name });
      if (o.json) return printJson(env);
      say(`created environment ${env.id} (${env.name}) in ${orgId}`);
    });

  envs
    .command('rm <org> <env>')
    .alias('delete')
    .description('Delete an environment and erase everything in it')
    .option('--confirm', 'needed when it holds data: everything in it is erased')
    .action(async (orgId: string, envId: string, o: { confirm?: boolean }, cmd: Command) => {
      await connect(cmd).client.orgs.envs.delete(orgId, envId, o.confirm ? { confirm: envId } : {});
      say(`deleted environment ${envId}`);
    });
}

/** `portal open`: a customer portal link for one tenant (docs/portal.md). */
export function registerPortal(program: Command): void {
  const portal = program.command('portal').description("The customer portal: a short-lived link to one tenant's endpoints");
  portal
    .command('open')
    .description('Create a portal session for --org and --env and print its URL')
    .option('--event-types <types>', 'event type patterns the customer may subscribe to (comma-separated, repeatable)', list)
    .option('--read-only', 'the customer may look but change nothing')
    .option('--ttl <duration>', 'how long the link works, e.g. 30m or 4h (server default 1h, at most 24h)')
    .option('--json', "print the API's JSON (url, token, expires_at)")
    .addHelpText(
      'after',
      examples('hookline portal open --org org_01… --env env_01…', 'hookline portal open --org org_01… --env env_01… --read-only --ttl 15m'),
    )
    .action(async (o: { eventTypes?: string[]; readOnly?: boolean; ttl?: string; json?: boolean }, cmd: Command) => {
      const { client, settings } = connect(cmd);
      const { org, env } = settings;
      if (!org || !env)
        throw usageError(
          'portal open needs the tenant: --org and --env (or HOOKLINE_ORG and HOOKLINE_ENV, or a profile)',
          'hookline orgs envs ls <org> lists the ids',
        );
      const session = await client.portal.createSession({
        org_id: org,
        env_id: env,
        ...(o.eventTypes ? { event_types: o.eventTypes } : {}),
        ...(o.readOnly ? { read_only: true } : {}),
        ...(o.ttl ? { ttl: o.ttl } : {}),
      });
      if (o.json) return printJson(session);
      say(session.url);
      note(`(works until ${when(session.expires_at)}; anyone with the link can use it)`);
    });
}
