/**
 * A hook with the most expensive bug a CodeDeploy hook can have: it does its
 * work and returns, but never calls PutLifecycleEventHookExecutionStatus.
 * In AWS the deployment then waits an hour and fails; the `hook-never-reports`
 * scenario shows the same, time-compressed.
 */
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';

interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export async function handler(event: HookEvent): Promise<{ checked: string }> {
  const client = new CodeDeployClient({});
  const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId: event.DeploymentId }));
  console.log(`looked at ${deploymentInfo?.deploymentId ?? event.DeploymentId}; forgot to report a status`);
  return { checked: deploymentInfo?.status ?? 'unknown' };
}
