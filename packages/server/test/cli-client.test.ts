/**
 * The client commands of the `hookline` CLI (docs/cli.md), as real processes against a real
 * Hookline on 127.0.0.1 and real receivers: JSON and human output, exit codes, following a
 * run's logs, bulk retry, `listen` forwarding signed events, `verify`, and login profiles.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner, RunOptions, RunOutcome } from '../src/agents/runner.js';
import { signatureHeaders } from '../src/crypto/signing.js';
import { ADMIN_KEY, type Harness, startHookline } from './helpers/hookline.js';
import { Cli, type CliResult } from './helpers/cli.js';
import { assertCliBuilt } from './helpers/process.js';
import { Receiver } from './helpers/receiver.js';
import { until } from './helpers/wait.js';

const done = (status: RunOutcome['status'], error: string | null = null): RunOutcome => ({
  status,
  output: status === 'completed' ? 'all good' : '',
  error,
  exitCode: status === 'completed' ? 0 : 1,
  usage: {},
});

/** Every run prints a line; `case-failed` fails; `case-hold` runs until the test releases or cancels it. */
class TestRunner implements Runner {
  readonly held = new Map<string, { log: (line: string) => void; end: (o: RunOutcome) => void }>();
  run(ctx: { runId: string; prompt: string }, o: RunOptions): Promise<RunOutcome> {
    o.onLog('stdout', `started ${ctx.runId}`);
    if (ctx.prompt.includes('case-failed')) return Promise.resolve(done('failed', 'it broke'));
    if (!ctx.prompt.includes('case-hold')) return Promise.resolve(done('completed'));
    return new Promise((resolve) => {
      this.held.set(ctx.runId, { log: (l) => o.onLog('stdout', l), end: resolve });
      o.signal.addEventListener('abort', () => resolve(done('cancelled', 'cancelled')), { once: true });
    });
  }
}

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hookline-cli-client-'));
  dirs.push(d);
  return d;
};

/** A TCP proxy to `target` whose connections the test can cut, as a flaky network would. */
async function tcpProxy(target: string): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  const server = createServer((down) => {
    const up = connect(Number(port), hostname);
    const end = () => (down.destroy(), up.destroy());
    for (const s of [down, up]) {
      open.add(s);
      s.on('error', end).on('close', () => (open.delete(s), end()));
    }
    down.pipe(up).pipe(down);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    cut: () => open.forEach((s) => s.destroy()),
    close: () => new Promise((r) => (open.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

describe('hookline CLI against a server', () => {
  assertCliBuilt();
  const runner = new TestRunner();
  let h: Harness;
  let home: string;
  const recv = new Receiver();
  const env = (extra: Record<string, string | undefined> = {}) => ({ HOME: home, HOOKLINE_URL: h.url, HOOKLINE_API_KEY: ADMIN_KEY, ...extra });
  const start = (args: string[], extra: Record<string, string | undefined> = {}, stdin?: string) => new Cli(args, env(extra), stdin);
  const cli = (args: string[], extra: Record<string, string | undefined> = {}, stdin?: string) => start(args, extra, stdin).exited;
  const json = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out);
  };
  const runEnded = (id: string) =>
    until(`run ${id} to end`, async () => {
      const r = (await h.call('GET', `/api/v1/runs/${id}`)).body;
      return ['queued', 'running'].includes(r.status) ? undefined : r;
    });

  beforeAll(async () => {
    home = tmp();
    h = await startHookline('sqlite', { runnerFor: () => runner });
    await recv.start();
    await h.call('POST', '/api/v1/crews', { id: 'ops', name: 'Ops' });
    await h.call('POST', '/api/v1/agents', {
      id: 'worker',
      crew_id: 'ops',
      name: 'Worker',
      runner: 'command',
      runner_config: { command: process.execPath },
      max_concurrent_runs: 10,
    });
  });
  afterAll(async () => {
    await h?.close();
    await recv.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('crews and agents: create from flags and from an AGENT.md, list, get, rotate the secret, delete', async () => {
    expect(await json(['crews', 'create', '--id', 'acme', '--name', 'Acme Engineering'])).toMatchObject({ id: 'acme', name: 'Acme Engineering' });
    const crews = await cli(['crews', 'ls']);
    expect(crews.out).toMatch(/^ID\s+NAME\s+CREATED/);
    expect(crews.out).toMatch(/acme\s+Acme Engineering/);
    const fromFlags = await json([
      'agents',
      'create',
      '--crew',
      'acme',
      '--name',
      'Bot',
      '--id',
      'bot',
      '--command',
      'echo',
      '--arg',
      'hi',
      '--prompt',
      'Be brief.',
    ]);
    expect(fromFlags).toMatchObject({
      id: 'bot',
      crew_id: 'acme',
      runner: 'command',
      runner_config: { command: 'echo', args: ['hi'] },
      prompt_template: 'Be brief.',
      webhook_secret: expect.stringMatching(/^hltr_/),
    });

    const dir = join(tmp(), 'reviewer');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'AGENT.md'),
      '---\nname: Code reviewer\ncrew: filed\ncrew_name: Filed Crew\nrunner_config:\n  command: claude\ntimeout: 15m\n---\n\nReview it.\n',
    );
    const created = await cli(['agents', 'create', '--file', join(dir, 'AGENT.md')]);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/created agent reviewer in crew filed/);
    expect(created.out).toMatch(/webhook secret: hltr_/);
    expect((await h.call('GET', '/api/v1/crews/filed')).body.name).toBe('Filed Crew');
    expect(await json(['agents', 'ls', '--crew', 'filed'])).toMatchObject({
      total: 1,
      items: [{ id: 'reviewer', name: 'Code reviewer', timeout_seconds: 900, prompt_template: 'Review it.' }],
    });
    const got = await cli(['agents', 'get', 'reviewer']);
    expect(got.out).toMatch(/runner\s+command/);
    expect(got.out).toMatch(/Review it\./);
    const rotated = await cli(['agents', 'rotate-secret', 'reviewer']);
    expect(rotated.out).toMatch(/new webhook secret for reviewer: hltr_/);
    expect((await cli(['agents', 'rm', 'reviewer'])).code).toBe(0);
    expect((await h.call('GET', '/api/v1/agents/reviewer')).status).toBe(404);

    const broken = join(tmp(), 'AGENT.md');
    writeFileSync(broken, '---\nname: x\nrunner: teleport\n---\n');
    const bad = await cli(['agents', 'create', '--file', broken]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/AGENT\.md:3: .*runner/);
  });

  it('exit codes: 3 not found, 2 bad arguments, 4 wrong key or read-only key, 5 server down, 78 nothing configured', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const readKey = (await h.call('POST', '/api/v1/keys', { name: 'reader', role: 'read' })).body.key as string;
    const [missing, badStatus, badJson, wrongKey, readOnly, down, none] = await Promise.all([
      cli(['agents', 'get', 'nope']),
      cli(['runs', 'ls', '--status', 'bogus']),
      cli(['events', 'publish', 'order.created', '--data', '{broken']),
      cli(['crews', 'ls'], { HOOKLINE_API_KEY: 'hl_sk_wrong_0123456789abcdef' }),
      cli(['crews', 'create', '--name', 'Nope'], { HOOKLINE_API_KEY: readKey }),
      cli(['runs', 'ls'], { HOOKLINE_URL: `http://127.0.0.1:${port}` }),
      cli(['runs', 'ls'], { HOOKLINE_URL: undefined, HOOKLINE_API_KEY: undefined }),
    ]);
    expect([missing.code, badStatus.code, badJson.code, wrongKey.code, readOnly.code, down.code, none.code]).toEqual([3, 2, 2, 4, 4, 5, 78]);
    expect(missing.err).toMatch(/^error: agent nope does not exist \(not_found\)\nhint: /);
    expect(badStatus.err).toMatch(/argument 'bogus' is invalid/);
    expect(badJson.err).toMatch(/--data is not valid JSON/);
    expect(wrongKey.err).toMatch(/\(unauthorized\)\nhint: check the API key/);
    expect(readOnly.err).toMatch(/\(forbidden\)\nhint: this key is read-only/);
    expect(down.err).toMatch(/could not reach Hookline .*\(connection_failed\)/);
    expect(none.err).toMatch(/no Hookline server configured \(config_missing\)\nhint: .*hookline login/);
    for (const r of [missing, wrongKey, readOnly, down]) expect(r.out).toBe('');
  });

  it('runs: trigger (--wait exits 0 only when completed), ls, get, logs', async () => {
    const ok = await cli(['runs', 'trigger', 'worker', '--data', '{"pr": 42}', '--wait', '--json']);
    expect(ok.code, ok.err).toBe(0);
    const run = JSON.parse(ok.out);
    expect(run).toMatchObject({ agent_id: 'worker', status: 'completed', trigger_type: 'manual', prompt: '{\n  "pr": 42\n}' });
    const failed = await cli(['runs', 'trigger', 'worker', '--prompt', 'case-failed', '--wait']);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/status\s+failed/);
    expect(failed.out).toMatch(/error\s+it broke/);
    const listed = await json(['runs', 'ls', '--agent', 'worker', '--status', 'completed']);
    expect(listed.items.map((r: any) => r.id)).toContain(run.id);
    expect(listed.items.every((r: any) => r.status === 'completed')).toBe(true);
    const table = await cli(['runs', 'ls', '--agent', 'worker']);
    expect(table.out).toMatch(new RegExp(`${run.id}\\s+worker\\s+completed`));
    expect((await cli(['runs', 'get', run.id])).out).toMatch(/all good/);
    expect((await cli(['runs', 'logs', run.id])).out).toBe(`started ${run.id}\n`);
  });

  it('runs logs -f prints the backlog, then live lines once each, until the run ends (exit 0 when completed)', async () => {
    const run = (await h.call('POST', '/api/v1/agents/worker/runs', { prompt: 'case-hold' })).body;
    const held = await until('the run to be held', async () => runner.held.get(run.id));
    held.log('one');
    const follow = start(['runs', 'logs', run.id, '-f']);
    let r: CliResult;
    try {
      await follow.waitFor(/one\n/);
      held.log('two');
      held.log('three');
      await follow.waitFor(/three\n/);
    } finally {
      held.end(done('completed'));
      r = await follow.exited;
    }
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`started ${run.id}\none\ntwo\nthree\n`);
    expect(r.err).toMatch(new RegExp(`run ${run.id} completed`));
  });

  it('runs trigger --follow, then runs cancel: the follower exits 1', async () => {
    const follow = start(['runs', 'trigger', 'worker', '--prompt', 'case-hold', '--follow']);
    const id = (await follow.waitFor(/run (run_\w+)/, 'err'))[1]!;
    await follow.waitFor(/started run_/);
    const cancelled = await cli(['runs', 'cancel', id]);
    expect(cancelled.out).toMatch(new RegExp(`run ${id} is (cancelled|running)`));
    const r = await follow.exited;
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`run ${id} cancelled`));
  });

  it('endpoints: create (secret once), ls, get, update, disable/enable, test, rotate, replay, rm', async () => {
    const ep = await json(['endpoints', 'create', `${recv.url}/ep`, '--events', 'shop.*,webhook.test', '--description', 'shop hooks', '-H', 'X-Team: ops']);
    expect(ep).toMatchObject({
      url: `${recv.url}/ep`,
      events: ['shop.*', 'webhook.test'],
      headers: { 'X-Team': '********' },
      secret: expect.stringMatching(/^whsec_/),
    });
    const listed = await cli(['endpoints', 'ls']);
    expect(listed.out).toMatch(new RegExp(`${ep.id}\\s+${recv.url}/ep\\s+shop\\.\\*,webhook\\.test\\s+enabled`));
    expect(listed.out).not.toContain(ep.secret);
    expect((await cli(['endpoints', 'get', ep.id])).out).toMatch(/description\s+shop hooks/);
    expect(await json(['endpoints', 'update', ep.id, '--events', 'shop.*', '--retry-schedule', '10s,1m'])).toMatchObject({
      events: ['shop.*'],
      retry_schedule: [10, 60],
    });
    expect((await cli(['endpoints', 'disable', ep.id])).out).toMatch(/is disabled/);
    const refused = await cli(['endpoints', 'test', ep.id]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/\(endpoint_disabled\)\nhint: enable it first/);
    expect((await cli(['endpoints', 'enable', ep.id])).out).toMatch(/is enabled/);
    const before = recv.received.length;
    expect((await cli(['endpoints', 'test', ep.id])).out).toMatch(/sent test event evt_/);
    await recv.waitFor(before + 1);
    expect(JSON.parse(recv.received.at(-1)!.body).type).toBe('webhook.test');
    const rotated = await json(['endpoints', 'rotate-secret', ep.id, '--grace', '0']);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(ep.secret);
    await h.call('POST', '/api/v1/events', { type: 'shop.sold', data: { n: 1 } });
    await recv.waitFor(before + 2);
    const replay = await cli(['endpoints', 'replay', ep.id, '--since', '1h', '--wait']);
    expect(replay.code, replay.err).toBe(0);
    // Only shop.sold is in the window and still subscribed (the test event's type no longer is).
    expect(replay.out).toMatch(/replaying 1 event to/);
    await recv.waitFor(before + 3);
    expect((await cli(['endpoints', 'rm', ep.id])).out).toMatch(/deleted endpoint/);
    expect((await cli(['endpoints', 'get', ep.id])).code).toBe(3);
  });

  it('endpoints: a subscribed type nothing publishes is saved, with its warning on stderr and in --json', async () => {
    const created = await cli(['endpoints', 'create', `${recv.url}/typo`, '--events', 'run.failed,runs.completed', '--disabled']);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/created endpoint ep_/);
    expect(created.err).toBe('warning: events[1]: "runs.completed" is not a known event type (not built in, never published); did you mean "run.completed"?\n');
    const id = /created endpoint (ep_\S+)/.exec(created.out)![1]!;
    const updated = await cli(['endpoints', 'update', id, '--events', 'bogus']);
    expect(updated.out).toBe(`updated endpoint ${id}\n`);
    expect(updated.err).toMatch(/^warning: events\[0\]: "bogus" is not a known event type .*exactly that type\n$/);
    const asJson = await json(['endpoints', 'update', id, '--events', 'run.failed,bogus']);
    expect(asJson.warnings).toEqual([
      { code: 'unknown_event_type', field: 'events[1]', message: expect.stringContaining('"bogus" is not a known event type') },
    ]);
    expect((await cli(['endpoints', 'update', id, '--events', 'run.*'])).err).toBe('');
    await cli(['endpoints', 'rm', id]);
  });

  it('events publish, deliveries ls --failed, and deliveries retry --failed in bulk with a summary', async () => {
    const flaky = new Receiver();
    await flaky.start();
    flaky.respond = (_r, res) => void res.writeHead(503).end('down');
    try {
      const ep = await json(['endpoints', 'create', flaky.url, '--events', 'bulk.*', '--retry-schedule', 'none']);
      const published = await json(['events', 'publish', 'bulk.one', '--data', '{"n":1}', '--id', 'bulk-1']);
      expect(published).toMatchObject({ event: { id: 'bulk-1', type: 'bulk.one', data: { n: 1 } }, duplicate: false, deliveries: 1 });
      expect((await cli(['events', 'publish', 'bulk.one', '--id', 'bulk-1'])).out).toMatch(/already published/);
      const file = join(tmp(), 'payload.json');
      writeFileSync(file, '{"n":2}');
      expect((await cli(['events', 'publish', 'bulk.two', '--data', `@${file}`])).out).toMatch(/published bulk\.two evt_\w+ → 1 endpoint/);
      expect((await cli(['events', 'publish', 'bulk.three', '--data', '-'], {}, '{"n":3}')).code).toBe(0);
      const failed = await until('3 failed deliveries', async () => {
        const page = await json(['deliveries', 'ls', '--failed', '--endpoint', ep.id]);
        return page.total === 3 ? page : undefined;
      });
      expect(failed.items.map((d: any) => d.event_type).sort()).toEqual(['bulk.one', 'bulk.three', 'bulk.two']);
      const human = await cli(['deliveries', 'ls', '--failed', '--endpoint', ep.id]);
      expect(human.out).toMatch(/bulk\.one\s+ep_\w+\s+failed\s+1\s+503/);
      expect((await cli(['deliveries', 'retry', '--failed', '--endpoint', ep.id, '--dry-run'])).out).toMatch(/3 failed deliveries would be retried/);

      flaky.respond = (_r, res) => void res.writeHead(200).end('ok');
      const bulk = await cli(['deliveries', 'retry', '--failed', '--endpoint', ep.id]);
      expect(bulk.code, bulk.err).toBe(0);
      expect(bulk.out).toBe('retried 3 of 3 deliveries\n');
      await until('all three delivered', async () =>
        (await h.call('GET', `/api/v1/deliveries?endpoint_id=${ep.id}&status=delivered`)).body.total === 3 ? true : undefined,
      );
      expect(flaky.received).toHaveLength(6);
      const one = await cli(['deliveries', 'retry', failed.items[0].id, 'dlv_nope', '--json']);
      expect(one.code).toBe(3);
      expect(JSON.parse(one.out)).toEqual({ retried: [failed.items[0].id], refused: [{ id: 'dlv_nope', code: 'not_found', message: expect.any(String) }] });
      expect((await cli(['deliveries', 'get', failed.items[0].id])).out).toMatch(/#\s+STARTED\s+STATUS/);
    } finally {
      await flaky.close();
    }
  });

  it('listen forwards matching events to a local app, signed with the printed secret; fetches a cut event whole; reconnects; Ctrl-C exits 0', async () => {
    const app = new Receiver();
    await app.start();
    const proxy = await tcpProxy(h.url);
    const listen = start(['listen', '--forward-to', `${app.url}/hooks`, '--events', 'invoice.*'], { HOOKLINE_URL: proxy.url });
    try {
      const secret = (await listen.waitFor(/your local signing secret is (whsec_[A-Za-z0-9+/=]+)/i, 'err'))[1]!;
      await listen.waitFor(/Ready! Forwarding invoice\.\*/, 'err');
      await h.call('POST', '/api/v1/events', { type: 'invoice.paid', id: 'inv-1', data: { amount: 4200 } });
      await h.call('POST', '/api/v1/events', { type: 'order.created', data: { ignored: true } });
      const blob = 'x'.repeat(20_000);
      await h.call('POST', '/api/v1/events', { type: 'invoice.big', id: 'inv-big', data: { blob } });
      await app.waitFor(2);
      await listen.waitFor(/invoice\.big inv-big → POST .*\[200\]/);

      proxy.cut();
      await listen.waitFor(/connection lost .*reconnecting in/, 'err');
      await listen.waitFor(/reconnected/, 'err');
      await h.call('POST', '/api/v1/events', { type: 'invoice.late', id: 'inv-late', data: {} });
      await app.waitFor(3);

      const wh = new Webhook(secret);
      const events = app.received.map((r) => wh.verify(r.body, r.headers as Record<string, string>) as any);
      expect(events.map((e) => e.type)).toEqual(['invoice.paid', 'invoice.big', 'invoice.late']);
      expect(events[0]).toMatchObject({ id: 'inv-1', data: { amount: 4200 } });
      expect(events[1].data.blob).toBe(blob);
      expect(app.received.map((r) => [r.path, r.headers['webhook-id']])).toEqual([
        ['/hooks', 'inv-1'],
        ['/hooks', 'inv-big'],
        ['/hooks', 'inv-late'],
      ]);
      expect(listen.out).toMatch(/invoice\.paid inv-1 → POST .*\/hooks \[200\]/);
      expect(listen.out).not.toMatch(/order\.created/);
      listen.child.kill('SIGINT');
      expect((await listen.exited).code).toBe(0);
    } finally {
      listen.child.kill('SIGKILL');
      await app.close();
      await proxy.close();
    }
  });

  it('verify: valid exits 0, a wrong secret or stale timestamp exits 1 with the reason, also for an Inspector capture', async () => {
    const secret = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
    const body = '{"id":"evt_1","type":"invoice.paid","data":{}}';
    const sig = signatureHeaders('standard', { msgId: 'evt_1', timestampSec: Math.floor(Date.now() / 1000), body, secrets: [secret] });
    const dir = tmp();
    writeFileSync(join(dir, 'body.json'), body);
    writeFileSync(
      join(dir, 'request.http'),
      `POST /hooks HTTP/1.1\n${Object.entries(sig)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}\ncontent-type: application/json\n\n${body}`,
    );
    const flags = Object.entries(sig).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
    const [valid, fromStdin, rawFile, wrong, stale, noSecret] = await Promise.all([
      cli(['verify', '--secret', secret, ...flags, '--body-file', join(dir, 'body.json')]),
      cli(['verify', '--secret', secret, ...flags, '--json'], {}, body),
      cli(['verify', '--headers-file', join(dir, 'request.http')], { HOOKLINE_WEBHOOK_SECRET: secret }),
      cli(['verify', '--secret', 'whsec_' + Buffer.alloc(24, 8).toString('base64'), ...flags, '--json'], {}, body),
      cli(
        ['verify', '--secret', secret, '-H', 'webhook-id: evt_1', '-H', 'webhook-timestamp: 1000', '-H', `webhook-signature: ${sig['webhook-signature']}`],
        {},
        body,
      ),
      cli(['verify', ...flags], {}, body),
    ]);
    expect([valid.code, fromStdin.code, rawFile.code, wrong.code, stale.code, noSecret.code]).toEqual([0, 0, 0, 1, 1, 2]);
    expect(valid.out).toBe('valid: signed with this secret (standard)\n');
    expect(JSON.parse(fromStdin.out)).toMatchObject({ valid: true, scheme: 'standard' });
    expect(JSON.parse(wrong.out)).toMatchObject({ valid: false, reason: 'invalid_signature' });
    expect(stale.out).toMatch(/^invalid \(timestamp_too_old, standard\): /);

    expect((await h.call('POST', '/api/v1/inspector/bins', { name: 'cli-bin' })).status).toBe(201);
    const capture = await fetch(`${h.url}/inspect/cli-bin`, { method: 'POST', headers: { 'content-type': 'application/json', ...sig }, body });
    expect(capture.status).toBeLessThan(300);
    const req = (await h.call('GET', '/api/v1/inspector/bins/cli-bin/requests')).body.items[0];
    const [good, bad, missing] = await Promise.all([
      cli(['verify', '--inspector', `cli-bin/${req.id}`, '--secret', secret]),
      cli(['verify', '--inspector', `cli-bin/${req.id}`, '--secret', 'whsec_' + Buffer.alloc(24, 9).toString('base64')]),
      cli(['verify', '--inspector', 'cli-bin/req_nope', '--secret', secret]),
    ]);
    expect([good.code, bad.code, missing.code]).toEqual([0, 1, 3]);
    expect(good.out).toMatch(/^valid/);
    expect(bad.out).toMatch(/^invalid \(invalid_signature/);
  });

  it('login writes a 0600 profile that later commands use; the key never appears in any output', async () => {
    const key = (await h.call('POST', '/api/v1/keys', { name: 'laptop', role: 'admin' })).body.key as string;
    const own = tmp();
    const noEnv = { HOME: own, HOOKLINE_URL: undefined, HOOKLINE_API_KEY: undefined };
    const refused = await cli(['login', '--url', h.url, '--api-key', 'hl_sk_wrong_0123456789abcdef'], noEnv);
    expect(refused.code).toBe(4);
    const login = await cli(['login', '--url', h.url, '--profile', 'local'], { ...noEnv, HOOKLINE_API_KEY: key });
    expect(login.code, login.err).toBe(0);
    const file = join(own, '.config', 'hookline', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ default_profile: 'local', profiles: { local: { url: h.url, api_key: key } } });
    const outputs = [refused, login];
    outputs.push(await cli(['crews', 'ls', '--json'], noEnv));
    expect(JSON.parse(outputs.at(-1)!.out).items.map((c: any) => c.id)).toContain('ops');
    outputs.push(await cli(['profiles'], noEnv));
    expect(outputs.at(-1)!.out).toMatch(/local \*\s+http:\/\/127\.0\.0\.1/);
    outputs.push(await cli(['--profile', 'other', 'crews', 'ls'], noEnv));
    expect(outputs.at(-1)!.code).toBe(78);
    outputs.push(await cli(['keys', 'ls', '--profile', 'local', '--json'], noEnv));
    expect(JSON.parse(outputs.at(-1)!.out).items.map((k: any) => k.name)).toContain('laptop');
    for (const o of outputs) expect(o.out + o.err).not.toContain(key.slice(12));
  });

  it('post-actions and notifications: list, show run history, retry; --help of every group has examples', async () => {
    const pa = (
      await h.call('POST', '/api/v1/post-actions', { name: 'notify-app', method: 'POST', url: `${recv.url}/pa`, body_template: '{"status":"{{status}}"}' })
    ).body;
    await h.call('POST', `/api/v1/post-actions/${pa.id}/bindings`, { trigger_type: 'webhook', trigger_id: 'worker' });
    await h.call('PUT', '/api/v1/agents/worker/callback', { url: `${recv.url}/callback` });
    const secret = (await h.call('POST', '/api/v1/agents/worker/webhook-secret/rotate')).body.webhook_secret;
    const payload = '{"go":true}';
    const { createHmac } = await import('node:crypto');
    const res = await fetch(`${h.url}/api/v1/webhooks/ops/worker/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', secret).update(payload).digest('hex') },
      body: payload,
    });
    const runId = ((await res.json()) as { run_id: string }).run_id;
    await runEnded(runId);
    const runs = await until('the post-action run', async () => {
      const p = await json(['post-actions', 'runs', pa.id]);
      return p.items[0]?.status === 'success' ? p : undefined;
    });
    expect(runs.items[0]).toMatchObject({ run_id: runId, http_status_code: 200 });
    expect((await cli(['post-actions', 'ls'])).out).toMatch(new RegExp(`${pa.id}\\s+notify-app\\s+POST`));
    expect((await cli(['post-actions', 'get', pa.id])).out).toMatch(/\{"status":"\{\{status\}\}"\}/);
    const callback = await until('the callback notification', async () => {
      const p = await json(['notifications', 'ls', '--run', runId, '--channel', 'callback']);
      return p.items[0]?.status === 'delivered' ? p.items[0] : undefined;
    });
    const before = recv.received.filter((r) => r.path === '/callback').length;
    expect((await cli(['notifications', 'retry', callback.id])).out).toMatch(/retrying notification .* \(callback →/);
    await until('the callback sent again', async () => (recv.received.filter((r) => r.path === '/callback').length > before ? true : undefined));
    expect((await cli(['notifications', 'ls', '--run', runId])).out).toMatch(/callback\s+http/);

    const groups = ['crews', 'agents', 'runs', 'endpoints', 'events', 'deliveries', 'post-actions', 'notifications', 'verify', 'listen', 'login', 'keys'];
    const helps = await Promise.all([...groups.map((g) => cli([g, '--help'])), cli(['runs', 'logs', '--help']), cli(['--help'])]);
    for (const r of helps) {
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Examples:\n {2}\$ (npx )?hookline /);
    }
    expect(helps.at(-1)!.out).toMatch(/Exit codes:\n\s+0\s+success[\s\S]*3\s+not found[\s\S]*78/);
  });
});
