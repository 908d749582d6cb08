import { defineConfig } from 'vitest/config';

// `npm run test:faults`: fault-injection scenarios (process kills, database restarts,
// misbehaving receivers, full disks, clock jumps). One file at a time: several of them take
// the machine's resources away on purpose, and their figures would disturb each other.
export default defineConfig({
  test: {
    include: ['packages/server/faults/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
