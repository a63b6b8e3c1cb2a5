import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    unstubEnvs: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep workers low so loopback servers and the emulator are not starved.
    maxWorkers: 2,
  },
});
