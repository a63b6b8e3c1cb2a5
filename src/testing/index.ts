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
import { applyEnv, captureOutput } from '../simulator/engine/hook-runner.js';
import { forwardTo, serially, stableEndpoint } from './stable-endpoint.js';
import { greenRunsAt, hookEventOf, stageDeployment } from './stage.js';
import { seededRandom } from '../simulator/engine/random.js';
import { substituteAll } from '../simulator/scenario/placeholders.js';

export { startEmulator } from '../simulator/emulator/index.js';
export { createWorld, World } from '../simulator/state/index.js';
export { loadScenario, parseScenario } from '../simulator/scenario/loader.js';
export { stageDeployment } from './stage.js';

export type HookHandlerLike = (event: { DeploymentId: string; LifecycleEventHookExecutionId: string }, context: { getRemainingTimeInMillis(): number }) => unknown;

export interface RunHookOptions {
  /** Built-in scenario name, scenario file path, or a loaded Scenario. @default 'lambda-canary-healthy' */
  scenario?: string | Scenario;
  /** The lifecycle event the hook runs for. @default the scenario's first hook event, else BeforeAllowTraffic / AfterAllowTestTraffic */
  lifecycleEvent?: string;
  /** Lambda timeout the context's getRemainingTimeInMillis counts down from, in seconds. @default the scenario hook's, else 60 */
  timeoutSeconds?: number;
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
      if (opts.greenStarted !== false) {
        const green = await startTaskServer(versionInvoke(app, scenario.versions.target, seededRandom(scenario.seed + 1)), scenario.versions.target.version);
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
  const env = await startTestEnvironment(scenario, { greenStarted: greenRunsAt(scenario, lifecycleEvent) });
  try {
    const { world, setup } = env;
    const cd = world.codeDeploy;
    const { deploymentId, executionId } = stageDeployment(env, lifecycleEvent);
    const exec = cd.hookExecutions.get(executionId)!;
    await opts.before?.(env);

    const hook = scenario.hooks.find((h) => h.lifecycleEvent === lifecycleEvent);
    const timeoutSeconds = opts.timeoutSeconds ?? hook?.timeoutSeconds ?? 60;
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
        { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) },
      );
    } catch (err) {
      threw = true;
      error = err;
    } finally {
      restoreOutput();
      restore();
      forwardTo(undefined);
    }
    const record = cd.hookExecutions.get(exec.executionId);
    const result: RunHookResult = {
      returned,
      reportCalls: world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus').length,
      deploymentId,
      executionId: exec.executionId,
      lifecycleEvent,
      world,
      durationMs: Date.now() - started,
      logs: logs.join(''),
    };
    if (isVerdict(returned)) result.verdict = returned;
    if (threw) result.error = error;
    if (record?.reported && record.status) result.reportedStatus = record.status;
    return result;
  } finally {
    await env.close();
  }
}

function isVerdict(value: unknown): value is HookVerdict {
  return typeof value === 'object' && value !== null && 'status' in value && Array.isArray((value as HookVerdict).checks);
}
