/**
 * A Lambda deployment as CodeDeploy runs it: BeforeAllowTraffic hook, the
 * alias weights moved step by step (AllowTraffic), AfterAllowTraffic hook.
 * Versions run the example application in-process through the world's
 * invoke path; the traffic generator invokes the alias meanwhile.
 */
import type { Scenario } from '../scenario/types.js';
import type { World } from '../state/index.js';
import type { TrafficRoutingConfig } from '../state/deployment-configs.js';
import { httpApiEvent, isWebResult, versionInvoke, type AppHandler } from './app-versions.js';
import type { DeploymentRun } from './deployment-run.js';
import { seededRandom } from './random.js';
import { trafficPaths, type SendRequest } from './traffic-generator.js';
import type { TrafficRoute } from './simulated-traffic.js';

export interface LambdaPlatform {
  traffic: TrafficRoute;
  run(routing: TrafficRoutingConfig): Promise<void>;
  rollback(): void;
  /** Where traffic is at the end, for the summary. */
  describeFinal(succeeded: boolean): string;
}

/** The sample app's own count of 5xx answers per version (examples/app/handler.ts writes it as EMF). */
export const APP_METRICS_NAMESPACE = 'CodeDeployHooks/App';
export const APP_5XX_METRIC = 'Http5xx';

/**
 * Attaches the application's versions to the function in the world. `uptimeSeconds` is how
 * long the new version has been deployed (simulated seconds), for a slow start.
 */
export function attachLambdaCode(world: World, scenario: Scenario, app: AppHandler, uptimeSeconds: () => number = () => Infinity): void {
  const fn = scenario.lambda!.functionName;
  const { current, target } = scenario.versions;
  const healthy = { version: 'other', errorRate: 0, latencyMs: 0, healthyAfterSeconds: 0 };
  const byVersion = new Map([
    [current.version, versionInvoke(app, current, seededRandom(scenario.seed))],
    [target.version, versionInvoke(app, target, seededRandom(scenario.seed + 1), uptimeSeconds)],
  ]);
  const fallback = versionInvoke(app, healthy, Math.random);
  world.lambda.setFunctionInvoker(fn, async (req) => {
    const invoke = byVersion.get(req.version) ?? fallback;
    const event: unknown = req.payload ? JSON.parse(req.payload) : null;
    const result = await invoke(event);
    recordApp5xx(world, fn, req.version, isWebResult(result) && result.statusCode >= 500 ? 1 : 0, world.now());
    return { payload: JSON.stringify(result ?? null) };
  });
}

/** In AWS the app prints this as an EMF line and CloudWatch Logs makes it a metric; here it is recorded directly. */
function recordApp5xx(world: World, functionName: string, version: string, count: number, timestamp: number): void {
  const sets: Record<string, string>[] = [{ FunctionName: functionName, ExecutedVersion: version }, { FunctionName: functionName }];
  for (const dimensions of sets) {
    world.cloudWatch.putMetric({ namespace: APP_METRICS_NAMESPACE, metricName: APP_5XX_METRIC, dimensions, value: count, timestamp, unit: 'Count' });
  }
}

/** Production traffic: one request of the scenario's traffic to the alias, through the world's invoke path. */
export function aliasRequests(world: World, scenario: Scenario): SendRequest {
  const { functionName, alias } = scenario.lambda!;
  const traffic = scenario.traffic;
  const nextPath = trafficPaths(scenario);
  return async () => {
    const out = await world.lambda.invoke({
      functionName,
      qualifier: alias,
      payload: JSON.stringify(httpApiEvent(traffic?.method ?? 'GET', nextPath())),
    });
    let failed = out.functionError !== undefined;
    if (!failed) {
      try {
        const body: unknown = JSON.parse(out.payload);
        failed = isWebResult(body) && body.statusCode >= 500;
      } catch {
        failed = true;
      }
    }
    return { version: out.executedVersion, failed };
  };
}

/** Production traffic to the alias: its weights, and the AWS/Lambda metrics of alias invocations. */
export function aliasRoute(world: World, scenario: Scenario): TrafficRoute {
  const { functionName, alias } = scenario.lambda!;
  return {
    shares: () => {
      const a = world.lambda.getAlias(functionName, alias);
      const extra = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {}).map(([version, share]) => ({ version, share }));
      return [{ version: a.FunctionVersion, share: 1 - extra.reduce((n, e) => n + e.share, 0) }, ...extra];
    },
    record: (slice, timestamp) => {
      world.lambda.recordInvocations({ functionName, version: slice.version, qualifier: alias, alias, count: slice.total, errors: slice.threw, durationMs: slice.latencyMs, timestamp });
      recordApp5xx(world, functionName, slice.version, slice.byClass[5] ?? 0, timestamp);
    },
    // As a caller sees it: a function error, or a 5xx the function returned.
    failed: (slice) => slice.threw + (slice.byClass[5] ?? 0),
  };
}

export function lambdaPlatform(run: DeploymentRun): LambdaPlatform {
  const scenario = run.scenario;
  const { functionName, alias } = scenario.lambda!;
  const { current, target } = scenario.versions;
  const world = run.world;

  const setWeight = (targetWeight: number, rollback = false): void => {
    if (targetWeight >= 100) world.lambda.updateAliasRouting(functionName, alias, target.version);
    else if (targetWeight <= 0) world.lambda.updateAliasRouting(functionName, alias, current.version);
    else world.lambda.updateAliasRouting(functionName, alias, current.version, { [target.version]: targetWeight / 100 });
    world.codeDeploy.setLambdaTargetWeight(run.deploymentId, targetWeight);
    run.emit({ type: 'traffic', listener: 'alias', targetWeight, currentVersion: current.version, targetVersion: target.version, ...(rollback ? { rollback } : {}) });
  };

  return {
    traffic: aliasRoute(world, scenario),
    run: async (routing) => {
      await run.hookEvent('BeforeAllowTraffic');
      await run.plainEvent('AllowTraffic', () => run.shiftTraffic(routing, (w) => setWeight(w)));
      await run.hookEvent('AfterAllowTraffic');
    },
    rollback: () => setWeight(0, true),
    describeFinal: (succeeded) =>
      succeeded
        ? `alias ${functionName}:${alias} now sends 100% of traffic to version ${target.version}`
        : `alias ${functionName}:${alias} sends 100% of traffic to version ${current.version}`,
  };
}
