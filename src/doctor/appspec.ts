/**
 * A CodeDeploy appspec for Lambda or ECS, as the appspec rules read it:
 *
 *   version: 0.0
 *   Resources:
 *     - <name>: { Type: AWS::Lambda::Function | AWS::ECS::Service, Properties: {…} }
 *   Hooks:
 *     - <LifecycleEvent>: <function name or ARN>
 *
 * The platform comes from the resource's Type (or, without one, from the hook
 * names). Nothing is resolved: the appspec is read as written.
 */
import { asArray, isObj, type Obj } from './intrinsics.js';
import type { Path, Template } from './template-reader.js';

export type AppSpecPlatform = 'Lambda' | 'ECS';

export const RESOURCE_TYPES: Readonly<Record<AppSpecPlatform, string>> = { Lambda: 'AWS::Lambda::Function', ECS: 'AWS::ECS::Service' };

/** The lifecycle events each platform's appspec may hook, in the order CodeDeploy runs them. */
export const APPSPEC_EVENTS: Readonly<Record<AppSpecPlatform, readonly string[]>> = {
  Lambda: ['BeforeAllowTraffic', 'AfterAllowTraffic'],
  ECS: ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'],
};

/** The properties each resource takes; `required` ones CodeDeploy cannot do without. */
export const RESOURCE_PROPERTIES: Readonly<Record<AppSpecPlatform, { required: readonly string[]; optional: readonly string[] }>> = {
  Lambda: { required: ['Name', 'Alias', 'CurrentVersion', 'TargetVersion'], optional: [] },
  ECS: { required: ['TaskDefinition', 'LoadBalancerInfo'], optional: ['PlatformVersion', 'NetworkConfiguration', 'CapacityProviderStrategy'] },
};

export interface AppSpecResource {
  name: string;
  path: Path;
  type: unknown;
  platform?: AppSpecPlatform;
  properties: Obj;
  /** The entry is a one-key mapping whose value is a mapping, as CodeDeploy wants. */
  wellFormed: boolean;
}

export interface AppSpecHook {
  event: string;
  value: unknown;
  path: Path;
}

export interface AppSpec {
  resources: AppSpecResource[];
  hooks: AppSpecHook[];
  /** The platform the appspec is for, when its resources or hooks tell. */
  platform?: AppSpecPlatform;
}

function platformOf(type: unknown): AppSpecPlatform | undefined {
  return (Object.keys(RESOURCE_TYPES) as AppSpecPlatform[]).find((p) => RESOURCE_TYPES[p] === type);
}

export function readAppSpec(t: Template): AppSpec {
  const resources = asArray(t.root.Resources).map((entry, i): AppSpecResource => {
    const path: Path = ['Resources', i];
    const keys = isObj(entry) ? Object.keys(entry) : [];
    const body = keys.length === 1 && isObj(entry) ? entry[keys[0]!] : undefined;
    if (!isObj(body)) return { name: keys[0] ?? `Resources[${i}]`, path, type: undefined, properties: {}, wellFormed: false };
    const type = body.Type;
    return { name: keys[0]!, path: [...path, keys[0]!], type, platform: platformOf(type), properties: isObj(body.Properties) ? body.Properties : {}, wellFormed: true };
  });
  const hooks = Array.isArray(t.root.Hooks)
    ? t.root.Hooks.flatMap((entry, i): AppSpecHook[] => (isObj(entry) ? Object.entries(entry).map(([event, value]) => ({ event, value, path: ['Hooks', i, event] })) : []))
    : [];
  const byResource = resources.find((r) => r.platform)?.platform;
  const byHooks = hooks.some((h) => APPSPEC_EVENTS.ECS.includes(h.event) && !APPSPEC_EVENTS.Lambda.includes(h.event)) ? 'ECS' : undefined;
  return { resources, hooks, platform: byResource ?? byHooks };
}
