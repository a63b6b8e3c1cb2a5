/**
 * Pieces of fix texts written the way the template itself is: SAM templates
 * get SAM's generated ids (`${ServerlessDeploymentApplication}`,
 * `${AppDeploymentGroup}`, `AppFunction.Version`), plain CloudFormation
 * templates the logical ids they declare, and `<…>` where the template does not
 * say.
 */
import { refTarget } from './intrinsics.js';
import { resourceType, type Deployment } from './model.js';
import type { Template } from './template-reader.js';

const GROUP_ARN_PREFIX = 'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:';

function applicationText(d: Deployment): string {
  const id = refTarget(d.application);
  if (id !== undefined) return `\${${id}}`;
  return typeof d.application === 'string' ? d.application : '<application>';
}

function groupText(t: Template, d: Deployment): string {
  if (d.kind === 'sam' || (d.groupId !== undefined && resourceType(t, d.groupId) !== undefined)) return `\${${d.groupId}}`;
  return '<deployment-group>';
}

/** The deployment group ARN a hook's report permission should name, as `!Sub` text. */
export function groupArnText(t: Template, d: Deployment): string {
  return `${GROUP_ARN_PREFIX}${applicationText(d)}/${groupText(t, d)}`;
}

/** The ARNs of every deployment group that runs a hook, joined for a sentence. */
export function groupArnsText(t: Template, deployments: readonly Deployment[]): string {
  return [...new Set(deployments.map((d) => groupArnText(t, d)))].join(' and ');
}

/** The new version's number as this template can write it, for an ExecutedVersion dimension. */
export function versionText(d: Deployment): string {
  return d.versionValue ?? '<the version number the alias points to>';
}

/** `!Sub ${Fn}:alias` for a Resource dimension. */
export function aliasResourceText(d: Deployment): string {
  return `!Sub \${${d.functionId}}:${d.alias ?? '<alias>'}`;
}

/** Where the CodeDeploy role is set, in the template's terms. */
export function roleSettingText(d: Deployment): string {
  return d.kind === 'sam' ? 'DeploymentPreference.Role' : `the deployment group's ServiceRoleArn${d.groupId ? ` (${d.groupId})` : ''}`;
}
