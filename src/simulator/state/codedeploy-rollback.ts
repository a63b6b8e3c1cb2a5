/**
 * CodeDeploy rolls back with a new deployment (creator codeDeployRollback),
 * linked both ways through rollbackInfo. Both drivers record one: the engine
 * after it has moved traffic back, and CodeDeployState itself when a
 * StopDeployment with rollback reaches a deployment nothing drives.
 */
import type { CodeDeployState } from './codedeploy.js';
import type { DeploymentInfo } from './codedeploy-types.js';

/**
 * Whether a StopDeployment rolls back: its own `autoRollbackEnabled` when
 * given, else the deployment's configuration (enabled with DEPLOYMENT_STOP_ON_REQUEST).
 */
export function stopRollsBack(deployment: DeploymentInfo, autoRollbackEnabled: boolean | undefined): boolean {
  if (autoRollbackEnabled !== undefined) return autoRollbackEnabled;
  const config = deployment.autoRollbackConfiguration;
  return config.enabled && config.events.includes('DEPLOYMENT_STOP_ON_REQUEST');
}

/** Creates the (finished) rollback deployment of `deploymentId` and links the two; returns its id, or undefined if it could not be made. */
export function recordRollbackDeployment(cd: CodeDeployState, deploymentId: string, message: string): string | undefined {
  const original = cd.getDeployment(deploymentId);
  const target = cd.targetOf(deploymentId);
  const base = { applicationName: original.applicationName, deploymentGroupName: original.deploymentGroupName, deploymentConfigName: original.deploymentConfigName };
  try {
    let rollback: DeploymentInfo;
    if ('lambdaFunctionInfo' in target) {
      const info = target.lambdaFunctionInfo;
      rollback = cd.createDeployment({
        ...base,
        creator: 'codeDeployRollback',
        description: `Rollback of ${deploymentId}`,
        rollbackInfo: { rollbackTriggeringDeploymentId: deploymentId, rollbackMessage: message },
        lambdaTarget: { functionName: info.functionName, functionAlias: info.functionAlias, currentVersion: info.targetVersion, targetVersion: info.currentVersion, targetVersionWeight: 100 },
      });
    } else {
      // The ECS target id is `<cluster>:<service>` (research §2.3).
      const [clusterName = '', serviceName = ''] = target.targetId.split(':');
      rollback = cd.createDeployment({
        ...base,
        creator: 'codeDeployRollback',
        description: `Rollback of ${deploymentId}`,
        rollbackInfo: { rollbackTriggeringDeploymentId: deploymentId, rollbackMessage: message },
        ecsTarget: { clusterName, serviceName, taskSets: structuredClone(target.taskSetsInfo) },
      });
    }
    // Hooks are not run for the rollback deployment here (whether AWS runs them is unconfirmed, research §7.9).
    for (const ev of cd.targetOf(rollback.deploymentId).lifecycleEvents) {
      const hookable = /^(Before|After)/.test(ev.lifecycleEventName);
      cd.completeLifecycleEvent(rollback.deploymentId, ev.lifecycleEventName, hookable ? 'Skipped' : 'Succeeded');
    }
    cd.setDeploymentStatus(rollback.deploymentId, 'Succeeded');
    cd.setRollbackInfo(deploymentId, { rollbackDeploymentId: rollback.deploymentId, rollbackMessage: message });
    return rollback.deploymentId;
  } catch {
    // The rollback record is informative only; the traffic has already been restored.
    return undefined;
  }
}
