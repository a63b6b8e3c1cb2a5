/**
 * `codedeploy-hooks emulator`: only the emulated AWS endpoint, for other
 * tools and hooks in other languages. With a scenario, the world is set up
 * as it describes and a deployment is left waiting at its first hook's
 * lifecycle event, so a hook can be run by hand against it.
 */
import { startEmulator } from '../simulator/emulator/index.js';
import { setupWorld } from '../simulator/engine/setup-world.js';
import { loadScenario } from '../simulator/scenario/loader.js';
import { createWorld, type World } from '../simulator/state/index.js';
import type { Scenario } from '../simulator/scenario/types.js';
import { parseCliArgs, portNumber } from './args.js';
import { CliUsageError } from './usage.js';
import { importFunction, SimulatorSetupError } from '../simulator/engine/module-loader.js';
import { attachLambdaCode } from '../simulator/engine/lambda-deployment.js';
import type { AppHandler } from '../simulator/engine/app-versions.js';

export async function runEmulatorCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('emulator', argv, {
    port: { type: 'string', short: 'p' },
    scenario: { type: 'string', short: 's' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (values.help) {
    const { helpText } = await import('./usage.js');
    process.stdout.write(helpText());
    return 0;
  }
  if (positionals.length > 0) throw new CliUsageError(`emulator: unexpected argument "${positionals[0]}"`);
  const port = portNumber('port', values.port) ?? 0;
  const scenario = values.scenario ? loadScenario(values.scenario) : undefined;

  const world = createWorld();
  let emulator;
  try {
    emulator = await startEmulator({ world, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SimulatorSetupError(code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is already in use; choose another --port (or 0 for any free port)` : `cannot start the emulator: ${(err as Error).message}`, { cause: err });
  }
  if (scenario) {
    try {
      seedScenario(world, scenario);
      if (scenario.platform === 'Lambda') {
        // Invoke then runs the example application's versions, broken as the scenario says.
        attachLambdaCode(world, scenario, await importFunction<AppHandler>(scenario.app.module, scenario.app.export, 'application'));
      }
    } catch (err) {
      await emulator.close();
      throw err;
    }
  }
  process.stdout.write(`listening on ${emulator.url}\n`);
  if (scenario) describeSeed(world, scenario, emulator.url);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.close();
  return 0;
}

/** Sets up the scenario's resources and a deployment waiting at the first hook's event. */
function seedScenario(world: World, scenario: Scenario): void {
  const setup = setupWorld(world, scenario, scenario.ecs ? { ports: { production: scenario.ecs.productionPort || 80, test: scenario.ecs.testPort || 8080 } } : {});
  const cd = world.codeDeploy;
  const base = { applicationName: scenario.application.name, deploymentGroupName: scenario.application.deploymentGroup, deploymentConfigName: setup.deploymentConfigName };
  const { current, target } = scenario.versions;
  const d = scenario.platform === 'Lambda'
    ? cd.createDeployment({ ...base, lambdaTarget: { functionName: scenario.lambda!.functionName, functionAlias: scenario.lambda!.alias, currentVersion: current.version, targetVersion: target.version } })
    : cd.createDeployment({
        ...base,
        ecsTarget: {
          clusterName: scenario.ecs!.cluster,
          serviceName: scenario.ecs!.service,
          taskSets: [{ identifer: `ecs-svc/${scenario.ecs!.service}-blue`, desiredCount: 1, pendingCount: 0, runningCount: 1, status: 'PRIMARY', trafficWeight: 100, targetGroup: { name: scenario.ecs!.targetGroups[0] }, taskSetLabel: 'Blue' }],
        },
      });
  const first = scenario.hooks[0];
  if (first) {
    const events = cd.targetOf(d.deploymentId).lifecycleEvents;
    for (const ev of events) {
      if (ev.lifecycleEventName === first.lifecycleEvent) break;
      cd.completeLifecycleEvent(d.deploymentId, ev.lifecycleEventName, 'Succeeded');
    }
    cd.createHookExecution(d.deploymentId, first.lifecycleEvent);
  }
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
