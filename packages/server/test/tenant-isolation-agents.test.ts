/**
 * Tenants on the agent side (docs/tenants.md), over both stores: two orgs made through the API,
 * each with a crew, an agent, a named webhook trigger, a schedule, a post-action bound to the
 * agent's trigger URL, an endpoint for run events and a run started through the public trigger
 * URL. Each tenant sees only its own, whether through a key limited to it or through the
 * installation key naming its environment; the other tenant's ids answer 404 everywhere.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, RunContext, RunOptions, RunOutcome } from '../src/agents/runner.js';
import { ADMIN_KEY, answerOf, type Harness, STORES, startHookline } from './helpers/hookline.js';
import { Receiver } from './helpers/receiver.js';
import { until } from './helpers/wait.js';

/** Writes one log line naming its agent and ends at once; a prompt with `case-hold` runs until cancelled. */
class EchoRunner implements Runner {
  async run(ctx: RunContext, o: RunOptions): Promise<RunOutcome> {
    o.onLog('stdout', `hello from ${ctx.agentId}`);
    if (ctx.prompt.includes('case-hold'))
      return new Promise((resolve) =>
        o.signal.addEventListener('abort', () => resolve({ status: 'cancelled', output: '', error: 'cancelled', exitCode: null, usage: {} }), { once: true }),
      );
    return { status: 'completed', output: `done by ${ctx.agentId}`, error: null, exitCode: 0, usage: {} };
  }
}

interface TenantFixture {
  name: 'a' | 'b';
  orgId: string;
  envId: string;
  /** A key limited to the tenant's environment. */
  key: string;
  crewId: string;
  agentId: string;
  triggerId: string;
  triggerSecret: string;
  scheduleId: string;
  postActionId: string;
  bindingId: string;
  endpointId: string;
  runId: string;
  notificationId: string;
  receiver: Receiver;
}

/** How a request authenticates: a key, and the environment it names (Hookline-Env), if any. */
type As = { key: string; env?: string };

describe.each(STORES)('tenant isolation: agents, runs and what they cause (%s)', (kind) => {
  let h: Harness;
  let agentsDir: string;
  const tenants: Record<'a' | 'b', TenantFixture> = {} as never;

  const call = async (as: As, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${as.key}` };
    if (as.env) headers['hookline-env'] = as.env;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return answerOf(await fetch(h.url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
  };
  const ok = async (as: As, method: string, path: string, body?: unknown, status = [200, 201, 202]) => {
    const r = await call(as, method, path, body);
    expect(status, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
    return r.body;
  };
  /** The two ways to act in a tenant: its own key, and the installation key naming its environment. */
  const waysInto = (t: TenantFixture): [string, As][] => [
    ['its scoped key', { key: t.key }],
    ['the installation key with Hookline-Env', { key: ADMIN_KEY, env: t.envId }],
  ];

  /** A tenant with everything the agent side has, and one run (through the public trigger URL) that has ended and notified. */
  async function setUpTenant(name: 'a' | 'b'): Promise<TenantFixture> {
    const receiver = await new Receiver().start();
    const org = await ok({ key: ADMIN_KEY }, 'POST', '/api/v1/orgs', { name: `Org ${name} ${kind}` });
    const orgId = org.id as string;
    const envId = org.envs[0].id as string;
    const key = (await ok({ key: ADMIN_KEY }, 'POST', '/api/v1/keys', { name: `key ${name}`, org_id: orgId, env_id: envId })).key as string;
    const as = { key };
    const crewId = `crew-${name}`;
    const agentId = `agent-${name}`;
    await ok(as, 'POST', '/api/v1/crews', { id: crewId, name: `Crew ${name}` });
    const agent = await ok(as, 'POST', '/api/v1/agents', {
      id: agentId,
      crew_id: crewId,
      name: `Agent ${name}`,
      runner: 'command',
      runner_config: { command: process.execPath },
    });
    const endpointId = (await ok(as, 'POST', '/api/v1/webhooks/endpoints', { url: `${receiver.url}/events`, events: ['run.*'] })).id as string;
    const trigger = await ok(as, 'POST', `/api/v1/agents/${agentId}/webhook-triggers`, { name: 'deploy' });
    const triggerId = trigger.id as string;
    // Once a year: it never fires during the test.
    const scheduleId = (await ok(as, 'POST', '/api/v1/schedules', { agent_id: agentId, name: 'yearly', cron: '0 0 1 1 *' })).id as string;
    const postActionId = (await ok(as, 'POST', '/api/v1/post-actions', { name: `notify ${name}`, method: 'POST', url: `${receiver.url}/pa/{{run_id}}` }))
      .id as string;
    const bindingId = (await ok(as, 'POST', `/api/v1/post-actions/${postActionId}/bindings`, { trigger_type: 'webhook', trigger_id: agentId })).id as string;

    // The public trigger URL names crew and agent only; the run is in the agent's tenant.
    const body = JSON.stringify({ from: name });
    const res = await fetch(`${h.url}/api/v1/webhooks/${crewId}/${agentId}/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', agent.webhook_secret).update(body).digest('hex') },
      body,
    });
    expect(res.status).toBe(202);
    const runId = ((await res.json()) as { run_id: string }).run_id;
    await until(`run ${runId} to end`, async () => ((await ok(as, 'GET', `/api/v1/runs/${runId}`)).status === 'completed' ? true : undefined));
    const notificationId = await until(`the post-action of ${runId} to be sent`, async () => {
      const items = (await ok(as, 'GET', `/api/v1/notifications?execution_id=${runId}&channel=post_action`)).items as { id: string; status: string }[];
      return items.length === 1 && items[0]!.status === 'delivered' ? items[0]!.id : undefined;
    });
    return {
      name,
      orgId,
      envId,
      key,
      crewId,
      agentId,
      triggerId,
      triggerSecret: trigger.secret as string,
      scheduleId,
      postActionId,
      bindingId,
      endpointId,
      runId,
      notificationId,
      receiver,
    };
  }

  beforeAll(async () => {
    // An agent defined by a file: the installation's, so the default tenant's.
    agentsDir = mkdtempSync(join(tmpdir(), 'hookline-tenant-agents-'));
    mkdirSync(join(agentsDir, 'filed'));
    writeFileSync(
      join(agentsDir, 'filed', 'AGENT.md'),
      `---\nname: Filed\ncrew: files\nrunner: command\nrunner_config:\n  command: ${JSON.stringify(process.execPath)}\n---\n\nFrom a file.\n`,
    );
    h = await startHookline(kind, { runnerFor: () => new EchoRunner(), overrides: { agents: { dir: agentsDir } } });
    expect(h.hl.agentFilesReport?.errors).toEqual([]);
    tenants.a = await setUpTenant('a');
    tenants.b = await setUpTenant('b');
  });
  afterAll(async () => {
    await h?.close();
    for (const t of Object.values(tenants)) await t.receiver.close();
    if (agentsDir) rmSync(agentsDir, { recursive: true, force: true });
  });

  it('lists only its own crews, agents, runs, logs, triggers, schedules, post-actions, bindings and notifications', async () => {
    for (const [mine, other] of [
      [tenants.a, tenants.b],
      [tenants.b, tenants.a],
    ] as const) {
      for (const [how, as] of waysInto(mine)) {
        const ids = async (path: string) => ((await ok(as, 'GET', path)).items as { id: string }[]).map((i) => i.id);
        const where = `${mine.name} through ${how}`;
        expect(await ids('/api/v1/crews'), where).toEqual([mine.crewId]);
        expect(await ids('/api/v1/agents'), where).toEqual([mine.agentId]);
        expect(await ids('/api/v1/runs'), where).toEqual([mine.runId]);
        expect(await ids(`/api/v1/runs?agent_id=${other.agentId}`), where).toEqual([]);
        expect(await ids(`/api/v1/agents/${mine.agentId}/runs`), where).toEqual([mine.runId]);
        expect(await ids('/api/v1/webhook-triggers'), where).toEqual([mine.triggerId]);
        expect(await ids(`/api/v1/webhook-triggers?agent_id=${other.agentId}`), where).toEqual([]);
        expect(await ids('/api/v1/schedules'), where).toEqual([mine.scheduleId]);
        expect(await ids(`/api/v1/schedules?agent_id=${other.agentId}`), where).toEqual([]);
        expect(await ids('/api/v1/post-actions'), where).toEqual([mine.postActionId]);
        expect(await ids(`/api/v1/post-actions/${mine.postActionId}/bindings`), where).toEqual([mine.bindingId]);
        expect(await ids(`/api/v1/triggers/webhook/${mine.agentId}/post-actions`), where).toEqual([mine.bindingId]);
        expect(await ids(`/api/v1/post-actions/${mine.postActionId}/runs`), where).toEqual([mine.notificationId]);
        expect(await ids('/api/v1/notifications?channel=post_action'), where).toEqual([mine.notificationId]);
        // The run's post-action and its run.completed deliveries: all of its own run.
        const log = (await ok(as, 'GET', '/api/v1/notifications')).items as { id: string; execution_id: string; agent_id: string; channel: string }[];
        expect(log.map((n) => n.channel).sort()).toContain('endpoint');
        for (const n of log) expect([n.execution_id, n.agent_id], where).toEqual([mine.runId, mine.agentId]);
        expect(await ids(`/api/v1/notifications?agent_id=${other.agentId}`), where).toEqual([]);
        expect(await ids(`/api/v1/notifications?agent_id=Agent%20${other.name}`), where).toEqual([]);
        expect(await ids(`/api/v1/notifications?execution_id=${other.runId}`), where).toEqual([]);

        const logs = (await ok(as, 'GET', `/api/v1/runs/${mine.runId}/logs`)).items as { line: string }[];
        expect(logs.map((l) => l.line)).toContain(`hello from ${mine.agentId}`);
        const agentLogs = (await ok(as, 'GET', `/api/v1/agents/${mine.agentId}/logs`)).items as { run_id: string }[];
        expect(agentLogs.length).toBeGreaterThan(0);
        expect(new Set(agentLogs.map((l) => l.run_id))).toEqual(new Set([mine.runId]));
      }
    }
    // The default tenant (the installation key naming none) holds none of it, and holds the AGENT.md agent no other tenant sees.
    expect(((await ok({ key: ADMIN_KEY }, 'GET', '/api/v1/agents')).items as { id: string }[]).map((a) => a.id)).toEqual(['filed']);
    expect(((await ok({ key: ADMIN_KEY }, 'GET', '/api/v1/crews')).items as { id: string }[]).map((c) => c.id)).toEqual(['files']);
    for (const t of Object.values(tenants)) {
      expect((await call({ key: t.key }, 'GET', '/api/v1/agents/filed')).status).toBe(404);
      expect((await call({ key: ADMIN_KEY, env: t.envId }, 'GET', '/api/v1/crews/files')).status).toBe(404);
    }
    expect((await ok({ key: ADMIN_KEY }, 'GET', '/api/v1/runs')).items).toEqual([]);
    expect((await ok({ key: ADMIN_KEY }, 'GET', '/api/v1/notifications')).items).toEqual([]);
  });

  it("answers 404 to every read, change, delete, trigger and cancel of the other tenant's ids", async () => {
    for (const [mine, other] of [
      [tenants.a, tenants.b],
      [tenants.b, tenants.a],
    ] as const) {
      const o = other;
      const requests: [string, string, unknown?][] = [
        ['GET', `/api/v1/crews/${o.crewId}`],
        ['DELETE', `/api/v1/crews/${o.crewId}`],
        ['GET', `/api/v1/agents/${o.agentId}`],
        ['PATCH', `/api/v1/agents/${o.agentId}`, { description: 'taken over' }],
        ['PATCH', `/api/v1/agents/${o.agentId}`, { runner: 'command', runner_config: { command: 'true' } }],
        ['POST', `/api/v1/agents/${o.agentId}/webhook-secret/rotate`],
        ['GET', `/api/v1/agents/${o.agentId}/callback`],
        ['PUT', `/api/v1/agents/${o.agentId}/callback`, { url: `${o.receiver.url}/cb` }],
        ['DELETE', `/api/v1/agents/${o.agentId}/callback`],
        ['POST', `/api/v1/agents/${o.agentId}/callback/rotate-secret`],
        ['GET', `/api/v1/agents/${o.agentId}/runs`],
        ['POST', `/api/v1/agents/${o.agentId}/runs`, { prompt: 'case-hold' }],
        ['GET', `/api/v1/agents/${o.agentId}/logs`],
        ['GET', `/api/v1/agents/${o.agentId}/schedules`],
        ['GET', `/api/v1/agents/${o.agentId}/webhook-triggers`],
        ['POST', `/api/v1/agents/${o.agentId}/webhook-triggers`, { name: 'sneaky' }],
        ['POST', '/api/v1/runs/report', { agent_id: o.agentId, status: 'completed' }],
        ['GET', `/api/v1/runs/${o.runId}`],
        ['POST', `/api/v1/runs/${o.runId}/cancel`],
        ['GET', `/api/v1/runs/${o.runId}/logs`],
        ['POST', '/api/v1/post-actions/preview', { body_template: '{{run_id}}', run_id: o.runId }],
        ['GET', `/api/v1/webhook-triggers/${o.triggerId}`],
        ['PATCH', `/api/v1/webhook-triggers/${o.triggerId}`, { enabled: false }],
        ['POST', `/api/v1/webhook-triggers/${o.triggerId}/rotate-secret`],
        ['DELETE', `/api/v1/webhook-triggers/${o.triggerId}`],
        ['GET', `/api/v1/schedules/${o.scheduleId}`],
        ['PATCH', `/api/v1/schedules/${o.scheduleId}`, { enabled: false }],
        ['POST', `/api/v1/schedules/${o.scheduleId}/run`],
        ['DELETE', `/api/v1/schedules/${o.scheduleId}`],
        ['GET', `/api/v1/post-actions/${o.postActionId}`],
        ['PATCH', `/api/v1/post-actions/${o.postActionId}`, { enabled: false }],
        ['GET', `/api/v1/post-actions/${o.postActionId}/runs`],
        ['GET', `/api/v1/post-actions/${o.postActionId}/bindings`],
        ['POST', `/api/v1/post-actions/${o.postActionId}/bindings`, { trigger_type: 'webhook', trigger_id: mine.agentId }],
        ['GET', `/api/v1/post-actions/${o.postActionId}/bindings/${o.bindingId}`],
        ['PATCH', `/api/v1/post-actions/${o.postActionId}/bindings/${o.bindingId}`, { enabled: false }],
        ['DELETE', `/api/v1/post-actions/${o.postActionId}/bindings/${o.bindingId}`],
        // Its own post-action, with the other tenant's binding id: still not found.
        ['GET', `/api/v1/post-actions/${mine.postActionId}/bindings/${o.bindingId}`],
        ['DELETE', `/api/v1/post-actions/${o.postActionId}`],
        ['GET', `/api/v1/triggers/webhook/${o.agentId}/post-actions`],
        ['GET', `/api/v1/triggers/webhook/${o.triggerId}/post-actions`],
        ['GET', `/api/v1/triggers/schedule/${o.scheduleId}/post-actions`],
        ['GET', `/api/v1/notifications/${o.notificationId}`],
        ['POST', `/api/v1/notifications/${o.notificationId}/retry`],
        ['GET', `/v1/notifications/${o.notificationId}`],
      ];
      for (const [how, as] of waysInto(mine)) {
        for (const [method, path, body] of requests) {
          const r = await call(as, method, path, body);
          expect(r.status, `${mine.name} through ${how}: ${method} ${path} → ${JSON.stringify(r.body)}`).toBe(404);
          expect(r.body.error?.code, `${method} ${path}`).toBe('not_found');
        }
      }
    }
    // What names the other tenant's agent or crew as a reference is refused as unknown, not used.
    const a = { key: tenants.a.key };
    expect((await call(a, 'POST', '/api/v1/schedules', { agent_id: tenants.b.agentId, name: 'x', cron: '0 0 1 1 *' })).status).toBe(422);
    expect(
      (await call(a, 'POST', '/api/v1/agents', { crew_id: tenants.b.crewId, name: 'x', runner: 'command', runner_config: { command: 'true' } })).status,
    ).toBe(422);
    expect(
      (await call(a, 'POST', `/api/v1/post-actions/${tenants.a.postActionId}/bindings`, { trigger_type: 'schedule', trigger_id: tenants.b.scheduleId })).status,
    ).toBe(422);

    // Nothing of the other tenant changed: its agent, trigger, schedule, post-action and binding are as they were, and no run was added.
    for (const t of Object.values(tenants)) {
      const as = { key: t.key };
      expect((await ok(as, 'GET', `/api/v1/agents/${t.agentId}`)).description).toBe('');
      expect((await ok(as, 'GET', `/api/v1/webhook-triggers/${t.triggerId}`)).enabled).toBe(true);
      expect((await ok(as, 'GET', `/api/v1/schedules/${t.scheduleId}`)).enabled).toBe(true);
      expect((await ok(as, 'GET', `/api/v1/post-actions/${t.postActionId}`)).enabled).toBe(true);
      expect((await ok(as, 'GET', `/api/v1/post-actions/${t.postActionId}/bindings/${t.bindingId}`)).enabled).toBe(true);
      expect(((await ok(as, 'GET', '/api/v1/runs')).items as { id: string }[]).map((r) => r.id)).toEqual([t.runId]);
      expect((await ok(as, 'GET', `/api/v1/agents/${t.agentId}/callback`, undefined, [404])).error.message).toContain('has no callback');
    }
  });

  it('keeps crew and agent ids unique in the installation: one another tenant holds is a conflict', async () => {
    const a = { key: tenants.a.key };
    expect((await call(a, 'POST', '/api/v1/crews', { id: tenants.b.crewId, name: 'mine now' })).status).toBe(409);
    expect((await call(a, 'POST', '/api/v1/crews', { id: 'files', name: 'mine now' })).status).toBe(409);
    const taken = await call(a, 'POST', '/api/v1/agents', {
      id: tenants.b.agentId,
      crew_id: tenants.a.crewId,
      name: 'mine now',
      runner: 'command',
      runner_config: { command: 'true' },
    });
    expect(taken.status).toBe(409);
    expect((await ok({ key: tenants.b.key }, 'GET', `/api/v1/agents/${tenants.b.agentId}`)).crew_id).toBe(tenants.b.crewId);
  });

  type Envelope = { type: string; org_id: string; env_id: string; data: { agent_loop_id: string; execution_id: string } };
  const eventsAt = (t: TenantFixture) => t.receiver.received.filter((r) => r.path === '/events').map((r) => JSON.parse(r.body) as Envelope);
  const tenantOfAgent = (agentId: string) => Object.values(tenants).find((t) => t.agentId === agentId)!;

  it("runs a named trigger's URL in its agent's tenant, cancels runs within the tenant only, and a run's events carry its agent's tenant", async () => {
    const named = new Map<string, string>();
    for (const t of Object.values(tenants)) {
      const other = t.name === 'a' ? tenants.b : tenants.a;
      // A named webhook trigger's public URL: its run is its agent's tenant's.
      const body = JSON.stringify({ named: t.name });
      const res = await fetch(`${h.url}/api/v1/webhooks/${t.crewId}/${t.agentId}/deploy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', t.triggerSecret).update(body).digest('hex') },
        body,
      });
      expect(res.status).toBe(202);
      const runId = ((await res.json()) as { run_id: string }).run_id;
      named.set(t.name, runId);
      const run = await until(`run ${runId} to end`, async () => {
        const r = await ok({ key: t.key }, 'GET', `/api/v1/runs/${runId}`);
        return r.status === 'completed' ? r : undefined;
      });
      expect(run).toMatchObject({ agent_id: t.agentId, trigger_type: 'webhook', trigger_id: t.triggerId });
      expect((await call({ key: other.key }, 'GET', `/api/v1/runs/${runId}`)).status).toBe(404);
      expect(((await ok({ key: t.key }, 'GET', `/api/v1/runs?trigger_id=${t.triggerId}`)).items as { id: string }[]).map((r) => r.id)).toEqual([runId]);
      expect((await ok({ key: other.key }, 'GET', `/api/v1/runs?trigger_id=${t.triggerId}`)).items).toEqual([]);
      // A schedule run now: in its tenant too.
      const scheduled = await ok({ key: t.key }, 'POST', `/api/v1/schedules/${t.scheduleId}/run`);
      expect(scheduled).toMatchObject({ agent_id: t.agentId, trigger_type: 'schedule', trigger_id: t.scheduleId });
      await until(`run ${scheduled.id} to end`, async () =>
        (await ok({ key: t.key }, 'GET', `/api/v1/runs/${scheduled.id}`)).status === 'completed' ? true : undefined,
      );
      expect((await call({ key: other.key }, 'GET', `/api/v1/runs/${scheduled.id}`)).status).toBe(404);
      expect((await ok({ key: t.key }, 'GET', `/api/v1/schedules/${t.scheduleId}`)).last_run_id).toBe(scheduled.id);
      named.set(`${t.name}:scheduled`, scheduled.id as string);

      const held = await ok({ key: t.key }, 'POST', `/api/v1/agents/${t.agentId}/runs`, { prompt: 'case-hold' });
      await until(`run ${held.id} to start`, async () =>
        (await ok({ key: t.key }, 'GET', `/api/v1/runs/${held.id}`)).status === 'running' ? true : undefined,
      );
      expect((await call({ key: other.key }, 'POST', `/api/v1/runs/${held.id}/cancel`)).status).toBe(404);
      expect((await ok({ key: t.key }, 'POST', `/api/v1/runs/${held.id}/cancel`)).status).toBe('cancelled');
    }
    for (const t of Object.values(tenants)) {
      // run.started of each run, run.completed of the two triggered ones and the scheduled one, run.failed of the cancelled one.
      await until(`the run events at ${t.name}'s endpoint`, async () => {
        const got = eventsAt(t).filter((e) => e.data.agent_loop_id === t.agentId);
        return got.filter((e) => e.type === 'run.completed').length === 3 && got.some((e) => e.type === 'run.failed') ? true : undefined;
      });
      expect(
        eventsAt(t)
          .filter((e) => e.type === 'run.completed' && e.data.agent_loop_id === t.agentId)
          .map((e) => e.data.execution_id)
          .sort(),
      ).toEqual([t.runId, named.get(t.name)!, named.get(`${t.name}:scheduled`)!].sort());
    }
    for (const t of Object.values(tenants))
      for (const e of eventsAt(t)) {
        const owner = tenantOfAgent(e.data.agent_loop_id);
        expect(e, `${e.type} of ${e.data.agent_loop_id}`).toMatchObject({ org_id: owner.orgId, env_id: owner.envId });
      }
    // A post-action goes to its own tenant's receiver only.
    for (const t of Object.values(tenants)) expect(t.receiver.received.filter((r) => r.path.startsWith('/pa/')).map((r) => r.path)).toEqual([`/pa/${t.runId}`]);
  });

  it("delivers a run's events only to its own tenant's endpoints", () => {
    for (const t of Object.values(tenants)) {
      const agents = new Set(eventsAt(t).map((e) => e.data.agent_loop_id));
      expect([...agents], `agents whose run events reached ${t.name}'s endpoint`).toEqual([t.agentId]);
    }
  });
});
