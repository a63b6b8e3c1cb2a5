/**
 * CDH014: an explicit Deny in the hook's role that cancels an action the role
 * allows. In IAM a Deny always wins, so `Deny codedeploy:*` next to the
 * report's Allow leaves a hook that can never report. A Deny with a Condition
 * is not judged: whether it applies is decided at run time.
 */
import type { Finding, Rule } from '../finding.js';
import { HOOK_ACTIONS } from '../hook-actions.js';
import { shape } from '../intrinsics.js';
import { actionMatches, functionRole, statementsFor, type Statement } from '../model.js';
import { hookDeployments } from './hook-iam.js';

const REPORT = 'codedeploy:PutLifecycleEventHookExecutionStatus';

/** Whether a Deny's resources cover a resource the Allow names (same text, `*`, or a wildcard over it). */
function deniesOn(deny: Statement, allowed: unknown[]): boolean {
  return deny.resources.some((d) => d === '*' || allowed.some((a) => actionMatches(shape(d), shape(a))));
}

export const explicitDeny: Rule = {
  id: 'CDH014',
  title: "An explicit Deny cancels an action the hook's role allows",
  check(t) {
    const out: Finding[] = [];
    for (const { fn } of hookDeployments(t)) {
      const role = functionRole(t, fn);
      if (role.external) continue;
      for (const deny of role.denies) {
        if (deny.conditional) continue;
        const cancelled = Object.keys(HOOK_ACTIONS).filter((action) => {
          if (!deny.actions.some((p) => actionMatches(p, action))) return false;
          const allowed = statementsFor(role, action).flatMap((s) => s.resources);
          return allowed.length > 0 && deniesOn(deny, allowed);
        });
        if (cancelled.length === 0) continue;
        const reports = cancelled.includes(REPORT);
        out.push({
          rule: 'CDH014', severity: 'error', resource: fn.id, line: t.lineOf(deny.path),
          message: `an explicit Deny on ${deny.actions.join(', ')} in the role of hook ${fn.id} overrides its Allow of ${cancelled.join(', ')} (a Deny always wins); ${reports ? 'the hook can never report, so every deployment waits for the hook\'s hour and fails' : 'the hook fails on those calls, so every deployment rolls back'}`,
          fix: `remove the Deny, or narrow its Action so that it matches none of ${cancelled.join(', ')}`,
        });
      }
    }
    return out;
  },
};
