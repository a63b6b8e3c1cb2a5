/**
 * `codedeploy-hooks emulator`: only the emulated AWS endpoint, for other
 * tools and hooks in other languages. With a scenario, the world is set up
 * as it describes and a deployment is left waiting at its first hook's
 * lifecycle event, so a hook can be run by hand against it.
 */
import { HookError } from '../errors.js';
import { startEmulator, type Emulator } from '../simulator/emulator/index.js';
import { loadScenario } from '../simulator/scenario/loader.js';
import { createWorld, type World } from '../simulator/state/index.js';
import { startTestEnvironment } from '../testing/index.js';
import { greenRunsAt, hookEventOf, stageDeployment } from '../testing/stage.js';
import type { Scenario } from '../simulator/scenario/types.js';
import { parseArgs } from 'node:util';
import { portNumber, withUsageErrors } from './args.js';
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
  const scenario = values.scenario ? loadScenario(values.scenario) : undefined;

  let emulator: Emulator;
  let world: World;
  let close: () => Promise<void>;
  try {
    if (scenario) {
      // The scenario's world, with the application's versions invocable and (ECS) its listeners really served.
      const event = hookEventOf(scenario);
      const env = await startTestEnvironment(scenario, { port, greenStarted: greenRunsAt(scenario, event) });
      ({ emulator, world } = env);
      close = env.close;
      stageDeployment(env, event);
    } else {
      world = createWorld();
      emulator = await startEmulator({ world, port, evaluateAlarmsEveryMs: 1000 });
      close = () => emulator.close();
    }
  } catch (err) {
    if (err instanceof HookError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SimulatorSetupError(code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is already in use; choose another --port (or 0 for any free port)` : `cannot start the emulator: ${(err as Error).message}`, { cause: err });
  }
  process.stdout.write(`listening on ${emulator.url}\n`);
  if (scenario) describeSeed(world, scenario, emulator.url);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await close();
  return 0;
}

function describeSeed(world: World, scenario: Scenario, url: string): void {
  const cd = world.codeDeploy;
  for (const [deploymentId] of cd.deployments) {
    const exec = [...cd.hookExecutions.values()].find((e) => e.deploymentId === deploymentId);
    process.stdout.write(`scenario ${scenario.name}: application ${scenario.application.name}, deployment group ${scenario.application.deploymentGroup}, deployment ${deploymentId}\n`);
    if (exec) {
      process.stdout.write(`hook event for ${exec.lifecycleEventName}: ${JSON.stringify({ DeploymentId: deploymentId, LifecycleEventHookExecutionId: exec.executionId })}\n`);
    }
  }
  process.stdout.write(`use: AWS_ENDPOINT_URL=${url} AWS_REGION=${world.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test\n`);
}
