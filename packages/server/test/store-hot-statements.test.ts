// The delivery engine's hot statements (claim, publish inserts, result writes) and the trigger
// intake's (the agent read, the run inserts) run as statements
// prepared once on SQLite instead of built by Kysely per call. These check that they keep what
// the built ones did, on both stores: what a claim takes and leases, whose result write counts,
// that rows written outside a transaction go in together, and that on SQLite's single connection
// such a write never lands inside another caller's open transaction.
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STORES, startHookline } from './helpers/hookline.js';
import type { DeliveryRecord, EventRecord, RunRecord } from '../src/store/index.js';

describe.each(STORES)('hot store statements (%s)', (kind) => {
  let h: Harness;
  const endpoints: string[] = [];
  let serial = 0;
  const event = (): EventRecord => ({
    id: `evt_hot_${kind}_${++serial}`,
    env_id: h.hl.tenants.fallback.envId,
    type: 'hot.test',
    created_at: Date.now(),
    payload: '{}',
  });
  const delivery = (eventId: string, endpointId: string): DeliveryRecord => {
    const now = Date.now();
    return {
      id: `dlv_hot_${kind}_${++serial}`,
      env_id: h.hl.tenants.fallback.envId,
      event_id: eventId,
      endpoint_id: endpointId,
      event_type: 'hot.test',
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_owner: null,
      created_at: now,
      updated_at: now,
      delivered_at: null,
      last_status_code: null,
      last_error: null,
    };
  };

  beforeAll(async () => {
    // role api: no dispatcher, so the deliveries stay pending for the tests to claim by hand.
    h = await startHookline(kind, { overrides: { server: { role: 'api' } } });
    expect((await h.call('POST', '/api/v1/crews', { id: 'hot', name: 'Hot' })).status).toBe(201);
    expect(
      (await h.call('POST', '/api/v1/agents', { id: 'hot-agent', crew_id: 'hot', name: 'Hot agent', runner: 'command', runner_config: { command: 'true' } }))
        .status,
    ).toBe(201);
    for (let i = 0; i < 3; i++) {
      const r = await h.call('POST', '/api/v1/webhooks/endpoints', { url: `http://127.0.0.1:9/hook${i}`, events: ['hot.*'] });
      expect(r.status).toBe(201);
      endpoints.push(r.body.id);
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it('claims due rows oldest first, skipping the listed endpoints, at most perEndpoint of each, and leases them', async () => {
    const [a, b, c] = endpoints as [string, string, string];
    const published: DeliveryRecord[] = [];
    for (let i = 0; i < 3; i++) {
      const e = event();
      await h.hl.store.transaction(async (tx) => {
        await tx.events.insert([e]);
        const rows = [a, b, c].map((ep) => ({ ...delivery(e.id, ep), next_attempt_at: 1000 + i }));
        await tx.deliveries.insert(rows);
        published.push(...rows);
      });
    }
    const now = Date.now();
    const claim = (skipEndpoints: string[], perEndpoint: number, limit: number, owner: string) =>
      h.hl.store.deliveries.claimDue({ now, leaseUntil: now + 60_000, owner, limit, perEndpoint, skipEndpoints });

    const first = await claim([a], 2, 3, 'w.1');
    expect(first).toHaveLength(3);
    expect(first.every((r) => r.endpoint_id !== a && r.lease_owner === 'w.1' && Number(r.next_attempt_at) === now + 60_000)).toBe(true);
    // Every column comes back, with the lease written.
    const source = published.find((r) => r.id === first[0]!.id)!;
    expect(first[0]).toEqual({
      ...source,
      channel: 'endpoint',
      run_id: null,
      agent_id: null,
      target: null,
      source_id: null,
      request_enc: null,
      env_id: 'env_default',
      lease_owner: 'w.1',
      next_attempt_at: now + 60_000,
    });
    expect(first.filter((r) => r.endpoint_id === b).length).toBeLessThanOrEqual(2);
    expect(first.filter((r) => r.endpoint_id === c).length).toBeLessThanOrEqual(2);
    // Oldest first: the first event's rows of b and c are among them.
    const oldest = published.filter((r) => r.next_attempt_at === 1000 && r.endpoint_id !== a).map((r) => r.id);
    expect(first.map((r) => r.id)).toEqual(expect.arrayContaining(oldest));

    const second = await claim([a, c], 10, 10, 'w.2');
    expect(second.every((r) => r.endpoint_id === b)).toBe(true);
    const third = await claim([], 10, 10, 'w.3');
    const all = [...first, ...second, ...third].map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(published.map((r) => r.id).sort());
    expect(await claim([], 10, 10, 'w.4')).toEqual([]);

    // A result write counts only under the claim that holds the row; the attempt is recorded either way.
    const row = first[0]!;
    const attempt = (n: number) => ({
      id: `att_hot_${kind}_${++serial}`,
      delivery_id: row.id,
      attempt: n,
      started_at: now,
      duration_ms: 5,
      method: 'POST',
      url: 'http://127.0.0.1:9/hook',
      status_code: 200,
      response_body: 'ok',
      error_code: null,
      error_message: null,
    });
    const update = (leaseOwner: string) => ({
      id: row.id,
      leaseOwner,
      status: 'delivered' as const,
      attempts: 1,
      nextAttemptAt: now,
      updatedAt: now,
      deliveredAt: now,
      lastStatusCode: 200,
      lastError: null,
    });
    await h.hl.store.engine.deliveries.recordResults({ attempts: [attempt(1)], updates: [update('w.2')], health: [] });
    expect((await h.hl.store.deliveries.get(h.hl.tenants.fallback.envId, row.id))!.status).toBe('pending');
    await h.hl.store.engine.deliveries.recordResults({ attempts: [attempt(2)], updates: [update('w.1')], health: [] });
    const written = (await h.hl.store.deliveries.get(h.hl.tenants.fallback.envId, row.id))!;
    expect([written.status, written.lease_owner, Number(written.delivered_at)]).toEqual(['delivered', null, now]);
    expect((await h.hl.store.deliveries.listAttempts(h.hl.tenants.fallback.envId, row.id)).map((t) => [t.attempt, t.status_code, t.response_body])).toEqual([
      [1, 200, 'ok'],
      [2, 200, 'ok'],
    ]);
  });

  it('inserts events once, returning the ids that were new', async () => {
    const [e1, e2] = [event(), event()];
    expect(await h.hl.store.events.insert([e1])).toEqual(new Set([e1.id]));
    expect(await h.hl.store.events.insert([e1, e2])).toEqual(new Set([e2.id]));
    expect(await h.hl.store.events.getMany([e1.id, e2.id])).toHaveLength(2);
  });

  it('writes the rows of one insert outside a transaction all or none', async () => {
    const e = event();
    await h.hl.store.events.insert([e]);
    const good = delivery(e.id, endpoints[0]!);
    await expect(h.hl.store.deliveries.insert([good, { ...delivery(e.id, endpoints[1]!), id: good.id }])).rejects.toThrow();
    expect(await h.hl.store.deliveries.get(h.hl.tenants.fallback.envId, good.id)).toBeUndefined();
  });

  it("never writes inside another caller's open transaction", async () => {
    const [inside, outside] = [event(), event()];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const open = new Promise<void>((resolve) => (entered = resolve));
    const rolledBack = h.hl.store.transaction(async (tx) => {
      await tx.events.insert([inside]);
      entered();
      await held;
      throw new Error('rolled back on purpose');
    });
    await open;
    const written = h.hl.store.events.insert([outside]);
    release();
    await expect(rolledBack).rejects.toThrow('rolled back on purpose');
    expect(await written).toEqual(new Set([outside.id]));
    expect(await h.hl.store.events.get(h.hl.tenants.fallback.envId, inside.id)).toBeUndefined();
    expect((await h.hl.store.events.get(h.hl.tenants.fallback.envId, outside.id))?.id).toBe(outside.id);
  });

  it('reads an agent with every column, in and out of a transaction, and sees its changes at once', async () => {
    const agent = (await h.hl.store.agents.getAgent(h.hl.tenants.fallback.envId, 'hot-agent'))!;
    expect(agent).toMatchObject({ id: 'hot-agent', crew_id: 'hot', name: 'Hot agent', runner: 'command', max_concurrent_runs: expect.any(Number) });
    expect(Object.keys(agent).sort()).toEqual(Object.keys((await h.hl.store.agents.getAgents(['hot-agent']))[0]!).sort());
    expect(await h.hl.store.transaction((tx) => tx.agents.getAgent(h.hl.tenants.fallback.envId, 'hot-agent'))).toEqual(agent);
    expect((await h.call('PATCH', '/api/v1/agents/hot-agent', { max_concurrent_runs: 7 })).status).toBe(200);
    expect((await h.hl.store.agents.getAgent(h.hl.tenants.fallback.envId, 'hot-agent'))!.max_concurrent_runs).toBe(7);
    expect(await h.hl.store.agents.getAgent(h.hl.tenants.fallback.envId, 'no-such-agent')).toBeUndefined();
  });

  // SQLite keeps the agents it read (PostgreSQL reads every time, so the case is SQLite's alone):
  // another connection's commit to the file must reach the next read, and a caller changing its
  // copy must not reach anyone.
  if (kind === 'sqlite')
    it('sees at once an agent changed or deleted through another connection', async () => {
      const read = () => h.hl.store.agents.getAgent(h.hl.tenants.fallback.envId, 'hot-other');
      expect(
        (await h.call('POST', '/api/v1/agents', { id: 'hot-other', crew_id: 'hot', name: 'Other', runner: 'command', runner_config: { command: 'true' } }))
          .status,
      ).toBe(201);
      const first = (await read())!;
      first.max_concurrent_runs = 99;
      expect((await read())!.max_concurrent_runs).not.toBe(99);
      const other = new SqliteDatabase(join(h.hl.config.data_dir, 'hookline.db'));
      try {
        other.prepare('UPDATE agents SET max_concurrent_runs = 9 WHERE id = ?').run('hot-other');
        expect((await read())!.max_concurrent_runs).toBe(9);
        other.prepare('DELETE FROM agents WHERE id = ?').run('hot-other');
        expect(await read()).toBeUndefined();
      } finally {
        other.close();
      }
    });

  it('inserts runs once per idempotency key, answering a repeat with the first run', async () => {
    const now = Date.now();
    const run = (key: string | null): RunRecord => ({
      id: `run_hot_${kind}_${++serial}`,
      env_id: h.hl.tenants.fallback.envId,
      crew_id: 'hot',
      agent_id: 'hot-agent',
      trigger_type: 'webhook',
      trigger_id: null,
      trigger_name: 'inbound',
      prompt: 'a\u0000b',
      status: 'queued',
      output: null,
      error: null,
      exit_code: null,
      iterations_used: null,
      tool_calls: null,
      tokens_used: null,
      idempotency_key: key,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      started_at: null,
      finished_at: null,
      updated_at: now,
    });
    const [first, again, keyless, repeat] = [run(`k${serial}`), run(null), run(null), run(null)];
    repeat.idempotency_key = first.idempotency_key;
    again.idempotency_key = first.idempotency_key;
    // The same key twice in one batch, and a key the table already holds: both are the first run.
    const results = await h.hl.store.agents.insertRuns([first, again, keyless]);
    expect(results.map((r) => [r.run.id, r.created])).toEqual([
      [first.id, true],
      [first.id, false],
      [keyless.id, true],
    ]);
    const [later] = await h.hl.store.agents.insertRuns([repeat]);
    expect([later!.run.id, later!.created]).toEqual([first.id, false]);
    // Stored as given, with the NUL made storable.
    expect(await h.hl.store.agents.getRun(h.hl.tenants.fallback.envId, first.id)).toEqual({ ...first, prompt: 'a\uFFFDb' });
    expect(await h.hl.store.agents.getRun(h.hl.tenants.fallback.envId, again.id)).toBeUndefined();
  });
});
