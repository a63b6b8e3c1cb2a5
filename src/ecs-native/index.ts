/**
 * codedeploy-hooks/ecs-native: lifecycle hooks for Amazon ECS native
 * blue/green, linear and canary deployments (deployment controller `ECS`).
 * The same engine and checks as defineHook; the verdict is returned as
 * `{ hookStatus }` instead of reported to CodeDeploy.
 */
import { createRunner } from '../invocation-runner.js';
import type { Invocation } from '../invocation-runner.js';
import { isDue } from '../engine/bake-state.js';
import { writeLine } from '../verdict-log.js';
import { describeError, OptionsError } from '../errors.js';
import { bakePlanOf } from '../platforms/ecs-native/options.js';
import type { EcsNativeHookOptions } from '../platforms/ecs-native/options.js';
import { ecsNativePlatform, notDueResponse } from '../platforms/ecs-native/platform.js';
import type { EcsNativeHookEvent, EcsNativeHookResponse } from '../platforms/ecs-native/types.js';
import type { LambdaContextLike } from '../types.js';

export { parseEcsNativeEvent, weightsLookLikeRollback, BAKE_STATE_KEY } from '../platforms/ecs-native/event.js';
export { ECS_NATIVE_STAGES, ROLLBACK_STAGES } from '../platforms/ecs-native/types.js';
export { LIFECYCLE_EVENT_OF, listenerArnOf, targetGroupName } from '../platforms/ecs-native/resolve.js';
export { MAX_BAKE_STATE_BYTES } from '../platforms/ecs-native/platform.js';
export { MAX_STAGE_MS } from '../platforms/ecs-native/options.js';
export type * from '../platforms/ecs-native/types.js';
export type { EcsNativeBakeOptions, EcsNativeHookOptions } from '../platforms/ecs-native/options.js';
export type { BakeState } from '../engine/bake-state.js';

/** An ECS-native lifecycle hook as a Lambda handler. It never rejects: every failure is `{ hookStatus: 'FAILED' }`. */
export type EcsNativeHookHandler = (event: unknown, context?: LambdaContextLike) => Promise<EcsNativeHookResponse>;

/** A fresh object each time: the caller owns what it is given. */
const failed = (): EcsNativeHookResponse => ({ hookStatus: 'FAILED' });

/**
 * Defines an ECS-native lifecycle hook. The handler resolves the service
 * deployment from the ECS API, runs the checks within the Lambda time
 * budget (returning before Lambda ends, with the reserve) and returns
 * SUCCEEDED only when every enforced check passed. A malformed event, a bug,
 * the deadline: FAILED, logged with its reason — never a throw (ECS rolls
 * back on a thrown error too, but without a reason anyone can read).
 *
 * With `bake`, each invocation takes one measurement and returns IN_PROGRESS
 * with callBackDelay and the bake state in hookDetails until the bake is
 * decided; an invocation before the next measurement is due (a duplicate)
 * measures nothing and returns the same state.
 *
 * Options are validated here, when the module loads.
 *
 * @example
 * export const handler = defineEcsNativeHook({
 *   checks: [http({ listener: 'test', requests: [{ path: '/health', expect: { status: 200 } }] })],
 * });
 */
export function defineEcsNativeHook(options: EcsNativeHookOptions): EcsNativeHookHandler {
  if (typeof options !== 'object' || options === null) throw new OptionsError('options', 'must be an object with at least `checks`');
  const { bake, ...hook } = options;
  if (Object.hasOwn(hook, 'resolveRetry')) throw new OptionsError('resolveRetry', 'is a CodeDeploy option; an ECS-native hook reads its deployment once');
  const plan = bakePlanOf(bake);
  const runner = createRunner(ecsNativePlatform(plan), hook);
  return async (event, context) => {
    let invocation: Invocation<EcsNativeHookEvent, EcsNativeHookResponse>;
    try {
      // A malformed event is logged by begin() with the field at fault.
      invocation = runner.begin(event, context);
    } catch {
      return failed();
    }
    try {
      const state = invocation.event.bake;
      if (plan && state && !isDue(state, Date.now())) {
        invocation.release();
        const response = notDueResponse(invocation.event, plan, state, Date.now());
        writeLine(runner.sink, { level: 'INFO', message: `ECS lifecycle hook: bake measurement not due yet; IN_PROGRESS, next in ${response.callBackDelay} s`, executionId: invocation.event.executionId, lifecycleEvent: invocation.event.lifecycleStage, hookStatus: 'IN_PROGRESS', timestamp: new Date().toISOString() });
        return response;
      }
      return await runner.complete(invocation);
    } catch (error) {
      // complete() never rejects by design; this is the second wall.
      const { name, message } = describeError(error);
      writeLine(runner.sink, { level: 'ERROR', message: `ECS lifecycle hook failed closed: ${name}: ${message}`, hookStatus: 'FAILED', timestamp: new Date().toISOString() });
      return failed();
    }
  };
}
