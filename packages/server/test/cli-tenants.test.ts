/**
 * The CLI's tenants (docs/cli.md#orgs): `orgs` and `orgs envs`, keys limited to a tenant, the
 * global --org / --env (and HOOKLINE_ORG / HOOKLINE_ENV, and a profile's) sent as the tenant
 * headers, as real processes against a real Hookline on both stores.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseOf } from '../src/store/testing.js';
import { Cli } from './helpers/cli.js';
import { ADMIN_KEY, type Harness, STORES, startHookline } from './helpers/hookline.js';
import { assertCliBuilt } from './helpers/process.js';

/** Each step starts a node process; on a busy machine that takes seconds, and a test runs a dozen in turn. */
const SLOW_MS = 180_000;

describe.each(STORES)('hookline CLI: orgs, environments and the tenant it acts in (%s)', (kind) => {
  assertCliBuilt();
  let h: Harness;
  let home: string;
  const cli = (args: string[], extra: Record<string, string | undefined> = {}) =>
    new Cli(args, { HOME: home, HOOKLINE_URL: h.url, HOOKLINE_API_KEY: ADMIN_KEY, ...extra }).exited;
  const json = async (args: string[], extra: Record<string, string | undefined> = {}) => {
    const r = await cli([...args, '--json'], extra);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out);
  };
  /** The tenant an event published by these arguments landed in. */
  const publishedIn = async (args: string[], extra: Record<string, string | undefined> = {}) => {
    const { event } = await json([...args, 'events', 'publish', 'cli.where'], extra);
    return [event.org_id, event.env_id];
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'hookline-cli-tenants-'));
    h = await startHookline(kind);
  });
  afterAll(async () => {
    await h?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it(
    'orgs and orgs envs: create, list, get, update, delete (--confirm when it holds data)',
    async () => {
      const org = await json(['orgs', 'create', 'Acme CLI', '--env-name', 'live']);
      expect(org).toMatchObject({ id: expect.stringMatching(/^org_/), name: 'Acme CLI', envs: [{ name: 'live', default: true }] });
      const [listed, shown, nothing, notObject, staging] = await Promise.all([
        cli(['orgs', 'ls']),
        cli(['orgs', 'get', org.id]),
        cli(['orgs', 'update', org.id]),
        cli(['orgs', 'update', org.id, '--settings', '[1]']),
        json(['orgs', 'envs', 'create', org.id, 'staging']),
      ]);
      expect(listed.out).toMatch(/^ID\s+NAME\s+CREATED/);
      expect(listed.out).toMatch(new RegExp(`${org.id}\\s+Acme CLI`));
      expect(listed.out).toMatch(/org_default\s+\S.* \*/);
      expect(shown.out).toMatch(/name\s+Acme CLI/);
      expect(shown.out).toMatch(new RegExp(`${org.envs[0].id}\\s+live \\*`));
      expect([nothing.code, notObject.code]).toEqual([2, 2]);
      const updated = await json(['orgs', 'update', org.id, '--name', 'Acme CLI Inc', '--settings', '{"quotas":{"endpoints":2}}']);
      expect(updated).toMatchObject({ name: 'Acme CLI Inc', settings: { quotas: { endpoints: 2 } } });

      expect(staging).toMatchObject({ id: expect.stringMatching(/^env_/), org_id: org.id, name: 'staging' });
      const [envsJson, envsTable] = await Promise.all([json(['orgs', 'envs', 'ls', org.id]), cli(['orgs', 'envs', 'ls', org.id])]);
      expect(envsJson.items.map((e: any) => e.name)).toEqual(['live', 'staging']);
      expect(envsTable.out).toMatch(new RegExp(`${staging.id}\\s+staging\\s`));
      const emptyGone = await cli(['orgs', 'envs', 'rm', org.id, staging.id]);
      expect([emptyGone.code, emptyGone.out]).toEqual([0, `deleted environment ${staging.id}\n`]);
      expect((await cli(['orgs', 'envs', 'rm', org.id, staging.id])).code).toBe(3);

      // Data in it (written straight to the database: tenant-owned routes are scoped on other branches).
      const envId = org.envs[0].id;
      await sql`INSERT INTO inspector_bins (name, scheme, secret_enc, next_seq, created_at, env_id) VALUES (${`bin-${envId}`}, 'none', NULL, 0, 1, ${envId})`.execute(
        databaseOf(h.hl.store),
      );
      const refused = await cli(['orgs', 'rm', org.id]);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/\(confirmation_required\)\nhint: .*--confirm/);
      expect((await cli(['orgs', 'get', org.id])).code).toBe(0);
      const deleted = await cli(['orgs', 'delete', org.id, '--confirm']);
      expect([deleted.code, deleted.out]).toEqual([0, `deleted org ${org.id}\n`]);
      expect((await cli(['orgs', 'get', org.id])).code).toBe(3);
      const keep = await cli(['orgs', 'rm', 'org_default', '--confirm']);
      expect(keep.code).toBe(1);
      expect(keep.err).toContain('(default_tenant)');
    },
    SLOW_MS,
  );

  it(
    'keys create --org/--env mints a key limited to that tenant; it sees only its own, and the other answers 404 (exit 3)',
    async () => {
      const [a, b] = await Promise.all([json(['orgs', 'create', 'Tenant A']), json(['orgs', 'create', 'Tenant B'])]);
      const aEnv = a.envs[0].id;
      const [aKey, bKey, human] = await Promise.all([
        json(['keys', 'create', '--name', 'a-env', '--org', a.id, '--env', aEnv]),
        json(['keys', 'create', '--name', 'b-org', '--role', 'read'], { HOOKLINE_ORG: b.id }),
        cli(['keys', 'create', '--name', 'a-human', '--org', a.id]),
      ]);
      expect(aKey).toMatchObject({ org_id: a.id, env_id: aEnv, role: 'admin' });
      expect(bKey).toMatchObject({ org_id: b.id, env_id: null, role: 'read' });
      expect(human.out).toMatch(new RegExp(`role admin, limited to ${a.id};`));
      const keys = await cli(['keys', 'ls']);
      expect(keys.out).toMatch(/ROLE\s+LIMITED TO\s+STATUS/);
      expect(keys.out).toMatch(new RegExp(`admin\\s+${a.id} / ${aEnv}\\s+active`));
      expect(keys.out).toMatch(/admin\s+installation\s+active/);

      const asB = { HOOKLINE_API_KEY: bKey.key };
      const [bOrgs, bKeys] = await Promise.all([json(['orgs', 'ls'], asB), json(['keys', 'ls'], asB)]);
      expect(bOrgs.items.map((o: any) => o.id)).toEqual([b.id]);
      expect(bKeys.items.map((k: any) => k.id)).toEqual([bKey.id]);
      const others: [string[], Record<string, string>][] = [
        [['orgs', 'get', a.id], asB],
        [['orgs', 'envs', 'ls', a.id], asB],
        [['--env', aEnv, 'keys', 'ls'], asB],
        [['--org', a.id, 'orgs', 'ls'], asB],
        [['keys', 'ls'], { ...asB, HOOKLINE_ENV: aEnv }],
        // The environment key cannot mint a key wider than itself.
        [['keys', 'create', '--name', 'wider', '--org', a.id], { HOOKLINE_API_KEY: aKey.key }],
      ];
      const answers = await Promise.all(others.map(([args, env]) => cli(args, env)));
      answers.forEach((r, i) => {
        expect(r.code, `${others[i]![0].join(' ')}: ${r.err}`).toBe(3);
        expect(r.err).toContain('(not_found)');
      });
      expect((await cli(['orgs', 'create', 'mine'], { HOOKLINE_API_KEY: aKey.key })).code).toBe(4);
    },
    SLOW_MS,
  );

  it(
    '--org / --env, HOOKLINE_ORG / HOOKLINE_ENV and a profile saved by login --org --env pick the tenant each command acts in',
    async () => {
      const [a, b] = await Promise.all([json(['orgs', 'create', 'Acts A']), json(['orgs', 'create', 'Acts B'])]);
      const staging = await json(['orgs', 'envs', 'create', a.id, 'staging']);
      const bEnv = b.envs[0].id;

      const [none, byEnv, byOrg, byVariables, flagWins, unknown] = await Promise.all([
        publishedIn([]),
        publishedIn(['--env', staging.id]),
        publishedIn(['--org', a.id]),
        publishedIn([], { HOOKLINE_ORG: b.id, HOOKLINE_ENV: bEnv }),
        publishedIn(['--env', staging.id], { HOOKLINE_ENV: bEnv }),
        cli(['--env', 'env_nope', 'crews', 'ls']),
      ]);
      expect(none).toEqual(['org_default', 'env_default']);
      expect(byEnv).toEqual([a.id, staging.id]);
      expect(byOrg).toEqual([a.id, a.envs[0].id]);
      expect(byVariables).toEqual([b.id, bEnv]);
      expect(flagWins).toEqual([a.id, staging.id]);
      expect(unknown.code).toBe(3);
      expect(unknown.err).toContain('env_nope');

      // A profile remembers its tenant; flags naming either part replace the pair.
      const own = mkdtempSync(join(tmpdir(), 'hookline-cli-tenants-home-'));
      try {
        const noEnv = { HOME: own, HOOKLINE_URL: undefined, HOOKLINE_API_KEY: undefined };
        const [wrong, login] = await Promise.all([
          cli(['login', '--url', h.url, '--api-key', ADMIN_KEY, '--org', a.id, '--env', bEnv], noEnv),
          cli(['login', '--url', h.url, '--api-key', ADMIN_KEY, '--profile', 'acme', '--org', a.id, '--env', staging.id], noEnv),
        ]);
        expect(wrong.code).toBe(3); // verified against the server: no such tenant, so nothing saved
        expect(login.code, login.err).toBe(0);
        expect(login.out).toContain(`acting in ${a.id} / ${staging.id}`);
        const file = JSON.parse(readFileSync(join(own, '.config', 'hookline', 'config.json'), 'utf8'));
        expect(file.profiles.acme).toEqual({ url: h.url, api_key: ADMIN_KEY, org: a.id, env: staging.id });
        const [profiles, profilesTable, fromProfile, envFlag, orgVariable] = await Promise.all([
          json(['profiles'], noEnv),
          cli(['profiles'], noEnv),
          publishedIn([], noEnv),
          publishedIn(['--env', bEnv], noEnv),
          publishedIn([], { ...noEnv, HOOKLINE_ORG: b.id }),
        ]);
        expect(profiles).toEqual([{ name: 'acme', url: h.url, default: true, org: a.id, env: staging.id }]);
        expect(profilesTable.out).toMatch(new RegExp(`acme \\*\\s+${h.url.replace(/\./g, '\\.')}\\s+${a.id}\\s+${staging.id}`));
        expect(fromProfile).toEqual([a.id, staging.id]);
        expect(envFlag).toEqual([b.id, bEnv]);
        expect(orgVariable).toEqual([b.id, bEnv]);
      } finally {
        rmSync(own, { recursive: true, force: true });
      }
    },
    SLOW_MS,
  );

  it(
    'portal open needs --org and --env before it sends anything; orgs and portal --help have examples',
    async () => {
      const [missing, root, ...helps] = await Promise.all(
        [
          ['portal', 'open', '--org', 'org_default'],
          ['--help'],
          ['orgs', '--help'],
          ['orgs', 'envs', '--help'],
          ['portal', 'open', '--help'],
          ['keys', 'create', '--help'],
        ].map((args) => cli(args)),
      );
      expect(missing!.code).toBe(2);
      expect(missing!.err).toMatch(/--org and --env/);
      for (const r of helps) {
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/Examples:\n {2}\$ (npx )?hookline /);
      }
      expect(root!.out).toMatch(/--org <id>[\s\S]*Hookline-Org[\s\S]*--env <id>[\s\S]*Hookline-Env/);
    },
    SLOW_MS,
  );
});
