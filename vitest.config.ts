import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time on the two cores (vitest's default is one fewer than the cores). Most of the long files
    // spend their time waiting on timings they test (a Sentinel failover, a Redis outage, a crashed app's restart),
    // so one file at a time left a core idle: 511 s for the suite against 301–304 s with two, on the same machine.
    maxWorkers: 2,
  },
});
