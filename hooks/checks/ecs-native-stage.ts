/** What the ECS-native ready hooks share: the stage guard, and the check that lets a rollback through. */
import type { EcsNativeHookContext } from '../../src/platforms/ecs-native/types.js';
import type { Check } from '../../src/types.js';

/**
 * Throws (the hook then fails closed with this reason) when the hook runs at
 * a stage it was not written for: a smoke test at PRE_SCALE_UP has no green
 * tasks to call, so it would fail for the wrong reason.
 */
export function requireStage(ctx: EcsNativeHookContext, allowed: readonly string[], hook: string): void {
  const stage = ctx.ecsNative.stage;
  if (!allowed.includes(stage)) {
    throw new Error(`${hook} runs at ${allowed.join(' or ')}, but ECS invoked it at ${stage}: fix LifecycleStages of this hook in the service's DeploymentConfiguration.LifecycleHooks`);
  }
}

/**
 * On a rollback ECS re-invokes the traffic-shift hooks with the traffic going
 * back to blue. Green is what failed; gating its removal would only hold the
 * rollback back, so the ready hooks pass it, saying so.
 */
export function rollbackPassThrough(ctx: EcsNativeHookContext): Check {
  return {
    name: 'rollback in progress',
    async run() {
      return { state: 'passed', reason: `not gated: the deployment is rolling back (${ctx.ecsNative.rollbackEvidence}); a ready hook never holds a rollback back` };
    },
  };
}
