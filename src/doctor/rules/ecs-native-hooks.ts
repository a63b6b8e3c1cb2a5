/**
 * ECS-native lifecycle hooks (AWS::ECS::Service, DeploymentController ECS):
 * the role ECS assumes to invoke a hook must trust ecs.amazonaws.com (CDH021),
 * each hook's LifecycleStages must be stages ECS hooks run at (CDH022), the
 * role must allow lambda:InvokeFunction on the hook (CDH023), and the
 * deployment's alarms must be watched and roll back (CDH024). The contract:
 * research/next-anchors.md §1.2, §1.3, §1.6, §1.8.
 */
import { nativeServices, type NativeHook } from '../ecs-native.js';
import type { Finding, Rule } from '../finding.js';
import { asArray, isObj, mentionedIds, refTarget, shape } from '../intrinsics.js';
import { coversAnyFunction, functions, propsOf, resourceType, roleResource, statementsFor } from '../model.js';
import type { Path, Template } from '../template-reader.js';
import { closestMatch } from '../../util/edit-distance.js';

/** The stages a hook may be registered at (`DeploymentLifecycleHookStage`). */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
];
/** Stages of a deployment that take no hook. */
const UNHOOKABLE = ['SCALE_UP', 'BAKE_TIME', 'CLEAN_UP'];
/** Also run during a rollback, so a pause there could never be resolved: no PAUSE hooks. */
const LAMBDA_ONLY = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];
/** The CodeDeploy ECS event names people carry over, and the stage that runs at the same point. */
const CODEDEPLOY_EVENTS: Record<string, string> = {
  BeforeInstall: 'PRE_SCALE_UP', AfterInstall: 'POST_SCALE_UP', AfterAllowTestTraffic: 'POST_TEST_TRAFFIC_SHIFT',
  BeforeAllowTraffic: 'PRE_PRODUCTION_TRAFFIC_SHIFT', AfterAllowTraffic: 'POST_PRODUCTION_TRAFFIC_SHIFT',
};

const ECS_PRINCIPAL = 'ecs.amazonaws.com';

const isLambdaHook = (h: NativeHook): boolean => h.targetType === 'AWS_LAMBDA';
const hookName = (h: NativeHook): string => h.targetId ?? `LifecycleHooks[${String(h.path.at(-1))}]`;

/** The services a role's trust policy lets assume it. */
function trustedServices(t: Template, roleId: string): string[] {
  const doc = propsOf(t, roleId).AssumeRolePolicyDocument;
  return asArray(isObj(doc) ? doc.Statement : undefined).flatMap((s) => {
    if (!isObj(s) || (s.Effect ?? 'Allow') !== 'Allow' || !isObj(s.Principal)) return [];
    // `!Sub ecs.${AWS::URLSuffix}` is ecs.amazonaws.com outside China.
    return asArray(s.Principal.Service).map((p) => shape(p).replace('${AWS::URLSuffix}', 'amazonaws.com'));
  });
}

function roleOf(t: Template, h: NativeHook): string | undefined {
  const id = refTarget(h.role);
  return id !== undefined && resourceType(t, id) === 'AWS::IAM::Role' ? id : undefined;
}

export const nativeHookRoleTrust: Rule = {
  id: 'CDH021',
  title: 'ECS-native hook role that ECS cannot assume',
  check(t) {
    const out: Finding[] = [];
    for (const service of nativeServices(t)) {
      for (const h of service.hooks.filter(isLambdaHook)) {
        if (h.role === undefined) {
          out.push({
            rule: 'CDH021', severity: 'error', resource: service.id, line: t.lineOf(h.path),
            message: `lifecycle hook ${hookName(h)} of ${service.id} has no RoleArn; ECS needs a role to invoke a Lambda hook, and the template is rejected`,
            fix: `add RoleArn: !GetAtt <HookInvokeRole>.Arn, a role trusting ${ECS_PRINCIPAL} that may invoke the hook`,
          });
          continue;
        }
        const roleId = roleOf(t, h);
        if (!roleId) continue;
        const trusted = trustedServices(t, roleId);
        if (trusted.includes(ECS_PRINCIPAL)) continue;
        const ownRole = h.targetId !== undefined && functions(t).some((f) => f.id === h.targetId && refTarget(f.props.Role) === roleId);
        out.push({
          rule: 'CDH021', severity: 'error', resource: service.id, line: t.lineOf([...h.path, 'RoleArn']),
          message: `lifecycle hook ${hookName(h)} uses role ${roleId}${ownRole ? ' (the hook\'s own execution role)' : ''}, which trusts ${trusted.length > 0 ? trusted.join(', ') : 'no service'}, not ${ECS_PRINCIPAL}; ECS cannot assume it, so the hook is never invoked and never passes (how ECS ends a deployment whose hook it cannot invoke is unconfirmed)`,
          fix: `give the hook a role of its own whose AssumeRolePolicyDocument allows sts:AssumeRole to Principal Service ${ECS_PRINCIPAL}`,
        });
      }
    }
    return out;
  },
};

/**
 * The stage lists a LifecycleStages value may be: the list itself, or each
 * branch of an `!If`. Another intrinsic is resolved at deploy time: no list to
 * check. `undefined` stands for "no stages at all".
 */
function stageLists(value: unknown, path: Path): { list: unknown[] | undefined; path: Path }[] {
  if (Array.isArray(value)) return [{ list: value.length > 0 ? value : undefined, path }];
  if (isObj(value)) {
    const branches = value['Fn::If'];
    if (Array.isArray(branches) && branches.length === 3) return [1, 2].flatMap((i) => stageLists(branches[i], [...path, 'Fn::If', i]));
    if (Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::'))) return [];
  }
  return [{ list: undefined, path }];
}

export const nativeHookStages: Rule = {
  id: 'CDH022',
  title: 'ECS-native hook registered at a stage that takes no hook',
  check(t) {
    const out: Finding[] = [];
    for (const service of nativeServices(t)) {
      for (const h of service.hooks) {
        for (const { list: stages, path: stagesPath } of stageLists(h.stages, [...h.path, 'LifecycleStages'])) {
          if (stages === undefined) {
            out.push({
              rule: 'CDH022', severity: 'error', resource: service.id, line: t.lineOf(stagesPath),
              message: `lifecycle hook ${hookName(h)} of ${service.id} has no LifecycleStages, so it never runs (and the template is rejected)`,
              fix: `set LifecycleStages to a list of ${HOOK_STAGES.join(', ')}`,
            });
            continue;
          }
          stages.forEach((stage, i) => {
            if (typeof stage !== 'string') return; // an intrinsic: resolved at deploy time
            const at = { rule: 'CDH022', severity: 'error' as const, resource: service.id, line: t.lineOf([...stagesPath, i]) };
            if (HOOK_STAGES.includes(stage)) {
              if (h.targetType === 'PAUSE' && LAMBDA_ONLY.includes(stage)) {
                out.push({ ...at, message: `pause hook of ${service.id} is registered at ${stage}, which ECS also runs during a rollback; pause hooks cannot be`, fix: `move the pause to ${stage === 'TEST_TRAFFIC_SHIFT' ? 'POST_TEST_TRAFFIC_SHIFT' : 'PRE_PRODUCTION_TRAFFIC_SHIFT or POST_PRODUCTION_TRAFFIC_SHIFT'}, or make it a Lambda hook` });
              }
              return;
            }
            const mapped = CODEDEPLOY_EVENTS[stage];
            const suggestion = mapped ?? closestMatch(stage, HOOK_STAGES, (k) => Math.max(2, Math.floor(k.length / 6)));
            out.push({
              ...at,
              message: UNHOOKABLE.includes(stage)
                ? `lifecycle hook ${hookName(h)} is registered at ${stage}, a stage ECS runs without hooks`
                : `lifecycle hook ${hookName(h)} is registered at '${stage}', which is not an ECS lifecycle stage${mapped ? ` (it is a CodeDeploy event; the ECS stage at that point is ${mapped})` : suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
              fix: suggestion ? `use ${suggestion}` : `use one of ${HOOK_STAGES.join(', ')}`,
            });
          });
        }
      }
    }
    return out;
  },
};

/** Whether a grant's resource lets the role invoke the hook target as written (a qualified target needs a qualified grant). */
function grantsInvoke(resource: unknown, h: NativeHook): boolean {
  if (coversAnyFunction(resource)) return true;
  const targetIds = mentionedIds(h.target);
  const qualified = refTarget(h.target) !== h.targetId || /:[^:}]+$/.test(shape(h.target).replace(/^.*function:/, ''));
  const text = shape(resource);
  if ([...mentionedIds(resource)].some((id) => targetIds.has(id) || id === h.targetId)) return !qualified || text.endsWith('*') || text === shape(h.target);
  return text === shape(h.target);
}

export const nativeHookInvoke: Rule = {
  id: 'CDH023',
  title: 'ECS-native hook role may not invoke the hook',
  check(t) {
    const out: Finding[] = [];
    for (const service of nativeServices(t)) {
      for (const h of service.hooks.filter(isLambdaHook)) {
        const roleId = roleOf(t, h);
        if (!roleId || h.target === undefined) continue;
        const role = roleResource(t, roleId);
        const grants = statementsFor(role, 'lambda:InvokeFunction');
        if (grants.length === 0 && role.opaquePolicies.length > 0) continue; // a managed policy may grant it
        if (grants.some((s) => s.resources.some((r) => grantsInvoke(r, h)))) continue;
        const target = h.targetId ? `!GetAtt ${h.targetId}.Arn${refTarget(h.target) !== h.targetId ? ` (and !Sub \${${h.targetId}.Arn}:*, for the qualified HookTargetArn)` : ''}` : `'${shape(h.target)}'`;
        out.push({
          rule: 'CDH023', severity: 'error', resource: service.id, line: t.lineOf(grants[0]?.path ?? ['Resources', roleId]),
          message: `role ${roleId} of lifecycle hook ${hookName(h)} does not allow lambda:InvokeFunction on '${shape(h.target)}'; ECS cannot invoke the hook, so it never passes (how ECS ends a deployment whose hook it cannot invoke is unconfirmed)`,
          fix: `allow lambda:InvokeFunction on ${target} in ${roleId}`,
        });
      }
    }
    return out;
  },
};

const isFalse = (v: unknown): boolean => v === false || (typeof v === 'string' && v.toLowerCase() === 'false');

export const nativeAlarms: Rule = {
  id: 'CDH024',
  title: 'ECS-native deployment alarms that are not watched or do not roll back',
  check(t) {
    const out: Finding[] = [];
    for (const service of nativeServices(t)) {
      const alarms = service.alarms;
      if (!alarms) continue;
      const path = [...service.configPath, 'Alarms'];
      const at = { rule: 'CDH024', severity: 'warning' as const, resource: service.id };
      if (asArray(alarms.AlarmNames).length === 0 && refTarget(alarms.AlarmNames) === undefined) {
        out.push({ ...at, line: t.lineOf(path), message: `the deployment alarms of ${service.id} name no alarm, so none is watched`, fix: 'set AlarmNames to the alarms that mean the new revision is unhealthy (!Ref <Alarm>)' });
        continue;
      }
      if (isFalse(alarms.Enable)) {
        out.push({ ...at, line: t.lineOf([...path, 'Enable']), message: `the deployment alarms of ${service.id} are listed but Enable is false, so ECS does not watch them during the deployment`, fix: 'set Enable: true' });
      } else if (isFalse(alarms.Rollback)) {
        out.push({ ...at, line: t.lineOf([...path, 'Rollback']), message: `the deployment alarms of ${service.id} have Rollback false: a firing alarm fails the deployment but does not return traffic to the previous revision`, fix: 'set Rollback: true' });
      }
    }
    return out;
  },
};
