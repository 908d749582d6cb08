// scripts/test-setup.mjs, the step `npm test` runs before the build: it must stop at once with
// the exact command when something is missing (a non-root reader, a database not there), and
// be quick and quiet when everything is present. The tests run the real script as a child.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers/docs.js';
import { freePort } from './helpers/ports.js';
import { TEST_DATABASE_URL } from './helpers/postgres.js';

const SCRIPT = join(REPO, 'scripts/test-setup.mjs');
const isRoot = process.getuid?.() === 0;

/**
 * Runs the set-up; as Debian's `nobody` (uid and gid 65534) when `asNonRoot` and this process is
 * root (without root it runs as is). setpriv changes only the ids, so `env` arrives unchanged.
 */
function runSetup(env: Record<string, string>, { asNonRoot = false } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [command, args] =
    asNonRoot && isRoot ? ['/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, SCRIPT]] : [process.execPath, [SCRIPT]];
  const child = spawn(command as string, args as string[], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('scripts/test-setup.mjs', () => {
  const emptyPath = mkdtempSync(join(tmpdir(), 'hl-empty-path-'));
  afterAll(() => rmSync(emptyPath, { recursive: true, force: true }));

  it('without root and with go and python3 off PATH, stops at once with the one apt-get command, before installing anything', { timeout: 60_000 }, async () => {
    const r = await runSetup({ PATH: emptyPath, HOOKLINE_TEST_DATABASE_URL: TEST_DATABASE_URL }, { asNonRoot: true });
    const packages = [...(existsSync('/usr/bin/chromium') ? [] : ['chromium']), 'golang-go', 'python3'];
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('test set-up: PostgreSQL answers at');
    expect(r.stderr).toContain('missing ');
    expect(r.stderr).toContain('Go (go, for the Go signing examples)');
    expect(r.stderr).toContain('Python 3 (python3,');
    expect(r.stderr).toContain(`\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n`);
    // It stopped there: no apt-get run, and the runtimes step never began.
    expect(r.stdout).not.toContain('installing');
    expect(r.stdout).not.toContain('bun');
  });

  it('names the database to create when the server answers without it', { timeout: 60_000 }, async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/hookline_no_such_database';
    const r = await runSetup({ HOOKLINE_TEST_DATABASE_URL: url.href });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toContain('has no database "hookline_no_such_database"');
    expect(r.stderr).toContain(`\n  createdb -h ${url.hostname} -p ${url.port || '5432'} -U ${url.username || 'postgres'} hookline_no_such_database\n`);
    expect(r.stdout).not.toContain('Chromium');
  });

  it('says so when nothing answers and no local cluster uses the port', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const r = await runSetup({ HOOKLINE_TEST_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toContain(`nothing answers at postgres://postgres@127.0.0.1:${port}/test and no local PostgreSQL cluster listens on port ${port}`);
    expect(r.stderr).toContain('HOOKLINE_TEST_DATABASE_URL');
  });

  it('keeps a password in the URL out of its messages', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const r = await runSetup({ HOOKLINE_TEST_DATABASE_URL: `postgres://postgres:not-for-logs@127.0.0.1:${port}/test` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`postgres://postgres:***@127.0.0.1:${port}/test`);
    expect(r.stdout + r.stderr).not.toContain('not-for-logs');
  });

  it('with everything present, passes every step and installs nothing the second time', { timeout: 300_000 }, async () => {
    await runSetup({ HOOKLINE_TEST_DATABASE_URL: TEST_DATABASE_URL });
    const r = await runSetup({ HOOKLINE_TEST_DATABASE_URL: TEST_DATABASE_URL });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^test set-up: PostgreSQL answers at /),
      'test set-up: Chromium, Go, Python 3 are installed',
      expect.stringMatching(/^test set-up: bun \S+, deno \S+ already installed in packages\/sdk\/test\/runtimes$/),
    ]);
  });
});
