/**
 * CodeDeploy ECS blue/green in a template: the deployment groups that deploy
 * an ECS service, and the functions that are their hooks. An ECS deployment
 * names its hooks in the appspec, not in the template, so a function counts as
 * a hook of the template's ECS deployment groups when it says so itself: a
 * `CodeDeployHook_` name, a logical id ending in Hook (or HookFunction), a codedeploy-hooks ready
 * hook as its code, a CODEDEPLOY_HOOKS_ variable, or a codedeploy action in its
 * role. Functions that are the target of an ECS-native lifecycle hook are not, nor is
 * the scheduled canary analyzer.
 */
import { nativeServices } from './ecs-native.js';
import { asArray, isObj, refTarget, shape, staticPrefix } from './intrinsics.js';
import { functionRole, functions, parameters, propsOf, resources, resourceType, statementsFor, type CodeDeployRole, type Deployment, type FunctionInfo, type HookRef } from './model.js';
import { environmentOf, isCanaryAnalyzer, readyHookOf } from './ready-hooks.js';
import type { Path, Template } from './template-reader.js';

export interface EcsGroup {
  id: string;
  /** The group's TargetGroupPairInfoList entries, and whether each has a TestTrafficRoute. */
  routes: { path: Path; test: boolean }[];
}

function isEcsGroup(t: Template, id: string): boolean {
  const props = propsOf(t, id);
  if (asArray(props.ECSServices).length > 0) return true;
  const app = refTarget(props.ApplicationName);
  return app !== undefined && propsOf(t, app).ComputePlatform === 'ECS';
}

export function ecsGroups(t: Template): EcsGroup[] {
  return Object.keys(resources(t))
    .filter((id) => resourceType(t, id) === 'AWS::CodeDeploy::DeploymentGroup' && isEcsGroup(t, id))
    .map((id) => {
      const info = propsOf(t, id).LoadBalancerInfo;
      const pairs = isObj(info) ? asArray(info.TargetGroupPairInfoList) : [];
      const routes = pairs.map((p, i) => ({
        path: ['Resources', id, 'Properties', 'LoadBalancerInfo', 'TargetGroupPairInfoList', i] as Path,
        test: isObj(p) && isObj(p.TestTrafficRoute) && asArray(p.TestTrafficRoute.ListenerArns).length > 0,
      }));
      return { id, routes };
    });
}

const HOOK_PREFIX = 'CodeDeployHook_';

/** Does the function present itself as a CodeDeploy hook? */
function looksLikeHook(t: Template, fn: FunctionInfo): boolean {
  if (isCanaryAnalyzer(fn)) return false;
  if (staticPrefix(fn.props.FunctionName, parameters(t))?.startsWith(HOOK_PREFIX)) return true;
  // `TestTrafficHook`, `PostTrafficHookFunction`; not `GithubWebhook`.
  if (/Hook(Function)?$/.test(fn.id) || readyHookOf(fn) !== undefined) return true;
  if (Object.keys(environmentOf(fn)).some((k) => k.startsWith('CODEDEPLOY_HOOKS_'))) return true;
  return statementsFor(functionRole(t, fn), 'codedeploy:PutLifecycleEventHookExecutionStatus').length > 0;
}

/** An AfterAllowTestTraffic hook: the ready hook for it, HTTP smoke settings, or "test traffic" in its names. */
export function isTestTrafficHook(fn: FunctionInfo): boolean {
  if (readyHookOf(fn) === 'ecs-test-traffic') return true;
  if (Object.keys(environmentOf(fn)).some((k) => k.startsWith('CODEDEPLOY_HOOKS_HTTP_'))) return true;
  return /test[-_]?traffic/i.test(`${fn.id} ${shape(fn.props.FunctionName)}`);
}

/** The functions that are hooks of the template's ECS deployment groups (none when it has none). */
export function ecsHookFunctions(t: Template, lambdaDeployments: readonly Deployment[]): FunctionInfo[] {
  if (ecsGroups(t).length === 0) return [];
  const nativeTargets = nativeServices(t).flatMap((s) => s.hooks.map((h) => h.targetId ?? ''));
  const taken = new Set([...nativeTargets, ...lambdaDeployments.flatMap((d) => [d.functionId, ...d.hooks.map((h) => h.functionId ?? '')])]);
  return functions(t).filter((fn) => !taken.has(fn.id) && looksLikeHook(t, fn));
}

/** Each ECS deployment group as a Deployment whose hooks are the template's ECS hook functions. */
export function ecsDeployments(t: Template, lambdaDeployments: readonly Deployment[]): Deployment[] {
  const hooks = ecsHookFunctions(t, lambdaDeployments);
  return ecsGroups(t).map(({ id }) => {
    const props = propsOf(t, id);
    const path: Path = ['Resources', id];
    const roleId = refTarget(props.ServiceRoleArn);
    const role: CodeDeployRole = roleId && resourceType(t, roleId) === 'AWS::IAM::Role' ? { kind: 'resource', id: roleId } : { kind: 'external', value: props.ServiceRoleArn };
    const alarmConfig = isObj(props.AlarmConfiguration) ? props.AlarmConfiguration : {};
    const alarms = asArray(alarmConfig.Alarms).map((a, i) => ({ value: isObj(a) ? a.Name : a, path: [...path, 'Properties', 'AlarmConfiguration', 'Alarms', i] as Path }));
    const service = asArray(props.ECSServices).map((s) => (isObj(s) ? refTarget(s.ServiceName) : undefined)).find((s) => s !== undefined);
    const hookRefs: HookRef[] = hooks.map((fn) => ({ event: 'ECS', value: { Ref: fn.id }, path: ['Resources', fn.id], functionId: fn.id }));
    return { kind: 'ecs', functionId: service ?? id, path, hooks: hookRefs, role, alarms, application: props.ApplicationName, groupId: id };
  });
}
