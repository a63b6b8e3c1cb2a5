/**
 * The traps of durable hooks (codedeploy-hooks/durable):
 *   CDH030  a durable function started or hooked by an unqualified name or ARN
 *           (Lambda refuses: "You cannot invoke a durable function using an unqualified ARN");
 *   CDH031  a durable hook's ExecutionTimeout longer than CodeDeploy's hour;
 *   CDH032  a bake (plus the hook's reserve) longer than the execution timeout.
 * A durable hook's function is found through the starter's
 * CODEDEPLOY_HOOKS_DURABLE_FUNCTION, or as a deployment hook with DurableConfig.
 */
import { DEFAULT_HOUR_RESERVE_MS, HOOK_HOUR_MS, REPORT_WINDOW_MS } from '../../durable/options.js';
import { DURABLE_TARGET_ENV, durableTargetProblem } from '../../durable/target.js';
import type { Finding, Rule } from '../finding.js';
import { isObj, shape } from '../intrinsics.js';
import { deployments, functions, parameters, resourceType } from '../model.js';
import type { FunctionInfo } from '../model.js';
import type { Template } from '../template-reader.js';

/** Bake variables the durable example and the ready hooks read, with their unit in seconds. */
const BAKE_VARIABLES: [name: string, seconds: number][] = [
  ['CODEDEPLOY_HOOKS_BAKE_MINUTES', 60],
  ['CODEDEPLOY_HOOKS_BAKE_DURATION_MS', 0.001],
];
/** What a durable hook keeps of its execution besides the bake (the default reserve and the report window), s. */
const RESERVE_S = (DEFAULT_HOUR_RESERVE_MS + REPORT_WINDOW_MS) / 1000;
const HOUR_S = HOOK_HOUR_MS / 1000;

const envOf = (fn: FunctionInfo): Record<string, unknown> =>
  isObj(fn.props.Environment) && isObj(fn.props.Environment.Variables) ? fn.props.Environment.Variables : {};
const durableConfigOf = (fn: FunctionInfo): Record<string, unknown> | undefined => (isObj(fn.props.DurableConfig) ? fn.props.DurableConfig : undefined);

/** A number, or a parameter's Default; undefined when the template cannot tell. */
function numberOf(t: Template, value: unknown): number | undefined {
  if (isObj(value) && typeof value.Ref === 'string') {
    const p = parameters(t)[value.Ref];
    return isObj(p) ? numberOf(t, p.Default) : undefined;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Why a target value cannot start a durable execution, or undefined when it
 * can (or the template cannot tell). A reference alone is judged by what it
 * returns: `!Ref Fn.Alias`, an alias or a version is qualified; `!Ref Fn`
 * (a name) and `!GetAtt Fn.Arn` are not.
 */
function targetProblem(t: Template, value: unknown): string | undefined {
  const text = shape(value);
  const whole = /^\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}$/.exec(text);
  if (whole) {
    const [, id, attr] = whole;
    const type = resourceType(t, id!);
    if (attr === 'Alias' || type === 'AWS::Lambda::Alias' || type === 'AWS::Lambda::Version') return undefined;
    if (type === 'AWS::Serverless::Function' || type === 'AWS::Lambda::Function') {
      return `${text} is ${attr ? `the function's ${attr}` : "the function's name"}, unqualified`;
    }
    return undefined; // a parameter or something the template does not show
  }
  // Unknown parts stand for a name-like value; what is written around them decides.
  return durableTargetProblem(text.replace(/\$\{[^}]*\}/g, 'x'));
}

/** The durable functions that serve hooks, with the starter (or deployment) that points at them. */
function durableHooks(t: Template): { fn: FunctionInfo; via: string }[] {
  const byId = new Map(functions(t).map((fn) => [fn.id, fn]));
  const out = new Map<string, { fn: FunctionInfo; via: string }>();
  for (const starter of byId.values()) {
    const target = envOf(starter)[DURABLE_TARGET_ENV];
    const match = /^\$\{([A-Za-z0-9]+)/.exec(shape(target));
    const fn = match ? byId.get(match[1]!) : undefined;
    if (fn && durableConfigOf(fn)) out.set(fn.id, { fn, via: `${starter.id}'s ${DURABLE_TARGET_ENV}` });
  }
  for (const d of deployments(t)) {
    for (const hook of d.hooks) {
      const fn = hook.functionId ? byId.get(hook.functionId) : undefined;
      if (fn && durableConfigOf(fn) && !out.has(fn.id)) out.set(fn.id, { fn, via: `${d.functionId}'s ${hook.event} hook` });
    }
  }
  return [...out.values()];
}

const durableTargetUnqualified: Rule = {
  id: 'CDH030',
  title: 'Durable hook started by an unqualified name or ARN',
  check(t) {
    const out: Finding[] = [];
    for (const fn of functions(t)) {
      const target = envOf(fn)[DURABLE_TARGET_ENV];
      if (target === undefined) continue;
      const problem = targetProblem(t, target);
      if (problem) {
        out.push({
          rule: 'CDH030', severity: 'error', resource: fn.id, line: t.lineOf([...fn.pathOf('Environment'), 'Variables', DURABLE_TARGET_ENV]),
          message: `${fn.id} starts its durable hook through ${DURABLE_TARGET_ENV}, but ${problem}: Lambda refuses to start a durable execution without a version or alias, and the starter then reports Failed`,
          fix: 'point it at the alias: !Ref <DurableFunction>.Alias (with AutoPublishAlias), or append :<alias> to the ARN',
        });
      }
    }
    for (const d of deployments(t)) {
      for (const hook of d.hooks) {
        const fn = functions(t).find((f) => f.id === hook.functionId);
        if (!fn || !durableConfigOf(fn)) continue;
        out.push({
          rule: 'CDH030', severity: 'error', resource: fn.id, line: t.lineOf(hook.path),
          message: `${fn.id} has DurableConfig and is ${d.functionId}'s ${hook.event} hook: CodeDeploy invokes hooks by function name, which a durable function refuses (whether CodeDeploy accepts a qualified name there is unconfirmed)`,
          fix: 'make the hook a plain function that starts the durable one on its alias (startDurableHook from codedeploy-hooks/durable)',
        });
      }
    }
    return out;
  },
};

const executionLongerThanHour: Rule = {
  id: 'CDH031',
  title: "Durable hook's ExecutionTimeout exceeds CodeDeploy's hour",
  check(t) {
    const out: Finding[] = [];
    for (const { fn, via } of durableHooks(t)) {
      const timeout = numberOf(t, durableConfigOf(fn)!.ExecutionTimeout);
      if (timeout === undefined || timeout <= HOUR_S) continue;
      out.push({
        rule: 'CDH031', severity: 'warning', resource: fn.id, line: t.lineOf([...fn.pathOf('DurableConfig'), 'ExecutionTimeout']),
        message: `${fn.id} (started by ${via}) may run ${timeout} s, but CodeDeploy waits ${HOUR_S} s for the hook's status: an execution still running after the hour can only report too late, and it keeps its checkpoints and waits billed`,
        fix: `set DurableConfig.ExecutionTimeout to ${HOUR_S} or less`,
      });
    }
    return out;
  },
};

const bakeLongerThanExecution: Rule = {
  id: 'CDH032',
  title: 'Bake longer than the durable execution may run',
  check(t) {
    const out: Finding[] = [];
    for (const { fn } of durableHooks(t)) {
      const timeout = numberOf(t, durableConfigOf(fn)!.ExecutionTimeout);
      if (timeout === undefined) continue;
      for (const [name, unit] of BAKE_VARIABLES) {
        const bake = numberOf(t, envOf(fn)[name]);
        if (bake === undefined) continue;
        const needs = bake * unit + RESERVE_S;
        if (needs <= Math.min(timeout, HOUR_S)) continue;
        out.push({
          rule: 'CDH032', severity: 'error', resource: fn.id, line: t.lineOf([...fn.pathOf('Environment'), 'Variables', name]),
          message: `${fn.id} bakes ${Math.round(bake * unit)} s (${name}) and keeps ${RESERVE_S} s for starting and reporting, ${Math.round(needs)} s in all, but may run ${Math.min(timeout, HOUR_S)} s (${timeout > HOUR_S ? "CodeDeploy's hour" : 'DurableConfig.ExecutionTimeout'}): the hook refuses such a bake when it loads, or the execution ends before it reports`,
          fix: `shorten ${name} to at most ${Math.floor((Math.min(timeout, HOUR_S) - RESERVE_S) / unit)}, or raise ExecutionTimeout (at most ${HOUR_S})`,
        });
      }
    }
    return out;
  },
};

export const DURABLE_RULES: readonly Rule[] = [durableTargetUnqualified, executionLongerThanHour, bakeLongerThanExecution];
