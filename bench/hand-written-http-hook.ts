/**
 * The baseline for hooks that smoke-test over HTTP (hooks/ecs-test-traffic.ts):
 * a careful hand-written ECS AfterAllowTestTraffic hook with the same
 * dependencies — CodeDeploy, ELBv2 and CloudWatch clients, and undici for
 * HTTP. It resolves the test listener, sends GET /health through it, checks
 * the group's alarms and reports once. No framework.
 */
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { request } from 'undici';

interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

let codeDeploy: CodeDeployClient | undefined;

async function check(deploymentId: string): Promise<string | undefined> {
  codeDeploy ??= new CodeDeployClient({});
  const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
  const listenerArn = deploymentInfo?.loadBalancerInfo?.targetGroupPairInfoList?.[0]?.testTrafficRoute?.listenerArns?.[0];
  if (!listenerArn) return 'deployment group has no test listener';

  const elb = new ElasticLoadBalancingV2Client({});
  const { Listeners } = await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
  const listener = Listeners?.[0];
  const { LoadBalancers } = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [listener?.LoadBalancerArn ?? ''] }));
  const protocol = listener?.Protocol === 'HTTPS' ? 'https' : 'http';
  const url = `${protocol}://${LoadBalancers?.[0]?.DNSName}:${listener?.Port}/health`;
  const res = await request(url, { headersTimeout: 10_000, bodyTimeout: 10_000 });
  await res.body.dump();
  if (res.statusCode !== 200) return `expected 200 from ${url}, got ${res.statusCode}`;

  const { deploymentGroupInfo } = await codeDeploy.send(
    new GetDeploymentGroupCommand({ applicationName: deploymentInfo?.applicationName, deploymentGroupName: deploymentInfo?.deploymentGroupName }),
  );
  const names = (deploymentGroupInfo?.alarmConfiguration?.alarms ?? []).map((a) => a.name).filter((n): n is string => Boolean(n));
  if (names.length > 0) {
    const cw = new CloudWatchClient({});
    const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: names }));
    const firing = (MetricAlarms ?? []).filter((a) => a.StateValue === 'ALARM').map((a) => a.AlarmName);
    if (firing.length > 0) return `alarms firing: ${firing.join(', ')}`;
  }
  return undefined;
}

export async function handler(event: HookEvent): Promise<{ status: string; reason?: string }> {
  let reason: string | undefined;
  try {
    reason = await check(event.DeploymentId);
  } catch (error) {
    reason = `error: ${(error as Error).message}`;
  }
  const status = reason === undefined ? 'Succeeded' : 'Failed';
  codeDeploy ??= new CodeDeployClient({});
  await codeDeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status }),
  );
  console.log(JSON.stringify({ status, reason }));
  return { status, ...(reason ? { reason } : {}) };
}
