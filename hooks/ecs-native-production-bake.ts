/**
 * ECS-native production bake, at PRODUCTION_TRAFFIC_SHIFT (each step of a
 * linear or canary deployment) and POST_PRODUCTION_TRAFFIC_SHIFT: watches the
 * deployment's alarms (with history) and the green target group's ALB metrics,
 * and at the steps compares green with blue by target group. The bake spans
 * invocations: one measurement per invocation, IN_PROGRESS with callBackDelay
 * until the bake duration has passed or a measurement failed.
 *
 * Configuration (all optional, see "ECS-native hooks" in README.md):
 *   CODEDEPLOY_HOOKS_BAKE_DURATION_MS (default 600000, at most 24 h; 0 = one look), _BAKE_INTERVAL_MS (default 60000, whole seconds)
 *   CODEDEPLOY_HOOKS_CHECK_ALARMS, _ALARM_NAMES, _INSUFFICIENT_DATA
 *   CODEDEPLOY_HOOKS_CHECK_TARGET_GROUP (default true), _MAX_5XX_PER_MINUTE (default: no limit), _MAX_UNHEALTHY_HOSTS (default 0)
 *   CODEDEPLOY_HOOKS_COMPARE            enforce | observe | disabled (default enforce, as for the CodeDeploy hooks)
 *   CODEDEPLOY_HOOKS_COMPARE_CONFIDENCE, _COMPARE_MIN_REQUESTS, _COMPARE_INSUFFICIENT_SAMPLE, ... (as hooks/post-traffic.ts)
 */
import { defineEcsNativeHook } from '../src/ecs-native/index.js';
import type { EcsNativeHookHandler } from '../src/ecs-native/index.js';
import { describeError, OptionsError } from '../src/errors.js';
import { MAX_STAGE_MS } from '../src/platforms/ecs-native/options.js';
import { ecsNativeProductionChecks } from './checks/ecs-native-production.js';
import { readAlarms, readCompare, readInt, readTargetGroupGate, requireAnEcsGate, type AlarmConfig, type CompareConfig, type Env, type TargetGroupGateConfig } from './config.js';

export interface EcsNativeProductionConfig {
  bake: { durationMs: number; intervalMs: number };
  alarms: AlarmConfig;
  targetGroup: TargetGroupGateConfig;
  compare: CompareConfig;
}

export function ecsNativeProductionConfig(env: Env): EcsNativeProductionConfig {
  const intervalMs = readInt(env, 'BAKE_INTERVAL_MS', 60_000, { min: 1000, max: MAX_STAGE_MS });
  // callBackDelay is in whole seconds.
  if (intervalMs % 1000 !== 0) throw new OptionsError('CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS', `must be a whole number of seconds (ECS's callBackDelay is in seconds), got "${intervalMs}"`);
  const config: EcsNativeProductionConfig = {
    bake: { durationMs: readInt(env, 'BAKE_DURATION_MS', 600_000, { max: MAX_STAGE_MS }), intervalMs },
    alarms: readAlarms(env),
    targetGroup: readTargetGroupGate(env),
    // The same comparison settings as the CodeDeploy post-traffic hooks (enforced; a sample too small passes).
    compare: readCompare(env),
  };
  requireAnEcsGate(config);
  return config;
}

// Checked when the module loads (OptionsError naming the variable). The bake plan is part of
// the hook's definition, so the handler is defined per configuration: a runner that sets
// variables around each call (the simulator) gets the bake it configured.
ecsNativeProductionConfig(process.env);
const defined = new Map<string, EcsNativeHookHandler>();

function hookFor(config: EcsNativeProductionConfig): EcsNativeHookHandler {
  const key = JSON.stringify(config);
  let hook = defined.get(key);
  if (!hook) {
    const { durationMs, intervalMs } = config.bake;
    hook = defineEcsNativeHook({
      checks: (ctx) => ecsNativeProductionChecks(ctx, config),
      bake: { intervalMs, ...(durationMs === 0 ? { count: 1 } : { durationMs }) },
    });
    defined.set(key, hook);
  }
  return hook;
}

export const handler: EcsNativeHookHandler = async (event, context) => {
  let hook: EcsNativeHookHandler;
  try {
    hook = hookFor(ecsNativeProductionConfig(process.env));
  } catch (error) {
    // A variable changed to a bad value after load: fail closed, saying which.
    process.stdout.write(`${JSON.stringify({ level: 'ERROR', message: describeError(error).message, hookStatus: 'FAILED', timestamp: new Date().toISOString() })}\n`);
    return { hookStatus: 'FAILED' };
  }
  return hook(event, context);
};
