/**
 * CDH012: a deployment's alarm that names nothing. SAM `DeploymentPreference.Alarms`,
 * a deployment group's `AlarmConfiguration.Alarms[].Name` and an ECS service's
 * `DeploymentConfiguration.Alarms.AlarmNames` take alarm names: a `!Ref` to a
 * resource that is not in the template fails the stack, a `!Ref` to something
 * that is not an alarm or `!GetAtt Alarm.Arn` is not an alarm name, and a
 * literal name the template does not define must exist in the account.
 */
import { nativeServices } from '../ecs-native.js';
import type { Finding, Rule } from '../finding.js';
import { asArray, isObj, refTarget } from '../intrinsics.js';
import { parameters, propsOf, resources, resourceType } from '../model.js';
import type { Path, Template } from '../template-reader.js';
import { allDeployments } from './hook-iam.js';

const ALARM_TYPES = new Set(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']);

interface AlarmRef {
  owner: string;
  value: unknown;
  path: Path;
}

function alarmRefs(t: Template): AlarmRef[] {
  const refs: AlarmRef[] = allDeployments(t).flatMap((d) => d.alarms.map((a) => ({ owner: d.kind === 'sam' ? d.functionId : d.groupId ?? d.functionId, ...a })));
  for (const s of nativeServices(t)) {
    asArray(s.alarms?.AlarmNames).forEach((value, i) => refs.push({ owner: s.id, value, path: [...s.configPath, 'Alarms', 'AlarmNames', i] }));
  }
  // Every deployment group counts, also one that no alias of this template names.
  for (const id of Object.keys(resources(t))) {
    if (resourceType(t, id) !== 'AWS::CodeDeploy::DeploymentGroup') continue;
    const config = propsOf(t, id).AlarmConfiguration;
    asArray(isObj(config) ? config.Alarms : undefined).forEach((a, i) => {
      refs.push({ owner: id, value: isObj(a) ? a.Name : a, path: ['Resources', id, 'Properties', 'AlarmConfiguration', 'Alarms', i] });
    });
  }
  // Two aliases on one group read the same alarms: one finding per place in the file.
  return [...new Map(refs.map((r) => [JSON.stringify(r.path), r])).values()];
}

function definedAlarmNames(t: Template): Set<unknown> {
  return new Set(Object.keys(resources(t)).filter((id) => ALARM_TYPES.has(resourceType(t, id) ?? '')).map((id) => propsOf(t, id).AlarmName));
}

export const alarmReferences: Rule = {
  id: 'CDH012',
  title: 'Deployment alarm that names a resource that does not exist, or is not an alarm',
  check(t) {
    const out: Finding[] = [];
    const names = definedAlarmNames(t);
    const alarmIds = Object.keys(resources(t)).filter((id) => ALARM_TYPES.has(resourceType(t, id) ?? ''));
    const known = alarmIds.length > 0 ? `one of the template's alarms (${alarmIds.map((id) => `!Ref ${id}`).join(', ')})` : 'an AWS::CloudWatch::Alarm of this template (!Ref <Alarm>)';
    for (const { owner, value, path } of alarmRefs(t)) {
      const at = { rule: 'CDH012', resource: owner, line: t.lineOf(path) };
      const target = refTarget(value);
      const isGetAtt = isObj(value) && value['Fn::GetAtt'] !== undefined;
      if (target !== undefined) {
        if (!isGetAtt && Object.hasOwn(parameters(t), target)) continue; // a name given at deploy time
        const type = resourceType(t, target);
        if (type === undefined) {
          out.push({ ...at, severity: 'error', message: `alarm of ${owner} names ${target}, which is not a resource or parameter in this template; CloudFormation rejects the template (unresolved reference)`, fix: `name ${known}` });
        } else if (!ALARM_TYPES.has(type)) {
          out.push({ ...at, severity: 'error', message: `alarm of ${owner} names ${target}, a ${type}, not a CloudWatch alarm; the deployment is not guarded by it`, fix: `name ${known}` });
        } else if (isGetAtt) {
          out.push({ ...at, severity: 'error', message: `alarm of ${owner} is given as !GetAtt ${target}.Arn, an ARN; alarms are named here, so no alarm by that name is found`, fix: `use !Ref ${target} (an alarm's Ref is its name)` });
        }
        continue;
      }
      if (typeof value === 'string' && !names.has(value)) {
        out.push({
          ...at, severity: 'warning',
          message: `alarm of ${owner} is named '${value}', which this template does not define; if no alarm by that name exists in the account and region, the deployment is not guarded by it`,
          fix: `use !Ref to ${known}, or make sure '${value}' exists before deploying`,
        });
      }
    }
    return out;
  },
};
