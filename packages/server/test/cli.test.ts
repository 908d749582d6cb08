import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI_BIN } from './helpers/process.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hookline-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HOOKLINE_')) e[k] = v;
  return { ...e, ...extra };
}

function run(args: string[], cwd: string, extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd, env: env(extra), encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('hookline CLI', () => {
  assertCliBuilt();

  it('first start creates the embedded store and a 0600 master key, prints an admin key once, and that key works', async () => {
    const cwd = tmp();
    const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0'], {
      cwd,
      env: env({ HOOKLINE_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening line in: ${out}`)), 20_000);
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const key = /hl_sk_\w+/.exec(out);
          const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
          if (m && key) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
      });
      const key = /\n\s+(hl_sk_\w+)\n/.exec(out)![1]!;
      expect(statSync(join(cwd, '.hookline', 'master.key')).mode & 0o777).toBe(0o600);
      expect(statSync(join(cwd, '.hookline', 'hookline.db')).isFile()).toBe(true);
      const r = await fetch(`${url}/api/v1/webhooks/endpoints`, { headers: { authorization: `Bearer ${key}` } });
      expect(r.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // A second start on the same directory prints no new key.
    const again = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0'], {
      cwd,
      env: env({ HOOKLINE_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out2 = '';
    await new Promise<void>((resolve) => again.stdout.on('data', (b: Buffer) => ((out2 += b.toString()), /listening/.test(out2) && resolve())));
    again.kill('SIGTERM');
    const status = await new Promise((r) => again.once('exit', (code, signal) => r({ code, signal })));
    expect(status).toEqual({ code: 0, signal: null });
    expect(out2).not.toMatch(/hl_sk_/);
  });

  it('keys create mints a key stored only as a hash; keys list and revoke manage it', () => {
    const cwd = tmp();
    const created = run(['keys', 'create', '--name', 'ci', '--role', 'read', '--json'], cwd);
    expect(created.code, created.err).toBe(0);
    const k = JSON.parse(created.out);
    expect(k).toMatchObject({ name: 'ci', role: 'read', key: expect.stringMatching(/^hl_sk_[0-9A-Za-z]{43}$/) });
    const listed = run(['keys', 'list', '--json'], cwd);
    expect(listed.out).not.toContain(k.key);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id: k.id, role: 'read', revoked_at: null })]);
    expect(run(['keys', 'revoke', k.id], cwd).code).toBe(0);
    expect(JSON.parse(run(['keys', 'list', '--json'], cwd).out)[0].revoked_at).not.toBeNull();
    const missing = run(['keys', 'revoke', 'key_nope'], cwd);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/key_nope does not exist/);
  });

  it('refuses a bad configuration with the key, the reason and exit code 78', () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'hookline.yaml'), 'delivery:\n  max_in_flite: 3\nserver:\n  port: "eighty"\n');
    const r = run(['serve'], cwd);
    expect(r.code).toBe(78);
    expect(r.err).toMatch(/unknown option "delivery.max_in_flite"/);
    expect(r.err).toMatch(/option "server.port"/);
    const bad = run(['serve'], cwd, { HOOKLINE_MASTER_KEY: 'short' });
    expect(bad.code).not.toBe(0);
  });

  it('explains that worker/api roles need PostgreSQL', () => {
    const r = run(['serve', '--role', 'worker'], tmp());
    expect(r.code).toBe(64);
    expect(r.err).toMatch(/HOOKLINE_DATABASE_URL/);
  });

  it('rejects a malformed master key with advice, without echoing it', () => {
    const r = run(['serve', '--port', '0'], tmp(), { HOOKLINE_MASTER_KEY: 'not-a-key-secretvalue' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/openssl rand -hex 32/);
    expect(r.err).not.toContain('not-a-key-secretvalue');
  });
});
