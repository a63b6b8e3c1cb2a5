/**
 * Which bake a state in hookDetails measures, and whether it can be this one.
 *
 * ECS merges the hookDetails a hook returns into its next invocations within
 * one service deployment, across stages and canary/linear steps: a hook
 * registered at PRODUCTION_TRAFFIC_SHIFT and POST_PRODUCTION_TRAFFIC_SHIFT
 * gets the state of the earlier bake at the later one. So each state names
 * its bake (the scope: service deployment, stage, step, plan):
 *
 * - a well-formed state of another bake (another scope) is legitimate
 *   carry-over: it is set aside and this bake starts afresh (which can only
 *   add measurements, never skip one);
 * - a state of this very bake that this version could not have written
 *   (no scope, counts at or past the plan or over a limit, times that do not
 *   fit the plan or the clock) is a HookEventError: the hook FAILS.
 */
import { createHash } from 'node:crypto';
import { HookEventError } from '../../errors.js';
import { plannedMeasurements } from '../../engine/bake-state.js';
import type { BakePlan, BakeState } from '../../engine/bake-state.js';
import { MAX_STAGE_MS } from './options.js';
import type { EcsNativeHookEvent } from './types.js';

/** What a bake state measures. Hashes keep the state small whatever the ARNs' length. */
export interface EcsBakeScope {
  /** SHA-256 (16 hex) of the service deployment ARN. */
  deployment: string;
  /** The lifecycle stage. */
  stage: string;
  /** SHA-256 (16 hex) of both weight maps: one canary/linear step of a traffic shift. */
  step: string;
  /** The bake plan: interval, duration, count and limits. */
  plan: string;
}

/** The scope's parts, in the order a mismatch is told. */
const PARTS = ['deployment', 'stage', 'step', 'plan'] as const;
const MAX_PART_CHARS = 200;

/**
 * How far another invocation's clock may be ahead of this one's. Lambda
 * execution environments are synchronised to Amazon's time service; 5 s is
 * a wide margin (the skew between them is not documented — unconfirmed).
 */
export const MAX_CLOCK_SKEW_MS = 5_000;

const hash16 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

/** The same weights in any key order give the same step. */
function weightsKey(weights: Record<string, number>): string {
  return JSON.stringify(Object.entries(weights).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function planKey(plan: BakePlan): string {
  return `interval ${plan.intervalMs} duration ${plan.durationMs ?? '-'} count ${plan.count ?? '-'} limits ${plan.failureLimit}/${plan.consecutiveErrorLimit}/${plan.inconclusiveLimit}`;
}

/** The scope of the bake this event measures. */
export function bakeScopeOf(event: EcsNativeHookEvent, plan: BakePlan): EcsBakeScope {
  const { productionTrafficWeights, testTrafficWeights } = event.executionDetails;
  return {
    deployment: hash16(event.resourceArn),
    stage: event.lifecycleStage,
    step: hash16(`production ${weightsKey(productionTrafficWeights)} test ${weightsKey(testTrafficWeights)}`),
    plan: planKey(plan),
  };
}

/** A scope read back from hookDetails: undefined when absent (the plan check then rejects it), a HookEventError when malformed. */
export function parseBakeScope(value: unknown, field: string, kind: string): EcsBakeScope | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HookEventError(field, 'must be an object {deployment, stage, step, plan}', kind);
  const record = value as Record<string, unknown>;
  const scope = {} as EcsBakeScope;
  for (const part of PARTS) {
    const v = record[part];
    if (typeof v !== 'string' || v === '' || v.length > MAX_PART_CHARS) {
      throw new HookEventError(`${field}.${part}`, `must be a string of 1 to ${MAX_PART_CHARS} characters`, kind);
    }
    scope[part] = v;
  }
  return scope;
}

/**
 * The event with the bake it carries checked against this bake: kept when
 * it is this bake's, set aside (bakeSetAside says why) when it is another's,
 * a HookEventError naming the field when it cannot be this bake's state.
 * Without a plan the state is not used, so nothing is checked.
 */
export function withCarriedBake(event: EcsNativeHookEvent, plan: BakePlan | undefined, now: number, field: string, kind: string): EcsNativeHookEvent {
  const { bake, bakeScope, ...rest } = event;
  if (!plan || !bake) return event;
  if (!bakeScope) {
    throw new HookEventError(`${field}.scope`, 'is missing: a bake state names the bake it measures (deployment, stage, step, plan); this one was not written by this version', kind);
  }
  const current = bakeScopeOf(event, plan);
  const other = PARTS.find((p) => bakeScope[p] !== current[p]);
  if (other) {
    const what = other === 'stage' ? `stage ${bakeScope.stage}` : other === 'plan' ? `plan (${bakeScope.plan})` : other === 'step' ? 'traffic step (other weights)' : 'service deployment';
    return { ...rest, bakeSetAside: `the bake state in hookDetails is of another ${what}; this bake starts afresh` };
  }
  checkPossible(bake, plan, now, field, kind);
  return event;
}

/** A state of this very bake that its own measurements could not have left. */
function checkPossible(s: BakeState, plan: BakePlan, now: number, field: string, kind: string): void {
  const fail = (at: string, message: string): never => {
    throw new HookEventError(`${field}.${at}`, `${message} (not a state this bake could have left)`, kind);
  };
  const planned = plannedMeasurements(plan);
  const { counts } = s;
  if (counts.total < 1) fail('counts.total', 'is 0, but a state is returned only after a measurement');
  if (counts.total >= planned) fail('counts.total', `is ${counts.total}, but the plan takes ${planned} measurement(s): a bake at its end is decided, not carried on`);
  if (plan.failureLimit >= 0 && counts.failed > plan.failureLimit) fail('counts.failed', `is ${counts.failed}, over failureLimit ${plan.failureLimit}`);
  if (plan.inconclusiveLimit >= 0 && counts.inconclusive > plan.inconclusiveLimit) fail('counts.inconclusive', `is ${counts.inconclusive}, over inconclusiveLimit ${plan.inconclusiveLimit}`);
  if (plan.consecutiveErrorLimit >= 0 && s.consecutiveErrors > plan.consecutiveErrorLimit) {
    fail('consecutiveErrors', `is ${s.consecutiveErrors}, over consecutiveErrorLimit ${plan.consecutiveErrorLimit}`);
  }
  if (s.firstAt > now + MAX_CLOCK_SKEW_MS) fail('firstAt', `is ${s.firstAt - now} ms in the future`);
  if (s.lastAt > now + MAX_CLOCK_SKEW_MS) fail('lastAt', `is ${s.lastAt - now} ms in the future`);
  if (s.firstAt < now - MAX_STAGE_MS - MAX_CLOCK_SKEW_MS) fail('firstAt', 'is more than 24 h ago, longer than an ECS stage or step lasts');
  if (s.lastAt < s.firstAt) fail('lastAt', 'is before firstAt');
  if (s.nextAt !== s.lastAt + plan.intervalMs) fail('nextAt', `must be lastAt + intervalMs (${plan.intervalMs}), got lastAt + ${s.nextAt - s.lastAt}`);
  // Each measurement waits for nextAt: n measurements span at least n - 1 intervals.
  if ((counts.total - 1) * plan.intervalMs > s.lastAt - s.firstAt + MAX_CLOCK_SKEW_MS) {
    fail('counts.total', `is ${counts.total}, more measurements than fit between firstAt and lastAt at one every ${plan.intervalMs} ms`);
  }
  if (plan.durationMs !== undefined && s.nextAt > s.firstAt + plan.durationMs) fail('nextAt', `is past the bake's end (firstAt + durationMs ${plan.durationMs}): that bake was decided`);
}
