// Loaded before every test file (vitest.config.ts setupFiles). Registered first, this afterAll
// runs last, after the file's own hooks have closed what they opened.
import { afterAll } from 'vitest';
import { stopLeaked } from './live-hooklines.js';

afterAll(async () => {
  const leaked = await stopLeaked();
  if (leaked.length)
    throw new Error(
      `leak: ${leaked.length} Hookline(s) never stopped (their dispatcher, run executor and timers kept running):\n${leaked.map((l) => `  - ${l}`).join('\n')}`,
    );
});
