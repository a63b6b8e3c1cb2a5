/**
 * ECS-native deployments in a template: an AWS::ECS::Service whose
 * DeploymentController is ECS (the default) and whose DeploymentConfiguration
 * has LifecycleHooks or Alarms. ECS invokes each Lambda hook with the hook's
 * RoleArn (trusting ecs.amazonaws.com, allowed lambda:InvokeFunction) and
 * reads the returned hookStatus; no CodeDeploy is involved.
 */
import { asArray, isObj, refTarget, type Obj } from './intrinsics.js';
import { propsOf, resources, resourceType } from './model.js';
import type { Path, Template } from './template-reader.js';

export interface NativeHook {
  path: Path;
  /** AWS_LAMBDA (the default) or PAUSE. */
  targetType: unknown;
  target: unknown;
  /** The logical id of the function HookTargetArn points at, when it is in the template. */
  targetId?: string;
  role: unknown;
  stages: unknown;
}

export interface NativeService {
  id: string;
  configPath: Path;
  hooks: NativeHook[];
  /** DeploymentConfiguration.Alarms, when set. */
  alarms?: Obj;
}

/** The function behind a hook target: `!GetAtt Fn.Arn`, `!Ref Alias` (an alias of a function in the template), `!Ref Fn`. */
function targetFunction(t: Template, value: unknown): string | undefined {
  const id = refTarget(value);
  if (id === undefined) return undefined;
  const type = resourceType(t, id);
  if (type === 'AWS::Lambda::Alias' || type === 'AWS::Lambda::Version') return refTarget(propsOf(t, id).FunctionName);
  return type === 'AWS::Lambda::Function' || type === 'AWS::Serverless::Function' ? id : undefined;
}

export function nativeServices(t: Template): NativeService[] {
  const out: NativeService[] = [];
  for (const id of Object.keys(resources(t))) {
    if (resourceType(t, id) !== 'AWS::ECS::Service') continue;
    const props = propsOf(t, id);
    const controller = isObj(props.DeploymentController) ? props.DeploymentController.Type : undefined;
    const config = props.DeploymentConfiguration;
    if ((controller !== undefined && controller !== 'ECS') || !isObj(config)) continue;
    const configPath: Path = ['Resources', id, 'Properties', 'DeploymentConfiguration'];
    const hooks = asArray(config.LifecycleHooks).flatMap((h, i): NativeHook[] =>
      isObj(h)
        ? [{ path: [...configPath, 'LifecycleHooks', i], targetType: h.TargetType ?? 'AWS_LAMBDA', target: h.HookTargetArn, targetId: targetFunction(t, h.HookTargetArn), role: h.RoleArn, stages: h.LifecycleStages }]
        : [],
    );
    if (hooks.length === 0 && !isObj(config.Alarms)) continue;
    out.push({ id, configPath, hooks, alarms: isObj(config.Alarms) ? config.Alarms : undefined });
  }
  return out;
}
