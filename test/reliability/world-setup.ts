/**
 * The worlds the fault matrix runs in: a Lambda canary deployment (function
 * `orders` with versions 1 and 2 behind alias `live`, a group alarm, error
 * metrics for the new version) and an ECS blue/green deployment (listeners
 * on a loopback HTTP target the test controls). Every cell gets its own
 * world and emulator, so faults never leak between cells.
 */
import type { World } from '../../src/simulator/state/index.js';
import type { CodeDeployHookEvent } from '../../src/types.js';

export const FUNCTION = 'orders';
export const ALARM = 'orders-new-version-errors';

export interface Deployed {
  event: CodeDeployHookEvent;
  deploymentId: string;
  executionId: string;
}

/** A Lambda deployment in BeforeAllowTraffic whose new version is healthy. */
export function deployLambda(world: World): Deployed {
  const cd = world.codeDeploy;
  cd.createApplication({ applicationName: 'orders-app', computePlatform: 'Lambda' });
  cd.createDeploymentGroup({
    applicationName: 'orders-app',
    deploymentGroupName: 'orders-group',
    deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: ALARM }] },
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
  });
  const lambda = world.lambda;
  lambda.createFunction({ functionName: FUNCTION });
  lambda.publishVersion(FUNCTION);
  lambda.publishVersion(FUNCTION);
  lambda.putAlias(FUNCTION, 'live', '1');
  lambda.setVersionHandler(FUNCTION, '1', async () => ({ statusCode: 200, body: JSON.stringify({ ok: true, version: 1 }) }));
  lambda.setVersionHandler(FUNCTION, '2', async () => ({ statusCode: 200, body: JSON.stringify({ ok: true, version: 2 }) }));

  const cw = world.cloudWatch;
  cw.putMetricAlarm({
    AlarmName: ALARM,
    Namespace: 'AWS/Lambda',
    MetricName: 'Errors',
    Dimensions: [{ Name: 'FunctionName', Value: FUNCTION }, { Name: 'Resource', Value: `${FUNCTION}:live` }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  });
  cw.setAlarmState({ AlarmName: ALARM, StateValue: 'OK', StateReason: 'healthy at the start of the cell' });
  // The new version has served traffic without errors (what lambdaErrorRate reads).
  const dims = { FunctionName: FUNCTION, Resource: `${FUNCTION}:live`, ExecutedVersion: '2' };
  const at = world.now() - 20_000;
  cw.putMetric({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: dims, value: 200, timestamp: at });
  cw.putMetric({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: dims, value: 0, timestamp: at });

  const d = cd.createDeployment({
    applicationName: 'orders-app',
    deploymentGroupName: 'orders-group',
    lambdaTarget: { functionName: FUNCTION, functionAlias: 'live', currentVersion: '1', targetVersion: '2' },
  });
  const exec = cd.createHookExecution(d.deploymentId!, 'BeforeAllowTraffic');
  return {
    deploymentId: d.deploymentId!,
    executionId: exec.executionId,
    event: { DeploymentId: d.deploymentId!, LifecycleEventHookExecutionId: exec.executionId },
  };
}

/** An ECS blue/green deployment in AfterAllowTestTraffic; both listeners lead to `targetPort` on 127.0.0.1. */
export function deployEcs(world: World, targetPort: number, protocol: 'HTTP' | 'HTTPS' = 'HTTP'): Deployed {
  const elb = world.elbv2;
  const lb = elb.createLoadBalancer({ name: 'shop-alb', dnsName: '127.0.0.1' });
  const blue = elb.createTargetGroup({ name: 'shop-blue', port: 8080 });
  const green = elb.createTargetGroup({ name: 'shop-green', port: 8080 });
  const prod = elb.createListener({ loadBalancerArn: lb.LoadBalancerArn!, port: targetPort, protocol, targetGroups: [{ TargetGroupArn: blue.TargetGroupArn!, Weight: 100 }] });
  const test = elb.createListener({ loadBalancerArn: lb.LoadBalancerArn!, port: targetPort, protocol, targetGroups: [{ TargetGroupArn: green.TargetGroupArn!, Weight: 100 }] });

  const cd = world.codeDeploy;
  cd.createApplication({ applicationName: 'shop-app', computePlatform: 'ECS' });
  cd.createDeploymentGroup({
    applicationName: 'shop-app',
    deploymentGroupName: 'shop-group',
    alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'shop-5xx' }] },
    loadBalancerInfo: {
      targetGroupPairInfoList: [
        {
          targetGroups: [{ name: 'shop-blue' }, { name: 'shop-green' }],
          prodTrafficRoute: { listenerArns: [prod.ListenerArn!] },
          testTrafficRoute: { listenerArns: [test.ListenerArn!] },
        },
      ],
    },
    ecsServices: [{ serviceName: 'shop', clusterName: 'main' }],
  });
  world.cloudWatch.putMetricAlarm({
    AlarmName: 'shop-5xx',
    Namespace: 'AWS/ApplicationELB',
    MetricName: 'HTTPCode_Target_5XX_Count',
    Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/shop-green/1' }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 5,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  });
  world.cloudWatch.setAlarmState({ AlarmName: 'shop-5xx', StateValue: 'OK', StateReason: 'healthy at the start of the cell' });

  const d = cd.createDeployment({
    applicationName: 'shop-app',
    deploymentGroupName: 'shop-group',
    ecsTarget: {
      clusterName: 'main',
      serviceName: 'shop',
      taskSets: [
        { identifer: 'ecs-svc/blue', desiredCount: 2, pendingCount: 0, runningCount: 2, status: 'PRIMARY', trafficWeight: 100, targetGroup: { name: 'shop-blue' }, taskSetLabel: 'Blue' },
        { identifer: 'ecs-svc/green', desiredCount: 2, pendingCount: 0, runningCount: 2, status: 'ACTIVE', trafficWeight: 0, targetGroup: { name: 'shop-green' }, taskSetLabel: 'Green' },
      ],
    },
  });
  const exec = cd.createHookExecution(d.deploymentId!, 'AfterAllowTestTraffic');
  return {
    deploymentId: d.deploymentId!,
    executionId: exec.executionId,
    event: { DeploymentId: d.deploymentId!, LifecycleEventHookExecutionId: exec.executionId },
  };
}
