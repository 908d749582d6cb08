/**
 * Orgs, environments, scoped keys and the tenant a client acts in (docs/tenants.md), through
 * the SDK against a real Hookline on both stores.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseOf } from '../../server/src/store/testing.js';
import { ADMIN_KEY, type Harness, STORES, startHookline } from '../../server/test/helpers/hookline.js';
import { Hookline } from '../src/index.js';
import { apiError } from './api-error.js';

describe.each(STORES)('tenants through the SDK (%s)', (kind) => {
  let h: Harness;
  let client: Hookline;
  /** The tenant headers of every request the recording client sent, in order. */
  const sent: { org: string | null; env: string | null; url: string }[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    sent.push({ org: headers.get('hookline-org'), env: headers.get('hookline-env'), url: String(input) });
    return fetch(input, init);
  };

  beforeAll(async () => {
    h = await startHookline(kind);
    client = new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url, fetch: recordingFetch, maxRetries: 0 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('orgs and environments: create, list, get, update, delete (with confirm when they hold data)', async () => {
    const acme = await client.orgs.create({ name: 'Acme SDK', env_name: 'live' });
    expect(acme).toMatchObject({ id: expect.stringMatching(/^org_/), name: 'Acme SDK', default: false, envs: [{ name: 'live', default: true }] });
    expect((await client.orgs.list()).items.map((o) => o.id)).toEqual(expect.arrayContaining(['org_default', acme.id]));
    expect(await client.orgs.get(acme.id)).toMatchObject({ id: acme.id, name: 'Acme SDK', settings: {} });
    const settings = { quotas: { endpoints: 3 }, brand: { color: '#123456' } };
    expect(await client.orgs.update(acme.id, { name: 'Acme SDK Inc', settings })).toMatchObject({ name: 'Acme SDK Inc', settings });

    const staging = await client.orgs.envs.create(acme.id, { name: 'staging' });
    expect(staging).toMatchObject({ id: expect.stringMatching(/^env_/), org_id: acme.id, name: 'staging', default: false });
    const envs = await client.orgs.envs.list(acme.id);
    expect(envs).toMatchObject({ total: 2, offset: 0 });
    expect(envs.items.map((e) => e.name)).toEqual(['live', 'staging']);
    expect((await client.orgs.envs.get(acme.id, staging.id)).name).toBe('staging');
    expect((await apiError(client.orgs.envs.create(acme.id, { name: 'staging' }))).code).toBe('conflict');

    // An empty environment goes at once; one that holds data needs its id confirmed.
    await client.orgs.envs.delete(acme.id, staging.id);
    expect((await apiError(client.orgs.envs.get(acme.id, staging.id))).status).toBe(404);
    // Written straight to the database: the routes of tenant-owned resources are scoped on other branches.
    const envId = acme.envs[0]!.id;
    await sql`INSERT INTO inspector_bins (name, scheme, secret_enc, next_seq, created_at, env_id) VALUES (${`bin-${envId}`}, 'none', NULL, 0, 1, ${envId})`.execute(
      databaseOf(h.hl.store),
    );
    const refused = await apiError(client.orgs.delete(acme.id));
    expect(refused).toMatchObject({ status: 409, code: 'confirmation_required' });
    expect(refused.message).toContain(`?confirm=${acme.id}`);
    expect((await apiError(client.orgs.delete(acme.id, { confirm: 'org_wrong' }))).status).toBe(409);
    await client.orgs.delete(acme.id, { confirm: acme.id });
    expect((await apiError(client.orgs.get(acme.id))).status).toBe(404);
    expect((await apiError(client.orgs.delete('org_default'))).code).toBe('default_tenant');
  });

  it('keys limited to an org or an environment: each sees its own org, and the other answers 404', async () => {
    const a = await client.orgs.create({ name: 'Tenant A' });
    const b = await client.orgs.create({ name: 'Tenant B' });
    const aEnv = a.envs[0]!.id;
    const bEnv = b.envs[0]!.id;
    const aKey = await client.keys.create({ name: 'a env', org_id: a.id, env_id: aEnv });
    expect(aKey).toMatchObject({ org_id: a.id, env_id: aEnv, role: 'admin', key: expect.stringMatching(/^hl_sk_/) });
    const bKey = await client.keys.create({ name: 'b org', role: 'read', org_id: b.id });
    expect(bKey).toMatchObject({ org_id: b.id, env_id: null, role: 'read' });
    expect((await client.keys.list()).items.find((k) => k.id === bKey.id)).toMatchObject({ org_id: b.id, env_id: null });

    const asB = new Hookline({ apiKey: bKey.key, baseUrl: h.url, maxRetries: 0 });
    expect((await asB.orgs.list()).items.map((o) => o.id)).toEqual([b.id]);
    expect((await asB.orgs.get(b.id)).name).toBe('Tenant B');
    expect((await asB.orgs.envs.list(b.id)).items.map((e) => e.id)).toEqual([bEnv]);
    expect((await asB.keys.list()).items.map((k) => k.id)).toEqual([bKey.id]);
    for (const call of [
      () => asB.orgs.get(a.id),
      () => asB.orgs.envs.list(a.id),
      () => asB.orgs.envs.get(a.id, aEnv),
      () => asB.orgs.get('org_default'),
      () => asB.withTenant({ env: aEnv }).keys.list(),
      () => asB.withTenant({ org: a.id }).orgs.get(b.id),
    ]) {
      const err = await apiError(call());
      expect(err.status, String(call)).toBe(404);
    }
    // A read key changes nothing, in its own org either.
    expect((await apiError(asB.orgs.update(b.id, { name: 'x' }))).status).toBe(403);

    const asA = new Hookline({ apiKey: aKey.key, baseUrl: h.url, maxRetries: 0 });
    expect((await asA.orgs.list()).items.map((o) => o.id)).toEqual([a.id]);
    expect((await apiError(asA.orgs.get(b.id))).status).toBe(404);
    expect((await apiError(asA.keys.create({ name: 'wider', org_id: a.id }))).status).toBe(404); // wider than itself
    expect((await apiError(asA.orgs.create({ name: 'mine' }))).status).toBe(403);
  });

  it('`org`/`env` options and withTenant() send Hookline-Org/Hookline-Env, and calls act in that tenant', async () => {
    const a = await client.orgs.create({ name: 'Headers A' });
    const aStaging = await client.orgs.envs.create(a.id, { name: 'staging' });
    const b = await client.orgs.create({ name: 'Headers B' });

    // The parent client names no tenant: its events land in the default one.
    expect((await client.events.publish({ type: 'sdk.where', data: {} })).event).toMatchObject({ org_id: 'org_default', env_id: 'env_default' });
    const inStaging = client.withTenant({ env: aStaging.id });
    expect([inStaging.org, inStaging.env, inStaging.baseUrl]).toEqual([undefined, aStaging.id, h.url]);
    sent.length = 0;
    expect((await inStaging.events.publish({ type: 'sdk.where', data: {} })).event).toMatchObject({ org_id: a.id, env_id: aStaging.id });
    // It shares the parent's transport settings: the same fetch saw the call, with the header.
    expect(sent).toEqual([{ org: null, env: aStaging.id, url: `${h.url}/api/v1/events` }]);
    const inA = client.withTenant({ org: a.id });
    expect((await inA.events.publish({ type: 'sdk.where', data: {} })).event).toMatchObject({ org_id: a.id, env_id: a.envs[0]!.id });
    expect(sent[1]).toMatchObject({ org: a.id, env: null });
    sent.length = 0;
    await client.keys.list();
    expect(sent).toEqual([{ org: null, env: null, url: `${h.url}/api/v1/keys` }]);

    const both = new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url, org: b.id, env: b.envs[0]!.id });
    expect((await both.events.publish({ type: 'sdk.where', data: {} })).event).toMatchObject({ org_id: b.id, env_id: b.envs[0]!.id });
    // An org and an environment that do not go together, or one that does not exist, are no tenant.
    expect((await apiError(both.withTenant({ org: a.id, env: b.envs[0]!.id }).keys.list())).status).toBe(404);
    const unknown = await apiError(new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url, env: 'env_nope' }).keys.list());
    expect(unknown.status).toBe(404);
    expect(unknown.message).toContain('env_nope');
    // HOOKLINE_ORG / HOOKLINE_ENV are the defaults; '' names no tenant whatever they say.
    process.env.HOOKLINE_ENV = aStaging.id;
    try {
      const fromVariable = new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url });
      expect(fromVariable.env).toBe(aStaging.id);
      expect((await fromVariable.events.publish({ type: 'sdk.where', data: {} })).event.env_id).toBe(aStaging.id);
      expect(new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url, env: '' }).env).toBeUndefined();
    } finally {
      delete process.env.HOOKLINE_ENV;
    }
    // withTenant({}) goes back to the key's own tenant.
    expect((await both.withTenant({}).events.publish({ type: 'sdk.where', data: {} })).event.env_id).toBe('env_default');
  });
});
