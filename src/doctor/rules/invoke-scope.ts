/**
 * CDH016: a role in the hook wiring that may invoke every function in the
 * account. CodeDeploy's role needs to invoke the hooks, an ECS-native hook
 * role its hook, a hook at most the function it validates. `Resource: "*"` on
 * a hook's own role is CDH011's; here: the invoking roles, the broad
 * `AWSCodeDeployRoleForECS` managed policy, and function-wide patterns such as
 * `arn:aws:lambda:*:*:function:*` anywhere.
 */
import { nativeServices } from '../ecs-native.js';
import type { Finding, Rule } from '../finding.js';
import { refTarget, shape } from '../intrinsics.js';
import { coversAnyFunction, functionRole, resourceType, roleResource, statementsFor, type RoleInfo } from '../model.js';
import type { Template } from '../template-reader.js';
import { allDeployments, hookDeployments } from './hook-iam.js';

const INVOKE = 'lambda:InvokeFunction';
const BROAD_ECS_POLICY = /AWSCodeDeployRoleForECS(?!Limited)/;

function anyFunctionGrants(role: RoleInfo, skipStar: boolean): { path: RoleInfo['statements'][number]['path']; resource: string }[] {
  return statementsFor(role, INVOKE).flatMap((s) =>
    s.resources.filter((r) => !(skipStar && r === '*') && coversAnyFunction(r)).map((r) => ({ path: s.path, resource: shape(r) })),
  );
}

export const invokeAnyFunction: Rule = {
  id: 'CDH016',
  title: 'A role in the hook wiring may invoke every function',
  check(t: Template) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    const invokers: { roleId: string; who: string; targets: string }[] = [];
    for (const d of allDeployments(t)) {
      if (d.role.kind !== 'resource') continue;
      const hooks = d.hooks.map((h) => h.functionId).filter((id): id is string => id !== undefined);
      invokers.push({ roleId: d.role.id, who: 'CodeDeploy', targets: hooks.length > 0 ? [...new Set(hooks)].map((h) => `!GetAtt ${h}.Arn`).join(', ') : 'the hooks\' ARNs' });
    }
    for (const s of nativeServices(t)) {
      for (const h of s.hooks) {
        const roleId = refTarget(h.role);
        if (roleId && resourceType(t, roleId) === 'AWS::IAM::Role') invokers.push({ roleId, who: 'ECS', targets: h.targetId ? `!GetAtt ${h.targetId}.Arn` : 'the hook\'s ARN' });
      }
    }
    for (const { roleId, who, targets } of invokers) {
      if (seen.has(roleId)) continue;
      seen.add(roleId);
      const role = roleResource(t, roleId);
      for (const grant of anyFunctionGrants(role, false)) {
        out.push({
          rule: 'CDH016', severity: 'warning', resource: roleId, line: t.lineOf(grant.path),
          message: `role ${roleId} lets ${who} invoke every function in the account (lambda:InvokeFunction on '${grant.resource}'); it needs only its hooks`,
          fix: `scope the Resource to ${targets}`,
        });
      }
      if (who === 'CodeDeploy' && role.opaquePolicies.some((p) => BROAD_ECS_POLICY.test(p))) {
        out.push({
          rule: 'CDH016', severity: 'warning', resource: roleId, line: t.lineOf(['Resources', roleId, 'Properties', 'ManagedPolicyArns']),
          message: `role ${roleId} uses AWSCodeDeployRoleForECS, which lets CodeDeploy invoke every function in the account`,
          fix: 'use AWSCodeDeployRoleForECSLimited and name the hooks CodeDeployHook_* (it invokes only those)',
        });
      }
    }
    for (const { fn, deployments } of hookDeployments(t)) {
      const validated = [...new Set(deployments.filter((d) => d.kind !== 'ecs').map((d) => d.functionId))];
      const fix = validated.length > 0 ? `scope the Resource to ${validated.map((id) => `!GetAtt ${id}.Arn and !Sub \${${id}.Arn}:*`).join(', ')}` : 'remove it, unless a check of your own invokes a function (then name that function)';
      // Resource "*" on a hook's role is reported by CDH011 with the scope to use.
      for (const grant of anyFunctionGrants(functionRole(t, fn), true)) {
        out.push({
          rule: 'CDH016', severity: 'warning', resource: fn.id, line: t.lineOf(grant.path),
          message: `hook ${fn.id} may invoke every function in the account (lambda:InvokeFunction on '${grant.resource}')`,
          fix,
        });
      }
    }
    return out;
  },
};
