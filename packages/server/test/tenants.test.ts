/**
 * Orgs and environments over both stores (docs/tenants.md): the default tenant written at
 * first start and given the rows of before, the orgs and envs API, keys limited to an org or
 * an environment, and how a request names its tenant. What a scoped key sees of each resource
 * is in the tenant-isolation tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/index.js';
import { databaseOf } from '../src/store/testing.js';
import { TenantAdmin } from '../src/tenants/index.js';
import { ManualClock } from '../src/util/clock.js';
import { ADMIN_KEY, answerOf, type Harness, STORES, startHookline, type StoreKind } from './helpers/hookline.js';
import { createTestSchema, TEST_DATABASE_URL } from './helpers/postgres.js';

/** A store of `kind` on a fresh, migrated database, and how to give it back. */
async function freshStore(kind: StoreKind): Promise<{ store: Store; close: () => Promise<void> }> {
  if (kind === 'postgres') {
    const pg = await createTestSchema();
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema: pg.schema, applicationName: pg.applicationName, poolSize: 2 });
    return {
      store,
      close: async () => {
        await store.close();
        await pg.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'hookline-tenants-'));
  const store = await openStore({ sqlitePath: join(dir, 'h.db') });
  await store.migrate();
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each(STORES)('the default tenant (%s)', (kind) => {
  it('is written at first start from org_id/env_id and given the rows stored before tenants existed; later starts keep it', async () => {
    const { store, close } = await freshStore(kind);
    try {
      const db = databaseOf(store);
      // Rows as a database of before tenants holds them: env_id ''.
      await sql`INSERT INTO inspector_bins (name, scheme, secret_enc, next_seq, created_at) VALUES ('old-bin', 'none', NULL, 0, 1)`.execute(db);
      await sql`INSERT INTO event_types (type, first_published_at) VALUES ('order.paid', 1)`.execute(db);
      const clock = new ManualClock(Date.UTC(2026, 11, 1));
      const tenant = await new TenantAdmin({ store, clock }).ensureDefault('org_acme', 'env_production');
      expect(tenant).toEqual({ orgId: 'org_acme', envId: 'env_production' });
      const bin = await sql<{ env_id: string }>`SELECT env_id FROM inspector_bins WHERE name = 'old-bin'`.execute(db);
      expect(bin.rows[0]!.env_id).toBe('env_production');
      const types = await sql<{ env_id: string }>`SELECT env_id FROM event_types WHERE type = 'order.paid'`.execute(db);
      expect(types.rows.map((r) => r.env_id)).toEqual(['env_production']);
      expect(await store.tenants.defaultTenant()).toMatchObject({
        org: { id: 'org_acme', is_default: true },
        env: { id: 'env_production', org_id: 'org_acme' },
      });

      // A second start, even with other ids configured, keeps the stored default and touches no row.
      await sql`INSERT INTO inspector_bins (name, scheme, secret_enc, next_seq, created_at) VALUES ('later-bin', 'none', NULL, 0, 2)`.execute(db);
      const again = await new TenantAdmin({ store, clock }).ensureDefault('org_other', 'env_other');
      expect(again).toEqual({ orgId: 'org_acme', envId: 'env_production' });
      expect((await store.tenants.listOrgs()).map((org) => org.id)).toEqual(['org_acme']);
      const later = await sql<{ env_id: string }>`SELECT env_id FROM inspector_bins WHERE name = 'later-bin'`.execute(db);
      expect(later.rows[0]!.env_id).toBe('');
    } finally {
      await close();
    }
  });
});

describe.each(STORES)('orgs, environments and scoped keys (%s)', (kind) => {
  let h: Harness;
  /** A request with any key and tenant headers. */
  const as = async (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    answerOf(
      await fetch(h.url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
  const mintKey = async (body: Record<string, unknown>, by?: string) => {
    const res = by ? await as(by, 'POST', '/api/v1/keys', body) : await h.call('POST', '/api/v1/keys', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.key as string;
  };

  beforeAll(async () => {
    h = await startHookline(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists the default org and its environment, named by the configuration', async () => {
    const orgs = await h.call('GET', '/api/v1/orgs');
    expect(orgs.status).toBe(200);
    expect(orgs.body.items).toEqual([expect.objectContaining({ id: 'org_default', default: true, settings: {} })]);
    const envs = await h.call('GET', '/api/v1/orgs/org_default/envs');
    expect(envs.body.items).toEqual([expect.objectContaining({ id: 'env_default', org_id: 'org_default', default: true })]);
  });

  it('creates, reads, changes and lists orgs and environments, with clear errors for bad input', async () => {
    const created = await h.call('POST', '/api/v1/orgs', { name: 'Acme' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^org_/), name: 'Acme', default: false, envs: [{ name: 'production', default: true }] });
    const orgId = created.body.id;
    expect((await h.call('GET', `/api/v1/orgs/${orgId}`)).body).toMatchObject({ id: orgId, name: 'Acme' });

    const settings = { retention: { events: '7d' }, quotas: { endpoints: 5 }, portal_origins: ['https://app.acme.test'], brand: { color: '#112233' } };
    const patched = await h.call('PATCH', `/api/v1/orgs/${orgId}`, { name: 'Acme Inc', settings });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Acme Inc', settings });
    for (const bad of [
      { portal_origins: ['javascript:alert(1)'] },
      { brand: { color: 'red; background:url(x)' } },
      { quotas: { endpoints: -1 } },
      { retention: { events: 'soon' } },
    ]) {
      const res = await h.call('PATCH', `/api/v1/orgs/${orgId}`, { settings: bad });
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await h.call('GET', `/api/v1/orgs/${orgId}`)).body.settings).toEqual(settings); // the refused patches changed nothing

    const staging = await h.call('POST', `/api/v1/orgs/${orgId}/envs`, { name: 'staging' });
    expect(staging.status).toBe(201);
    expect(staging.body).toMatchObject({ id: expect.stringMatching(/^env_/), org_id: orgId, name: 'staging', default: false });
    const twice = await h.call('POST', `/api/v1/orgs/${orgId}/envs`, { name: 'staging' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('conflict');
    expect((await h.call('GET', `/api/v1/orgs/${orgId}/envs`)).body.items.map((env: any) => env.name)).toEqual(['production', 'staging']);
    expect((await h.call('GET', `/api/v1/orgs/${orgId}/envs/${staging.body.id}`)).body.name).toBe('staging');
    expect((await h.call('GET', `/api/v1/orgs/org_default/envs/${staging.body.id}`)).status).toBe(404); // not that org's
    expect((await h.call('GET', '/api/v1/orgs/org_nope')).status).toBe(404);
  });

  it('a key limited to an org or an environment sees only its own tenant, and another answers 404', async () => {
    const acme = (await h.call('POST', '/api/v1/orgs', { name: 'Acme keys' })).body;
    const globex = (await h.call('POST', '/api/v1/orgs', { name: 'Globex keys' })).body;
    const acmeKey = await mintKey({ name: 'acme', org_id: acme.id });
    const acmeEnvKey = await mintKey({ name: 'acme prod', org_id: acme.id, env_id: acme.envs[0].id });
    const globexKey = await mintKey({ name: 'globex', org_id: globex.id });

    expect((await as(acmeKey, 'GET', '/api/v1/orgs')).body.items.map((org: any) => org.id)).toEqual([acme.id]);
    for (const key of [acmeKey, acmeEnvKey]) {
      for (const [method, path, body] of [
        ['GET', `/api/v1/orgs/${globex.id}`],
        ['PATCH', `/api/v1/orgs/${globex.id}`, { name: 'taken over' }],
        ['GET', `/api/v1/orgs/${globex.id}/envs`],
        ['GET', `/api/v1/orgs/${globex.id}/envs/${globex.envs[0].id}`],
        ['POST', `/api/v1/orgs/${globex.id}/envs`, { name: 'mine' }],
        ['GET', '/api/v1/orgs/org_default'],
      ] as const) {
        const res = await as(key, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    }
    expect((await h.call('GET', `/api/v1/orgs/${globex.id}`)).body.name).toBe('Globex keys');

    // Keys: minted only inside the minting key's tenant; listed only there; revoked only there.
    expect((await as(acmeKey, 'POST', '/api/v1/keys', { name: 'x', org_id: globex.id })).status).toBe(404);
    expect((await as(acmeKey, 'POST', '/api/v1/keys', { name: 'x' })).status).toBe(404); // an installation key from an org key
    expect((await as(acmeEnvKey, 'POST', '/api/v1/keys', { name: 'x', org_id: acme.id })).status).toBe(404); // wider than itself
    expect((await as(acmeKey, 'POST', '/api/v1/keys', { name: 'x', org_id: acme.id, env_id: globex.envs[0].id })).status).toBe(404);
    const noOrg = await h.call('POST', '/api/v1/keys', { name: 'x', env_id: acme.envs[0].id });
    expect(noOrg.status).toBe(422);
    expect(noOrg.body.error.message).toContain('org_id');
    const minted = await as(acmeKey, 'POST', '/api/v1/keys', { name: 'acme read', role: 'read', org_id: acme.id });
    expect(minted.status).toBe(201);
    expect(minted.body).toMatchObject({ org_id: acme.id, env_id: null, role: 'read' });
    const listed = (await as(acmeKey, 'GET', '/api/v1/keys')).body.items;
    expect(new Set(listed.map((key: any) => key.org_id))).toEqual(new Set([acme.id]));
    const globexKeyId = (await as(globexKey, 'GET', '/api/v1/keys')).body.items[0].id;
    expect((await as(acmeKey, 'DELETE', `/api/v1/keys/${globexKeyId}`)).status).toBe(404);
    expect((await as(globexKey, 'GET', '/api/v1/orgs')).status).toBe(200); // still live

    // Only the installation creates and deletes orgs; an environment key changes no org.
    expect((await as(acmeKey, 'POST', '/api/v1/orgs', { name: 'mine' })).status).toBe(403);
    expect((await as(acmeKey, 'DELETE', `/api/v1/orgs/${acme.id}`)).status).toBe(403);
    expect((await as(acmeEnvKey, 'PATCH', `/api/v1/orgs/${acme.id}`, { name: 'x' })).status).toBe(403);
    expect((await as(acmeKey, 'PATCH', `/api/v1/orgs/${acme.id}`, { name: 'Acme renamed' })).status).toBe(200);
  });

  it('routes that act on the installation itself refuse a scoped key with 403, whatever its tenant', async () => {
    const org = (await h.call('POST', '/api/v1/orgs', { name: 'Installation routes' })).body;
    for (const scope of [{ org_id: org.id }, { org_id: org.id, env_id: org.envs[0].id }]) {
      const key = await mintKey({ name: 'scoped', ...scope });
      const reload = await as(key, 'POST', '/api/v1/agents/reload');
      expect(reload.status).toBe(403);
      expect(reload.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('installation key') });
      expect((await as(key, 'POST', '/api/v1/notifications/slack/test', { channel: '#alerts', text: 'hi' })).status).toBe(403);
      // The running configuration is the operator's: its networks, limits and database say nothing a tenant needs.
      const settings = await as(key, 'GET', '/api/v1/settings');
      expect(settings.status).toBe(403);
      expect(JSON.stringify(settings.body)).not.toContain('allow_networks');
    }
    expect((await h.call('POST', '/api/v1/agents/reload')).status).toBe(200);
    expect((await h.call('GET', '/api/v1/settings')).body.delivery.allow_networks).toEqual(expect.any(Array));
  });

  it('a request names its tenant with Hookline-Org / Hookline-Env, only inside its key scope', async () => {
    const acme = (await h.call('POST', '/api/v1/orgs', { name: 'Acme headers' })).body;
    const staging = (await h.call('POST', `/api/v1/orgs/${acme.id}/envs`, { name: 'staging' })).body;
    const globex = (await h.call('POST', '/api/v1/orgs', { name: 'Globex headers' })).body;
    const acmeKey = await mintKey({ name: 'acme', org_id: acme.id });
    const stagingKey = await mintKey({ name: 'acme staging', org_id: acme.id, env_id: staging.id });
    // The orgs list is the same whatever the tenant; what matters is that resolution passes or 404s.
    const probe = (key: string, headers: Record<string, string>) => as(key, 'GET', '/api/v1/keys', undefined, headers);

    expect((await probe(acmeKey, { 'hookline-env': staging.id })).status).toBe(200);
    expect((await probe(acmeKey, { 'hookline-org': acme.id })).status).toBe(200);
    expect((await probe(acmeKey, { 'hookline-env': globex.envs[0].id })).status).toBe(404);
    expect((await probe(acmeKey, { 'hookline-org': globex.id })).status).toBe(404);
    expect((await probe(stagingKey, { 'hookline-env': acme.envs[0].id })).status).toBe(404);
    expect((await probe(stagingKey, { 'hookline-org': globex.id })).status).toBe(404);
    const unknown = await probe(acmeKey, { 'hookline-env': 'env_nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('env_nope');
    // The installation key reaches any tenant; an org and env that do not go together is no tenant.
    expect((await h.call('GET', '/api/v1/orgs')).status).toBe(200);
    expect((await probe(ADMIN_KEY, { 'hookline-env': globex.envs[0].id })).status).toBe(200);
    expect((await probe(ADMIN_KEY, { 'hookline-org': acme.id, 'hookline-env': globex.envs[0].id })).status).toBe(404);
  });

  it('deleting: never the default tenant; a tenant with data only with ?confirm=<id>, and its keys stop at once', async () => {
    const defaultDelete = await h.call('DELETE', '/api/v1/orgs/org_default');
    expect(defaultDelete.status).toBe(409);
    expect(defaultDelete.body.error.code).toBe('default_tenant');

    const doomed = (await h.call('POST', '/api/v1/orgs', { name: 'Doomed' })).body;
    const envId = doomed.envs[0].id;
    const staging = (await h.call('POST', `/api/v1/orgs/${doomed.id}/envs`, { name: 'staging' })).body;
    expect((await h.call('DELETE', `/api/v1/orgs/${doomed.id}/envs/${envId}`)).body.error.code).toBe('default_tenant');
    const doomedKey = await mintKey({ name: 'doomed', org_id: doomed.id });
    expect((await as(doomedKey, 'GET', '/api/v1/keys')).status).toBe(200); // now in this process's cache of keys
    // Data in it: a bin made through the tenant's key.
    await sql`INSERT INTO inspector_bins (name, scheme, secret_enc, next_seq, created_at, env_id) VALUES (${`bin-${envId}`}, 'none', NULL, 0, 1, ${envId})`.execute(
      databaseOf(h.hl.store),
    );
    const refused = await h.call('DELETE', `/api/v1/orgs/${doomed.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'confirmation_required', message: expect.stringContaining(`?confirm=${doomed.id}`) });
    expect((await h.call('DELETE', `/api/v1/orgs/${doomed.id}?confirm=${'org_wrong'}`)).status).toBe(409);

    // An empty environment goes without confirmation.
    expect((await h.call('DELETE', `/api/v1/orgs/${doomed.id}/envs/${staging.id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/v1/orgs/${doomed.id}/envs/${staging.id}`)).status).toBe(404);

    expect((await h.call('DELETE', `/api/v1/orgs/${doomed.id}?confirm=${doomed.id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/v1/orgs/${doomed.id}`)).status).toBe(404);
    expect((await as(doomedKey, 'GET', '/api/v1/keys')).status).toBe(401);
    const left = await sql<{ n: number }>`SELECT count(*) AS n FROM inspector_bins WHERE env_id = ${envId}`.execute(databaseOf(h.hl.store));
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});

describe.each(STORES)('quotas (%s)', (kind) => {
  const clock = new ManualClock(Date.UTC(2026, 11, 1));
  let h: Harness;
  beforeAll(async () => {
    h = await startHookline(kind, { clock });
  });
  afterAll(async () => {
    await h?.close();
  });
  const publish = (envId: string, data: unknown = {}) =>
    fetch(h.url + '/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', 'hookline-env': envId },
      body: JSON.stringify({ type: 'order.paid', data }),
    }).then(answerOf);

  it("an org's events_per_second refuses the excess with 429, Retry-After and the quota's code; other tenants are untouched", async () => {
    const org = (await h.call('POST', '/api/v1/orgs', { name: 'Rate limited', settings: { quotas: { events_per_second: 2 } } })).body;
    const envId = org.envs[0].id;
    expect((await publish(envId)).status).toBe(202);
    expect((await publish(envId)).status).toBe(202);
    const refused = await publish(envId);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('quota_events_per_second');
    expect(refused.body.error.message).toContain('events_per_second');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await publish('env_default')).status).toBe(202); // the default tenant has no quota
    clock.advance(1_000);
    expect((await publish(envId)).status).toBe(202);
    // A raised quota applies at once.
    expect((await h.call('PATCH', `/api/v1/orgs/${org.id}`, { settings: { quotas: { events_per_second: 1000 } } })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await publish(envId)).status).toBe(202);
  });

  it("an org's stored_bytes refuses events once its environment holds that much", async () => {
    const org = (await h.call('POST', '/api/v1/orgs', { name: 'Small disk', settings: { quotas: { stored_bytes: 1_000 } } })).body;
    const envId = org.envs[0].id;
    const blob = { text: 'x'.repeat(300) };
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await publish(envId, blob)).status);
    expect(codes.slice(0, 2)).toEqual([202, 202]);
    expect(codes).toContain(429);
    const refused = await publish(envId, blob);
    expect(refused.body.error.code).toBe('quota_stored_bytes');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect((await publish('env_default', blob)).status).toBe(202);
  });
});

describe.each(STORES)('count quotas (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHookline(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("an org's endpoints and agents quotas refuse one more with 429 and the quota's code; deleting one makes room", async () => {
    const org = (await h.call('POST', '/api/v1/orgs', { name: 'Counted', settings: { quotas: { endpoints: 2, agents: 1 } } })).body;
    const key = (await h.call('POST', '/api/v1/keys', { name: 'counted', org_id: org.id, env_id: org.envs[0].id })).body.key;
    const endpoint = (n: number) => h.call('POST', '/api/v1/webhooks/endpoints', { url: `https://hooks.example.com/${n}`, events: ['order.*'] }, key);
    const first = await endpoint(1);
    expect(first.status).toBe(201);
    expect((await endpoint(2)).status).toBe(201);
    const third = await endpoint(3);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('quota_endpoints');
    expect(third.headers.get('retry-after')).toBeTruthy();
    expect((await h.call('POST', '/api/v1/webhooks/endpoints', { url: 'https://hooks.example.com/default', events: ['order.*'] })).status).toBe(201); // another tenant
    expect((await h.call('DELETE', `/api/v1/webhooks/endpoints/${first.body.id}`, undefined, key)).status).toBe(204);
    expect((await endpoint(4)).status).toBe(201);

    const suffix = `${kind}${Date.now().toString(36)}`;
    expect((await h.call('POST', '/api/v1/crews', { id: `counted-${suffix}`, name: 'Counted' }, key)).status).toBe(201);
    const agent = (n: number) =>
      h.call(
        'POST',
        '/api/v1/agents',
        { id: `counted-${n}-${suffix}`, crew_id: `counted-${suffix}`, name: 'a', runner: 'command', runner_config: { command: '/bin/cat' } },
        key,
      );
    expect((await agent(1)).status).toBe(201);
    const second = await agent(2);
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('quota_agents');
  });
});
