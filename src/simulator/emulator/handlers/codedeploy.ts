import { AwsServiceError } from '../../state/aws-error.js';
import type { OperationTable } from './types.js';
import { str, strList } from './types.js';

/** CodeDeploy operations (awsJson1_1, target prefix CodeDeploy_20141006). */
export const codeDeployOperations: OperationTable = {
  ListApplications: (_input, world) => ({ applications: [...world.codeDeploy.applications.keys()].sort() }),

  GetApplication: (input, world) => ({ application: world.codeDeploy.getApplication(str(input, 'applicationName')) }),

  ListDeploymentGroups: (input, world) => {
    rejectNextToken(input);
    const applicationName = str(input, 'applicationName');
    return { applicationName, deploymentGroups: world.codeDeploy.listDeploymentGroups(applicationName).sort() };
  },

  GetDeploymentGroup: (input, world) => ({
    deploymentGroupInfo: world.codeDeploy.getDeploymentGroup(str(input, 'applicationName'), str(input, 'deploymentGroupName')),
  }),

  GetApplicationRevision: (input, world) => {
    const app = world.codeDeploy.getApplication(str(input, 'applicationName'));
    return world.codeDeploy.revisions.get(app.applicationName, input.revision);
  },

  GetDeploymentConfig: (input, world) => ({
    deploymentConfigInfo: world.codeDeploy.getDeploymentConfig(str(input, 'deploymentConfigName')),
  }),

  ListDeployments: (input, world) => {
    rejectNextToken(input);
    const applicationName = str(input, 'applicationName');
    const deploymentGroupName = str(input, 'deploymentGroupName');
    if (deploymentGroupName && !applicationName) {
      throw new AwsServiceError('ApplicationNameRequiredException', 'An application name must be specified when a deployment group name is specified.');
    }
    if (applicationName && !deploymentGroupName) {
      throw new AwsServiceError('DeploymentGroupNameRequiredException', 'A deployment group name must be specified when an application name is specified.');
    }
    const known = ['Created', 'Queued', 'InProgress', 'Baking', 'Succeeded', 'Failed', 'Stopped', 'Ready'];
    const bad = (strList(input, 'includeOnlyStatuses') ?? []).find((st) => !known.includes(st));
    if (bad !== undefined) throw new AwsServiceError('InvalidDeploymentStatusException', `The deployment status ${bad} is not valid.`);
    return {
      deployments: world.codeDeploy.listDeployments({
        ...(applicationName ? { applicationName } : {}),
        ...(deploymentGroupName ? { deploymentGroupName } : {}),
        ...(strList(input, 'includeOnlyStatuses') ? { includeOnlyStatuses: strList(input, 'includeOnlyStatuses')! } : {}),
      }),
    };
  },

  GetDeployment: (input, world) => ({ deploymentInfo: world.codeDeploy.getDeployment(str(input, 'deploymentId')) }),

  ListDeploymentTargets: (input, world) => {
    const d = world.codeDeploy.getDeployment(str(input, 'deploymentId'));
    requireStarted(d.status, d.deploymentId);
    rejectNextToken(input);
    return { targetIds: world.codeDeploy.listDeploymentTargets(d.deploymentId) };
  },

  GetDeploymentTarget: (input, world) => {
    const d = world.codeDeploy.getDeployment(str(input, 'deploymentId'));
    requireStarted(d.status, d.deploymentId);
    return { deploymentTarget: world.codeDeploy.getDeploymentTarget(d.deploymentId, str(input, 'targetId')) };
  },

  BatchGetDeploymentTargets: (input, world) => {
    const d = world.codeDeploy.getDeployment(str(input, 'deploymentId'));
    requireStarted(d.status, d.deploymentId);
    const ids = strList(input, 'targetIds') ?? [];
    if (ids.length === 0) throw new AwsServiceError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
    if (ids.length > 25) throw new AwsServiceError('DeploymentTargetListSizeExceededException', 'The maximum number of targets that can be associated with an Amazon ECS or AWS Lambda deployment was exceeded. The target list of both types of deployments must have exactly one item.');
    return { deploymentTargets: ids.map((id) => world.codeDeploy.getDeploymentTarget(d.deploymentId, id)) };
  },

  PutLifecycleEventHookExecutionStatus: (input, world) => {
    const report = world.codeDeploy.reportHookExecution({
      ...(str(input, 'deploymentId') !== undefined ? { deploymentId: str(input, 'deploymentId') } : {}),
      ...(str(input, 'lifecycleEventHookExecutionId') !== undefined ? { lifecycleEventHookExecutionId: str(input, 'lifecycleEventHookExecutionId') } : {}),
      ...(input.status !== undefined ? { status: String(input.status) } : {}),
    });
    return { lifecycleEventHookExecutionId: report.executionId };
  },

  ContinueDeployment: (input, world) => {
    world.codeDeploy.continueDeployment(str(input, 'deploymentId'), str(input, 'deploymentWaitType'));
    return {};
  },

  StopDeployment: (input, world) => {
    const auto = input.autoRollbackEnabled;
    return world.codeDeploy.requestStop(str(input, 'deploymentId'), typeof auto === 'boolean' ? auto : undefined);
  },
};

function requireStarted(status: string, id: string): void {
  if (status === 'Created' || status === 'Queued') {
    throw new AwsServiceError('DeploymentNotStartedException', `The deployment ${id} has not started.`);
  }
}

/**
 * The list operations answer in one page and never hand out a nextToken, so
 * any token a caller sends is one CodeDeploy would not recognise.
 */
function rejectNextToken(input: Record<string, unknown>): void {
  if (input.nextToken !== undefined && input.nextToken !== null) throw new AwsServiceError('InvalidNextTokenException', 'The next token was specified in an invalid format.');
}
