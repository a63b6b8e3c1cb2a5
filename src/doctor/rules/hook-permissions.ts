/**
 * CDH011: a hook role wider than codedeploy-hooks needs. Three things can be
 * told from the template alone: an action granted on a whole service (or `*`),
 * an action of a service the hooks talk to that no codedeploy-hooks code calls,
 * and `Resource: "*"` on an action the hooks call that can be scoped. The
 * report permission on `*` is CDH002's; actions of other services belong to the
 * user's own checks and are left alone.
 */
import type { Finding, Rule } from '../finding.js';
import { HOOK_ACTIONS, HOOK_SERVICES, hookAction, type ActionScope } from '../hook-actions.js';
import { refTarget } from '../intrinsics.js';
import { actionMatches, functionRole, resourceType, type Deployment, type FunctionInfo, type Statement } from '../model.js';
import type { Template } from '../template-reader.js';
import { groupArnsText } from '../fix-texts.js';
import { hookDeployments } from './hook-iam.js';

const REPORT = 'codedeploy:PutLifecycleEventHookExecutionStatus';

const serviceOf = (action: string): string => (action.includes(':') ? action.slice(0, action.indexOf(':')).toLowerCase() : '');
const isHookService = (action: string): boolean => HOOK_SERVICES.includes(serviceOf(action));
const isWildcard = (action: string): boolean => /[*?]/.test(action);
/** `*`, or every action of a service the hooks use (`cloudwatch:*`). */
const isWholeService = (action: string): boolean => action === '*' || (action.endsWith(':*') && isHookService(action));

function needed(service: string): string {
  return Object.keys(HOOK_ACTIONS).filter((a) => serviceOf(a) === service).join(', ');
}

/** Where each kind of scopable action should point, for the deployments that run this hook. */
function scopeFix(t: Template, scope: ActionScope, deployments: Deployment[]): string {
  if (scope === 'alarm') {
    const alarms = deployments.flatMap((d) => d.alarms.map((a) => refTarget(a.value)).filter((id): id is string => id !== undefined && resourceType(t, id) === 'AWS::CloudWatch::Alarm'));
    return alarms.length > 0 ? [...new Set(alarms)].map((id) => `!GetAtt ${id}.Arn`).join(', ') : "the ARN of each alarm the hook checks (!GetAtt <Alarm>.Arn)";
  }
  if (scope === 'function') {
    const targets = [...new Set(deployments.filter((d) => d.kind !== 'ecs').map((d) => d.functionId))];
    if (targets.length === 0) return 'the ARNs of the functions the hook invokes (an ECS hook needs to invoke none)';
    return targets.map((id) => `!GetAtt ${id}.Arn and !Sub \${${id}.Arn}:*`).join(', ');
  }
  return `!Sub ${groupArnsText(t, deployments)}`;
}

function statementFindings(t: Template, fn: FunctionInfo, s: Statement, deployments: Deployment[]): Finding[] {
  const out: Finding[] = [];
  const at = { rule: 'CDH011', severity: 'warning' as const, resource: fn.id, line: t.lineOf(s.path) };

  for (const action of s.actions.filter(isWholeService)) {
    const service = action === '*' ? undefined : serviceOf(action);
    out.push({
      ...at,
      message: service
        ? `hook ${fn.id} may call every ${service} action (${action}), including ones that change or delete resources; codedeploy-hooks calls only ${needed(service)}`
        : `hook ${fn.id} may call every AWS action (Action: "*")`,
      fix: service ? `replace ${action} with the actions the hook calls (${needed(service)})` : 'list the actions the hook calls instead (see "IAM for a hook function" in the codedeploy-hooks README)',
    });
  }

  const unused = s.actions.filter((a) => !isWildcard(a) && isHookService(a) && hookAction(a) === undefined);
  if (unused.length > 0) {
    out.push({
      ...at,
      message: `hook ${fn.id} is granted ${unused.join(', ')}, which no codedeploy-hooks code calls`,
      fix: `remove ${unused.join(', ')}, unless a check of your own calls ${unused.length === 1 ? 'it' : 'them'}`,
    });
  }

  if (s.resources.includes('*')) {
    // Whole-service grants are reported above; a narrower pattern such as cloudwatch:Describe* is looked into.
    const patterns = s.actions.filter((a) => !isWholeService(a));
    const onStar = Object.entries(HOOK_ACTIONS).filter(([a, scope]) => scope !== 'none' && a !== REPORT && patterns.some((p) => actionMatches(p, a)));
    if (onStar.length > 0) {
      const scopes = [...new Set(onStar.map(([, scope]) => scope))];
      const names = (scope: ActionScope) => onStar.filter(([, s2]) => s2 === scope).map(([a]) => a).join(', ');
      out.push({
        ...at,
        message: `hook ${fn.id} may call ${onStar.map(([a]) => a).join(', ')} on any resource (Resource: "*"), though ${onStar.length === 1 ? 'it' : 'each'} can be scoped to specific resources`,
        fix: `${scopes.map((scope) => `put ${names(scope)} on ${scopeFix(t, scope, deployments)}`).join('; ')}; keep "*" for the actions without resource-level permissions (cloudwatch:GetMetricData, the elasticloadbalancing Describe calls)`,
      });
    }
  }
  return out;
}

export const hookPermissions: Rule = {
  id: 'CDH011',
  title: 'Hook role grants actions no hook calls, or "*" where a resource scope works',
  check(t) {
    const out: Finding[] = [];
    for (const { fn, deployments } of hookDeployments(t)) {
      const role = functionRole(t, fn);
      if (role.external) continue;
      for (const s of role.statements) out.push(...statementFindings(t, fn, s, deployments));
    }
    return out;
  },
};
