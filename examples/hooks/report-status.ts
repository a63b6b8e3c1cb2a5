/**
 * The smallest possible CodeDeploy hook, written directly with the AWS SDK
 * (no framework): it reports the status named by REPORT_STATUS (Succeeded or
 * Failed, default Succeeded) after REPORT_DELAY_MS. The simulator's own tests
 * use it to drive the engine independently of defineHook.
 */
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';

interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export async function handler(event: HookEvent, context?: { getRemainingTimeInMillis?: () => number }): Promise<{ status: string; remainingMs?: number }> {
  const status = process.env.REPORT_STATUS === 'Failed' ? 'Failed' : 'Succeeded';
  const delay = Number(process.env.REPORT_DELAY_MS ?? 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const client = new CodeDeployClient({});
  await client.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status,
    }),
  );
  return { status, ...(context?.getRemainingTimeInMillis ? { remainingMs: context.getRemainingTimeInMillis() } : {}) };
}
