/**
 * How hooks are wired to the deployment: a hook that is itself traffic-shifted
 * (CDH004), a hook reference that points nowhere or at the deployed function
 * itself (CDH005), and a
 * DeploymentPreference that SAM rejects for lack of AutoPublishAlias (CDH007).
 */
import type { Finding, Rule } from '../finding.js';
import { isEnabled, isObj, refTarget, shape } from '../intrinsics.js';
import { deployments, functions, resourceType } from '../model.js';
import { distinctHookFunctions } from './hook-iam.js';

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

const hookTrafficShifted: Rule = {
  id: 'CDH004',
  title: 'A hook is itself traffic-shifted',
  check(t) {
    const out: Finding[] = [];
    for (const fn of distinctHookFunctions(t)) {
      const pref = fn.props.DeploymentPreference;
      if (!fn.sam || !isObj(pref) || !isEnabled(pref.Enabled)) continue;
      const fromGlobals = fn.pathOf('DeploymentPreference')[0] === 'Globals';
      out.push({
        rule: 'CDH004', severity: 'error', resource: fn.id, line: t.lineOf(fn.pathOf('DeploymentPreference')),
        message: `hook ${fn.id} has its own DeploymentPreference${fromGlobals ? ' (inherited from Globals.Function)' : ''}, so deploying it starts a second CodeDeploy deployment that waits on hooks of its own`,
        fix: `set DeploymentPreference: { Enabled: false } on ${fn.id}`,
      });
    }
    return out;
  },
};

const hookMissing: Rule = {
  id: 'CDH005',
  title: 'A hook refers to a resource that does not exist, or to the deployed function itself',
  check(t) {
    const out: Finding[] = [];
    const known = new Set(functions(t).map((f) => f.id));
    const names = functions(t).map((f) => f.id).join(', ') || 'none';
    for (const d of deployments(t)) {
      for (const h of d.hooks) {
        const target = refTarget(h.value);
        const line = t.lineOf(h.path);
        if (h.functionId !== undefined && h.functionId === d.functionId) {
          out.push({
            rule: 'CDH005', severity: 'error', resource: d.functionId, line,
            message: `${h.event} hook of ${d.functionId} is ${d.functionId} itself: a function cannot validate its own deployment; CodeDeploy invokes it with a hook event it does not answer, no status is reported, and the deployment fails after the hook's hour`,
            fix: `point ${h.event} at a separate hook function (see the ready hooks in the codedeploy-hooks README)`,
          });
          continue;
        }
        if (target !== undefined) {
          const type = resourceType(t, target);
          if (type === undefined) {
            out.push({
              rule: 'CDH005', severity: 'error', resource: d.functionId, line,
              message: `${h.event} hook of ${d.functionId} refers to ${target}, which is not a resource in this template`,
              fix: `point ${h.event} at one of the functions in the template (${names})`,
            });
          } else if (!FUNCTION_TYPES.has(type)) {
            out.push({
              rule: 'CDH005', severity: 'error', resource: d.functionId, line,
              message: `${h.event} hook of ${d.functionId} refers to ${target}, a ${type}, not a Lambda function`,
              fix: `point ${h.event} at a Lambda function (${names})`,
            });
          }
        } else if (typeof h.value === 'string' && !known.has(h.functionId ?? '')) {
          out.push({
            rule: 'CDH005', severity: 'warning', resource: d.functionId, line,
            message: `${h.event} hook of ${d.functionId} names function '${shape(h.value)}', which is not defined in this template`,
            fix: 'use !Ref to a hook function in this template, or make sure that function exists in the account and region before deploying',
          });
        }
      }
    }
    return out;
  },
};

const preferenceWithoutAlias: Rule = {
  id: 'CDH007',
  title: 'DeploymentPreference without AutoPublishAlias',
  check(t) {
    const out: Finding[] = [];
    for (const fn of functions(t)) {
      const pref = fn.props.DeploymentPreference;
      if (!fn.sam || !isObj(pref) || !isEnabled(pref.Enabled) || fn.props.AutoPublishAlias !== undefined) continue;
      out.push({
        rule: 'CDH007', severity: 'error', resource: fn.id, line: t.lineOf(fn.pathOf('DeploymentPreference')),
        message: `${fn.id} has a DeploymentPreference but no AutoPublishAlias; SAM rejects it ("'DeploymentPreference' requires AutoPublishAlias property to be specified")`,
        fix: `add AutoPublishAlias: live to ${fn.id} (CodeDeploy shifts traffic on that alias)`,
      });
    }
    return out;
  },
};

export { hookMissing, hookTrafficShifted, preferenceWithoutAlias };
