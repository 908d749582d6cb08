// The suite's leak check (helpers/leak-check.ts): a file that leaves an in-process Hookline
// running (its dispatcher, run executor, scheduler and timers) fails, on either store.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/docs.js';
import { STORES, startHookline } from './helpers/hookline.js';
import { liveHooklines } from './helpers/live-hooklines.js';

function runVitest(config: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('the leak check', () => {
  it.each(STORES)('counts a %s Hookline as live from its start until close() and names the test that started it', async (kind) => {
    const h = await startHookline(kind);
    try {
      expect(liveHooklines()).toEqual([
        `a ${kind} Hookline started in "the leak check > counts a ${kind} Hookline as live from its start until close() and names the test that started it"`,
      ]);
    } finally {
      await h.close();
    }
    expect(liveHooklines()).toEqual([]);
  });

  it('fails a file whose tests forget to stop a Hookline, naming each, and stops them', { timeout: 120_000 }, async () => {
    const r = await runVitest('packages/server/test/fixtures/leaks/vitest.config.ts');
    expect(r.code, r.output).toBe(1);
    // The tests themselves passed; the file failed at its end.
    expect(r.output).toMatch(/Tests\s+2 passed \(2\)/);
    expect(r.output).toContain('leak: 2 Hookline(s) never stopped');
    for (const kind of STORES) expect(r.output).toContain(`a ${kind} Hookline started in "forgets to stop a ${kind} Hookline"`);
    // Stopping them closed every connection: no "connection(s) ... still open" from the schema's check.
    expect(r.output).not.toContain('stopping it failed');
  });
});
