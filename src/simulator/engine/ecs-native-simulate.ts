/**
 * An ECS-native blue/green, linear or canary deployment (deployment controller
 * ECS), played stage by stage as Amazon ECS runs it: the blue and green
 * revisions are loopback servers behind the production and test listener
 * proxies (as for CodeDeploy ECS), the emulator's ECS state carries the
 * service, its revisions and the service deployment the hooks describe, each
 * hookable stage invokes its hooks synchronously and re-invokes them after
 * `callBackDelay` while they return IN_PROGRESS (ecs-native-hook.ts), bakes
 * and steps wait in simulated time with the deployment's alarms watched, and
 * a failure rolls back by re-invoking the traffic-shift hooks with the weights
 * going back to blue. The stage order and weights come from ecs-native-plan.ts.
 */
import { randomBytes } from 'node:crypto';
import { substituteAll, type PlaceholderName } from '../scenario/placeholders.js';
import type { Scenario, ScenarioHook } from '../scenario/types.js';
import type { EcsLifecycleHook, World } from '../state/index.js';
import { AlarmMonitor } from './alarm-monitor.js';
import { startTaskServer, versionInvoke, type AppHandler } from './app-versions.js';
import { DeploymentFailure, DeploymentRun } from './deployment-run.js';
import { listenerRoute, setListenerWeight, startListeners, type EcsNetwork } from './ecs-deployment.js';
import { runNativeHook, type EcsNativeHookEvent, type NativeHookOutcome } from './ecs-native-hook.js';
import { ecsNativeStagePlan, rollbackSteps, type StageStep } from './ecs-native-plan.js';
import { invokeHook, type HookHandler } from './hook-runner.js';
import { seededRandom } from './random.js';
import type { SimulationResult } from './result.js';
import { createLoadBalancing, type EcsResources } from './setup-world.js';
import type { SimulateOptions } from './simulate.js';
import { storeHookLogs } from './hook-logs.js';
import { loadHookHandlers, startRunEmulator } from './run-environment.js';
import { SimulatedTraffic } from './simulated-traffic.js';
import { enterSimulatedTime } from './simulated-time.js';
import { TargetHealth } from './target-health.js';

export async function simulateEcsNative(scenario: Scenario, opts: SimulateOptions, app: AppHandler, timeScale: number, world: World): Promise<SimulationResult> {
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    const net = await startListeners(scenario);
    cleanups.push(() => Promise.all(net.closers.map((c) => c())).then(() => undefined));
    const emulator = await startRunEmulator(world, opts, cleanups);

    const vars: Partial<Record<PlaceholderName, string>> = {
      currentVersion: scenario.versions.current.version,
      targetVersion: scenario.versions.target.version,
      endpoint: emulator.url,
    };
    const res = createLoadBalancing(world, scenario, vars, { production: net.production.port, test: net.test.port });
    // The scenario reader allows only module hooks for ECS-native.
    const handlers = await loadHookHandlers(scenario.hooks, vars, emulator.url, world.region);

    const run = new DeploymentRun(scenario, {
      world, endpoint: emulator.url, timeScale, handlers, vars,
      captureHookOutput: opts.captureHookOutput ?? true,
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    });
    // The whole world on the run's simulated clock, as for CodeDeploy deployments (simulate.ts).
    cleanups.push(enterSimulatedTime(world, run.clock));
    const deployment = createServiceDeployment(world, scenario, res);
    run.deploymentId = deployment.serviceDeploymentArn;
    const player = new StagePlayer(run, net, res, app, deployment, handlers, emulator.url);
    return await player.play(opts);
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}

/** The service with blue serving production, green registered as a new revision, and the service deployment started. */
function createServiceDeployment(world: World, scenario: Scenario, res: EcsResources) {
  const spec = scenario.ecs!;
  const { current, target } = scenario.versions;
  const taskDefinition = (v: string) => `arn:aws:ecs:${world.region}:${world.accountId}:task-definition/${spec.service}:${v}`;
  const lifecycleHooks: EcsLifecycleHook[] = scenario.hooks.map((h) => ({
    targetType: 'AWS_LAMBDA',
    hookTargetArn: `arn:aws:lambda:${world.region}:${world.accountId}:function:${h.functionName}`,
    roleArn: `arn:aws:iam::${world.accountId}:role/${spec.service}-ecs-hook-invoke`,
    lifecycleStages: [h.lifecycleEvent],
    ...(h.native?.hookDetails ? { hookDetails: h.native.hookDetails } : {}),
    timeoutConfiguration: { timeoutInMinutes: h.native?.timeoutInMinutes ?? 1440, action: h.native?.timeoutAction ?? 'ROLLBACK' },
  }));
  const alarmNames = scenario.alarms.filter((a) => a.deploymentGroup).map((a) => a.name);
  const service = world.ecs.createService({
    cluster: spec.cluster,
    serviceName: spec.service,
    taskDefinition: taskDefinition(current.version),
    image: `${spec.service}:${current.version}`,
    loadBalancers: [{
      targetGroupArn: res.blueTargetGroupArn, containerName: 'app', containerPort: 8080,
      advancedConfiguration: {
        alternateTargetGroupArn: res.greenTargetGroupArn,
        productionListenerRule: listenerRule(res.productionListenerArn),
        ...(res.testListenerArn ? { testListenerRule: listenerRule(res.testListenerArn) } : {}),
        roleArn: `arn:aws:iam::${world.accountId}:role/${spec.service}-ecs-infrastructure`,
      },
    }],
    deploymentConfiguration: {
      ...scenario.ecsNative!,
      lifecycleHooks,
      ...(alarmNames.length > 0 ? { alarms: { alarmNames, enable: true, rollback: scenario.deployment.autoRollback } } : {}),
    },
  });
  const green = world.ecs.registerRevision(service.serviceArn, taskDefinition(target.version), `${spec.service}:${target.version}`);
  return world.ecs.startDeployment(service.serviceArn, green.serviceRevisionArn);
}

/**
 * ECS routes by listener rules: "arn:…:listener-rule/app/<lb>/<lbId>/<listenerId>/<ruleId>", whose
 * listener the hooks derive from the ARN. The simulated rule is the listener's default action.
 */
function listenerRule(listenerArn: string): string {
  return `${listenerArn.replace(':listener/', ':listener-rule/')}/${randomBytes(8).toString('hex')}`;
}

/** "CANARY 10% for 3 min, then 100%; bake 5 min" */
export function describeStrategy(scenario: Scenario): string {
  const c = scenario.ecsNative!;
  const bake = `bake ${c.bakeTimeInMinutes} min`;
  if (c.strategy === 'CANARY') return `CANARY ${c.canaryConfiguration!.canaryPercent}% for ${c.canaryConfiguration!.canaryBakeTimeInMinutes} min, then 100%; ${bake}`;
  if (c.strategy === 'LINEAR') return `LINEAR ${c.linearConfiguration!.stepPercent}% every ${c.linearConfiguration!.stepBakeTimeInMinutes} min; ${bake}`;
  return `BLUE_GREEN all at once; ${bake}`;
}

class StagePlayer {
  private greenWeight = { production: 0, test: 0 };
  private readonly health: TargetHealth;
  private greenHealthy = () => false;
  private readonly arn: string;
  private readonly serviceArn: string;
  private readonly blueRevisionArn: string;
  private readonly greenRevisionArn: string;

  constructor(
    private readonly run: DeploymentRun,
    private readonly net: EcsNetwork,
    private readonly res: EcsResources,
    private readonly app: AppHandler,
    deployment: ReturnType<typeof createServiceDeployment>,
    private readonly handlers: Map<string, HookHandler>,
    private readonly endpoint: string,
  ) {
    this.arn = deployment.serviceDeploymentArn;
    this.serviceArn = deployment.serviceArn;
    this.blueRevisionArn = deployment.sourceServiceRevisions[0]!.arn;
    this.greenRevisionArn = deployment.targetServiceRevision.arn;
    this.health = new TargetHealth(run.world, run.clock, res.loadBalancerDimension);
  }

  private get world(): World {
    return this.run.world;
  }

  async play(opts: SimulateOptions): Promise<SimulationResult> {
    const { run, world, net, res } = this;
    const scenario = run.scenario;
    for (const proxy of [net.production, net.test]) proxy.configure({ world, loadBalancerDimension: res.loadBalancerDimension });
    const blue = await startTaskServer(versionInvoke(this.app, scenario.versions.current, seededRandom(scenario.seed)), scenario.versions.current.version);
    net.closers.push(blue.close);
    // Blue has been serving for a while: its target is healthy from the start.
    this.health.register('Blue', { targetGroupArn: res.blueTargetGroupArn, targetGroupDimension: res.blueTargetGroupDimension, port: blue.port, healthyAfterSeconds: 0 });
    this.health.start();
    net.closers.push(async () => this.health.stop());
    for (const proxy of [net.production, net.test]) proxy.setTarget({ label: 'Blue', port: blue.port, targetGroupDimension: res.blueTargetGroupDimension });

    const startedAt = new Date(run.clock.startedAt).toISOString();
    const config = describeStrategy(scenario);
    run.emit({ type: 'deployment-started', deploymentId: this.arn, platform: 'ECS-native', config, routing: config, scenario: scenario.name });

    const alarmNames = scenario.alarms.filter((a) => a.deploymentGroup).map((a) => a.name);
    const monitor = new AlarmMonitor(
      world, alarmNames, run.clock, scenario.deployment.alarmPollSeconds,
      (c) => run.emit({ type: 'alarm', alarmName: c.alarmName, state: c.to, reason: c.reason }),
      (name, reason) => run.requestStop(new DeploymentFailure('Failed', 'ALARM_ACTIVE', `alarm ${name} is in ALARM (${reason})`, scenario.deployment.autoRollback)),
    );
    const onAbort = () => run.requestStop(new DeploymentFailure('Stopped', 'MANUAL_STOP', 'the simulation was interrupted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    const traffic = new SimulatedTraffic(run.clock, scenario, this.app, listenerRoute(world, scenario, net, res, () => this.greenHealthy()));
    const flush = () => {
      const d = traffic.takeDelta();
      if (d.total > 0) run.emit({ type: 'requests', ...d });
    };
    monitor.start();
    traffic.start();

    let failure: DeploymentFailure | undefined;
    try {
      for (const step of ecsNativeStagePlan(scenario.ecsNative!)) {
        await this.stage(step);
        flush();
      }
    } catch (err) {
      if (!(err instanceof DeploymentFailure)) throw err;
      failure = err;
    }
    monitor.stop();
    opts.signal?.removeEventListener('abort', onAbort);

    let rolledBack = false;
    let reason: string;
    const where = (green: boolean) => green
      ? `production listener (127.0.0.1:${net.production.port}) sends 100% of traffic to the green revision (version ${scenario.versions.target.version})`
      : `production listener (127.0.0.1:${net.production.port}) sends 100% of traffic to the blue revision (version ${scenario.versions.current.version})`;
    if (failure) {
      if (failure.rollback) {
        rolledBack = true;
        await this.rollBack(failure);
        flush();
      } else {
        world.ecs.update(this.arn, { status: 'STOPPED', statusReason: failure.message });
      }
      reason = `${failure.message}; ${rolledBack ? `rolled back: ${where(false)}` : 'not rolled back (alarm rollback is off); traffic stays where it was'}`;
    } else {
      world.ecs.complete(this.arn);
      const hooks = run.hooks.map((h) => `${h.lifecycleEvent} ${h.status.toLowerCase()}`).join(', ');
      reason = `every lifecycle stage succeeded${hooks ? ` (${hooks})` : ''}; ${where(true)}`;
    }
    await traffic.stop();
    flush();
    const status = failure ? failure.status : 'Succeeded';
    run.emit({ type: 'deployment-finished', status, reason, rolledBack, ...(failure ? { errorCode: failure.errorCode } : {}) });
    await run.drain(1000);
    run.closed = true;
    return run.result({
      deploymentConfigName: config,
      status,
      reason,
      ...(failure ? { errorCode: failure.errorCode } : {}),
      rolledBack,
      startedAt,
      alarms: monitor.states(),
      traffic: traffic.summary(),
    });
  }

  private async stage(step: StageStep): Promise<void> {
    const { run, world } = this;
    run.checkStopped();
    world.ecs.update(this.arn, { stage: step.stage });
    const label = step.step > 0 ? `step ${step.step}` : undefined;
    run.emit({ type: 'lifecycle', lifecycleEvent: step.stage, status: 'InProgress', ...(label ? { message: label } : {}) });
    if (step.stage === 'SCALE_UP') await this.scaleUpGreen();
    if (step.testWeight !== undefined) this.setWeight('test', step.testWeight);
    if (step.productionWeight !== undefined && step.stage === 'PRODUCTION_TRAFFIC_SHIFT') this.setWeight('production', step.productionWeight);
    if (step.hookable) await this.runHooks(step, false);
    // BAKE_TIME is the bake itself; a linear or canary step's bake follows its PRODUCTION_TRAFFIC_SHIFT.
    if (step.stage === 'BAKE_TIME') await this.bake(step);
    run.emit({ type: 'lifecycle', lifecycleEvent: step.stage, status: 'Succeeded' });
    if (step.stage !== 'BAKE_TIME') await this.bake(step);
  }

  private async bake(step: StageStep): Promise<void> {
    const { run } = this;
    if (step.bakeSeconds <= 0) return;
    run.emit({ type: 'info', message: `${step.stage === 'BAKE_TIME' ? 'bake time' : `bake after step ${step.step}`}: ${step.bakeSeconds / 60} min (simulated), alarms watched` });
    try {
      await run.clock.sleep(step.bakeSeconds * 1000, run.stop.signal);
    } catch {
      // Stopped: checkStopped below throws the cause.
    }
    run.checkStopped();
  }

  /**
   * SCALE_UP: green's tasks start and register with the green target group. ECS moves on to
   * POST_SCALE_UP once they are healthy (a version with healthyAfterSeconds is waited for).
   */
  private async scaleUpGreen(): Promise<void> {
    const { run, net, res } = this;
    const scenario = run.scenario;
    const target = scenario.versions.target;
    const green = await startTaskServer(versionInvoke(this.app, target, seededRandom(scenario.seed + 1)), target.version, () => this.greenHealthy());
    this.greenHealthy = this.health.register('Green', { targetGroupArn: res.greenTargetGroupArn, targetGroupDimension: res.greenTargetGroupDimension, port: green.port, healthyAfterSeconds: target.healthyAfterSeconds });
    net.closers.push(green.close);
    if (target.healthyAfterSeconds > 0) {
      run.emit({ type: 'info', message: `green's tasks start; healthy after ${target.healthyAfterSeconds} s (simulated)` });
      try {
        await run.clock.sleep(target.healthyAfterSeconds * 1000, run.stop.signal);
      } catch {
        // Stopped: the caller's checkStopped throws the cause.
      }
      run.checkStopped();
      this.health.publish();
    }
    for (const proxy of [net.production, net.test]) proxy.setTarget({ label: 'Green', port: green.port, targetGroupDimension: res.greenTargetGroupDimension });
    this.world.ecs.update(this.arn, { greenRunning: this.world.ecs.service(this.serviceArn).desiredCount });
    this.world.ecs.activate(this.greenRevisionArn, res.greenTargetGroupArn);
  }

  private setWeight(listener: 'production' | 'test', green: number, rollback = false): void {
    const proxy = listener === 'production' ? this.net.production : this.net.test;
    const arn = listener === 'production' ? this.res.productionListenerArn : this.res.testListenerArn;
    this.greenWeight[listener] = green;
    this.world.ecs.update(this.arn, listener === 'production' ? { productionWeight: green } : { testWeight: green });
    setListenerWeight(this.run, proxy, arn, this.res, green, rollback);
  }

  /** The hooks registered at the step's stage, in parallel ("the stage completes only when all complete"). */
  private async runHooks(step: StageStep, rollingBack: boolean): Promise<void> {
    const hooks = this.run.scenario.hooks.filter((h) => h.lifecycleEvent === step.stage);
    if (hooks.length === 0) return;
    const outcomes = await Promise.all(hooks.map((h) => this.runHook(h, step, rollingBack)));
    if (rollingBack) return;
    outcomes.forEach((o, i) => {
      const h = hooks[i]!;
      if (o.status === 'FAILED' || (o.status === 'TIMED_OUT' && o.action === 'ROLLBACK')) {
        throw new DeploymentFailure('Failed', o.status === 'FAILED' ? 'HOOK_EXECUTION_FAILURE' : 'TIMEOUT', `${step.stage} hook ${h.functionName} ${o.status === 'FAILED' ? 'failed' : 'timed out'}: ${o.why}`);
      }
    });
  }

  private weights(green: number | undefined): Record<string, number> {
    return green === undefined ? {} : { [this.greenRevisionArn]: green, [this.blueRevisionArn]: 100 - green };
  }

  private async runHook(hook: ScenarioHook, step: StageStep, rollingBack: boolean): Promise<NativeHookOutcome> {
    const { run } = this;
    const record = run.hooks.find((h) => h.lifecycleEvent === hook.lifecycleEvent)!;
    const payload: Omit<EcsNativeHookEvent, 'executionId' | 'hookDetails'> = {
      lifecycleStage: step.stage,
      resourceArn: this.arn,
      executionDetails: {
        serviceArn: this.serviceArn,
        targetServiceRevisionArn: this.greenRevisionArn,
        testTrafficWeights: this.weights(step.testWeight),
        productionTrafficWeights: this.weights(step.productionWeight),
      },
    };
    const handler = this.handlers.get(hook.lifecycleEvent)!;
    const env = { ...hook, env: substituteAll(hook.env, run.opts.vars) };
    const hookId = `${hook.functionName}-${step.stage}-${step.step}${rollingBack ? '-rollback' : ''}`;
    this.world.ecs.hookStarted(this.arn, { hookId, targetType: 'AWS_LAMBDA', targetArn: hook.functionName, status: 'IN_PROGRESS', timeoutAction: hook.native?.timeoutAction ?? 'ROLLBACK' });
    record.logs = record.logs ?? [];
    const work = runNativeHook(hook, payload, {
      invoke: (event) => {
        run.emit({ type: 'hook-invoked', lifecycleEvent: step.stage, functionName: hook.functionName, executionId: event.executionId });
        // The run's clock, as for CodeDeploy hooks: the Lambda timeout and getRemainingTimeInMillis in simulated time.
        return invokeHook(handler, env, event, { endpoint: this.endpoint, region: this.world.region }, { captureOutput: run.opts.captureHookOutput, clock: run.clock });
      },
      sleep: (seconds) => run.clock.sleep(seconds * 1000, rollingBack ? undefined : run.stop.signal),
      now: () => run.clock.simSeconds(),
      onInvocation: (_n, inv, response) => {
        record.outcome = inv.outcome;
        record.durationMs = (record.durationMs ?? 0) + inv.durationMs;
        record.logs.push(...inv.logs);
        storeHookLogs(this.world, hook.functionName, inv.logs);
        if (inv.error) record.error = inv.error;
        const said = response && !('invalid' in response) ? `returned hookStatus ${response.hookStatus}${response.callBackDelay !== undefined ? `, callBackDelay ${response.callBackDelay} s` : ''}` : response ? response.invalid : inv.error ?? inv.outcome;
        run.emit({ type: 'hook-finished', lifecycleEvent: step.stage, outcome: inv.outcome, durationMs: inv.durationMs, ...(inv.error ? { error: inv.error } : {}), ...(inv.logs.length ? { logs: inv.logs } : {}) });
        run.emit({ type: 'info', message: `${step.stage} hook ${hook.functionName}: ${said}` });
      },
    });
    // An alarm or a stop during the hook ends the stage at once; the invocation in flight is left to finish.
    const outcome = rollingBack ? await work : await Promise.race([work, stopped(run)]);
    const failedWhy = verdictReason(record.logs);
    const final: NativeHookOutcome = outcome.status === 'FAILED' && failedWhy ? { ...outcome, why: `${outcome.why} (${failedWhy})` } : outcome;
    const status = final.status === 'SUCCEEDED' ? 'Succeeded' : final.status === 'FAILED' ? 'Failed' : 'NoReport';
    // The result keeps what decided the deployment: a rollback's re-invocation does not overwrite it.
    if (!rollingBack) record.status = status;
    this.world.ecs.hookStarted(this.arn, { hookId, targetType: 'AWS_LAMBDA', targetArn: hook.functionName, status: final.status, timeoutAction: hook.native?.timeoutAction ?? 'ROLLBACK' });
    run.emit({ type: 'hook-status', lifecycleEvent: step.stage, status, message: `${rollingBack ? 'rollback: ' : ''}${final.status === 'SUCCEEDED' ? 'hookStatus SUCCEEDED' : `${final.status}: ${final.why}`}` });
    return final;
  }

  /** ECS's rollback: the traffic-shift stages again, green back to 0 %, their hooks re-invoked with those weights. */
  private async rollBack(failure: DeploymentFailure): Promise<void> {
    const { run, world } = this;
    const alarm = /^alarm (\S+) is in ALARM/.exec(failure.message)?.[1];
    world.ecs.startRollback(this.arn, failure.message, alarm ? [alarm] : []);
    run.emit({ type: 'rollback', reason: failure.message });
    for (const step of rollbackSteps({ productionWeight: this.greenWeight.production, testWeight: this.greenWeight.test })) {
      world.ecs.update(this.arn, { stage: step.stage });
      run.emit({ type: 'lifecycle', lifecycleEvent: step.stage, status: 'InProgress', message: 'rollback' });
      if (step.productionWeight !== undefined) this.setWeight('production', step.productionWeight, true);
      if (step.testWeight !== undefined) this.setWeight('test', step.testWeight, true);
      // ❓ What ECS does when a hook fails during the rollback is not documented; the rollback completes here.
      await this.runHooks(step, true);
      run.emit({ type: 'lifecycle', lifecycleEvent: step.stage, status: 'Succeeded', message: 'rollback' });
    }
    world.ecs.deactivate(this.greenRevisionArn);
    world.ecs.update(this.arn, { status: 'ROLLBACK_SUCCESSFUL', greenRunning: 0 });
  }
}

/** Settles when the deployment is stopped (never resolves otherwise): raced against a stage's hooks. */
function stopped(run: DeploymentRun): Promise<never> {
  return new Promise((_, reject) => {
    const stop = () => reject(run.stop.signal.reason as DeploymentFailure);
    if (run.stop.signal.aborted) stop();
    else run.stop.signal.addEventListener('abort', stop, { once: true });
  });
}

/** The reason in the hook's verdict line (the JSON line codedeploy-hooks writes), when it wrote one. */
function verdictReason(logs: string[]): string | undefined {
  for (const chunk of [...logs].reverse()) {
    for (const line of chunk.split('\n').reverse()) {
      if (!line.startsWith('{')) continue;
      try {
        const record = JSON.parse(line) as { reason?: unknown; checks?: unknown };
        if (typeof record.reason === 'string' && Array.isArray(record.checks)) return record.reason;
      } catch {
        // Not a JSON line.
      }
    }
  }
  return undefined;
}
