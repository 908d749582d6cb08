// Runs the Python SDK's whole unittest suite against a real Hookline, so its integration
// tests (skipped without HOOKLINE_URL/HOOKLINE_API_KEY) run in CI and must all pass.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, startHookline } from '../../server/test/helpers/hookline.js';

const SDK_DIR = fileURLToPath(new URL('../', import.meta.url));
const TESTS_DIR = join(SDK_DIR, 'tests');

interface Outcome {
  code: number | null;
  output: string;
}

/** Runs `python3 -m unittest discover -v` without blocking this process, which serves the API. */
function runUnittest(env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('HOOKLINE_')) base[k] = v;
    const child = spawn('python3', ['-m', 'unittest', 'discover', '-s', TESTS_DIR, '-v'], {
      cwd: SDK_DIR,
      env: { ...base, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** `def test_…` methods in the integration modules: each must report "ok". */
function integrationTestNames(): string[] {
  return readdirSync(TESTS_DIR)
    .filter((f) => /^test_integration_.*\.py$/.test(f))
    .flatMap((f) => [...readFileSync(join(TESTS_DIR, f), 'utf8').matchAll(/^ {4}def (test_\w+)\(/gm)].map((m) => m[1]!));
}

describe('Python SDK (packages/sdk-python)', () => {
  let h: Harness;
  let outcome: Outcome;

  beforeAll(async () => {
    h = await startHookline('sqlite');
    outcome = await runUnittest({ HOOKLINE_URL: h.url, HOOKLINE_API_KEY: ADMIN_KEY });
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  it('passes every Python test, offline and integration, with none skipped', () => {
    expect(outcome.output, outcome.output).toMatch(/^OK$/m);
    expect(outcome.code, outcome.output).toBe(0);
    expect(outcome.output).not.toMatch(/skipped|expected failure|unexpected success/i);
    const ran = Number(/^Ran (\d+) tests? in /m.exec(outcome.output)?.[1] ?? 0);
    expect(ran).toBeGreaterThanOrEqual(60);
  });

  it('ran each integration test against the server', () => {
    const names = integrationTestNames();
    expect(names.length).toBeGreaterThanOrEqual(15);
    // "name (module.Class.name) ... ok" (Python 3.11+) or "name (module.Class) ... ok".
    for (const name of names) {
      expect(outcome.output, `${name} did not report ok`).toMatch(new RegExp(`^${name} \\(test_integration_\\w+\\.\\w+(\\.${name})?\\) \\.\\.\\. ok$`, 'm'));
    }
  });

  it('left real traces on the server: runs, deliveries, a callback notification', async () => {
    const runs = await h.call('GET', '/api/v1/runs?status=completed&limit=1');
    expect(runs.body.total).toBeGreaterThanOrEqual(5);
    // Any status: the tests delete their endpoints, which can fail a delivery not yet recorded.
    const deliveries = await h.call('GET', '/api/v1/deliveries?limit=1');
    expect(deliveries.body.total).toBeGreaterThanOrEqual(10);
    const callbacks = await h.call('GET', '/api/v1/notifications?channel=callback&status=delivered&limit=1');
    expect(callbacks.body.total).toBeGreaterThanOrEqual(1);
  });
});
