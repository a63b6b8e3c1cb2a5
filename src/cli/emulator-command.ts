/**
 * `codedeploy-hooks emulator`: only the emulated AWS endpoint, for other
 * tools and hooks in other languages. With a scenario, the world is set up as
 * it describes and its deployment is played forward as CodeDeploy would:
 * `command` hooks are run; for any other hook the event is printed and the
 * deployment waits (up to the hook hour, in simulated time) for a status
 * reported through the endpoint, so that hook can be run by hand.
 */
import { HookError } from '../errors.js';
import { startEmulator, type Emulator } from '../simulator/emulator/index.js';
import { loadScenario } from '../simulator/scenario/loader.js';
import { MAX_TIME_SCALE } from '../simulator/scenario/validate.js';
import { createWorld, type World } from '../simulator/state/index.js';
import { seededRandom } from '../simulator/engine/random.js';
import { simulate } from '../simulator/engine/simulate.js';
import { originalStdoutWrite } from '../simulator/engine/hook-runner.js';
import type { TimelineEvent } from '../simulator/engine/timeline.js';
import type { Scenario } from '../simulator/scenario/types.js';
import { parseArgs } from 'node:util';
import { portNumber, positiveNumber, withUsageErrors } from './args.js';
import { TimelinePrinter } from './timeline-printer.js';
import { CliUsageError, helpText } from './usage.js';
import { SimulatorSetupError } from '../simulator/engine/module-loader.js';

export async function runEmulatorCommand(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors('emulator', () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        port: { type: 'string', short: 'p' },
        scenario: { type: 'string', short: 's' },
        'time-scale': { type: 'string', short: 't' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (positionals.length > 0) throw new CliUsageError(`emulator: unexpected argument "${positionals[0]}"`);
  const port = portNumber('port', values.port) ?? 0;
  const timeScale = positiveNumber('time-scale', values['time-scale'], MAX_TIME_SCALE);
  const scenario = values.scenario ? loadScenario(values.scenario) : undefined;
  if (timeScale !== undefined && !scenario) throw new CliUsageError('emulator: --time-scale needs --scenario (it scales the scenario deployment\'s waits)');

  let emulator: Emulator;
  const world: World = createWorld(scenario ? { random: seededRandom(scenario.seed + 2) } : {});
  try {
    // With a scenario the deployment engine evaluates the alarms on its simulated clock.
    emulator = await startEmulator({ world, port, ...(scenario ? {} : { evaluateAlarmsEveryMs: 1000 }) });
  } catch (err) {
    if (err instanceof HookError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SimulatorSetupError(code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is already in use; choose another --port (or 0 for any free port)` : `cannot start the emulator: ${(err as Error).message}`, { cause: err });
  }
  process.stdout.write(`listening on ${emulator.url}\n`);
  process.stdout.write(`use: AWS_ENDPOINT_URL=${emulator.url} AWS_REGION=${world.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test\n`);

  const stopped = new AbortController();
  const onSignal = () => stopped.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (scenario) await playDeployment(scenario, emulator, stopped.signal, timeScale);
    if (!stopped.signal.aborted) await new Promise((resolve) => stopped.signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await emulator.close();
  }
  return 0;
}

/** Runs the scenario's deployment on the emulator, printing its timeline and each hook's event payload. A signal stops it (with rollback). */
async function playDeployment(scenario: Scenario, emulator: Emulator, signal: AbortSignal, timeScale: number | undefined): Promise<void> {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const printer = new TimelinePrinter(originalStdoutWrite, { color, verbose: true });
  let deploymentId = '';
  const onEvent = (e: TimelineEvent) => {
    printer.event(e);
    if (e.type === 'deployment-started') {
      deploymentId = e.deploymentId;
      originalStdoutWrite(`scenario ${scenario.name}: application ${scenario.application.name}, deployment group ${scenario.application.deploymentGroup}, deployment ${deploymentId}\n`);
    }
    if (e.type === 'hook-invoked') {
      originalStdoutWrite(`hook event for ${e.lifecycleEvent}: ${JSON.stringify({ DeploymentId: deploymentId, LifecycleEventHookExecutionId: e.executionId })}\n`);
    }
  };
  const result = await simulate(scenario, { emulator, runModuleHooks: false, signal, onEvent, ...(timeScale !== undefined ? { timeScale } : {}) });
  printer.summary(result);
  originalStdoutWrite(`deployment ${result.deploymentId} finished: ${result.status}${result.rolledBack ? ' (rolled back)' : ''}; the endpoint keeps serving until SIGINT/SIGTERM\n`);
}
