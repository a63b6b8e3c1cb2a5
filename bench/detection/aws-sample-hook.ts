/**
 * The "hand-written hook" baseline of the detection benchmark, written the way
 * AWS's samples write a pre-traffic hook: find the new version, invoke it once
 * with `{}`, fail on a FunctionError, report. No status code, no retries, no
 * alarms, no comparison: what many deployments run today.
 */
import { CodeDeployClient, GetDeploymentTargetCommand, ListDeploymentTargetsCommand, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export async function handler(event: HookEvent): Promise<void> {
  const codeDeploy = new CodeDeployClient({});
  let status: 'Succeeded' | 'Failed' = 'Succeeded';
  try {
    const { targetIds } = await codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId: event.DeploymentId }));
    const { deploymentTarget } = await codeDeploy.send(new GetDeploymentTargetCommand({ deploymentId: event.DeploymentId, targetId: targetIds?.[0] }));
    const info = deploymentTarget?.lambdaTarget?.lambdaFunctionInfo;
    const out = await new LambdaClient({}).send(new InvokeCommand({ FunctionName: info?.functionName, Qualifier: info?.targetVersion, Payload: new TextEncoder().encode('{}') }));
    if (out.FunctionError) status = 'Failed';
  } catch {
    status = 'Failed';
  }
  await codeDeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status }),
  );
}
