/**
 * Mutation testing of the core (`npm run mutation`): every file on the path
 * from the event to the report. Prints the score and each surviving mutant;
 * the HTML report lands in reports/mutation/.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/hook-runner.ts',
    'src/report.ts',
    'src/event.ts',
    'src/define-hook.ts',
    'src/middy/index.ts',
    'src/engine/*.ts',
    'src/platforms/codedeploy.ts',
    'src/aws-call.ts',
    'src/settings.ts',
    'src/verdict-log.ts',
    'src/util/abort.ts',
    'src/util/keep-alive.ts',
    'src/clients.ts',
  ],
  coverageAnalysis: 'perTest',
  // Two cores, shared: one test process each.
  concurrency: 2,
  reporters: ['clear-text', 'html', 'progress'],
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  // Wide, for a busy host: a slow run must not read as a mutant-made hang.
  timeoutMS: 10_000,
  timeoutFactor: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
