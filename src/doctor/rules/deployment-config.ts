/**
 * CDH015: a deployment configuration name that does not exist. SAM rewrites
 * the predefined `DeploymentPreference.Type` values to
 * `CodeDeployDefault.Lambda<Type>` and passes any other string on as the name
 * of a custom configuration, so a typo (`Canary10Percent5Minute`) deploys a
 * group whose configuration CodeDeploy cannot find, and the stack fails.
 */
import type { Finding, Rule } from '../finding.js';
import { isObj, refTarget } from '../intrinsics.js';
import { functions, propsOf, resources, resourceType } from '../model.js';
import type { Path, Template } from '../template-reader.js';
import { closestMatch } from '../../util/edit-distance.js';

/** SAM's predefined DeploymentPreference.Type values. */
export const SAM_TYPES = [
  'AllAtOnce', 'Canary10Percent5Minutes', 'Canary10Percent10Minutes', 'Canary10Percent15Minutes', 'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute', 'Linear10PercentEvery2Minutes', 'Linear10PercentEvery3Minutes', 'Linear10PercentEvery10Minutes',
];

/** CodeDeploy's predefined configurations (Lambda, ECS, EC2/on-premises). */
export const PREDEFINED_CONFIGS = [
  ...SAM_TYPES.map((type) => `CodeDeployDefault.Lambda${type}`),
  'CodeDeployDefault.ECSAllAtOnce', 'CodeDeployDefault.ECSCanary10Percent5Minutes', 'CodeDeployDefault.ECSCanary10Percent15Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes', 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
  'CodeDeployDefault.AllAtOnce', 'CodeDeployDefault.HalfAtATime', 'CodeDeployDefault.OneAtATime',
];

/** Names of the custom configurations the template declares (a `!Ref` to one is fine too). */
function customConfigs(t: Template): Set<string> {
  const names = new Set<string>();
  for (const id of Object.keys(resources(t))) {
    if (resourceType(t, id) !== 'AWS::CodeDeploy::DeploymentConfig') continue;
    const name = propsOf(t, id).DeploymentConfigName;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

function unknownName(value: unknown, known: readonly string[], custom: Set<string>): value is string {
  return typeof value === 'string' && !known.includes(value) && !custom.has(value);
}

export const deploymentConfigName: Rule = {
  id: 'CDH015',
  title: 'Deployment type or configuration name that does not exist',
  check(t) {
    const out: Finding[] = [];
    const custom = customConfigs(t);
    const report = (resource: string, path: Path, field: string, value: string, known: readonly string[], passesOn: string, reserved: boolean): void => {
      // Edit distance over the whole name, with a budget that fits names of 9 to 50 characters.
      const suggestion = closestMatch(value, known, (k) => Math.max(2, Math.floor(k.length / 6)));
      // Near a predefined name it is a typo; otherwise it may be a configuration made outside this stack.
      out.push({
        rule: 'CDH015', severity: suggestion || reserved ? 'error' : 'warning', resource, line: t.lineOf(path),
        message: suggestion || reserved
          ? `${field} '${value}' is not a predefined deployment configuration${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${passesOn}, so creating the deployment group fails`
          : `${field} '${value}' is not a predefined deployment configuration; ${passesOn}, so it must exist in the account and region before the deployment group is created`,
        fix: suggestion ? `set ${field}: ${suggestion}` : `use one of ${known.join(', ')}, or declare an AWS::CodeDeploy::DeploymentConfig and !Ref it`,
      });
    };
    for (const fn of functions(t)) {
      const pref = fn.props.DeploymentPreference;
      if (!fn.sam || !isObj(pref) || !unknownName(pref.Type, SAM_TYPES, custom)) continue;
      const path = [...fn.pathOf('DeploymentPreference'), 'Type'];
      report(fn.id, path, 'Type', pref.Type, SAM_TYPES, 'SAM passes an unknown Type on as the name of a custom deployment configuration, and the template declares none by that name', false);
    }
    for (const id of Object.keys(resources(t))) {
      if (resourceType(t, id) !== 'AWS::CodeDeploy::DeploymentGroup') continue;
      const name = propsOf(t, id).DeploymentConfigName;
      if (refTarget(name) !== undefined || !unknownName(name, PREDEFINED_CONFIGS, custom)) continue;
      // Only names in CodeDeploy's own namespace are judged: any other may be a configuration made outside the stack.
      if (!name.startsWith('CodeDeployDefault.')) continue;
      report(id, ['Resources', id, 'Properties', 'DeploymentConfigName'], 'DeploymentConfigName', name, PREDEFINED_CONFIGS, 'the CodeDeployDefault. names are reserved for the predefined ones', true);
    }
    return out;
  },
};
