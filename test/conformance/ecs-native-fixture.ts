import { createWorld } from '../../src/simulator/state/index.js';
import type { World } from '../../src/simulator/state/index.js';

/** An ECS-native blue/green service with one deployment in flight, for the ECS conformance tests. */
export interface EcsNativeFixture {
  world: World;
  serviceArn: string;
  blueRevisionArn: string;
  greenRevisionArn: string;
  deploymentArn: string;
}

export function buildEcsNativeFixture(): EcsNativeFixture {
  const world = createWorld();
  const elb = world.elbv2;
  const lb = elb.createLoadBalancer({ name: 'web-alb', dnsName: '127.0.0.1' });
  const blue = elb.createTargetGroup({ name: 'web-blue', port: 8080 });
  const green = elb.createTargetGroup({ name: 'web-green', port: 8080 });
  const prod = elb.createListener({ loadBalancerArn: lb.LoadBalancerArn, port: 80, targetGroups: [{ TargetGroupArn: blue.TargetGroupArn, Weight: 100 }] });
  const service = world.ecs.createService({
    cluster: 'shop', serviceName: 'web', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1', image: 'web:1',
    loadBalancers: [{
      targetGroupArn: blue.TargetGroupArn, containerName: 'web', containerPort: 8080,
      advancedConfiguration: { alternateTargetGroupArn: green.TargetGroupArn, productionListenerRule: prod.ListenerArn, roleArn: 'arn:aws:iam::123456789012:role/ecs-elb' },
    }],
    deploymentConfiguration: { strategy: 'CANARY', bakeTimeInMinutes: 5, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 }, alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } },
  });
  const blueRevisionArn = service.currentServiceRevisionArn!;
  const greenRevision = world.ecs.registerRevision(service.serviceArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2', 'web:2');
  const deployment = world.ecs.startDeployment(service.serviceArn, greenRevision.serviceRevisionArn);
  world.ecs.update(deployment.serviceDeploymentArn, { stage: 'PRODUCTION_TRAFFIC_SHIFT', productionWeight: 10, greenRunning: 2 });
  return { world, serviceArn: service.serviceArn, blueRevisionArn, greenRevisionArn: greenRevision.serviceRevisionArn, deploymentArn: deployment.serviceDeploymentArn };
}
