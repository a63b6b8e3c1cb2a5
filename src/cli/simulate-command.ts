/** `codedeploy-hooks simulate`: run a scenario, print the live timeline and a summary, write reports. */
import { builtinScenarioNames, DEFAULT_SCENARIO, loadScenario } from '../simulator/scenario/loader.js';
import { originalStdoutWrite } from '../simulator/engine/hook-runner.js';
import { simulate } from '../simulator/engine/simulate.js';
import { MAX_TIME_SCALE } from '../simulator/scenario/validate.js';
import { reportFormatOf, writeReport } from '../simulator/report/write-report.js';
import { parseArgs } from 'node:util';
import { createWorld } from '../simulator/state/index.js';
import { seededRandom } from '../simulator/engine/random.js';
import { portNumber, positiveNumber, withUsageErrors } from './args.js';
import { printSimulatedStory, serveSimulatedWorld } from './simulate-explain.js';
import { TimelinePrinter } from './timeline-printer.js';
import { CliUsageError, helpText } from './usage.js';

export async function runSimulateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors('simulate', () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        scenario: { type: 'string', short: 's' },
        'time-scale': { type: 'string', short: 't' },
        report: { type: 'string', short: 'r', multiple: true },
        verbose: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        list: { type: 'boolean' },
        explain: { type: 'boolean' },
        serve: { type: 'boolean' },
        port: { type: 'string', short: 'p' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (values.list) {
    for (const name of builtinScenarioNames()) {
      const s = loadScenario(name);
      process.stdout.write(`${name.padEnd(30)} ${s.description}\n`);
    }
    return 0;
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.scenario)) {
    throw new CliUsageError(`simulate: unexpected argument "${positionals.at(-1)}" (give the scenario with --scenario)`);
  }
  const timeScale = positiveNumber('time-scale', values['time-scale'], MAX_TIME_SCALE);
  const reports = values.report ?? [];
  for (const file of reports) {
    if (!reportFormatOf(file)) throw new CliUsageError(`--report ${file}: the file must end in .json (JSON report), .xml (JUnit XML) or .html (HTML report)`);
  }

  const servePort = portNumber('port', values.port);
  if (servePort !== undefined && !values.serve) throw new CliUsageError('simulate: --port is the port of --serve; add --serve');
  const scenario = loadScenario(values.scenario ?? positionals[0] ?? DEFAULT_SCENARIO);
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const printer = new TimelinePrinter(originalStdoutWrite, { color, verbose: Boolean(values.verbose) });
  const effectiveScale = timeScale ?? scenario.deployment.timeScale;

  // Ctrl-C stops the deployment like StopDeployment (rolling back), then exits.
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // The same seed simulate() would use for its own world; kept so --explain and --serve can read it afterwards.
    const world = createWorld({ random: seededRandom(scenario.seed + 2) });
    const result = await simulate(scenario, {
      world,
      ...(timeScale !== undefined ? { timeScale } : {}),
      signal: interrupt.signal,
      captureHookOutput: true,
      // The header waits for the first event, so a setup error (bad hook module, port in use) prints only its one line.
      ...(values.quiet
        ? {}
        : {
            onEvent: (e) => {
              if (e.type === 'deployment-started') printer.header(scenario, effectiveScale);
              printer.event(e);
            },
          }),
    });
    printer.summary(result);
    for (const file of reports) {
      await writeReport(file, result);
      originalStdoutWrite(`  Report written to ${file}\n`);
    }
    if (values.explain) await printSimulatedStory(world, result.deploymentId, originalStdoutWrite, color);
    if (values.serve) {
      // The deployment's own Ctrl-C handling is over; from here a signal ends the serving.
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await serveSimulatedWorld(world, result.deploymentId, servePort ?? 0, originalStdoutWrite);
    }
    return result.status === 'Succeeded' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
