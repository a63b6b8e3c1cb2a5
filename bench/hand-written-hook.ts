/**
 * The baseline for the bundle benchmark: a careful hand-written pre-traffic
 * hook with the same AWS SDK clients as hooks/pre-traffic.ts (CodeDeploy,
 * Lambda, CloudWatch). It finds the target version through the deployment
 * target, invokes it with GET /health, checks the group's alarms and reports
 * once. No framework: this is what the framework's bundle is compared with.
 */
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

let codeDeploy: CodeDeployClient | undefined;

async function check(deploymentId: string): Promise<string | undefined> {
  codeDeploy ??= new CodeDeployClient({});
  const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
  const { targetIds } = await codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId }));
  const targetId = targetIds?.[0];
  if (!targetId) return 'deployment has no target';
  const { deploymentTarget } = await codeDeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId }));
  const info = deploymentTarget?.lambdaTarget?.lambdaFunctionInfo;
  if (!info?.functionName || !info.targetVersion) return 'no Lambda target version';

  const lambda = new LambdaClient({});
  const event = { httpMethod: 'GET', path: '/health', headers: {}, requestContext: {}, body: null, isBase64Encoded: false };
  const out = await lambda.send(new InvokeCommand({ FunctionName: info.functionName, Qualifier: info.targetVersion, Payload: new TextEncoder().encode(JSON.stringify(event)) }));
  if (out.FunctionError) return `target version failed: ${out.FunctionError}`;
  const body = JSON.parse(new TextDecoder().decode(out.Payload ?? new Uint8Array())) as { statusCode?: number };
  if (body.statusCode !== 200) return `expected statusCode 200, got ${String(body.statusCode)}`;

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
