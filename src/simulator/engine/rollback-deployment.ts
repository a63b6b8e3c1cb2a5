/**
 * CodeDeploy rolls back with a new deployment (creator codeDeployRollback),
 * linked both ways through rollbackInfo; the simulator records one so the
 * API shows what AWS would.
 */
import type { Scenario } from '../scenario/types.js';
import type { World } from '../state/index.js';

export function recordRollbackDeployment(
  world: World,
  scenario: Scenario,
  deploymentId: string,
  base: { applicationName: string; deploymentGroupName: string; deploymentConfigName: string },
  message: string,
): void {
  const cd = world.codeDeploy;
  const original = cd.targetOf(deploymentId);
  const lambdaInfo = 'lambdaFunctionInfo' in original ? original.lambdaFunctionInfo : undefined;
  try {
    const rollback = cd.createDeployment({
      ...base,
      creator: 'codeDeployRollback',
      description: `Rollback of ${deploymentId}`,
      rollbackInfo: { rollbackTriggeringDeploymentId: deploymentId, rollbackMessage: message },
      ...(lambdaInfo
        ? { lambdaTarget: { functionName: lambdaInfo.functionName, functionAlias: lambdaInfo.functionAlias, currentVersion: lambdaInfo.targetVersion, targetVersion: lambdaInfo.currentVersion, targetVersionWeight: 100 } }
        : {
            ecsTarget: {
              clusterName: scenario.ecs!.cluster,
              serviceName: scenario.ecs!.service,
              taskSets: 'taskSetsInfo' in original ? structuredClone(original.taskSetsInfo) : [],
            },
          }),
    });
    // Hooks are not run for the rollback deployment here (whether AWS runs them is unconfirmed, research §7.9).
    for (const ev of cd.targetOf(rollback.deploymentId).lifecycleEvents) {
      const hookable = /^(Before|After)/.test(ev.lifecycleEventName);
      cd.completeLifecycleEvent(rollback.deploymentId, ev.lifecycleEventName, hookable ? 'Skipped' : 'Succeeded');
    }
    cd.setDeploymentStatus(rollback.deploymentId, 'Succeeded');
    cd.setRollbackInfo(deploymentId, { rollbackDeploymentId: rollback.deploymentId, rollbackMessage: message });
  } catch {
    // The rollback record is informative only; the traffic has already been restored.
  }
}
