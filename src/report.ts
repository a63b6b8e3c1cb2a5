import { PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { callWithRetry } from './aws-call.js';
import { describeError } from './errors.js';
import type { CodeDeployHookEvent, HookStatus } from './types.js';

export interface ReportResult {
  /** accepted: CodeDeploy took the status; already-completed: it had one; failed: it has none from us. */
  outcome: 'accepted' | 'already-completed' | 'failed';
  attempts: number;
  error?: { name: string; message: string };
}

/**
 * PutLifecycleEventHookExecutionStatus, retried on throttling, 5xx and
 * network errors until `deadline`. The ids come only from the parsed event;
 * the casing changes here, in one place (event PascalCase, API camelCase).
 */
export async function reportStatus(
  client: CodeDeployClient,
  event: CodeDeployHookEvent,
  status: HookStatus,
  deadline: number,
): Promise<ReportResult> {
  const command = new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status,
  });
  const result = await callWithRetry((abortSignal) => client.send(command, { abortSignal }), { deadline, attemptTimeoutMs: 5000 });
  if (result.ok) return { outcome: 'accepted', attempts: result.attempts };
  const error = describeError(result.error);
  // Already reported (by an earlier attempt of ours whose answer was lost, or a
  // duplicate invocation): CodeDeploy has a status, which is what matters.
  if (error.name === 'LifecycleEventAlreadyCompletedException') {
    return { outcome: 'already-completed', attempts: result.attempts, error };
  }
  return { outcome: 'failed', attempts: result.attempts, error };
}
