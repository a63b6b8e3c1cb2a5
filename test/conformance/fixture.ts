import { createWorld } from '../../src/simulator/state/index.js';
import type { World } from '../../src/simulator/state/index.js';

/**
 * A small AWS account shared by the conformance tests: a Lambda canary
 * deployment with a hook execution, an ECS blue/green group with listeners,
 * alarms, metrics and a weighted alias.
 */
export interface Fixture {
  world: World;
  lambdaDeploymentId: string;
  ecsDeploymentId: string;
  executionId: string;
  secondExecutionId: string;
  lbArn: string;
  prodListenerArn: string;
  testListenerArn: string;
  metricTime: Date;
}

export function buildFixture(): Fixture {
  const world = createWorld({ random: () => 0.05 });
  const cd = world.codeDeploy;
  cd.createApplication({ applicationName: 'shop-api', computePlatform: 'Lambda' });
  cd.createDeploymentGroup({
    applicationName: 'shop-api', deploymentGroupName: 'shop-api-dg',
    deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    alarmConfiguration: { enabled: true, alarms: [{ name: 'shop-api-errors' }] },
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
  });
  const lambdaDeployment = cd.createDeployment({
    applicationName: 'shop-api', deploymentGroupName: 'shop-api-dg',
    lambdaTarget: { functionName: 'shop-api', functionAlias: 'live', currentVersion: '1', targetVersion: '2' },
  });
  const exec = cd.createHookExecution(lambdaDeployment.deploymentId, 'BeforeAllowTraffic');
  const exec2 = cd.createHookExecution(lambdaDeployment.deploymentId, 'AfterAllowTraffic');

  const elb = world.elbv2;
  const lb = elb.createLoadBalancer({ name: 'web-alb', dnsName: '127.0.0.1' });
  const blue = elb.createTargetGroup({ name: 'web-blue', port: 8080 });
  const green = elb.createTargetGroup({ name: 'web-green', port: 8080 });
  const prod = elb.createListener({ loadBalancerArn: lb.LoadBalancerArn, port: 18080, targetGroups: [{ TargetGroupArn: blue.TargetGroupArn, Weight: 100 }] });
  const test = elb.createListener({ loadBalancerArn: lb.LoadBalancerArn, port: 18081, targetGroups: [{ TargetGroupArn: green.TargetGroupArn, Weight: 100 }] });

  cd.createApplication({ applicationName: 'web', computePlatform: 'ECS' });
  cd.createDeploymentGroup({
    applicationName: 'web', deploymentGroupName: 'web-dg',
    ecsServices: [{ clusterName: 'main', serviceName: 'web' }],
    loadBalancerInfo: { targetGroupPairInfoList: [{
      targetGroups: [{ name: 'web-blue' }, { name: 'web-green' }],
      prodTrafficRoute: { listenerArns: [prod.ListenerArn] },
      testTrafficRoute: { listenerArns: [test.ListenerArn] },
    }] },
  });
  const ecsDeployment = cd.createDeployment({
    applicationName: 'web', deploymentGroupName: 'web-dg',
    ecsTarget: { clusterName: 'main', serviceName: 'web', taskSets: [
      { identifer: 'ecs-svc/1', desiredCount: 2, pendingCount: 0, runningCount: 2, status: 'PRIMARY', trafficWeight: 100, targetGroup: { name: 'web-blue' }, taskSetLabel: 'Blue' },
      { identifer: 'ecs-svc/2', desiredCount: 2, pendingCount: 0, runningCount: 2, status: 'ACTIVE', trafficWeight: 0, targetGroup: { name: 'web-green' }, taskSetLabel: 'Green' },
    ] },
  });

  const cw = world.cloudWatch;
  const metricTime = new Date(Date.now() - 90_000);
  for (const v of [1, 2, 3, 4, 100]) {
    cw.putMetric({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: 'shop-api' }, value: v, timestamp: metricTime, unit: 'Milliseconds' });
  }
  cw.putMetricAlarm({
    AlarmName: 'shop-api-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors',
    Dimensions: [{ Name: 'FunctionName', Value: 'shop-api' }], Statistic: 'Sum', Period: 60,
    EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
  });
  cw.putMetricAlarm({
    AlarmName: 'shop-api-latency', Namespace: 'AWS/Lambda', MetricName: 'Duration',
    Dimensions: [{ Name: 'FunctionName', Value: 'shop-api' }], ExtendedStatistic: 'p99', Period: 60,
    EvaluationPeriods: 1, Threshold: 500, ComparisonOperator: 'GreaterThanThreshold',
  });
  cw.putCompositeAlarm({ AlarmName: 'shop-api-any', AlarmRule: 'ALARM("shop-api-errors") OR ALARM("shop-api-latency")' });

  const fn = world.lambda;
  fn.createFunction({ functionName: 'shop-api' });
  fn.publishVersion('shop-api');
  fn.publishVersion('shop-api');
  fn.putAlias('shop-api', 'live', '1', { '2': 0.1 });
  fn.setInvoker(({ version, payload }) => {
    const input = payload ? (JSON.parse(payload) as { fail?: boolean }) : {};
    if (input.fail) return { payload: JSON.stringify({ errorMessage: 'boom', errorType: 'Error' }), functionError: 'Unhandled', logTail: 'ERROR boom\n' };
    return { payload: JSON.stringify({ statusCode: 200, version }), logTail: `hello from ${version}\n` };
  });

  return {
    world,
    lambdaDeploymentId: lambdaDeployment.deploymentId,
    ecsDeploymentId: ecsDeployment.deploymentId,
    executionId: exec.executionId,
    secondExecutionId: exec2.executionId,
    lbArn: lb.LoadBalancerArn,
    prodListenerArn: prod.ListenerArn,
    testListenerArn: test.ListenerArn,
    metricTime,
  };
}
