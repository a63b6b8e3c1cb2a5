/**
 * `codedeploy-hooks/testing`: run a hook handler in a unit test against the
 * in-process AWS emulator, with the world set up as a scenario describes and
 * the deployment standing at the hook's lifecycle event.
 *
 *   const r = await runHook(handler, { scenario: 'lambda-canary-broken-version', lifecycleEvent: 'BeforeAllowTraffic' });
 *   expect(r.reportedStatus).toBe('Failed');
 */
import type { HookVerdict } from '../types.js';
import { startEmulator, type Emulator } from '../simulator/emulator/index.js';
import { createWorld, type World } from '../simulator/state/index.js';
import { loadScenario } from '../simulator/scenario/loader.js';
import type { Scenario } from '../simulator/scenario/types.js';
import { setupWorld, type WorldSetup } from '../simulator/engine/setup-world.js';
import { attachLambdaCode } from '../simulator/engine/lambda-deployment.js';
import { importFunction } from '../simulator/engine/module-loader.js';
import { startTaskServer, versionInvoke, type AppHandler } from '../simulator/engine/app-versions.js';
import { startListeners, type EcsNetwork } from '../simulator/engine/ecs-deployment.js';
import { applyEnv, captureOutput, lambdaContext } from '../simulator/engine/hook-runner.js';
import type { TrafficSummary } from '../simulator/engine/result.js';
import { OptionsError } from '../errors.js';
import { forwardTo, serially, stableEndpoint } from './stable-endpoint.js';
import { greenRunsAt, hookEventOf, stageDeployment, trafficMovedAt } from './stage.js';
import { requestsPerSecondOf, startTraffic, warmUp } from './traffic.js';
import { seededRandom } from '../simulator/engine/random.js';
import { substituteAll } from '../simulator/scenario/placeholders.js';
import { TargetHealth } from '../simulator/engine/target-health.js';
import { realClock } from '../simulator/clock/clock.js';

export { startEmulator } from '../simulator/emulator/index.js';
export { createWorld, World } from '../simulator/state/index.js';
export { loadScenario, parseScenario } from '../simulator/scenario/loader.js';
export { stageDeployment } from './stage.js';

/** The Lambda context runHook passes: the fields of aws-lambda's `Context` a hook reads. */
export interface TestLambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/**
 * A Lambda handler for a CodeDeploy hook: defineHook's, a middy-wrapped one, or a
 * plain function. Declared as a method so its parameters are checked both ways
 * (bivariantly): a handler typed with aws-lambda's `Context` (which has more
 * fields, such as the legacy `done`) or with its own event type is accepted.
 */
export type HookHandlerLike = {
  handler(event: { DeploymentId: string; LifecycleEventHookExecutionId: string }, context: TestLambdaContext): unknown;
}['handler'];

export interface RunHookOptions {
  /** Built-in scenario name, scenario file path, or a loaded Scenario. @default 'lambda-canary-healthy' */
  scenario?: string | Scenario;
  /** The lifecycle event the hook runs for. @default the scenario's first hook event, else BeforeAllowTraffic / AfterAllowTestTraffic */
  lifecycleEvent?: string;
  /** Lambda timeout the context's getRemainingTimeInMillis counts down from, in seconds (more than 0, at most 900). @default the scenario hook's, else 60 */
  timeoutSeconds?: number;
  /**
   * Production requests per second sent while the hook runs, as the simulator sends them
   * (0: none). For an event after AllowTraffic the hook starts once one second's worth has
   * been answered by the new version, so metric gates have data. @default the scenario's traffic.requestsPerSecond, else 0
   */
  requestsPerSecond?: number;
  /** Extra env vars for the run (merged over the scenario hook's env). */
  env?: Record<string, string>;
  /** Set false to let the hook's output reach stdout instead of `result.logs`. @default true */
  quiet?: boolean;
  /** Called with the running emulator before the hook runs (inject faults, flip alarms). */
  before?: (env: TestEnvironment) => void | Promise<void>;
}

export interface RunHookResult {
  /** What the handler returned (a HookVerdict for defineHook handlers). */
  verdict?: HookVerdict;
  returned: unknown;
  /** What the handler threw, if it did. */
  error?: unknown;
  /** The status CodeDeploy recorded through PutLifecycleEventHookExecutionStatus, if any. */
  reportedStatus?: 'Succeeded' | 'Failed';
  /** Number of PutLifecycleEventHookExecutionStatus calls the hook made (accepted or not). */
  reportCalls: number;
  deploymentId: string;
  executionId: string;
  lifecycleEvent: string;
  world: World;
  /** The production requests sent while the hook ran (and before it, after AllowTraffic), by version. */
  traffic: TrafficSummary;
  durationMs: number;
  /** What the hook printed (its verdict log line, console output). */
  logs: string;
}

/** A running emulator with the scenario's world, for tests that drive hooks themselves. */
export interface TestEnvironment {
  emulator: Emulator;
  world: World;
  scenario: Scenario;
  setup: WorldSetup;
  /** AWS_ENDPOINT_URL and friends for the hook's process.env. */
  env: Record<string, string>;
  /** The loopback production and test listeners (ECS scenarios). */
  net?: EcsNetwork;
  close(): Promise<void>;
}

/** Starts the emulator with the scenario's world (Lambda code attached, ECS listeners up). */
export async function startTestEnvironment(scenarioRef: string | Scenario = 'lambda-canary-healthy', opts: { greenStarted?: boolean; port?: number } = {}): Promise<TestEnvironment> {
  const scenario = typeof scenarioRef === 'string' ? loadScenario(scenarioRef) : scenarioRef;
  const world = createWorld({ random: seededRandom(scenario.seed + 2) });
  const app = await importFunction<AppHandler>(scenario.app.module, scenario.app.export, 'application');
  const closers: (() => Promise<void>)[] = [];
  let net: EcsNetwork | undefined;
  try {
    if (scenario.platform === 'ECS') {
      net = await startListeners(scenario);
      closers.push(...net.closers.map((c) => c));
    }
    const emulator = await startEmulator({ world, port: opts.port ?? 0, evaluateAlarmsEveryMs: 1000 });
    closers.push(() => emulator.close());
    const setup = setupWorld(world, scenario, { endpoint: emulator.url, ...(net ? { ports: { production: net.production.port, test: net.test.port } } : {}) });
    if (scenario.platform === 'Lambda') attachLambdaCode(world, scenario, app);
    if (net && setup.ecs) {
      for (const proxy of [net.production, net.test]) proxy.configure({ world, loadBalancerDimension: setup.ecs.loadBalancerDimension });
      const blue = await startTaskServer(versionInvoke(app, scenario.versions.current, seededRandom(scenario.seed)), scenario.versions.current.version);
      closers.push(blue.close);
      for (const proxy of [net.production, net.test]) proxy.setTarget({ label: 'Blue', port: blue.port, targetGroupDimension: setup.ecs.blueTargetGroupDimension });
      // Target health and host-count metrics on the real clock: nothing here compresses time.
      const health = new TargetHealth(world, realClock, setup.ecs.loadBalancerDimension);
      health.register('Blue', { targetGroupArn: setup.ecs.blueTargetGroupArn, targetGroupDimension: setup.ecs.blueTargetGroupDimension, port: blue.port, healthyAfterSeconds: 0 });
      health.start();
      closers.push(async () => health.stop());
      if (opts.greenStarted !== false) {
        let healthy = () => true;
        const green = await startTaskServer(versionInvoke(app, scenario.versions.target, seededRandom(scenario.seed + 1)), scenario.versions.target.version, () => healthy());
        healthy = health.register('Green', { targetGroupArn: setup.ecs.greenTargetGroupArn, targetGroupDimension: setup.ecs.greenTargetGroupDimension, port: green.port, healthyAfterSeconds: scenario.versions.target.healthyAfterSeconds });
        closers.push(green.close);
        for (const proxy of [net.production, net.test]) proxy.setTarget({ label: 'Green', port: green.port, targetGroupDimension: setup.ecs.greenTargetGroupDimension });
      }
    }
    return {
      emulator,
      world,
      scenario,
      setup,
      env: { AWS_ENDPOINT_URL: emulator.url, AWS_REGION: world.region, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      close: async () => {
        for (const c of closers.reverse()) await c().catch(() => undefined);
      },
      ...(net ? { net } : {}),
    };
  } catch (err) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    throw err;
  }
}

/**
 * Runs `handler` once, in-process, as CodeDeploy would invoke it for `lifecycleEvent`
 * of a deployment of the scenario, and returns what it returned and reported.
 */
export function runHook(handler: HookHandlerLike, opts: RunHookOptions = {}): Promise<RunHookResult> {
  return serially(() => runHookNow(handler, opts));
}

async function runHookNow(handler: HookHandlerLike, opts: RunHookOptions): Promise<RunHookResult> {
  const scenario = typeof opts.scenario === 'object' ? opts.scenario : loadScenario(opts.scenario ?? 'lambda-canary-healthy');
  const lifecycleEvent = hookEventOf(scenario, opts.lifecycleEvent);
  const hook = scenario.hooks.find((h) => h.lifecycleEvent === lifecycleEvent);
  const timeoutSeconds = timeoutOf(opts.timeoutSeconds) ?? hook?.timeoutSeconds ?? 60;
  const requestsPerSecond = requestsPerSecondOf(scenario, opts.requestsPerSecond);
  const env = await startTestEnvironment(scenario, { greenStarted: greenRunsAt(scenario, lifecycleEvent) });
  let traffic: ReturnType<typeof startTraffic> | undefined;
  try {
    const { world, setup } = env;
    const cd = world.codeDeploy;
    const { deploymentId, executionId } = stageDeployment(env, lifecycleEvent);
    const exec = cd.hookExecutions.get(executionId)!;
    await opts.before?.(env);

    traffic = startTraffic(env, requestsPerSecond);
    if (trafficMovedAt(scenario, lifecycleEvent)) await warmUp(traffic, requestsPerSecond);
    const started = Date.now();
    const deadline = started + timeoutSeconds * 1000;
    // The hook reaches this emulator through the process-wide forwarder (see stable-endpoint.ts).
    const endpoint = await stableEndpoint();
    forwardTo(env.emulator.port);
    const restore = applyEnv({ ...substituteAll(hook?.env ?? {}, setup.vars), ...(opts.env ?? {}), ...env.env, AWS_ENDPOINT_URL: endpoint });
    const logs: string[] = [];
    const restoreOutput = opts.quiet === false ? () => undefined : captureOutput(logs);
    let returned: unknown;
    let error: unknown;
    let threw = false;
    try {
      returned = await handler(
        { DeploymentId: deploymentId, LifecycleEventHookExecutionId: exec.executionId },
        lambdaContext(hook?.functionName ?? 'codedeploy-hooks-test', world.region, deadline),
      );
    } catch (err) {
      threw = true;
      error = err;
    } finally {
      restoreOutput();
      restore();
      forwardTo(undefined);
    }
    const durationMs = Date.now() - started;
    await traffic.stop();
    const record = cd.hookExecutions.get(exec.executionId);
    const result: RunHookResult = {
      returned,
      reportCalls: world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus').length,
      deploymentId,
      executionId: exec.executionId,
      lifecycleEvent,
      world,
      traffic: traffic.summary(),
      durationMs,
      logs: logs.join(''),
    };
    if (isVerdict(returned)) result.verdict = returned;
    if (threw) result.error = error;
    if (record?.reported && record.status) result.reportedStatus = record.status;
    return result;
  } finally {
    await traffic?.stop();
    await env.close();
  }
}

/** The timeoutSeconds option, validated: a hook with no time at all could only time out. */
function timeoutOf(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 900) {
    throw new OptionsError('timeoutSeconds', `must be more than 0 and at most 900 (a Lambda timeout, in seconds), got ${String(value)}`);
  }
  return value;
}

function isVerdict(value: unknown): value is HookVerdict {
  return typeof value === 'object' && value !== null && 'status' in value && Array.isArray((value as HookVerdict).checks);
}
