/**
 * How Amazon ECS runs one Lambda lifecycle hook at one stage: invoke it
 * synchronously with the stage's payload, read the returned `hookStatus`,
 * and while it says IN_PROGRESS invoke it again after `callBackDelay`
 * seconds (default 30) with the returned `hookDetails` merged into the
 * configured ones, until it resolves or the hook's timeout passes
 * (`timeoutConfiguration`, default 1440 minutes, then ROLLBACK or CONTINUE).
 * A value that is not a valid response, an error or a Lambda timeout fails
 * the stage, as ECS does ("If your function doesn't return a valid
 * hookStatus, or if it fails, Amazon ECS rolls back the deployment").
 * Source: /shared/research/next-anchors.md §1.4–1.5.
 */
import { randomUUID } from 'node:crypto';
import type { ScenarioHook } from '../scenario/types.js';
import type { HookInvocation } from './hook-runner.js';

/** ECS's wait between invocations when the hook returns IN_PROGRESS without a callBackDelay. */
export const DEFAULT_CALLBACK_DELAY_SECONDS = 30;
/** The shortest wait between invocations the simulator uses (see runNativeHook). */
export const MIN_CALLBACK_DELAY_SECONDS = 1;

export interface EcsNativeHookEvent {
  executionId: string;
  lifecycleStage: string;
  resourceArn: string;
  executionDetails: {
    serviceArn: string;
    targetServiceRevisionArn: string;
    testTrafficWeights: Record<string, number>;
    productionTrafficWeights: Record<string, number>;
  };
  hookDetails?: Record<string, unknown>;
}

export type NativeHookOutcome =
  | { status: 'SUCCEEDED'; invocations: number }
  | { status: 'FAILED'; invocations: number; why: string }
  | { status: 'TIMED_OUT'; invocations: number; action: 'ROLLBACK' | 'CONTINUE'; why: string };

type Response = { hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS'; callBackDelay?: number; hookDetails?: Record<string, unknown> };

/** The returned value as ECS reads it, or why it is not a valid response. */
export function readHookResponse(value: unknown): Response | { invalid: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { invalid: `returned ${describe(value)}, not an object with hookStatus` };
  const v = value as Record<string, unknown>;
  if (v.hookStatus !== 'SUCCEEDED' && v.hookStatus !== 'FAILED' && v.hookStatus !== 'IN_PROGRESS') {
    return { invalid: `returned hookStatus ${describe(v.hookStatus)}; expected SUCCEEDED, FAILED or IN_PROGRESS` };
  }
  const out: Response = { hookStatus: v.hookStatus };
  if (v.callBackDelay !== undefined) {
    if (typeof v.callBackDelay !== 'number' || !Number.isFinite(v.callBackDelay) || v.callBackDelay < 0) {
      return { invalid: `returned callBackDelay ${describe(v.callBackDelay)}; expected a number of seconds` };
    }
    out.callBackDelay = v.callBackDelay;
  }
  if (v.hookDetails !== undefined) {
    if (v.hookDetails === null || typeof v.hookDetails !== 'object' || Array.isArray(v.hookDetails)) {
      return { invalid: `returned hookDetails ${describe(v.hookDetails)}; expected an object` };
    }
    out.hookDetails = v.hookDetails as Record<string, unknown>;
  }
  return out;
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s === undefined ? typeof v : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export interface NativeHookRunner {
  /** Invokes the function once with this payload (the simulator's Lambda). */
  invoke(event: EcsNativeHookEvent): Promise<HookInvocation & { value?: unknown }>;
  /** Waits this many simulated seconds; rejects when the deployment is stopped. */
  sleep(seconds: number): Promise<void>;
  /** Simulated seconds since the deployment started. */
  now(): number;
  onInvocation?(n: number, inv: HookInvocation & { value?: unknown }, response: Response | { invalid: string } | undefined): void;
}

export async function runNativeHook(hook: ScenarioHook, payload: Omit<EcsNativeHookEvent, 'executionId' | 'hookDetails'>, runner: NativeHookRunner): Promise<NativeHookOutcome> {
  const settings = hook.native ?? { timeoutInMinutes: 1440, timeoutAction: 'ROLLBACK' as const };
  // ❓ whether ECS keeps executionId across IN_PROGRESS re-invocations; the simulator keeps it (one execution of the hook).
  const executionId = randomUUID();
  const deadline = runner.now() + settings.timeoutInMinutes * 60;
  let details: Record<string, unknown> | undefined = settings.hookDetails ? { ...settings.hookDetails } : undefined;
  for (let n = 1; ; n++) {
    const inv = await runner.invoke({ ...payload, executionId, ...(details ? { hookDetails: details } : {}) });
    if (inv.outcome !== 'returned') {
      runner.onInvocation?.(n, inv, undefined);
      return { status: 'FAILED', invocations: n, why: inv.outcome === 'threw' ? `the function failed: ${inv.error}` : `the function ${inv.error?.toLowerCase() ?? 'timed out'}` };
    }
    const response = readHookResponse(inv.value);
    runner.onInvocation?.(n, inv, response);
    if ('invalid' in response) return { status: 'FAILED', invocations: n, why: `the function ${response.invalid}` };
    if (response.hookStatus === 'SUCCEEDED') return { status: 'SUCCEEDED', invocations: n };
    if (response.hookStatus === 'FAILED') return { status: 'FAILED', invocations: n, why: 'the function returned hookStatus FAILED' };
    // "Returned hookDetails are merged with the configured ones and passed back on the next invocation."
    if (response.hookDetails) details = { ...(details ?? {}), ...response.hookDetails };
    // ECS documents no minimum; a delay of 0 is re-invoked after one simulated second, so that
    // simulated time moves and a hook answering IN_PROGRESS with 0 for ever still reaches its timeout.
    const delay = Math.max(MIN_CALLBACK_DELAY_SECONDS, response.callBackDelay ?? DEFAULT_CALLBACK_DELAY_SECONDS);
    if (runner.now() + delay >= deadline) {
      const left = Math.max(0, deadline - runner.now());
      if (left > 0) await runner.sleep(left);
      return {
        status: 'TIMED_OUT', invocations: n, action: settings.timeoutAction,
        why: `the hook was still IN_PROGRESS after ${settings.timeoutInMinutes} min (simulated; ${n} invocation${n === 1 ? '' : 's'}), its timeoutInMinutes`,
      };
    }
    await runner.sleep(delay);
  }
}
