import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant of the core (see
 * stryker.config.mjs): unit tests of the core, the verdict and event fuzzers
 * and the fake-clock budget matrix. Left out: tests that spawn processes or
 * talk to loopback servers on real time (they mostly cover other code, run
 * long, and a mutant that slows them would read as a timeout, not a kill).
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/core/**/*.test.ts',
      'test/fuzz/verdict.fuzz.test.ts',
      'test/fuzz/event.fuzz.test.ts',
      'test/reliability/lambda-budget.test.ts',
      'test/integration/core-wire.test.ts',
    ],
    // Child processes load the unmutated code and can kill nothing.
    exclude: ['test/unit/core/event-loop.test.ts'],
    setupFiles: ['test/setup.ts'],
    unstubEnvs: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
