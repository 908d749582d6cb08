/**
 * SSRF matrix (SECURITY.md): every place Hookline takes an outbound URL × every known way of
 * writing a loopback, private, link-local or metadata address. Each pair must be refused: when
 * saved, with a 4xx and a clear code, if the host is a literal the guard can judge; otherwise
 * when connecting, recorded as ssrf_blocked. Every URL aims at a canary server on 127.0.0.1,
 * which must see no connection at all, and a dial safety net makes any non-loopback dial throw
 * (nothing leaves the machine even if the guard failed). DNS answers come from an injected
 * resolver, never from real DNS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/net/index.js';
import { type Harness, startHookline } from '../helpers/hookline.js';
import { onlyLoopbackDials } from '../helpers/loopback-dials.js';
import { type Driver, type Outcome, type Sent, Surfaces } from './ssrf-surfaces.js';

const { dialled } = onlyLoopbackDials();

/** Hosts (the canary's port is added). `static`: the guard can judge it without DNS; `dns`: answered by the resolver. */
interface HostCase {
  label: string;
  host: string;
  kind: 'static' | 'dns' | 'userinfo';
  answers?: string[];
}
const lit = (label: string, host: string): HostCase => ({ label, host, kind: 'static' });
const dns = (label: string, host: string, ...answers: string[]): HostCase => ({ label, host, kind: 'dns', answers });

const HOSTS: HostCase[] = [
  lit('loopback', '127.0.0.1'),
  lit('decimal IPv4', '2130706433'),
  lit('hex dotted IPv4', '0x7f.1'),
  lit('octal IPv4', '017700000001'),
  lit('hex IPv4', '0x7f000001'),
  lit('short dotted IPv4', '127.1'),
  lit('zero-padded octal quad', '0177.0.0.01'),
  lit('IPv4-mapped IPv6 (dotted)', '[::ffff:127.0.0.1]'),
  lit('IPv4-mapped IPv6 (hex)', '[::ffff:7f00:1]'),
  lit('IPv4-compatible IPv6', '[::127.0.0.1]'),
  lit('NAT64 of loopback', '[64:ff9b::7f00:1]'),
  lit('6to4 of loopback', '[2002:7f00:1::1]'),
  lit('IPv6 unspecified', '[::]'),
  lit('IPv6 loopback', '[::1]'),
  lit('0.0.0.0', '0.0.0.0'),
  lit('bare 0', '0'),
  lit('localhost', 'localhost'),
  lit('localhost with trailing dot', 'localhost.'),
  lit('LOCALHOST', 'LOCALHOST'),
  lit('*.localhost', 'api.localhost'),
  lit('private 10/8', '10.0.0.1'),
  lit('private 172.16/12', '172.16.0.1'),
  lit('private 192.168/16', '192.168.1.1'),
  lit('CGNAT 100.64/10', '100.64.0.1'),
  lit('unique-local fc00::/7', '[fd12:3456::1]'),
  lit('link-local fe80::/10', '[fe80::1]'),
  lit('metadata 169.254.169.254', '169.254.169.254'),
  lit('metadata name', 'metadata.google.internal'),
  lit('metadata name with trailing dot', 'metadata.google.internal.'),
  lit('AWS IPv6 metadata', '[fd00:ec2::254]'),
  { label: 'userinfo trick', host: 'good.example@127.0.0.1', kind: 'userinfo' },
  dns('nip.io-style loopback name', '127.0.0.1.nip.io', '127.0.0.1'),
  dns('nip.io-style private name', '10.0.0.1.nip.io', '10.0.0.1'),
  dns('name → metadata', 'imds.attacker.example', '169.254.169.254'),
  dns('name → ::1', 'v6.attacker.example', '::1'),
  dns('name → mapped loopback', 'mapped.attacker.example', '::ffff:127.0.0.1'),
  dns('name → unique-local', 'ula.attacker.example', 'fd00::1'),
  dns('name → 0.0.0.0', 'zero.attacker.example', '0.0.0.0'),
  dns('name → public then loopback (one answer)', 'mixed.attacker.example', '93.184.215.14', '127.0.0.1'),
];

/**
 * Every place that takes an outbound URL. `checksAtSave`: a literal host must be refused when
 * saved (422), not only when sent. A surface missing from here is a surface not proven.
 */
const SURFACES: { name: string; takes: string; checksAtSave: boolean; driver: (s: Surfaces) => Driver }[] = [
  { name: 'endpoint (create)', takes: 'POST /api/v1/webhooks/endpoints url; sent for an event', checksAtSave: true, driver: (s) => s.endpointCreate },
  { name: 'endpoint (update + send test)', takes: 'PATCH …/endpoints/{id} url; POST …/{id}/test', checksAtSave: true, driver: (s) => s.endpointUpdate },
  { name: 'post-action (create)', takes: 'POST /api/v1/post-actions url; fired at run end', checksAtSave: true, driver: (s) => s.postActionCreate },
  { name: 'post-action (update)', takes: 'PATCH /api/v1/post-actions/{id} url', checksAtSave: true, driver: (s) => s.postActionUpdate },
  { name: 'post-action (templated host)', takes: 'url template whose host is rendered at run end', checksAtSave: false, driver: (s) => s.postActionTemplated },
  { name: 'agent callback', takes: 'PUT /api/v1/agents/{id}/callback url', checksAtSave: true, driver: (s) => s.callback },
  { name: 'Slack incoming-webhook target', takes: 'agent rule {channel: slack, target: URL}', checksAtSave: false, driver: (s) => s.slackWebhookTarget },
  { name: 'Slack api_base_url', takes: 'notifications.slack.api_base_url (useSlackNotifications)', checksAtSave: false, driver: (s) => s.slackApiBase },
  { name: 'Slack test message', takes: 'POST /api/v1/notifications/slack/test → api_base_url', checksAtSave: false, driver: (s) => s.slackTest },
  { name: 'named webhook', takes: 'notifications.webhooks[].url (useWebhookNotifications)', checksAtSave: false, driver: (s) => s.namedWebhook },
  { name: 'http runner (create)', takes: 'POST /api/v1/agents runner_config.url; run', checksAtSave: true, driver: (s) => s.httpRunnerCreate },
  { name: 'http runner (update)', takes: 'PATCH /api/v1/agents/{id} runner_config.url; run', checksAtSave: true, driver: (s) => s.httpRunnerUpdate },
  { name: 'openai runner', takes: 'POST /api/v1/agents runner_config.base_url; run', checksAtSave: true, driver: (s) => s.openaiRunnerCreate },
  { name: 'AGENT.md http runner', takes: 'agents.dir/<id>/AGENT.md runner_config.url; reload; run', checksAtSave: true, driver: (s) => s.agentFile },
];

const SAVE_CODES = ['ssrf_blocked', 'invalid_url', 'invalid_notifications'];
const urlOf = (host: string, port: number) => `http://${host}:${port}/ssrf`;

/** A TCP listener that counts every connection and byte: nothing Hookline sends may reach it. */
async function canary(host: string, port = 0): Promise<{ server: Server; port: number; connections: number; bytes: number }> {
  const c = { server: createServer(), port: 0, connections: 0, bytes: 0 };
  c.server.on('connection', (sock) => {
    c.connections++;
    sock.on('data', (d) => (c.bytes += d.length));
    sock.on('error', () => {});
    sock.destroy();
  });
  await new Promise<void>((r) => c.server.listen(port, host, r));
  c.port = (c.server.address() as AddressInfo).port;
  return c;
}

/** Resolver from a table; a name not in it fails like NXDOMAIN, so no test can reach real DNS. */
function tableResolver(table: Map<string, (n: number) => string[]>, lookups: Map<string, number>): Resolver {
  return async (hostname) => {
    const name = hostname.toLowerCase().replace(/\.$/, '');
    const n = (lookups.get(name) ?? 0) + 1;
    lookups.set(name, n);
    const answer = table.get(name)?.(n);
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };
}

const describeSent = (s: Sent) => `${s.blocked ? 'blocked' : s.delivered ? 'DELIVERED' : 'sent'} (${s.detail})`;

describe('SSRF matrix: default policy (nothing private allowed)', () => {
  let c: Awaited<ReturnType<typeof canary>>;
  let h: Harness;
  let surfaces: Surfaces;
  let agentsDir = '';
  const lookups = new Map<string, number>();
  const figures = { pairs: 0, refusedAtSave: 0, refusedAtSend: 0 };

  beforeAll(async () => {
    agentsDir = mkdtempSync(join(tmpdir(), 'hookline-ssrf-agents-'));
    c = await canary('127.0.0.1');
    const table = new Map(HOSTS.filter((x) => x.kind === 'dns').map((x) => [x.host, () => x.answers!]));
    h = await startHookline('sqlite', {
      resolve: tableResolver(table, lookups),
      overrides: {
        delivery: { allow_networks: [] },
        agents: { dir: agentsDir },
        notifications: { slack: { enabled: true, bot_token: 'xoxb-ssrf-matrix' } },
      },
    });
    surfaces = new Surfaces(h, agentsDir);
    await surfaces.setup();
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((r) => c?.server.close(r));
    if (agentsDir) rmSync(agentsDir, { recursive: true, force: true });
  });

  it.each(SURFACES)('$name refuses every host ($takes)', async (surface) => {
    const urls = HOSTS.map((x) => urlOf(x.host, c.port));
    const outcomes = await surface.driver(surfaces)(urls, 1);
    const wrong: string[] = [];
    HOSTS.forEach((host, i) => {
      const o = outcomes[i]! as Outcome;
      figures.pairs++;
      if ('refused' in o) {
        figures.refusedAtSave++;
        if (o.refused.status < 400 || o.refused.status >= 500 || !SAVE_CODES.includes(o.refused.code))
          wrong.push(`${host.label}: refused with ${o.refused.status} ${o.refused.code}: ${o.refused.message}`);
        return;
      }
      if (host.kind !== 'dns' && (surface.checksAtSave || host.kind === 'userinfo')) wrong.push(`${host.label}: a literal host was accepted when saved`);
      const [sent] = o.sent;
      if (sent?.blocked) figures.refusedAtSend++;
      else wrong.push(`${host.label}: ${sent ? describeSent(sent) : 'never sent'}`);
    });
    expect(wrong).toEqual([]);
    expect(c.connections).toBe(0);
  });

  it('nothing reached the canary, nothing was dialled beyond loopback, and every name was answered by the injected resolver', () => {
    expect({ connections: c.connections, bytes: c.bytes }).toEqual({ connections: 0, bytes: 0 });
    expect(dialled.filter((host) => host !== '127.0.0.1')).toEqual([]);
    // The DNS rows really went through the guard's resolution (not refused by accident before it).
    for (const x of HOSTS.filter((y) => y.kind === 'dns')) expect(lookups.get(x.host), x.host).toBeGreaterThan(0);
    expect(figures.pairs).toBe(SURFACES.length * HOSTS.length);
    expect(figures.refusedAtSave + figures.refusedAtSend).toBe(figures.pairs);
    console.log(
      `SSRF matrix: ${SURFACES.length} surfaces × ${HOSTS.length} hosts = ${figures.pairs} pairs; refused at save ${figures.refusedAtSave}, at connect ${figures.refusedAtSend}; canary connections 0`,
    );
  });
});

/**
 * Rebinding and redirects need a destination that may be reached, so this instance allows
 * 127.0.0.2 (standing in for a public address) and nothing else. The receiver there shares its
 * port with the canary on 127.0.0.1, so a rebound or redirected request would land on the canary.
 */
describe('SSRF: DNS rebinding and redirects (only 127.0.0.2 allowed)', () => {
  let c: Awaited<ReturnType<typeof canary>>;
  let good: HttpServer;
  const seen: string[] = [];
  let h: Harness;
  let surfaces: Surfaces;
  let agentsDir = '';
  const lookups = new Map<string, number>();
  // A name per surface: its first lookup answers the allowed address, every later one loopback.
  const table = new Map(SURFACES.map((_, i) => [`rebind-${i}.attacker.example`, (n: number) => (n === 1 ? ['127.0.0.2'] : ['127.0.0.1'])]));

  beforeAll(async () => {
    agentsDir = mkdtempSync(join(tmpdir(), 'hookline-ssrf-agents-'));
    c = await canary('127.0.0.1');
    good = createHttpServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      const path = req.url ?? '';
      // Each answer closes its connection, so the next send must connect (and resolve) again.
      if (path.startsWith('/redirect-out')) return void res.writeHead(302, { location: `http://127.0.0.1:${c.port}/followed-out`, connection: 'close' }).end();
      if (path.startsWith('/redirect-in')) return void res.writeHead(302, { location: `http://127.0.0.2:${c.port}/followed-in`, connection: 'close' }).end();
      // One body that every channel reads as success: Slack's {"ok":true}, OpenAI's choices, the http runner's output.
      res
        .writeHead(200, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify({ ok: true, ts: '1700000000.000100', output: 'fine', choices: [{ message: { role: 'assistant', content: 'fine' } }] }));
    });
    await new Promise<void>((r) => good.listen(c.port, '127.0.0.2', r));
    h = await startHookline('sqlite', {
      resolve: tableResolver(table, lookups),
      overrides: {
        delivery: { allow_networks: ['127.0.0.2/32'] },
        agents: { dir: agentsDir },
        notifications: { slack: { enabled: true, bot_token: 'xoxb-ssrf-matrix' } },
      },
    });
    surfaces = new Surfaces(h, agentsDir);
    await surfaces.setup();
  });
  afterAll(async () => {
    await h?.close();
    good?.closeAllConnections();
    await new Promise((r) => good?.close(r));
    await new Promise((r) => c?.server.close(r));
    if (agentsDir) rmSync(agentsDir, { recursive: true, force: true });
  });

  it.each(SURFACES.map((s, i) => ({ ...s, i })))(
    '$name: pinned to the address it vetted, refused once the name rebinds to loopback, redirects never followed',
    async (surface) => {
      const urls = [
        `http://rebind-${surface.i}.attacker.example:${c.port}/rebind/${surface.i}/`,
        `http://127.0.0.2:${c.port}/redirect-out/${surface.i}/`,
        `http://127.0.0.2:${c.port}/redirect-in/${surface.i}/`,
      ];
      const [rebind, out, inside] = (await surface.driver(surfaces)(urls, 2)).map((o) => {
        if (!('sent' in o)) throw new Error(`refused when saved: ${JSON.stringify(o)}`);
        return o.sent.map(describeSent);
      });
      // Round 1 reached the vetted address (127.0.0.2); round 2 resolved to 127.0.0.1 and was refused.
      expect(rebind![0]).toMatch(/^DELIVERED/);
      expect(rebind![1]).toMatch(/^blocked/);
      expect(seen.filter((p) => p.startsWith(`/rebind/${surface.i}/`))).toHaveLength(1);
      for (const redirected of [out!, inside!]) {
        expect(redirected).toHaveLength(2);
        for (const attempt of redirected) expect(attempt).toMatch(/^sent \(.*\b302\b/);
      }
      expect(seen.filter((p) => p.startsWith('/followed'))).toEqual([]);
      expect(c.connections).toBe(0);
    },
  );

  it('no byte reached the canary and no redirect was followed', () => {
    expect({ connections: c.connections, bytes: c.bytes }).toEqual({ connections: 0, bytes: 0 });
    expect(seen.filter((p) => p.startsWith('/followed'))).toEqual([]);
    expect(dialled.filter((host) => host !== '127.0.0.1' && host !== '127.0.0.2')).toEqual([]);
    for (const name of table.keys()) expect(lookups.get(name), name).toBeGreaterThanOrEqual(2);
  });
});

/** The control: with loopback allowed, the same drivers and URLs do reach the canary, so a guard bypass above could not go unseen. */
describe('SSRF matrix control: loopback allowed, the canary is reached', () => {
  it('an endpoint, a callback and the http runner aimed at the canary connect to it when the guard lets them', async () => {
    const c = await canary('127.0.0.1');
    const agentsDir = mkdtempSync(join(tmpdir(), 'hookline-ssrf-agents-'));
    const table = new Map([['127.0.0.1.nip.io', () => ['127.0.0.1']]]);
    const h = await startHookline('sqlite', {
      resolve: tableResolver(table, new Map()),
      overrides: { delivery: { allow_networks: ['127.0.0.0/8'] }, agents: { dir: agentsDir } },
    });
    try {
      const surfaces = new Surfaces(h, agentsDir);
      await surfaces.setup();
      const urls = [urlOf('2130706433', c.port), urlOf('127.0.0.1.nip.io', c.port)];
      for (const driver of [surfaces.endpointCreate, surfaces.callback, surfaces.httpRunnerCreate]) {
        const before = c.connections;
        const outcomes = await driver(urls, 1);
        for (const o of outcomes) expect('sent' in o && !o.sent[0]!.blocked && !o.sent[0]!.delivered).toBe(true);
        expect(c.connections - before).toBeGreaterThanOrEqual(urls.length);
      }
    } finally {
      await h.close();
      await new Promise((r) => c.server.close(r));
      rmSync(agentsDir, { recursive: true, force: true });
    }
  });
});
