/**
 * CDH013: the hook may report, but only for another deployment group. A
 * report permission on `deploymentgroup:OtherApp/*` (copied from another
 * stack, or naming the wrong group) is denied at run time: the hook runs its
 * checks, its report fails, and the deployment waits out the hook's hour.
 * Judged only when every part of the ARN can be read: a parameter or an
 * unknown `${…}` in it may name the right group.
 */
import type { Finding, Rule } from '../finding.js';
import { groupArnText } from '../fix-texts.js';
import { refTarget, shape } from '../intrinsics.js';
import { actionMatches, functionRole, parameters, propsOf, resourceType, statementsFor, type Deployment } from '../model.js';
import type { Template } from '../template-reader.js';
import { hookDeployments } from './hook-iam.js';

const REPORT = 'codedeploy:PutLifecycleEventHookExecutionStatus';

/** How a part of the group ARN may be written for this deployment: `${Id}` or the literal name. */
function forms(t: Template, value: unknown, id: string | undefined, nameKey: string): string[] {
  const out: string[] = [];
  if (id !== undefined) {
    out.push(`\${${id}}`);
    const name = resourceType(t, id) !== undefined ? propsOf(t, id)[nameKey] : undefined;
    if (typeof name === 'string') out.push(name);
  }
  if (typeof value === 'string') out.push(value);
  return out;
}

/**
 * `yes`/`no` when the part can be judged, `unknown` when it holds a value given
 * at deploy time (a parameter, a pseudo parameter such as AWS::StackName).
 * Any other `${Id}` is a resource, or one SAM generates: another group.
 */
function partMatches(part: string, accepted: string[], deployTime: Set<string>): 'yes' | 'no' | 'unknown' {
  if (accepted.some((a) => actionMatches(part, a))) return 'yes';
  const placeholders = [...part.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!);
  return placeholders.some((p) => p.includes('::') || deployTime.has(p)) ? 'unknown' : 'no';
}

function covers(t: Template, resource: unknown, d: Deployment, deployTime: Set<string>): 'yes' | 'no' | 'unknown' {
  if (resource === '*') return 'yes';
  const text = shape(resource);
  const at = text.indexOf('deploymentgroup:');
  if (at < 0) return text.includes('${') ? 'unknown' : actionMatches(text, 'arn:aws:codedeploy:r:1:deploymentgroup:a/g') ? 'yes' : 'no';
  const [app = '', group = ''] = text.slice(at + 'deploymentgroup:'.length).split('/');
  const appId = refTarget(d.application);
  const verdicts = [
    partMatches(app, forms(t, d.application, appId, 'ApplicationName'), deployTime),
    partMatches(group, forms(t, undefined, d.groupId, 'DeploymentGroupName'), deployTime),
  ];
  return verdicts.includes('no') ? 'no' : verdicts.includes('unknown') ? 'unknown' : 'yes';
}

export const reportScope: Rule = {
  id: 'CDH013',
  title: "Hook's report permission is scoped to another deployment group",
  check(t) {
    const out: Finding[] = [];
    const hooks = hookDeployments(t);
    const deployTime = new Set(Object.keys(parameters(t)));
    for (const { fn, deployments } of hooks) {
      const role = functionRole(t, fn);
      if (role.external) continue;
      const grants = statementsFor(role, REPORT);
      const granted = grants.flatMap((s) => s.resources.map((r) => ({ r, s })));
      // No grant at all is CDH002's; a grant the doctor cannot read is given the benefit of the doubt.
      if (granted.length === 0) continue;
      for (const d of deployments) {
        const verdicts = granted.map(({ r }) => covers(t, r, d, deployTime));
        if (verdicts.some((v) => v !== 'no')) continue;
        out.push({
          rule: 'CDH013', severity: 'error', resource: fn.id, line: t.lineOf(granted[0]!.s.path),
          message: `hook ${fn.id} may report only for ${granted.map(({ r }) => `'${shape(r)}'`).join(', ')}, not for the deployment group that runs it (${d.groupId ?? d.functionId}); its report is denied, so the deployment waits for the hook's hour and then fails`,
          fix: `scope the ${REPORT} Resource to !Sub ${groupArnText(t, d)}`,
        });
      }
    }
    return out;
  },
};
