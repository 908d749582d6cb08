/**
 * Customer portal sessions (docs/portal.md) from every client: the TypeScript SDK's
 * `portal.createSession`, the Python SDK's `portal.create_session` and `hookline portal open`,
 * against a real Hookline on both stores. Needs the server's POST /api/v1/portal/sessions.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cli } from '../../server/test/helpers/cli.js';
import { ADMIN_KEY, type Harness, STORES, startHookline } from '../../server/test/helpers/hookline.js';
import { assertCliBuilt } from '../../server/test/helpers/process.js';
import { Hookline, type OrgWithEnvironments } from '../src/index.js';
import { apiError } from './api-error.js';

const PYTHON_SDK = fileURLToPath(new URL('../../sdk-python/', import.meta.url));
/** A portal link: the org in the query (for its frame-ancestors), the token in the fragment, never in the path or query. */
const PORTAL_URL = /^https?:\/\/[^#?]+\/portal\/\?org=org_[0-9A-Z]+#token=(hl_ps_[^&\s]+)$/;

/** Runs a Python snippet with this checkout's `hookline` package; resolves with its stdout. */
function python(code: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('HOOKLINE_')) base[k] = v;
    const child = spawn('python3', ['-c', code], {
      env: { ...base, PYTHONPATH: PYTHON_SDK, PYTHONDONTWRITEBYTECODE: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.once('error', reject);
    child.once('close', (exit) => resolve({ code: exit, out, err }));
  });
}

/** The CLI and Python steps start processes: seconds each on a busy machine. */
const SLOW_MS = 120_000;

describe.each(STORES)('portal sessions from the SDKs and the CLI (%s)', (kind) => {
  assertCliBuilt();
  let h: Harness;
  let client: Hookline;
  let a: OrgWithEnvironments;
  let b: OrgWithEnvironments;
  /** A portal token's answer on the portal's own context route. */
  const context = async (token: string) => (await fetch(`${h.url}/api/v1/portal/context`, { headers: { authorization: `Bearer ${token}` } })).status;

  beforeAll(async () => {
    h = await startHookline(kind);
    client = new Hookline({ apiKey: ADMIN_KEY, baseUrl: h.url, maxRetries: 0 });
    a = await client.orgs.create({ name: 'Portal A' });
    b = await client.orgs.create({ name: 'Portal B' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it(
    'TypeScript: createSession answers a link whose token works, and only inside the key scope',
    async () => {
      const before = Date.now();
      const session = await client.portal.createSession({ org_id: a.id, env_id: a.envs[0]!.id, event_types: ['order.*'], read_only: true, ttl: '30m' });
      const [, token] = PORTAL_URL.exec(session.url) ?? [];
      expect(token, session.url).toBe(session.token);
      expect(session.token).toMatch(/^hl_ps_/);
      const expires = Date.parse(session.expires_at);
      expect(expires).toBeGreaterThanOrEqual(before + 30 * 60_000 - 5_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 60_000 + 5_000);
      expect(await context(session.token)).toBe(200);
      expect(await context(session.token.slice(0, -2) + (session.token.endsWith('AA') ? 'BB' : 'AA'))).toBe(401);

      const bKey = (await client.keys.create({ name: 'b admin', org_id: b.id })).key;
      const aEnvKey = (await client.keys.create({ name: 'a env', org_id: a.id, env_id: a.envs[0]!.id })).key;
      const aReadKey = (await client.keys.create({ name: 'a read', role: 'read', org_id: a.id })).key;
      const as = (key: string) => new Hookline({ apiKey: key, baseUrl: h.url, maxRetries: 0 });
      expect((await as(bKey).portal.createSession({ org_id: b.id, env_id: b.envs[0]!.id })).token).toMatch(/^hl_ps_/);
      expect((await apiError(as(bKey).portal.createSession({ org_id: a.id, env_id: a.envs[0]!.id }))).status).toBe(404);
      expect((await apiError(as(aEnvKey).portal.createSession({ org_id: a.id, env_id: a.envs[0]!.id }))).status).toBe(403);
      expect((await apiError(as(aReadKey).portal.createSession({ org_id: a.id, env_id: a.envs[0]!.id }))).status).toBe(403);
      expect((await apiError(client.portal.createSession({ org_id: a.id, env_id: b.envs[0]!.id }))).status).toBe(404);
      expect((await apiError(client.portal.createSession({ org_id: a.id, env_id: a.envs[0]!.id, ttl: '25h' }))).status).toBe(422);
    },
    SLOW_MS,
  );

  it(
    'Python: portal.create_session answers the same link',
    async () => {
      const r = await python(
        `import json
from hookline import Hookline
print(json.dumps(Hookline().portal.create_session("${a.id}", "${a.envs[0]!.id}", read_only=True, ttl="15m")))`,
        { HOOKLINE_URL: h.url, HOOKLINE_API_KEY: ADMIN_KEY },
      );
      expect(r.code, r.err).toBe(0);
      const session = JSON.parse(r.out) as { url: string; token: string; expires_at: string };
      expect(PORTAL_URL.exec(session.url)?.[1]).toBe(session.token);
      expect(Date.parse(session.expires_at)).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 5_000);
      expect(await context(session.token)).toBe(200);
    },
    SLOW_MS,
  );

  it(
    'CLI: portal open --org --env prints the link (--json the whole answer); another org is exit 3',
    async () => {
      const cli = (args: string[], key = ADMIN_KEY) => new Cli(args, { HOOKLINE_URL: h.url, HOOKLINE_API_KEY: key }).exited;
      const bKey = (await client.keys.create({ name: 'b cli', org_id: b.id })).key;
      const [human, json, other] = await Promise.all([
        cli(['portal', 'open', '--org', a.id, '--env', a.envs[0]!.id, '--ttl', '15m', '--event-types', 'order.*,invoice.paid']),
        cli(['--org', a.id, '--env', a.envs[0]!.id, 'portal', 'open', '--read-only', '--json']),
        cli(['portal', 'open', '--org', a.id, '--env', a.envs[0]!.id], bKey),
      ]);
      expect(human.code, human.err).toBe(0);
      const [, token] = PORTAL_URL.exec(human.out.trim()) ?? [];
      expect(token, human.out).toBeDefined();
      expect(await context(token!)).toBe(200);
      expect(json.code, json.err).toBe(0);
      const session = JSON.parse(json.out) as { url: string; token: string };
      expect(PORTAL_URL.exec(session.url)?.[1]).toBe(session.token);
      expect(other.code, other.err).toBe(3);
    },
    SLOW_MS,
  );
});
