/**
 * The IAM actions codedeploy-hooks itself calls: resolving the deployment, the
 * report, the built-in checks and the ready hooks. The template tests hold this
 * list to what the ready hooks send in the simulator; CDH011 compares hook
 * roles with it.
 */

/** What an action's Resource can be narrowed to; `none`: the action has no resource-level permissions. */
export type ActionScope = 'deployment-group' | 'function' | 'alarm' | 'none';

export const HOOK_ACTIONS: Readonly<Record<string, ActionScope>> = {
  'codedeploy:PutLifecycleEventHookExecutionStatus': 'deployment-group',
  'codedeploy:GetDeployment': 'deployment-group',
  'codedeploy:ListDeploymentTargets': 'deployment-group',
  'codedeploy:GetDeploymentTarget': 'deployment-group',
  'codedeploy:GetDeploymentGroup': 'deployment-group',
  'lambda:InvokeFunction': 'function',
  // A durable hook (codedeploy-hooks/durable) checkpoints its own execution.
  'lambda:CheckpointDurableExecution': 'function',
  'lambda:GetDurableExecutionState': 'function',
  'cloudwatch:DescribeAlarms': 'alarm',
  'cloudwatch:DescribeAlarmHistory': 'alarm',
  'cloudwatch:GetMetricData': 'none',
  'elasticloadbalancing:DescribeListeners': 'none',
  'elasticloadbalancing:DescribeLoadBalancers': 'none',
  'elasticloadbalancing:DescribeTargetGroups': 'none',
  // ECS-native hooks read their service deployment (scoped to the service's ARNs in the examples, not by this catalogue).
  'ecs:DescribeServiceDeployments': 'none',
  'ecs:DescribeServiceRevisions': 'none',
  'ecs:DescribeServices': 'none',
};

/** The services codedeploy-hooks talks to: an action of theirs outside HOOK_ACTIONS is one no built-in code calls. */
export const HOOK_SERVICES: readonly string[] = ['codedeploy', 'lambda', 'cloudwatch', 'elasticloadbalancing', 'ecs'];

/** The catalogue entry for an action, matched case-insensitively as IAM does. */
export function hookAction(action: string): string | undefined {
  const lower = action.toLowerCase();
  return Object.keys(HOOK_ACTIONS).find((a) => a.toLowerCase() === lower);
}
