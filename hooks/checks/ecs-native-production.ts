/** The checks of one measurement of hooks/ecs-native-production-bake.ts, built from its configuration. */
import { alarms } from '../../src/checks/alarms.js';
import { compareVersions, targetGroupDimension } from '../../src/checks/compare-versions.js';
import type { EcsNativeHookContext } from '../../src/platforms/ecs-native/types.js';
import type { Check, CheckSpec } from '../../src/types.js';
import type { EcsNativeProductionConfig } from '../ecs-native-production-bake.js';
import { requireStage, rollbackPassThrough } from './ecs-native-stage.js';
import { targetGroupHealth } from './target-group-health.js';

/** The stages this hook is written for: each step of a linear or canary shift, and after the last. */
export const PRODUCTION_STAGES = ['PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] as const;

/** "arn:…:listener-rule/app/<lb>/<id>/…" -> the ALB's CloudWatch dimension "app/<lb>/<id>". */
function loadBalancerOfRule(rule: string | undefined): string | undefined {
  return rule ? /:listener-rule\/(app\/[^/]+\/[^/]+)\//.exec(rule)?.[1] : undefined;
}

export function ecsNativeProductionChecks(ctx: EcsNativeHookContext, config: EcsNativeProductionConfig): CheckSpec[] {
  if (ctx.isRollback) return [rollbackPassThrough(ctx)];
  requireStage(ctx, PRODUCTION_STAGES, 'the ECS-native production bake hook');
  const native = ctx.ecsNative;
  const checks: Check[] = [];
  if (config.alarms.enabled) {
    checks.push(
      alarms({
        name: 'service deployment alarms',
        fromDeploymentGroup: true,
        ...(config.alarms.names.length > 0 ? { names: config.alarms.names } : {}),
        insufficientData: config.alarms.insufficientData,
        // History since the previous measurement (the first: since this invocation began), so an
        // alarm that fired and recovered between two invocations still fails the bake.
        history: true,
        ...(native.bake ? { since: native.bake.lastAt } : {}),
      }),
    );
  }
  if (config.targetGroup.enabled) {
    checks.push(targetGroupHealth({ ...config.targetGroup, lookbackMs: Math.max(120_000, config.bake.intervalMs * 2) }));
  }
  // Old vs new by target group, while both serve production traffic: at the steps of a linear or
  // canary shift. After the last step blue serves nothing, so there is nothing to compare.
  if (config.compare.mode !== 'disabled' && native.stage === 'PRODUCTION_TRAFFIC_SHIFT') {
    const blue = native.sourceRevisions[0]?.targetGroupArns[0];
    const green = native.targetRevision.targetGroupArns[0];
    const lb = loadBalancerOfRule(native.productionListenerRules[0]);
    const c = config.compare;
    checks.push(
      compareVersions({
        name: 'green vs blue target group',
        confidence: c.confidence,
        minSamples: { requests: c.minRequests, periods: c.minPeriods },
        insufficientSample: c.insufficientSample,
        errorRateTolerance: c.errorRateTolerance,
        latencyTolerance: c.latencyTolerance,
        latencyMinDeltaMs: c.latencyMinDeltaMs,
        // Over the look-back, not since: 'deployment' (that reads CodeDeploy's GetDeployment).
        lookbackMs: Math.min(c.lookbackMs, 600_000),
        enforce: c.mode === 'enforce',
        ...(blue && green ? { targetGroups: { baseline: targetGroupDimension(blue), canary: targetGroupDimension(green) } } : {}),
        ...(lb ? { loadBalancer: lb } : {}),
      }),
    );
  }
  return checks;
}
