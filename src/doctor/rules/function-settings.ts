/**
 * Function settings that break hooks: a timeout too short for the checks
 * (CDH009; the 3 s default cannot even resolve the deployment and report), and
 * deprecated runtimes that Lambda no longer lets you create or update (CDH010).
 */
import type { Finding, Rule } from '../finding.js';
import { functions, type FunctionInfo } from '../model.js';
import { CUSTOM_HOOK_WAITS, environmentOf, READY_HOOK_WAITS, readyHookOf } from '../ready-hooks.js';
import { distinctHookFunctions } from './hook-iam.js';

/** Below this a hook cannot resolve the deployment, run a smoke test with retries and report. */
export const MIN_HOOK_TIMEOUT_S = 30;
const DEFAULT_TIMEOUT_S = 3;

/**
 * Runtimes past their Lambda deprecation date (creating/updating functions is blocked or about to be),
 * as of 2026-12: nodejs20.x was deprecated on 2026-04-30, python3.10 on 2026-06-30.
 */
export const DEPRECATED_RUNTIMES = new Set([
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x', 'nodejs20.x',
  'python2.7', 'python3.6', 'python3.7', 'python3.8', 'python3.9', 'python3.10',
  'ruby2.5', 'ruby2.7', 'ruby3.2', 'java8', 'go1.x', 'provided', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet5.0', 'dotnet6', 'dotnet7',
]);

/** Seconds a hook keeps after its waits to resolve the deployment and report. */
const REPORT_RESERVE_S = 10;

/** What the hook waits before it reports: the ready hook's defaults, or what its environment sets. */
function waitsOf(fn: FunctionInfo): { ms: number; text: string; variable: string }[] {
  const ready = readyHookOf(fn);
  const env = environmentOf(fn);
  return (ready ? READY_HOOK_WAITS[ready] : CUSTOM_HOOK_WAITS).flatMap((w) => {
    const variable = `CODEDEPLOY_HOOKS_${w.variable}`;
    const raw = env[variable];
    if (raw !== undefined && !/^\d+$/.test(String(raw))) return []; // a parameter or !Ref: cannot tell
    const ms = raw === undefined ? (ready ? w.defaultMs : 0) : Number(raw);
    const source = raw === undefined ? `${variable} unset: the ${ready} default` : variable;
    return ms > 0 ? [{ ms, text: `${w.what} ${ms / 1000} s (${source})`, variable }] : [];
  });
}

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
      const waits = waitsOf(fn);
      const needS = Math.ceil(waits.reduce((sum, w) => sum + w.ms, 0) / 1000) + REPORT_RESERVE_S;
      if (waits.length > 0 && needS > timeout) {
        out.push({
          rule: 'CDH009', severity: 'error', resource: fn.id, line,
          message: `hook ${fn.id} ${waits.map((w) => w.text).join(' and ')} but times out after ${timeout} s, so it is killed before it reports`,
          fix: `raise Timeout to at least ${needS} (max 900) or shorten ${waits.map((w) => w.variable).join(' and ')}`,
        });
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
