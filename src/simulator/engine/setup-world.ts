/**
 * Builds the AWS account a scenario describes inside a World: the CodeDeploy
 * application and deployment group, the deployment configuration, the Lambda
 * function with its two versions and alias (or, for ECS, the load balancer,
 * listeners and target groups), and the CloudWatch alarms.
 */
import type { Scenario, ScenarioAlarm } from '../scenario/types.js';
import type { World } from '../state/index.js';
import type { TrafficRoutingConfig } from '../state/deployment-configs.js';
import { substituteAll, type PlaceholderName } from '../scenario/placeholders.js';

export interface EcsResources {
  loadBalancerArn: string;
  productionListenerArn: string;
  /** Absent when the group has no test listener (ecs.testListener: false). */
  testListenerArn?: string;
  blueTargetGroupArn: string;
  greenTargetGroupArn: string;
  /** CloudWatch dimension values: `app/name/id`, `targetgroup/name/id`. */
  loadBalancerDimension: string;
  blueTargetGroupDimension: string;
  greenTargetGroupDimension: string;
}

export interface WorldSetup {
  deploymentConfigName: string;
  routing: TrafficRoutingConfig;
  ecs?: EcsResources;
  /** Values of the scenario's {{placeholders}}. */
  vars: Partial<Record<PlaceholderName, string>>;
}

export function setupWorld(world: World, scenario: Scenario, opts: { ports?: { production: number; test: number }; endpoint?: string } = {}): WorldSetup {
  const ports = opts.ports;
  const vars: Partial<Record<PlaceholderName, string>> = {
    currentVersion: scenario.versions.current.version,
    targetVersion: scenario.versions.target.version,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
  };
  const platform = scenario.platform;
  // ECS-native deployments have no CodeDeploy side: ecs-native-simulate.ts sets up their world.
  if (platform === 'ECS-native') throw new Error(`setupWorld builds CodeDeploy deployments; ${scenario.source} is ECS-native`);
  const cd = world.codeDeploy;
  cd.createApplication({ applicationName: scenario.application.name, computePlatform: platform });

  let deploymentConfigName: string;
  if (typeof scenario.deployment.config === 'string') {
    deploymentConfigName = scenario.deployment.config;
  } else {
    const { name, ...routing } = scenario.deployment.config;
    cd.putDeploymentConfig({ deploymentConfigName: name, computePlatform: platform, trafficRoutingConfig: routing });
    deploymentConfigName = name;
  }
  const routing = cd.getDeploymentConfig(deploymentConfigName).trafficRoutingConfig;

  const groupAlarms = scenario.alarms.filter((a) => a.deploymentGroup).map((a) => ({ name: a.name }));
  const autoRollbackConfiguration = scenario.deployment.autoRollback
    ? { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] as ('DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST')[] }
    : { enabled: false, events: [] };

  if (scenario.platform === 'Lambda') {
    const spec = scenario.lambda!;
    world.lambda.createFunction({ functionName: spec.functionName, handler: 'handler.handler', runtime: 'nodejs22.x', timeout: 30 });
    // Publish versions up to the highest the scenario names, so "1" and "2" (or "7" and "8") exist.
    const highest = Math.max(Number(scenario.versions.current.version), Number(scenario.versions.target.version));
    for (let v = 1; v <= highest; v++) world.lambda.publishVersion(spec.functionName, `version ${v}`);
    world.lambda.putAlias(spec.functionName, spec.alias, scenario.versions.current.version);
    Object.assign(vars, { functionName: spec.functionName, alias: spec.alias });
    for (const alarm of scenario.alarms) createAlarm(world, alarm, vars);
    cd.createDeploymentGroup({
      applicationName: scenario.application.name,
      deploymentGroupName: scenario.application.deploymentGroup,
      deploymentConfigName,
      alarmConfiguration: { enabled: groupAlarms.length > 0, ignorePollAlarmFailure: false, alarms: groupAlarms },
      autoRollbackConfiguration,
    });
    return { deploymentConfigName, routing, vars };
  }

  const spec = scenario.ecs!;
  const ecs = createLoadBalancing(world, scenario, vars, ports);
  cd.createDeploymentGroup({
    applicationName: scenario.application.name,
    deploymentGroupName: scenario.application.deploymentGroup,
    deploymentConfigName,
    alarmConfiguration: { enabled: groupAlarms.length > 0, ignorePollAlarmFailure: false, alarms: groupAlarms },
    autoRollbackConfiguration,
    ecsServices: [{ clusterName: spec.cluster, serviceName: spec.service }],
    loadBalancerInfo: {
      targetGroupPairInfoList: [{
        targetGroups: [{ name: spec.targetGroups[0] }, { name: spec.targetGroups[1] }],
        prodTrafficRoute: { listenerArns: [ecs.productionListenerArn] },
        ...(ecs.testListenerArn ? { testTrafficRoute: { listenerArns: [ecs.testListenerArn] } } : {}),
      }],
    },
    blueGreenDeploymentConfiguration: {
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: scenario.deployment.terminationWaitTimeInMinutes },
      deploymentReadyOption: scenario.deployment.deploymentReadyOption ?? { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
    },
  });
  return { deploymentConfigName, routing, ecs, vars };
}

/**
 * The load balancer of an ECS service (CodeDeploy or ECS-native): two target
 * groups, the production and test listeners on their loopback ports, the
 * placeholders that name them, and the scenario's alarms.
 */
export function createLoadBalancing(world: World, scenario: Scenario, vars: Partial<Record<PlaceholderName, string>>, ports?: { production: number; test: number }): EcsResources {
  const spec = scenario.ecs!;
  const elb = world.elbv2;
  // The listeners really are loopback servers: the DNS name is 127.0.0.1 so an http check can reach them.
  const lb = elb.createLoadBalancer({ name: spec.loadBalancerName, dnsName: '127.0.0.1' });
  const blue = elb.createTargetGroup({ name: spec.targetGroups[0], port: 8080, healthCheckPath: '/health' });
  const green = elb.createTargetGroup({ name: spec.targetGroups[1], port: 8080, healthCheckPath: '/health' });
  const production = elb.createListener({ loadBalancerArn: lb.LoadBalancerArn, port: ports?.production ?? 80, targetGroups: [{ TargetGroupArn: blue.TargetGroupArn, Weight: 1 }] });
  const test = spec.testListener ? elb.createListener({ loadBalancerArn: lb.LoadBalancerArn, port: ports?.test ?? 8080, targetGroups: [{ TargetGroupArn: blue.TargetGroupArn, Weight: 1 }] }) : undefined;
  const ecs: EcsResources = {
    loadBalancerArn: lb.LoadBalancerArn,
    productionListenerArn: production.ListenerArn,
    ...(test ? { testListenerArn: test.ListenerArn } : {}),
    blueTargetGroupArn: blue.TargetGroupArn,
    greenTargetGroupArn: green.TargetGroupArn,
    loadBalancerDimension: arnDimension(lb.LoadBalancerArn, 'loadbalancer/'),
    blueTargetGroupDimension: arnDimension(blue.TargetGroupArn, ''),
    greenTargetGroupDimension: arnDimension(green.TargetGroupArn, ''),
  };
  Object.assign(vars, {
    loadBalancer: ecs.loadBalancerDimension,
    blueTargetGroup: ecs.blueTargetGroupDimension,
    greenTargetGroup: ecs.greenTargetGroupDimension,
    productionUrl: `http://127.0.0.1:${production.Port}`,
    ...(test ? { testUrl: `http://127.0.0.1:${test.Port}` } : {}),
  });
  for (const alarm of scenario.alarms) createAlarm(world, alarm, vars);
  return ecs;
}

/** CloudWatch's ALB dimensions are the ARN's resource part: `app/name/id`, `targetgroup/name/id`. */
function arnDimension(arn: string, strip: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return strip && resource.startsWith(strip) ? resource.slice(strip.length) : resource;
}

function createAlarm(world: World, alarm: ScenarioAlarm, vars: Partial<Record<PlaceholderName, string>>): void {
  const dims = (d: Record<string, string>) => Object.entries(substituteAll(d, vars)).map(([Name, Value]) => ({ Name, Value }));
  const metric = alarm.math
    ? {
        Metrics: [
          ...Object.entries(alarm.math.metrics).map(([Id, m]) => ({
            Id,
            MetricStat: { Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: dims(m.dimensions) }, Period: alarm.period, Stat: m.stat },
            ReturnData: false,
          })),
          { Id: 'verdict', Expression: alarm.math.expression, ReturnData: true },
        ],
      }
    : { Namespace: alarm.namespace, MetricName: alarm.metricName, Dimensions: dims(alarm.dimensions), Statistic: alarm.statistic, Period: alarm.period };
  world.cloudWatch.putMetricAlarm({
    AlarmName: alarm.name,
    ...metric,
    EvaluationPeriods: alarm.evaluationPeriods,
    ...(alarm.datapointsToAlarm !== undefined ? { DatapointsToAlarm: alarm.datapointsToAlarm } : {}),
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator,
    TreatMissingData: alarm.treatMissingData,
  });
  world.cloudWatch.setAlarmState({ AlarmName: alarm.name, StateValue: alarm.initialState, StateReason: 'Initial state set by the scenario' });
}
