/**
 * Puts a deployment of a scenario where CodeDeploy would be when it invokes
 * the hook of one lifecycle event: earlier events Succeeded, the green task
 * set running after Install, the test listener on green after
 * AllowTestTraffic, all traffic on the new version after AllowTraffic, and a
 * hook execution InProgress for the event.
 */
import { OptionsError } from '../errors.js';
import type { Scenario } from '../simulator/scenario/types.js';
import type { EcsTaskSetInfo } from '../simulator/state/index.js';
import { ECS_LIFECYCLE_EVENTS, LAMBDA_LIFECYCLE_EVENTS } from '../simulator/state/codedeploy-types.js';
import type { TestEnvironment } from './index.js';

const orderOf = (scenario: Scenario): readonly string[] => (scenario.platform === 'ECS' ? ECS_LIFECYCLE_EVENTS : LAMBDA_LIFECYCLE_EVENTS);

/** The hookable event to run: the given one (validated) or the scenario's first hook event. */
export function hookEventOf(scenario: Scenario, lifecycleEvent?: string): string {
  const order = orderOf(scenario);
  const hookable = order.filter((e) => /^(Before|After)/.test(e));
  const event = lifecycleEvent ?? scenario.hooks[0]?.lifecycleEvent ?? (scenario.platform === 'ECS' ? 'AfterAllowTestTraffic' : 'BeforeAllowTraffic');
  if (!hookable.includes(event)) {
    throw new OptionsError('lifecycleEvent', `expected one of ${hookable.join(', ')} for a ${scenario.platform} scenario, got ${JSON.stringify(event)}`);
  }
  return event;
}

/** Whether the green task set exists when `lifecycleEvent` runs (Lambda versions always exist). */
export function greenRunsAt(scenario: Scenario, lifecycleEvent: string): boolean {
  const order = orderOf(scenario);
  return scenario.platform === 'Lambda' || order.indexOf(lifecycleEvent) > order.indexOf('Install');
}

/** Whether production traffic already reached the new version when `lifecycleEvent` runs (after AllowTraffic). */
export function trafficMovedAt(scenario: Scenario, lifecycleEvent: string): boolean {
  const order = orderOf(scenario);
  return order.indexOf(lifecycleEvent) > order.indexOf('AllowTraffic');
}

export function stageDeployment(env: TestEnvironment, lifecycleEvent: string): { deploymentId: string; executionId: string } {
  const { world, setup, scenario } = env;
  const order = orderOf(scenario);
  const index = order.indexOf(hookEventOf(scenario, lifecycleEvent));
  const cd = world.codeDeploy;
  const { current, target } = scenario.versions;
  const base = { applicationName: scenario.application.name, deploymentGroupName: scenario.application.deploymentGroup, deploymentConfigName: setup.deploymentConfigName };
  const afterAllTraffic = trafficMovedAt(scenario, order[index]!);
  let deploymentId: string;
  if (scenario.platform === 'Lambda') {
    const { functionName, alias } = scenario.lambda!;
    deploymentId = cd.createDeployment({
      ...base,
      lambdaTarget: { functionName, functionAlias: alias, currentVersion: current.version, targetVersion: target.version, targetVersionWeight: afterAllTraffic ? 100 : 0 },
    }).deploymentId;
    if (afterAllTraffic) world.lambda.updateAliasRouting(functionName, alias, target.version);
  } else {
    const ecs = scenario.ecs!;
    const res = setup.ecs!;
    const taskSets: EcsTaskSetInfo[] = [
      { identifer: `ecs-svc/${ecs.service}-blue`, desiredCount: 1, pendingCount: 0, runningCount: 1, status: 'PRIMARY', trafficWeight: afterAllTraffic ? 0 : 100, targetGroup: { name: ecs.targetGroups[0] }, taskSetLabel: 'Blue' },
    ];
    if (index > order.indexOf('Install')) {
      taskSets.push({ identifer: `ecs-svc/${ecs.service}-green`, desiredCount: 1, pendingCount: 0, runningCount: 1, status: 'ACTIVE', trafficWeight: afterAllTraffic ? 100 : 0, targetGroup: { name: ecs.targetGroups[1] }, taskSetLabel: 'Green' });
    }
    deploymentId = cd.createDeployment({ ...base, ecsTarget: { clusterName: ecs.cluster, serviceName: ecs.service, taskSets } }).deploymentId;
    if (res.testListenerArn && index > order.indexOf('AllowTestTraffic')) {
      env.net?.test.setGreenWeight(100);
      world.elbv2.setListenerWeights(res.testListenerArn, [{ TargetGroupArn: res.greenTargetGroupArn, Weight: 1 }]);
    }
    if (afterAllTraffic) {
      env.net?.production.setGreenWeight(100);
      world.elbv2.setListenerWeights(res.productionListenerArn, [{ TargetGroupArn: res.greenTargetGroupArn, Weight: 1 }]);
    }
  }
  const events = new Set(cd.targetOf(deploymentId).lifecycleEvents.map((e) => e.lifecycleEventName));
  for (const ev of order.slice(0, index)) if (events.has(ev)) cd.completeLifecycleEvent(deploymentId, ev, 'Succeeded');
  const exec = cd.createHookExecution(deploymentId, order[index]!);
  return { deploymentId, executionId: exec.executionId };
}
