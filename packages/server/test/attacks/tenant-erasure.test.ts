/**
 * Erasing a tenant leaves nothing of it (docs/tenants.md#erasure): the secret-sentinel search,
 * turned on one tenant's data. Tenant X stores sentinels everywhere it can (endpoint
 * description and headers, event payloads, delivery attempts, a run's prompt and output, a
 * captured request, a post-action template); tenant Y stores its own. After `DELETE
 * /api/v1/orgs/{X}?confirm=…`, no form of an X sentinel is in the database (SQLite: the file and
 * its write-ahead log, byte for byte; PostgreSQL: every row of the schema), and Y's are all still
 * there, so the search is known to see what is stored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseOf } from '../../src/store/testing.js';
import { answerOf, type Harness, STORES, startHookline, type StoreKind } from '../helpers/hookline.js';
import { Receiver } from '../helpers/receiver.js';
import { until } from '../helpers/wait.js';
import { encodings, Secrets } from './secret-evidence.js';

/** Everything the store holds, as text: SQLite's files byte for byte, or every PostgreSQL row. */
async function storedText(h: Harness, kind: StoreKind): Promise<string> {
  const db = databaseOf(h.hl.store);
  if (kind === 'sqlite') {
    const dir = h.hl.config.data_dir;
    return readdirSync(dir)
      .filter((file) => file.startsWith('hookline.db'))
      .map((file) => readFileSync(join(dir, file)).toString('latin1'))
      .join('\n');
  }
  const tables = await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()`.execute(db);
  const parts: string[] = [];
  for (const { t } of tables.rows)
    parts.push((await sql<{ r: string }>`SELECT x::text AS r FROM ${sql.table(t)} x`.execute(db)).rows.map((row) => row.r).join('\n'));
  return parts.join('\n');
}

describe.each(STORES)('erasing a tenant (%s)', (kind) => {
  let h: Harness;
  const rx = new Receiver();
  const x = new Secrets();
  const y = new Secrets();

  beforeAll(async () => {
    await rx.start();
    // Attempts keep what the receiver answered: make it echo the request, sentinels and all.
    rx.respond = (req, res) => void res.writeHead(500, { 'content-type': 'application/json' }).end(req.body);
    h = await startHookline(kind, { overrides: { delivery: { retry_schedule: ['1h'] } } });
  });
  afterAll(async () => {
    await h?.close();
    await rx.close();
  });

  const as = (key: string) => async (method: string, path: string, body?: unknown) => {
    const res = await answerOf(
      await fetch(h.url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const tenant = async (name: string) => {
    const org = await as('hl_sk_test_admin_0123456789abcdef')('POST', '/api/v1/orgs', { name });
    const minted = await as('hl_sk_test_admin_0123456789abcdef')('POST', '/api/v1/keys', { name, org_id: org.id, env_id: org.envs[0].id });
    return { org, call: as(minted.key) };
  };

  it('removes every stored byte of the erased tenant and nothing of another', async () => {
    const tx = await tenant('Erased');
    const ty = await tenant('Kept');
    const suffix = `${kind}${Date.now().toString(36)}`;

    // X: an endpoint whose description and header carry sentinels, and events that fail against it (attempts keep the answer).
    await tx.call('POST', '/api/v1/webhooks/endpoints', {
      url: `${rx.url}/x`,
      description: x.make('endpoint description'),
      headers: { 'X-Token': x.make('endpoint header') },
      events: ['order.*'],
    });
    for (let i = 0; i < 3; i++) await tx.call('POST', '/api/v1/events', { type: 'order.paid', data: { note: x.make(`event payload ${i}`) } });
    // X: an agent whose run echoes its prompt into the output and the run log.
    await tx.call('POST', '/api/v1/crews', { id: `crew-x-${suffix}`, name: x.make('crew name') });
    await tx.call('POST', '/api/v1/agents', {
      id: `agent-x-${suffix}`,
      crew_id: `crew-x-${suffix}`,
      name: 'echo',
      runner: 'command',
      runner_config: { command: '/bin/cat' },
    });
    const run = await tx.call('POST', `/api/v1/agents/agent-x-${suffix}/runs?wait=true`, { prompt: x.make('run prompt') });
    expect(run.status).toBe('completed');
    // X: a captured request, and a post-action whose template holds a sentinel.
    const bin = await tx.call('POST', '/api/v1/inspector/bins', { name: `bin-x-${suffix}` });
    await fetch(`${h.url}/inspect/${bin.name}`, { method: 'POST', body: x.make('captured body') });
    await tx.call('POST', '/api/v1/post-actions', {
      name: 'notify',
      url: `${rx.url}/post-action`,
      method: 'POST',
      body_template: `{"note":"${x.make('post-action template')}"}`,
    });
    // Y: its own data, to be kept.
    await ty.call('POST', '/api/v1/webhooks/endpoints', { url: `${rx.url}/y`, description: y.make('endpoint description'), events: ['order.*'] });
    await ty.call('POST', '/api/v1/events', { type: 'order.paid', data: { note: y.make('event payload') } });

    // Every X event has had its attempt (the answer with the sentinels is stored), and so has Y's.
    await until('the attempts of both tenants', async () => {
      const [dx, dy] = await Promise.all([tx.call('GET', '/api/v1/deliveries'), ty.call('GET', '/api/v1/deliveries')]);
      const tried = (page: any) => page.items.filter((item: any) => item.attempts >= 1).length;
      return tried(dx) >= 3 && tried(dy) >= 1 ? true : undefined;
    });
    const before = await storedText(h, kind);
    const present = x.list.filter((secret) => encodings(secret.value).some((form) => before.includes(form)));
    expect(present.length, 'the X sentinels are stored before the erasure').toBeGreaterThanOrEqual(x.list.length - 1);

    const erased = await fetch(`${h.url}/api/v1/orgs/${tx.org.id}?confirm=${tx.org.id}`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer hl_sk_test_admin_0123456789abcdef' },
    });
    expect(erased.status).toBe(204);

    const after = await storedText(h, kind);
    const left = x.list.flatMap((secret) =>
      encodings(secret.value)
        .filter((form) => after.includes(form))
        .map(() => secret.name),
    );
    expect(left, 'X sentinels still stored after the erasure').toEqual([]);
    for (const secret of y.list) expect(after.includes(secret.value), `${secret.name} of the kept tenant`).toBe(true);
    expect(after).not.toContain(tx.org.id.slice(4)); // not even the org's id
  }, 60_000);
});
