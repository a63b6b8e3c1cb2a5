/**
 * A view of a template that the rules share: functions (SAM Globals applied),
 * the deployments that shift traffic to them and their hooks, and the IAM
 * statements attached to a role. Everything is derived from the parsed values;
 * nothing is resolved against AWS.
 */
import type { Path, Template } from './template-reader.js';
import { asArray, isEnabled, isObj, refTarget, shape, type Obj } from './intrinsics.js';
import { hookEventOf, hooksKeyOf } from './sam-keys.js';

export interface FunctionInfo {
  id: string;
  sam: boolean;
  props: Obj;
  /** The resource's Metadata (SAM's esbuild BuildProperties name the code's entry points). */
  metadata: unknown;
  /** Where a property is written: on the resource, or in Globals.Function. */
  pathOf(key: string): Path;
}

/** Lambda deployments' hooks; `ECS` stands for a hook of a CodeDeploy ECS deployment, whose event is named in the appspec. */
export type HookEventName = 'PreTraffic' | 'PostTraffic' | 'ECS';

export interface HookRef {
  event: HookEventName;
  value: unknown;
  path: Path;
  /** The logical id of the hook function, when the reference resolves to one in the template. */
  functionId?: string;
}

/** Who invokes the hooks: SAM's generated role, a role in this template, or one we cannot see. */
export type CodeDeployRole = { kind: 'sam-default' } | { kind: 'resource'; id: string } | { kind: 'external'; value: unknown };

/** `sam`: a DeploymentPreference; `cfn`: an alias's UpdatePolicy; `ecs`: a CodeDeploy ECS deployment group. */
export type DeploymentKind = 'sam' | 'cfn' | 'ecs';

export interface Deployment {
  kind: DeploymentKind;
  /** The function traffic shifts on (for `ecs`, the ECS service, or the deployment group). */
  functionId: string;
  /** Where the deployment is declared (the DeploymentPreference, or the alias's UpdatePolicy). */
  path: Path;
  hooks: HookRef[];
  role: CodeDeployRole;
  alarms: { value: unknown; path: Path }[];
  alias?: string;
  /** The CodeDeploy application and the deployment group's logical id, as a report permission must name them. */
  application: unknown;
  groupId?: string;
  /** How this template writes the new version's number (`!GetAtt Fn.Version.Version` in SAM). */
  versionValue?: string;
}

export interface Statement {
  actions: string[];
  resources: unknown[];
  path: Path;
  /** The statement has a Condition, so whether it applies cannot be told from the template. */
  conditional: boolean;
}

export interface RoleInfo {
  /** `external`: the role is not in this template, so nothing can be checked. */
  external: boolean;
  roleId?: string;
  /** The Allow statements. */
  statements: Statement[];
  /** The Deny statements, which win over any Allow. */
  denies: Statement[];
  /** Managed policies other than the basic execution ones, and SAM policy templates we do not expand. */
  opaquePolicies: string[];
}

export function resources(t: Template): Obj {
  return isObj(t.root.Resources) ? t.root.Resources : {};
}

export function parameters(t: Template): Obj {
  return isObj(t.root.Parameters) ? t.root.Parameters : {};
}

export function resourceType(t: Template, id: string): string | undefined {
  const r = resources(t)[id];
  return isObj(r) && typeof r.Type === 'string' ? r.Type : undefined;
}

export function propsOf(t: Template, id: string): Obj {
  const r = resources(t)[id];
  return isObj(r) && isObj(r.Properties) ? r.Properties : {};
}

export function functions(t: Template): FunctionInfo[] {
  const globals = isObj(t.root.Globals) && isObj(t.root.Globals.Function) ? t.root.Globals.Function : {};
  const out: FunctionInfo[] = [];
  for (const id of Object.keys(resources(t))) {
    const type = resourceType(t, id);
    if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Lambda::Function') continue;
    const own = propsOf(t, id);
    const sam = type === 'AWS::Serverless::Function';
    const props: Obj = { ...own };
    if (sam) {
      for (const [k, g] of Object.entries(globals)) {
        const v = own[k];
        if (v === undefined) props[k] = g;
        // SAM merges maps from Globals into the function's own map.
        else if (isObj(v) && isObj(g) && !refTarget(v)) props[k] = { ...g, ...v };
      }
    }
    const resource = resources(t)[id] as Obj;
    out.push({
      id,
      sam,
      props,
      metadata: resource.Metadata,
      pathOf: (k) => (own[k] === undefined && sam && globals[k] !== undefined ? ['Globals', 'Function', k] : ['Resources', id, 'Properties', k]),
    });
  }
  return out;
}

/** Resolves a hook reference (Ref/GetAtt, or a literal function name) to a function in the template. */
export function resolveFunction(t: Template, value: unknown): string | undefined {
  const target = refTarget(value);
  if (target) return target;
  if (typeof value !== 'string') return undefined;
  for (const fn of functions(t)) if (fn.props.FunctionName === value) return fn.id;
  return undefined;
}

export function deployments(t: Template): Deployment[] {
  const out: Deployment[] = [];
  for (const fn of functions(t)) {
    const pref = fn.props.DeploymentPreference;
    if (!fn.sam || !isObj(pref) || !isEnabled(pref.Enabled)) continue;
    const path = fn.pathOf('DeploymentPreference');
    const hooks: HookRef[] = [];
    // Under a misspelled key (`Hook:`, `PreTrafic:`) SAM drops the hook and CDH006 says so; the
    // other rules still check it as the hook it was meant to be, so one run shows all there is to fix.
    const hooksKey = hooksKeyOf(pref);
    const hooksMap = hooksKey === undefined ? undefined : pref[hooksKey];
    if (hooksKey !== undefined && isObj(hooksMap)) {
      for (const [key, value] of Object.entries(hooksMap)) {
        const event = hookEventOf(key);
        if (event === undefined || value === undefined) continue;
        hooks.push({ event, value, path: [...path, hooksKey, key], functionId: resolveFunction(t, value) });
      }
    }
    const role: CodeDeployRole = pref.Role === undefined ? { kind: 'sam-default' } : refTarget(pref.Role) && resourceType(t, refTarget(pref.Role)!) === 'AWS::IAM::Role' ? { kind: 'resource', id: refTarget(pref.Role)! } : { kind: 'external', value: pref.Role };
    const alarms = asArray(pref.Alarms).map((value, i) => ({ value, path: [...path, 'Alarms', i] as Path }));
    out.push({
      kind: 'sam', functionId: fn.id, path, hooks, role, alarms,
      alias: typeof fn.props.AutoPublishAlias === 'string' ? fn.props.AutoPublishAlias : undefined,
      application: { Ref: 'ServerlessDeploymentApplication' }, groupId: `${fn.id}DeploymentGroup`, versionValue: `!GetAtt ${fn.id}.Version.Version`,
    });
  }
  // Plain CloudFormation: an alias whose UpdatePolicy hands it to CodeDeploy.
  for (const [id, r] of Object.entries(resources(t))) {
    if (!isObj(r) || r.Type !== 'AWS::Lambda::Alias' || !isObj(r.UpdatePolicy)) continue;
    const update = r.UpdatePolicy.CodeDeployLambdaAliasUpdate;
    if (!isObj(update)) continue;
    const path: Path = ['Resources', id, 'UpdatePolicy', 'CodeDeployLambdaAliasUpdate'];
    const hooks: HookRef[] = [];
    for (const [event, field] of [['PreTraffic', 'BeforeAllowTrafficHook'], ['PostTraffic', 'AfterAllowTrafficHook']] as const) {
      const value = update[field];
      if (value !== undefined) hooks.push({ event, value, path: [...path, field], functionId: resolveFunction(t, value) });
    }
    const groupId = refTarget(update.DeploymentGroupName);
    const group = groupId ? propsOf(t, groupId) : {};
    const roleId = refTarget(group.ServiceRoleArn);
    const role: CodeDeployRole = roleId && resourceType(t, roleId) === 'AWS::IAM::Role' ? { kind: 'resource', id: roleId } : { kind: 'external', value: group.ServiceRoleArn };
    const alarmConfig = isObj(group.AlarmConfiguration) ? group.AlarmConfiguration : {};
    const alarms = asArray(alarmConfig.Alarms).map((a, i) => ({ value: isObj(a) ? a.Name : a, path: ['Resources', groupId ?? id, 'Properties', 'AlarmConfiguration', 'Alarms', i] as Path }));
    const aliasProps = isObj(r.Properties) ? r.Properties : {};
    const versionId = refTarget(aliasProps.FunctionVersion);
    out.push({
      kind: 'cfn', functionId: refTarget(aliasProps.FunctionName) ?? id, path, hooks, role, alarms,
      alias: typeof aliasProps.Name === 'string' ? aliasProps.Name : undefined,
      application: update.ApplicationName, groupId,
      versionValue: versionId && resourceType(t, versionId) === 'AWS::Lambda::Version' ? `!GetAtt ${versionId}.Version` : undefined,
    });
  }
  return out;
}

const BASIC_POLICIES = /AWSLambdaBasicExecutionRole|AWSLambdaVPCAccessExecutionRole|AWSXRayDaemonWriteAccess|AWSXrayWriteOnlyAccess/;

function documentStatements(doc: unknown, path: Path, effect: 'Allow' | 'Deny' = 'Allow'): Statement[] {
  if (!isObj(doc)) return [];
  return asArray(doc.Statement).flatMap((s, i) => {
    if (!isObj(s) || (s.Effect ?? 'Allow') !== effect) return [];
    const actions = asArray(s.Action).filter((a): a is string => typeof a === 'string');
    return [{ actions, resources: asArray(s.Resource), path: [...path, 'Statement', i], conditional: s.Condition !== undefined }];
  });
}

/** Adds a policy document's Allow and Deny statements to a role. */
function addDocument(info: RoleInfo, doc: unknown, path: Path): void {
  info.statements.push(...documentStatements(doc, path));
  info.denies.push(...documentStatements(doc, path, 'Deny'));
}

/** The IAM statements a function runs with, from SAM `Policies` or its role resource. */
export function functionRole(t: Template, fn: FunctionInfo): RoleInfo {
  const role = fn.props.Role;
  if (role !== undefined) {
    const id = refTarget(role);
    if (!id || resourceType(t, id) !== 'AWS::IAM::Role') return { external: true, statements: [], denies: [], opaquePolicies: [] };
    return roleResource(t, id);
  }
  if (!fn.sam) return { external: true, statements: [], denies: [], opaquePolicies: [] };
  const info: RoleInfo = { external: false, statements: [], denies: [], opaquePolicies: [] };
  const base = fn.pathOf('Policies');
  asArray(fn.props.Policies).forEach((p, i) => {
    if (typeof p === 'string') {
      if (!BASIC_POLICIES.test(p)) info.opaquePolicies.push(p);
    } else if (isObj(p) && p.Statement !== undefined) {
      addDocument(info, p, [...base, i]);
    } else if (isObj(p) && isObj(p.LambdaInvokePolicy)) {
      // SAM's policy template grants function:${FunctionName}*, which covers qualified ARNs.
      const name = p.LambdaInvokePolicy.FunctionName;
      info.statements.push({ actions: ['lambda:InvokeFunction'], resources: [{ 'Fn::Sub': ['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*', { FunctionName: name }] }], path: [...base, i], conditional: false });
    } else if (isObj(p)) {
      info.opaquePolicies.push(Object.keys(p)[0] ?? 'policy');
    } else {
      info.opaquePolicies.push('policy');
    }
  });
  // Policies attached to the role SAM generates for the function (`<Function>Role`).
  attachPolicies(t, `${fn.id}Role`, info);
  return info;
}

/** The statements of an AWS::IAM::Role and of the AWS::IAM::Policy resources attached to it. */
export function roleResource(t: Template, id: string): RoleInfo {
  const props = propsOf(t, id);
  const info: RoleInfo = { external: false, roleId: id, statements: [], denies: [], opaquePolicies: [] };
  asArray(props.Policies).forEach((p, i) => {
    if (isObj(p)) addDocument(info, p.PolicyDocument, ['Resources', id, 'Properties', 'Policies', i, 'PolicyDocument']);
  });
  for (const arn of asArray(props.ManagedPolicyArns)) {
    const text = typeof arn === 'string' ? arn : JSON.stringify(arn);
    const managedId = refTarget(arn);
    if (managedId && resourceType(t, managedId) === 'AWS::IAM::ManagedPolicy') {
      addDocument(info, propsOf(t, managedId).PolicyDocument, ['Resources', managedId, 'Properties', 'PolicyDocument']);
    } else if (!BASIC_POLICIES.test(text)) {
      info.opaquePolicies.push(text);
    }
  }
  attachPolicies(t, id, info);
  return info;
}

/** Adds the statements of the AWS::IAM::Policy / RolePolicy resources that attach to role `id`. */
function attachPolicies(t: Template, id: string, info: RoleInfo): void {
  for (const [pid, r] of Object.entries(resources(t))) {
    if (!isObj(r) || (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::RolePolicy')) continue;
    const p = propsOf(t, pid);
    const attached = r.Type === 'AWS::IAM::RolePolicy' ? refTarget(p.RoleName) === id : asArray(p.Roles).some((x) => refTarget(x) === id);
    if (attached) addDocument(info, p.PolicyDocument, ['Resources', pid, 'Properties', 'PolicyDocument']);
  }
}

/**
 * Whether an IAM action pattern (`*` any run, `?` one character; case-insensitive)
 * matches the action. A two-pointer glob match: linear in practice and never
 * exponential, unlike a regex built from a pattern such as `*****x`.
 */
export function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < a.length) {
    if (i < p.length && (p[i] === '?' || p[i] === a[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** A function no template would name: a resource pattern that matches it matches every function. */
const ANY_FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:zz-any-function-9';

/** Whether a Resource covers every function (`*`, `arn:aws:lambda:*:*:function:*`, `…:function:*` with pseudo parameters). */
export function coversAnyFunction(resource: unknown): boolean {
  const pattern = shape(resource).replace(/\$\{AWS::(Partition|Region|AccountId|URLSuffix)\}/g, '*');
  return actionMatches(pattern, ANY_FUNCTION);
}

export function statementsFor(role: RoleInfo, action: string): Statement[] {
  return role.statements.filter((s) => s.actions.some((a) => actionMatches(a, action)));
}
