/**
 * Runs one scenario end to end: builds the world, starts the emulated AWS
 * endpoint (and, for ECS, the loopback listeners), imports the hooks and the
 * application (a module that cannot load is a setup error, before the
 * deployment starts), plays CodeDeploy through the lifecycle, rolls back on
 * failure, and returns the result with its timeline.
 */
import { existsSync } from 'node:fs';
import { substituteAll } from '../scenario/placeholders.js';
import type { Scenario } from '../scenario/types.js';
import { createWorld, type World } from '../state/index.js';
import { recordRollbackDeployment, stopRollsBack } from '../state/codedeploy-rollback.js';
import { assertNoSimulationRunning } from '../clock/warp.js';
import type { Emulator } from '../emulator/index.js';
import type { AppHandler } from './app-versions.js';
import { attachAppSpec } from './appspec.js';
import { AlarmMonitor } from './alarm-monitor.js';
import { DeploymentFailure, DeploymentRun } from './deployment-run.js';
import { ecsPlatform, startListeners, type EcsNetwork } from './ecs-deployment.js';
import { simulateEcsNative } from './ecs-native-simulate.js';
import { applyEnv, loadScheduled } from './hook-runner.js';
import { attachLambdaCode, lambdaPlatform } from './lambda-deployment.js';
import { importFunction, SimulatorSetupError } from './module-loader.js';
import { seededRandom } from './random.js';
import type { SimulationResult } from './result.js';
import { enterSimulatedTime } from './simulated-time.js';
import { loadHookHandlers, startRunEmulator } from './run-environment.js';
import { setupWorld } from './setup-world.js';
import type { TimelineListener } from './timeline.js';
import { SimulatedTraffic } from './simulated-traffic.js';
import { describeRouting } from './traffic-plan.js';
import { metricSourcesOf, readVersionMetrics } from '../report/version-metrics.js';

export interface SimulateOptions {
  /** Overrides the scenario's `deployment.timeScale`. */
  timeScale?: number;
  /** Called for each timeline event as it happens (the CLI's live timeline). */
  onEvent?: TimelineListener;
  /** Aborting stops the deployment like a StopDeployment call (with rollback). */
  signal?: AbortSignal;
  /** Collect what hooks print instead of letting it reach stdout. @default true */
  captureHookOutput?: boolean;
  /** Port of the emulated AWS endpoint. @default 0 (any free port) */
  emulatorPort?: number;
  /** Use this world instead of a fresh one (tests inspect it afterwards). */
  world?: World;
  /** Serve the deployment on this running emulator (its world is used), and leave it running afterwards. */
  emulator?: Emulator;
  /**
   * False: module hooks are neither imported nor invoked; their events are left for
   * someone else to run (`codedeploy-hooks emulator --scenario` prints them), and
   * CodeDeploy waits for their status through the endpoint. Command hooks always run. @default true
   */
  runModuleHooks?: boolean;
}

export async function simulate(scenario: Scenario, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const timeScale = opts.timeScale ?? scenario.deployment.timeScale;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new SimulatorSetupError(`time scale must be a positive number, got ${timeScale}`);

  // The hooks' time globals are the process's: one simulation at a time, refused before anything is set up.
  try {
    assertNoSimulationRunning();
  } catch (err) {
    throw new SimulatorSetupError((err as Error).message);
  }
  // Fail fast on missing modules, before any port is opened.
  const runModuleHooks = opts.runModuleHooks ?? true;
  for (const hook of scenario.hooks) if (runModuleHooks && hook.module && !existsSync(hook.module)) throw new SimulatorSetupError(`hook ${hook.lifecycleEvent} module not found: ${hook.module}`);
  for (const s of scenario.schedules) if (!existsSync(s.module)) throw new SimulatorSetupError(`scheduled function ${s.functionName} module not found: ${s.module}`);
  const app = await importFunction<AppHandler>(scenario.app.module, scenario.app.export, 'application');

  const world = opts.emulator?.world ?? opts.world ?? createWorld({ random: seededRandom(scenario.seed + 2) });
  if (scenario.platform === 'ECS-native') return simulateEcsNative(scenario, opts, app, timeScale, world);
  const cleanups: (() => Promise<void> | void)[] = [];
  let net: EcsNetwork | undefined;
  try {
    if (scenario.platform === 'ECS') {
      net = await startListeners(scenario);
      cleanups.push(() => Promise.all(net!.closers.map((c) => c())).then(() => undefined));
    }
    const emulator = await startRunEmulator(world, opts, cleanups);
    const setup = setupWorld(world, scenario, {
      endpoint: emulator.url,
      ...(net ? { ports: { production: net.production.port, test: net.test.port } } : {}),
    });

    const handlers = await loadHookHandlers(runModuleHooks ? scenario.hooks : [], setup.vars, emulator.url, world.region);

    const schedules = [];
    for (const schedule of scenario.schedules) {
      const restore = applyEnv({ ...substituteAll(schedule.env, setup.vars), AWS_ENDPOINT_URL: emulator.url, AWS_REGION: world.region });
      try {
        schedules.push({ schedule, handler: await loadScheduled(schedule) });
      } finally {
        restore();
      }
    }

    const run = new DeploymentRun(scenario, {
      schedules,
      world,
      endpoint: emulator.url,
      timeScale,
      handlers,
      vars: setup.vars,
      captureHookOutput: opts.captureHookOutput ?? true,
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    });
    // From here on the whole world runs on the run's simulated clock: the services' timestamps and
    // timers, and (warped globals) the hooks' and the application's Date, timers and timeouts.
    cleanups.push(enterSimulatedTime(world, run.clock));
    // The world's clock when the run's clock starts: maps metric timestamps onto simulated time.
    const worldStart = world.now();

    const cd = world.codeDeploy;
    const base = { applicationName: scenario.application.name, deploymentGroupName: scenario.application.deploymentGroup, deploymentConfigName: setup.deploymentConfigName };
    let platform;
    if (scenario.platform === 'Lambda') {
      attachLambdaCode(world, scenario, app, () => run.clock.simSeconds());
      platform = lambdaPlatform(run);
      const { functionName, alias } = scenario.lambda!;
      run.deploymentId = cd.createDeployment({
        ...base,
        description: `codedeploy-hooks simulate ${scenario.name}`,
        lambdaTarget: { functionName, functionAlias: alias, currentVersion: scenario.versions.current.version, targetVersion: scenario.versions.target.version },
      }).deploymentId;
    } else {
      const ecs = ecsPlatform(run, net!, setup.ecs!, app);
      await ecs.startBlue();
      platform = ecs;
      run.deploymentId = cd.createDeployment({
        ...base,
        description: `codedeploy-hooks simulate ${scenario.name}`,
        ecsTarget: { clusterName: scenario.ecs!.cluster, serviceName: scenario.ecs!.service, taskSets: [ecs.blueTaskSet()] },
      }).deploymentId;
    }

    attachAppSpec(world, scenario, run.deploymentId);
    const startedAt = new Date(run.clock.startedAt).toISOString();
    run.emit({
      type: 'deployment-started',
      deploymentId: run.deploymentId,
      platform: scenario.platform,
      config: setup.deploymentConfigName,
      routing: describeRouting(setup.routing),
      scenario: scenario.name,
    });

    // What stops a deployment: a group alarm in ALARM, a StopDeployment call, the caller's signal.
    const groupAlarms = scenario.alarms.filter((a) => a.deploymentGroup).map((a) => a.name);
    const monitor = new AlarmMonitor(
      world,
      groupAlarms,
      run.clock,
      scenario.deployment.alarmPollSeconds,
      (c) => run.emit({ type: 'alarm', alarmName: c.alarmName, state: c.to, reason: c.reason }),
      (name, reason) => run.requestStop(new DeploymentFailure('Stopped', 'ALARM_ACTIVE', `alarm ${name} is in ALARM (${reason})`)),
    );
    // A stop rolls back as its request says, else as the group's configuration says (DEPLOYMENT_STOP_ON_REQUEST).
    const manualStop = (message: string, autoRollbackEnabled?: boolean) =>
      new DeploymentFailure('Stopped', 'MANUAL_STOP', message, stopRollsBack(cd.getDeployment(run.deploymentId), autoRollbackEnabled));
    const unsubscribeStop = cd.onStopRequest((req) => {
      if (req.deploymentId !== run.deploymentId) return;
      run.requestStop(manualStop('the deployment was stopped by a StopDeployment request', req.autoRollbackEnabled));
    });
    const onAbort = () => run.requestStop(manualStop('the simulation was interrupted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();

    const traffic = new SimulatedTraffic(run.clock, scenario, app, platform.traffic);
    const flushTraffic = () => {
      const d = traffic.takeDelta();
      if (d.total > 0) run.emit({ type: 'requests', ...d });
    };
    const unsubscribeTraffic = subscribeTrafficFlush(run, flushTraffic);
    monitor.start();
    traffic.start();

    let failure: DeploymentFailure | undefined;
    try {
      run.checkStopped();
      await platform.run(setup.routing);
      // A last look at the alarms: an alarm that fired during the final hook still stops the deployment.
      monitor.poll();
      run.checkStopped();
    } catch (err) {
      if (!(err instanceof DeploymentFailure)) throw err;
      failure = err;
    }
    monitor.stop();
    unsubscribeStop();
    opts.signal?.removeEventListener('abort', onAbort);

    // Events that never ran are Skipped, as CodeDeploy shows them after a failure.
    for (const ev of cd.targetOf(run.deploymentId).lifecycleEvents) {
      if (ev.status === 'Pending') cd.completeLifecycleEvent(run.deploymentId, ev.lifecycleEventName, 'Skipped');
      else if (ev.status === 'InProgress') cd.completeLifecycleEvent(run.deploymentId, ev.lifecycleEventName, 'Failed');
    }

    let rolledBack = false;
    let reason: string;
    if (failure) {
      // A manual stop has already decided (StopDeployment's autoRollbackEnabled overrides the group's setting).
      const canRollBack = failure.rollback && (failure.errorCode === 'MANUAL_STOP' || scenario.deployment.autoRollback);
      if (canRollBack) {
        run.emit({ type: 'rollback', reason: failure.message });
        platform.rollback();
        rolledBack = true;
        recordRollbackDeployment(cd, run.deploymentId, failure.message);
      }
      cd.setDeploymentStatus(run.deploymentId, failure.status, { code: failure.errorCode, message: failure.message });
      reason = `${failure.message}; ${rolledBack ? `rolled back: ${platform.describeFinal(false)}` : scenario.deployment.autoRollback ? 'not rolled back (this failure does not trigger one: a stop without rollback, or a failure before traffic moved); traffic stays where it was' : 'automatic rollback is disabled'}`;
    } else {
      cd.setDeploymentStatus(run.deploymentId, 'Succeeded');
      const hooks = run.hooks.map((h) => `${h.lifecycleEvent} ${passedText(h)}`).join(', ');
      reason = `every lifecycle event succeeded${hooks ? ` (${hooks})` : ''}; ${platform.describeFinal(true)}`;
    }
    // Let traffic run a simulated second after a rollback so the timeline shows requests back on the old version.
    if (rolledBack && traffic.summary().total > 0) await run.clock.sleep(1000);
    await traffic.stop();
    flushTraffic();
    unsubscribeTraffic();
    const status = cd.getDeployment(run.deploymentId).status as 'Succeeded' | 'Failed' | 'Stopped';
    run.emit({ type: 'deployment-finished', status, reason, rolledBack, ...(failure ? { errorCode: failure.errorCode } : {}) });
    await run.drain(1000);
    run.closed = true;
    const metrics = readVersionMetrics(world.cloudWatch.metrics, metricSourcesOf(scenario, setup.ecs), { worldStart, worldEnd: world.now(), simSeconds: run.clock.simSeconds() });

    return run.result({
      deploymentConfigName: setup.deploymentConfigName,
      status,
      reason,
      ...(failure ? { errorCode: failure.errorCode } : {}),
      rolledBack,
      startedAt,
      alarms: monitor.states(),
      traffic: traffic.summary(),
      ...(metrics ? { metrics } : {}),
    });
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}

/** Flushes the request counts into the timeline whenever traffic moves or a lifecycle event ends. */
function subscribeTrafficFlush(run: DeploymentRun, flush: () => void): () => void {
  const original = run.emit.bind(run);
  let flushing = false;
  run.emit = (event) => {
    if (!flushing && (event.type === 'traffic' || (event.type === 'lifecycle' && event.status !== 'InProgress') || event.type === 'rollback')) {
      flushing = true;
      try {
        flush();
      } finally {
        flushing = false;
      }
    }
    original(event);
  };
  return () => {
    run.emit = original;
  };
}

function passedText(h: { status: string; verdict?: { checks: { state: string; enforced: boolean }[] } }): string {
  if (!h.verdict) return h.status.toLowerCase();
  const enforced = h.verdict.checks.filter((c) => c.enforced);
  return `${enforced.filter((c) => c.state === 'passed').length}/${enforced.length} enforced checks passed`;
}
