/**
 * Function settings that break hooks: a timeout too short for the checks
 * (CDH009; the 3 s default cannot even resolve the deployment and report), and
 * deprecated runtimes that Lambda no longer lets you create or update (CDH010).
 */
import type { Finding, Rule } from '../finding.js';
import { isObj } from '../intrinsics.js';
import { functions } from '../model.js';
import { distinctHookFunctions } from './hook-iam.js';

/** Below this a hook cannot resolve the deployment, run a smoke test with retries and report. */
export const MIN_HOOK_TIMEOUT_S = 30;
const DEFAULT_TIMEOUT_S = 3;

/** Runtimes past their Lambda deprecation date (creating/updating functions is blocked or about to be). */
export const DEPRECATED_RUNTIMES = new Set([
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x',
  'python2.7', 'python3.6', 'python3.7', 'python3.8', 'python3.9',
  'ruby2.5', 'ruby2.7', 'ruby3.2', 'java8', 'go1.x', 'provided', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet5.0', 'dotnet6', 'dotnet7',
]);

const BAKE_VARIABLES = ['CODEDEPLOY_HOOKS_BAKE_DURATION_MS'];

const hookTimeout: Rule = {
  id: 'CDH009',
  title: 'Hook timeout too short for its checks',
  check(t) {
    const out: Finding[] = [];
    for (const fn of distinctHookFunctions(t)) {
      const raw = fn.props.Timeout;
      if (raw !== undefined && typeof raw !== 'number' && !/^\d+$/.test(String(raw))) continue; // a parameter: cannot tell
      const timeout = raw === undefined ? DEFAULT_TIMEOUT_S : Number(raw);
      const line = t.lineOf(raw === undefined ? ['Resources', fn.id] : fn.pathOf('Timeout'));
      if (timeout < MIN_HOOK_TIMEOUT_S) {
        out.push({
          rule: 'CDH009', severity: 'error', resource: fn.id, line,
          message: `hook ${fn.id} times out after ${timeout} s${raw === undefined ? ' (the Lambda default)' : ''}; resolving the deployment, running checks with retries and reporting need more, and a hook that times out never reports`,
          fix: `set Timeout to at least ${MIN_HOOK_TIMEOUT_S} (60 for smoke tests, up to 900 for a post-traffic bake)`,
        });
        continue;
      }
      const env = isObj(fn.props.Environment) && isObj(fn.props.Environment.Variables) ? fn.props.Environment.Variables : {};
      for (const name of BAKE_VARIABLES) {
        const bake = Number(env[name]);
        if (Number.isFinite(bake) && bake > 0 && bake / 1000 + 10 > timeout) {
          out.push({
            rule: 'CDH009', severity: 'error', resource: fn.id, line,
            message: `hook ${fn.id} bakes for ${bake / 1000} s (${name}) but times out after ${timeout} s, so it is killed before it reports`,
            fix: `raise Timeout above ${Math.ceil(bake / 1000) + 10} (max 900) or shorten ${name}`,
          });
        }
      }
    }
    return out;
  },
};

const deprecatedRuntime: Rule = {
  id: 'CDH010',
  title: 'Deprecated Lambda runtime',
  check(t) {
    const out: Finding[] = [];
    for (const fn of functions(t)) {
      const runtime = fn.props.Runtime;
      if (typeof runtime !== 'string' || !DEPRECATED_RUNTIMES.has(runtime)) continue;
      out.push({
        rule: 'CDH010', severity: 'error', resource: fn.id, line: t.lineOf(fn.pathOf('Runtime')),
        message: `${fn.id} uses runtime ${runtime}, which Lambda has deprecated; creating or updating it is blocked, so the next deployment fails`,
        fix: runtime.startsWith('nodejs') ? 'use Runtime: nodejs24.x (or nodejs22.x)' : 'move to a supported runtime (see the Lambda runtimes page)',
      });
    }
    return out;
  },
};

export { deprecatedRuntime, hookTimeout };
