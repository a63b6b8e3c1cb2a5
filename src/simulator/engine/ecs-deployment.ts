/**
 * An ECS blue/green deployment as CodeDeploy runs it, on loopback: the blue
 * and green task sets are local HTTP servers of the old and new version, the
 * production and test listeners are local proxies routing between them by
 * weight, and the ELBv2 world describes those listeners with their real ports.
 */
import type { Scenario } from '../scenario/types.js';
import type { World } from '../state/index.js';
import type { TrafficRoutingConfig } from '../state/deployment-configs.js';
import { startTaskServer, versionInvoke, type AppHandler } from './app-versions.js';
import type { DeploymentRun } from './deployment-run.js';
import { httpGet, ListenerProxy } from './load-balancer.js';
import { seededRandom } from './random.js';
import type { EcsResources } from './setup-world.js';
import { trafficPaths, type SendRequest } from './traffic-generator.js';
import type { TrafficRoute, VersionSlice } from './simulated-traffic.js';
import { recordAlbRequests } from './load-balancer.js';
import { SimulatorSetupError } from './module-loader.js';
import { TargetHealth } from './target-health.js';
import { readyWait, terminationWait } from './blue-green-waits.js';

export interface EcsNetwork {
  production: ListenerProxy;
  test: ListenerProxy;
  closers: (() => Promise<void>)[];
}

/** Starts the two listeners on the scenario's ports (0 = any free port). A port in use is a setup error. */
export async function startListeners(scenario: Scenario): Promise<EcsNetwork> {
  const spec = scenario.ecs!;
  const random = seededRandom(scenario.seed + 3);
  const production = new ListenerProxy('production', random);
  const test = new ListenerProxy('test', random);
  const closers: (() => Promise<void>)[] = [];
  for (const [proxy, port] of [[production, spec.productionPort], [test, spec.testPort]] as const) {
    try {
      await proxy.start(port);
      closers.push(() => proxy.close());
    } catch (err) {
      await Promise.all(closers.map((c) => c()));
      const code = (err as NodeJS.ErrnoException).code;
      throw new SimulatorSetupError(
        code === 'EADDRINUSE'
          ? `port ${port} on 127.0.0.1 is already in use (ecs.${proxy.name === 'production' ? 'productionPort' : 'testPort'} in ${scenario.source}); choose another port or 0 for any free port`
          : `cannot listen on 127.0.0.1:${port} for the ${proxy.name} listener: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return { production, test, closers };
}

/** Production traffic: one request of the scenario's traffic through the production listener. */
export function listenerRequests(net: EcsNetwork, scenario: Scenario): SendRequest {
  const traffic = scenario.traffic;
  const nextPath = trafficPaths(scenario);
  return async () => {
    const r = await httpGet(net.production.port, nextPath(), traffic?.method ?? 'GET');
    return { version: r.version ?? 'load balancer', failed: r.status >= 500 };
  };
}

/** Moves a listener's traffic (the loopback proxy and the ELBv2 world's forward action) and records it in the timeline. */
export function setListenerWeight(run: DeploymentRun, proxy: ListenerProxy, listenerArn: string | undefined, res: EcsResources, greenWeight: number, rollback = false): void {
  // A group without a test listener (ecs.testListener: false) has nothing to move there.
  if (!listenerArn) return;
  const { current, target } = run.scenario.versions;
  proxy.setGreenWeight(greenWeight);
  const groups = [];
  if (greenWeight < 100) groups.push({ TargetGroupArn: res.blueTargetGroupArn, Weight: 100 - greenWeight });
  if (greenWeight > 0) groups.push({ TargetGroupArn: res.greenTargetGroupArn, Weight: greenWeight });
  run.world.elbv2.setListenerWeights(listenerArn, groups);
  run.emit({ type: 'traffic', listener: proxy.name, targetWeight: greenWeight, currentVersion: current.version, targetVersion: target.version, ...(rollback ? { rollback } : {}) });
}

/** Production traffic through the production listener: its blue/green weights, and the ALB metrics of the target groups. */
export function listenerRoute(world: World, scenario: Scenario, net: EcsNetwork, res: EcsResources, greenHealthy: () => boolean = () => true): TrafficRoute {
  const { current, target } = scenario.versions;
  // A green task still starting answers 503 to every request (the ALB fails open to an all-unhealthy target group).
  const starting = (slice: VersionSlice): VersionSlice => (slice.version === target.version && !greenHealthy() ? { ...slice, threw: 0, byClass: { 5: slice.total } } : slice);
  return {
    shares: () => {
      const green = net.production.greenWeight / 100;
      return green > 0 ? [{ version: current.version, share: 1 - green }, { version: target.version, share: green }] : [{ version: current.version, share: 1 }];
    },
    record: (served, timestamp) => {
      const slice = starting(served);
      recordAlbRequests(world, {
        loadBalancerDimension: res.loadBalancerDimension,
        targetGroupDimension: slice.version === target.version ? res.greenTargetGroupDimension : res.blueTargetGroupDimension,
        count: slice.total,
        // A task set that throws answers 500.
        byClass: { ...slice.byClass, 5: (slice.byClass[5] ?? 0) + slice.threw },
        latencySeconds: slice.latencyMs / 1000,
        timestamp,
      });
    },
    failed: (served) => {
      const slice = starting(served);
      return slice.threw + (slice.byClass[5] ?? 0);
    },
  };
}

export function ecsPlatform(run: DeploymentRun, net: EcsNetwork, res: EcsResources, app: AppHandler) {
  const scenario = run.scenario;
  const { current, target } = scenario.versions;
  const [blueName, greenName] = scenario.ecs!.targetGroups;
  const world = run.world;
  const cd = world.codeDeploy;
  for (const proxy of [net.production, net.test]) proxy.configure({ world, loadBalancerDimension: res.loadBalancerDimension });
  const health = new TargetHealth(world, run.clock, res.loadBalancerDimension);

  const setListener = (proxy: ListenerProxy, listenerArn: string | undefined, greenWeight: number, rollback = false): void =>
    setListenerWeight(run, proxy, listenerArn, res, greenWeight, rollback);
  let greenStarted = false;
  let greenHealthy = () => false;

  return {
    traffic: listenerRoute(world, scenario, net, res, () => greenHealthy()),
    /** Blue is running before the deployment starts. */
    startBlue: async (): Promise<void> => {
      const blue = await startTaskServer(versionInvoke(app, current, seededRandom(scenario.seed)), current.version);
      net.closers.push(blue.close);
      // Blue has been serving for a while: its target is healthy from the start.
      health.register('Blue', { targetGroupArn: res.blueTargetGroupArn, targetGroupDimension: res.blueTargetGroupDimension, port: blue.port, healthyAfterSeconds: 0 });
      health.start();
      net.closers.push(async () => health.stop());
      for (const proxy of [net.production, net.test]) proxy.setTarget({ label: 'Blue', port: blue.port, targetGroupDimension: res.blueTargetGroupDimension });
    },
    blueTaskSet: () => ({
      identifer: `ecs-svc/${scenario.ecs!.service}-blue`,
      desiredCount: 1,
      pendingCount: 0,
      runningCount: 1,
      status: 'PRIMARY' as const,
      trafficWeight: 100,
      targetGroup: { name: blueName },
      taskSetLabel: 'Blue' as const,
    }),
    run: async (routing: TrafficRoutingConfig): Promise<void> => {
      // Before Install there is nothing to roll back to (research §2.2).
      await run.hookEvent('BeforeInstall', { rollbackPossible: false });
      await run.plainEvent('Install', async () => {
        const installedAt = run.clock.simSeconds();
        const green = await startTaskServer(versionInvoke(app, target, seededRandom(scenario.seed + 1), () => run.clock.simSeconds() - installedAt), target.version, () => greenHealthy());
        greenHealthy = health.register('Green', { targetGroupArn: res.greenTargetGroupArn, targetGroupDimension: res.greenTargetGroupDimension, port: green.port, healthyAfterSeconds: target.healthyAfterSeconds });
        net.closers.push(green.close);
        greenStarted = true;
        for (const proxy of [net.production, net.test]) proxy.setTarget({ label: 'Green', port: green.port, targetGroupDimension: res.greenTargetGroupDimension });
        cd.updateEcsTaskSets(run.deploymentId, [{
          taskSetLabel: 'Green',
          identifer: `ecs-svc/${scenario.ecs!.service}-green`,
          status: 'ACTIVE',
          trafficWeight: 0,
          desiredCount: 1,
          runningCount: 1,
          pendingCount: 0,
          targetGroup: { name: greenName },
        }]);
      });
      await run.hookEvent('AfterInstall');
      // A group without a test listener has no test-traffic events (state/codedeploy.ts).
      if (res.testListenerArn) {
        await run.plainEvent('AllowTestTraffic', () => setListener(net.test, res.testListenerArn, 100));
        await run.hookEvent('AfterAllowTestTraffic');
      }
      await readyWait(run);
      await run.hookEvent('BeforeAllowTraffic');
      await run.plainEvent('AllowTraffic', () =>
        run.shiftTraffic(routing, (w) => {
          setListener(net.production, res.productionListenerArn, w);
          cd.updateEcsTaskSets(run.deploymentId, [
            { taskSetLabel: 'Blue', trafficWeight: 100 - w },
            { taskSetLabel: 'Green', trafficWeight: w },
          ]);
        }),
      );
      await run.hookEvent('AfterAllowTraffic');
      await terminationWait(run);
      cd.updateEcsTaskSets(run.deploymentId, [
        { taskSetLabel: 'Green', status: 'PRIMARY', trafficWeight: 100 },
        { taskSetLabel: 'Blue', status: 'DRAINING', trafficWeight: 0 },
      ]);
      health.deregister('Blue');
    },
    rollback: (): void => {
      if (net.production.greenWeight > 0) setListener(net.production, res.productionListenerArn, 0, true);
      if (net.test.greenWeight > 0) setListener(net.test, res.testListenerArn, 0, true);
      if (greenStarted) {
        cd.updateEcsTaskSets(run.deploymentId, [
          { taskSetLabel: 'Blue', status: 'PRIMARY', trafficWeight: 100 },
          { taskSetLabel: 'Green', status: 'DRAINING', trafficWeight: 0 },
        ]);
        health.deregister('Green');
      }
    },
    describeFinal: (succeeded: boolean): string =>
      succeeded
        ? `production listener (127.0.0.1:${net.production.port}) sends 100% of traffic to the green task set (version ${target.version})`
        : `production listener (127.0.0.1:${net.production.port}) sends 100% of traffic to the blue task set (version ${current.version})`,
  };
}
