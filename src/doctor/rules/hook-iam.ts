/**
 * IAM traps around hooks: CodeDeploy's role cannot invoke the hook (CDH001),
 * the hook cannot report its result (CDH002), and the pre-traffic hook cannot
 * invoke the new version because its grant misses qualified ARNs (CDH003).
 */
import { ecsDeployments } from '../ecs-deployments.js';
import type { Finding, Rule } from '../finding.js';
import { groupArnsText, roleSettingText } from '../fix-texts.js';
import { mentionedIds, refTarget, shape, staticPrefix } from '../intrinsics.js';
import { coversAnyFunction, deployments, functionRole, functions, parameters, resourceType, roleResource, statementsFor, type Deployment, type FunctionInfo, type HookEventName } from '../model.js';
import type { Template } from '../template-reader.js';

const HOOK_PREFIX = 'CodeDeployHook_';
/** Managed CodeDeploy policies that only allow invoking `function:CodeDeployHook_*`. */
const PREFIX_ONLY_POLICIES = /AWSCodeDeployRoleForLambda|AWSCodeDeployRoleForECSLimited|AWSCodeDeployRoleForCloudFormation/;

/** Every deployment in the template: Lambda (SAM or an alias's UpdatePolicy) and CodeDeploy ECS. */
export function allDeployments(t: Template): Deployment[] {
  const lambda = deployments(t);
  return [...lambda, ...ecsDeployments(t, lambda)];
}

/**
 * Each hook of each deployment. A function named as its own hook is left out:
 * CDH005 says that it is, and the other rules' findings about it would only
 * hide that root cause.
 */
function hookFunctions(t: Template): { fn: FunctionInfo; deployment: Deployment; event: HookEventName }[] {
  const byId = new Map(functions(t).map((f) => [f.id, f]));
  return allDeployments(t).flatMap((deployment) =>
    deployment.hooks.flatMap((h) => {
      const fn = h.functionId && h.functionId !== deployment.functionId ? byId.get(h.functionId) : undefined;
      return fn ? [{ fn, deployment, event: h.event }] : [];
    }),
  );
}

/** Each hook function once, with the deployments that run it. */
export function hookDeployments(t: Template): { fn: FunctionInfo; deployments: Deployment[] }[] {
  const byHook = new Map<string, { fn: FunctionInfo; deployments: Deployment[] }>();
  for (const { fn, deployment } of hookFunctions(t)) {
    const entry = byHook.get(fn.id) ?? { fn, deployments: [] };
    if (!entry.deployments.includes(deployment)) entry.deployments.push(deployment);
    byHook.set(fn.id, entry);
  }
  return [...byHook.values()];
}

/** Each hook function once, however many deployments or events name it. */
export function distinctHookFunctions(t: Template): FunctionInfo[] {
  return hookDeployments(t).map(({ fn }) => fn);
}

/** Does this role let CodeDeploy invoke the hook, judging by its statements and managed policies? */
function roleInvokes(t: Template, roleId: string, fn: FunctionInfo): 'yes' | 'prefix' | 'no' | 'unknown' {
  const role = roleResource(t, roleId);
  for (const s of statementsFor(role, 'lambda:InvokeFunction')) {
    for (const r of s.resources) {
      if (coversAnyFunction(r) || mentionedIds(r).has(fn.id)) return 'yes';
      const text = shape(r);
      if (text.endsWith(`function:${HOOK_PREFIX}*`)) return 'prefix';
      const name = typeof fn.props.FunctionName === 'string' ? fn.props.FunctionName : undefined;
      if (name && text.includes(`function:${name}`)) return 'yes';
    }
  }
  if (role.opaquePolicies.some((p) => PREFIX_ONLY_POLICIES.test(p))) return 'prefix';
  if (role.opaquePolicies.some((p) => /AWSCodeDeployRoleForECS(?!Limited)/.test(p))) return 'yes';
  return role.opaquePolicies.length > 0 ? 'unknown' : 'no';
}

const hookNotInvocable: Rule = {
  id: 'CDH001',
  title: 'CodeDeploy role cannot invoke the hook',
  check(t) {
    const out: Finding[] = [];
    for (const { fn, deployment } of hookFunctions(t)) {
      const verdict = deployment.role.kind === 'sam-default' ? 'prefix' : deployment.role.kind === 'resource' ? roleInvokes(t, deployment.role.id, fn) : 'unknown';
      if (verdict === 'yes' || verdict === 'unknown') continue;
      const line = t.lineOf(fn.props.FunctionName === undefined ? ['Resources', fn.id] : fn.pathOf('FunctionName'));
      if (verdict === 'no') {
        out.push({
          rule: 'CDH001', severity: 'error', resource: fn.id, line,
          message: `the CodeDeploy role ${deployment.role.kind === 'resource' ? deployment.role.id : ''} does not allow lambda:InvokeFunction on hook ${fn.id}; the deployment fails with IAM_ROLE_PERMISSIONS`,
          fix: `allow lambda:InvokeFunction on !GetAtt ${fn.id}.Arn in that role's policy`,
        });
        continue;
      }
      const prefix = staticPrefix(fn.props.FunctionName, parameters(t));
      if (prefix !== undefined && prefix.startsWith(HOOK_PREFIX)) continue;
      const roleName = deployment.role.kind === 'sam-default' ? "SAM's default CodeDeploy role (AWSCodeDeployRoleForLambda)" : `role ${deployment.role.kind === 'resource' ? deployment.role.id : ''}`;
      const naming = deployment.kind === 'sam' ? "name it !Join ['', [CodeDeployHook_<role>-, !Select [2, !Split ['/', !Ref AWS::StackId]]]] (unique per stack)" : `set its FunctionName to !Join ['', [CodeDeployHook_<role>-, !Select [2, !Split ['/', !Ref AWS::StackId]]]] (unique per stack)`;
      const named = fn.props.FunctionName === undefined ? 'has a generated name' : prefix === undefined ? 'has a name that cannot be checked' : `is named '${shape(fn.props.FunctionName)}'`;
      out.push({
        rule: 'CDH001', severity: prefix === undefined && fn.props.FunctionName !== undefined ? 'warning' : 'error', resource: fn.id, line,
        message: `hook ${fn.id} ${named}, but ${roleName} only invokes functions named ${HOOK_PREFIX}*; the deployment fails with IAM_ROLE_PERMISSIONS`,
        fix: `${naming}, or set ${roleSettingText(deployment)} to a role that allows lambda:InvokeFunction on the hook's ARN`,
      });
    }
    return out;
  },
};

const hookCannotReport: Rule = {
  id: 'CDH002',
  title: 'Hook role lacks codedeploy:PutLifecycleEventHookExecutionStatus, or has it on *',
  check(t) {
    const out: Finding[] = [];
    for (const { fn, deployments: runs } of hookDeployments(t)) {
      const role = functionRole(t, fn);
      if (role.external) continue;
      const grants = statementsFor(role, 'codedeploy:PutLifecycleEventHookExecutionStatus');
      const groupArn = groupArnsText(t, runs);
      const where = role.roleId ? ['Resources', role.roleId] : fn.props.Policies === undefined ? ['Resources', fn.id] : fn.pathOf('Policies');
      if (grants.length === 0) {
        if (role.opaquePolicies.length > 0) continue; // a managed policy we cannot read may grant it
        out.push({
          rule: 'CDH002', severity: 'error', resource: fn.id, line: t.lineOf(where),
          message: `hook ${fn.id} cannot call codedeploy:PutLifecycleEventHookExecutionStatus, so it never reports and the deployment hangs for an hour`,
          fix: `add a statement allowing codedeploy:PutLifecycleEventHookExecutionStatus on !Sub ${groupArn}`,
        });
        continue;
      }
      const wide = grants.find((s) => s.resources.some((r) => r === '*'));
      if (wide) {
        out.push({
          rule: 'CDH002', severity: 'warning', resource: fn.id, line: t.lineOf(wide.path),
          message: `hook ${fn.id} may report a status for any deployment in the account (PutLifecycleEventHookExecutionStatus on "*")`,
          fix: `scope the Resource to the deployment group ARN: !Sub ${groupArn}`,
        });
      }
    }
    return out;
  },
};

function isVersionRef(t: Template, value: unknown): boolean {
  const text = shape(value);
  if (/^\$\{[A-Za-z0-9]+\.Version\}$/.test(text)) return true;
  const id = refTarget(value);
  return id !== undefined && resourceType(t, id) === 'AWS::Lambda::Version';
}

const invokeNotQualified: Rule = {
  id: 'CDH003',
  title: 'Pre-traffic invoke permission does not cover qualified ARNs',
  check(t) {
    const out: Finding[] = [];
    for (const { fn, deployment, event } of hookFunctions(t)) {
      if (event !== 'PreTraffic') continue;
      const role = functionRole(t, fn);
      const grants = statementsFor(role, 'lambda:InvokeFunction');
      if (role.external || grants.length === 0) continue;
      const resources = grants.flatMap((s) => s.resources.map((r) => ({ r, s })));
      // A `*` suffix on this function's ARN covers every version (one on another function's does
      // not); `!Ref Fn.Version` (a version ARN) is itself qualified.
      const coversVersions = (r: unknown) => {
        if (r === '*' || isVersionRef(t, r)) return true;
        const text = shape(r);
        if (!text.endsWith('*')) return false;
        const ids = mentionedIds(r);
        // A literal `…:function:name:*` (no template references) is taken at its word.
        return ids.has(deployment.functionId ?? '') || (ids.size === 0 && text.endsWith(':*'));
      };
      const covers = resources.some(({ r }) => coversVersions(r));
      if (covers) continue;
      const target = deployment.functionId;
      const name = functions(t).find((f) => f.id === target)?.props.FunctionName;
      const namesTarget = ({ r }: { r: unknown }) => mentionedIds(r).has(target) || (typeof name === 'string' && shape(r).includes(`function:${name}`));
      const first = resources.find(namesTarget);
      if (!first) {
        // The grant is for some other function: saying "unqualified" would send the reader after the wrong fix.
        out.push({
          rule: 'CDH003', severity: 'error', resource: fn.id, line: t.lineOf((resources[0]?.s ?? grants[0]!).path),
          message: `hook ${fn.id} may invoke ${resources.length > 0 ? resources.map(({ r }) => `'${shape(r)}'`).join(', ') : 'no resource (its statement has no Resource)'}, but not ${target}, the function it validates before traffic; its invocations of the new version are denied`,
          fix: `allow lambda:InvokeFunction on !GetAtt ${target}.Arn and !Sub \${${target}.Arn}:*`,
        });
        continue;
      }
      out.push({
        rule: 'CDH003', severity: 'error', resource: fn.id, line: t.lineOf(first.s.path),
        message: `hook ${fn.id} may invoke only unqualified function ARNs; invoking the new version (…:function:NAME:VERSION) is denied since Lambda authorises qualified invokes against the qualified ARN`,
        fix: `add !Sub \${${target}.Arn}:* next to !GetAtt ${target}.Arn in the lambda:InvokeFunction statement`,
      });
    }
    return out;
  },
};

export { hookCannotReport, hookNotInvocable, invokeNotQualified, hookFunctions, HOOK_PREFIX };
