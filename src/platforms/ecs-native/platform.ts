/**
 * ECS native as a platform: the `{executionId, lifecycleStage, resourceArn,
 * executionDetails, hookDetails}` event, the context from the ECS API, and
 * the verdict delivered as a returned `{hookStatus}` — with a bake, one
 * measurement per invocation and IN_PROGRESS + callBackDelay + the bake
 * state in hookDetails until the bake is decided.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { reasonsOf, recordMeasurement, worstState } from '../../engine/bake-state.js';
import type { BakePlan, BakeState } from '../../engine/bake-state.js';
import type { Decision } from '../../engine/verdict.js';
import { MAX_VERDICT_REASON_CHARS } from '../../engine/verdict.js';
import { clip } from '../../util/show.js';
import { verdictRecord, writeLine } from '../../verdict-log.js';
import type { LogSink } from '../../verdict-log.js';
import type { CheckState, HookVerdict } from '../../types.js';
import type { Platform, PlatformFactory } from '../platform.js';
import { bakeScopeOf, withCarriedBake } from './bake-scope.js';
import { BAKE_STATE_FIELD, BAKE_STATE_KEY, KIND, parseEcsNativeEvent } from './event.js';
import { resolveEcsNativeContext } from './resolve.js';
import type { EcsNativeHookContext, EcsNativeHookEvent, EcsNativeHookResponse } from './types.js';

/**
 * Largest bake state returned in hookDetails, in bytes of JSON. ECS documents
 * no size limit for hookDetails (unconfirmed); the state is about 300 bytes
 * by construction (counts, two times, one clipped reason), and a state larger
 * than this fails the hook rather than risk ECS dropping or cutting it.
 */
export const MAX_BAKE_STATE_BYTES = 4096;

/** What one delivery decided, before it is logged. */
interface Outcome {
  response: EcsNativeHookResponse;
  reason: string;
  bake?: BakeState;
}

export function ecsNativePlatform(plan: BakePlan | undefined): PlatformFactory<EcsNativeHookEvent, EcsNativeHookContext, EcsNativeHookResponse> {
  return (clients) => {
    // Retries are ours (bounded by the Lambda deadline), not the SDK's.
    const ecs = () => clients.get('ecs', () => new ECSClient({ maxAttempts: 1 }));
    const platform: Platform<EcsNativeHookEvent, EcsNativeHookContext, EcsNativeHookResponse> = {
      // A carried bake state is checked against this bake here, so a foreign one is set aside and an impossible one fails as a malformed event.
      parse: (raw) => withCarriedBake(parseEcsNativeEvent(raw), plan, Date.now(), BAKE_STATE_FIELD, KIND),
      async resolve(event, { deadline, signal }) {
        return { kind: 'running', context: await resolveEcsNativeContext(event, ecs(), { deadline, signal }) };
      },
      async deliver({ event, decision, context, settings, startedAt, sink }) {
        // Without settings (invalid configuration) nothing was measured: fail now rather than count it as a bake error.
        // A rollback is not baked either: its checks run once and decide, so the hook never holds a rollback back.
        const outcome = outcomeOf(settings && !context?.isRollback ? plan : undefined, event, decision, startedAt);
        logVerdict(sink, event, decision, outcome, context, settings?.metricsNamespace, startedAt);
        return outcome.response;
      },
    };
    return platform;
  };
}

/** SUCCEEDED only from a Succeeded decision (and, with a bake, a passed bake); FAILED on every other path. */
function outcomeOf(plan: BakePlan | undefined, event: EcsNativeHookEvent, decision: Decision, startedAt: number): Outcome {
  if (!plan || decision.bypass) {
    return { response: { hookStatus: decision.status === 'Succeeded' ? 'SUCCEEDED' : 'FAILED' }, reason: decision.reason };
  }
  const state = measurementState(decision);
  const why = reasonsOf(decision.checks, state) || decision.reason;
  const step = recordMeasurement(plan, event.bake, state, why, startedAt);
  if (step.kind === 'decided') {
    return { response: { hookStatus: step.state === 'passed' ? 'SUCCEEDED' : 'FAILED' }, reason: step.reason, bake: step.bake };
  }
  const hookDetails = stateDetails(event, plan, step.bake);
  const bytes = Buffer.byteLength(JSON.stringify(hookDetails));
  if (bytes > MAX_BAKE_STATE_BYTES) {
    return { response: { hookStatus: 'FAILED' }, reason: `the bake state is ${bytes} bytes, more than the ${MAX_BAKE_STATE_BYTES} kept in hookDetails`, bake: step.bake };
  }
  const n = step.bake.counts.total;
  const setAside = event.bakeSetAside ? ` (${event.bakeSetAside})` : '';
  return {
    response: { hookStatus: 'IN_PROGRESS', callBackDelay: Math.max(1, Math.ceil(step.waitMs / 1000)), hookDetails },
    reason: `bake continues: measurement ${n} ${state}${state === 'passed' ? '' : ` (${why})`}; next in ${Math.max(1, Math.ceil(step.waitMs / 1000))} s${setAside}`,
    bake: step.bake,
  };
}

/** One invocation's checks as a bake measurement: the worst enforced state; a Failed decision with nothing worse is an error. */
function measurementState(decision: Decision): CheckState {
  if (decision.status === 'Succeeded') return 'passed';
  const worst = worstState(decision.checks);
  return worst === 'passed' ? 'error' : worst;
}

/** The hookDetails returned with IN_PROGRESS: the state, named with the bake it measures. */
function stateDetails(event: EcsNativeHookEvent, plan: BakePlan, bake: BakeState): Record<string, unknown> {
  return { [BAKE_STATE_KEY]: { ...bake, scope: bakeScopeOf(event, plan) } };
}

/** An early or duplicate invocation of a bake whose next measurement is not due: nothing measured, the same state. */
export function notDueResponse(event: EcsNativeHookEvent, plan: BakePlan, bake: BakeState, now: number): EcsNativeHookResponse {
  return { hookStatus: 'IN_PROGRESS', callBackDelay: Math.max(1, Math.ceil((bake.nextAt - now) / 1000)), hookDetails: stateDetails(event, plan, bake) };
}

/** The verdict line, as for CodeDeploy (same fields, EMF metric), with the hookStatus and the bake. */
export function logVerdict(
  sink: LogSink,
  event: EcsNativeHookEvent,
  decision: Pick<Decision, 'status' | 'checks' | 'bypass'>,
  outcome: Outcome,
  ctx: EcsNativeHookContext | undefined,
  namespace: string | undefined,
  startedAt: number,
): void {
  const status = outcome.response.hookStatus === 'SUCCEEDED' ? 'Succeeded' : 'Failed';
  const verdict: HookVerdict = {
    status,
    deploymentId: event.resourceArn,
    lifecycleEvent: event.lifecycleStage as HookVerdict['lifecycleEvent'],
    platform: 'ECS',
    checks: decision.checks,
    durationMs: Date.now() - startedAt,
    // The response is the delivery: it is "reported" once returned.
    reported: true,
    reason: clip(outcome.reason, MAX_VERDICT_REASON_CHARS),
    ...(decision.bypass ? { bypass: decision.bypass } : {}),
  };
  const record = verdictRecord(verdict, ctx, undefined, namespace ?? 'CodeDeployHooks', event.executionId);
  const pending = outcome.response.hookStatus === 'IN_PROGRESS';
  writeLine(sink, {
    ...record,
    ...(pending ? { level: 'INFO', status: 'InProgress', Status: 'InProgress' } : {}),
    message: decision.bypass ? record.message : `ECS lifecycle hook verdict: ${outcome.response.hookStatus}`,
    deploymentController: 'ECS',
    executionId: event.executionId,
    hookStatus: outcome.response.hookStatus,
    ...(outcome.response.callBackDelay !== undefined ? { callBackDelay: outcome.response.callBackDelay } : {}),
    ...(outcome.bake ? { bake: outcome.bake } : {}),
    ...(ctx ? { rollbackEvidence: ctx.ecsNative.rollbackEvidence } : {}),
  });
}
