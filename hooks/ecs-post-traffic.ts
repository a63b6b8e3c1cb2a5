/**
 * ECS AfterAllowTraffic hook: after production traffic moved to the new task
 * set, bakes on the deployment group's alarms (with history), on the health of
 * the new target group (unhealthy hosts; target 5xx per minute only when a
 * limit is set, since an absolute count trips on any background error rate)
 * and on green compared with blue over the whole deployment (target 5xx rate,
 * p50 and p99 response time, a sequential test).
 *
 * Configuration (all optional, see "Ready hooks" in README.md):
 *   CODEDEPLOY_HOOKS_BAKE_DURATION_MS, _BAKE_INTERVAL_MS, _BAKE_INITIAL_DELAY_MS
 *   CODEDEPLOY_HOOKS_CHECK_ALARMS, _ALARM_NAMES, _INSUFFICIENT_DATA
 *   CODEDEPLOY_HOOKS_MAX_5XX_PER_MINUTE (default: no limit), _MAX_UNHEALTHY_HOSTS (default 0),
 *   CODEDEPLOY_HOOKS_CHECK_TARGET_GROUP (default true)
 *   CODEDEPLOY_HOOKS_COMPARE and _COMPARE_* (as the Lambda post-traffic hook; default enforce)
 */
import { defineHook } from '../src/index.js';
import { ecsPostTrafficChecks } from './checks/ecs-post-traffic.js';
import { readAlarms, readBake, readCompare, readTargetGroupGate, requireAnEcsGate, type AlarmConfig, type BakeConfig, type CompareConfig, type Env, type TargetGroupGateConfig } from './config.js';

export interface EcsPostTrafficConfig {
  bake: BakeConfig;
  alarms: AlarmConfig;
  targetGroup: TargetGroupGateConfig;
  compare: CompareConfig;
}

export function ecsPostTrafficConfig(env: Env): EcsPostTrafficConfig {
  const config: EcsPostTrafficConfig = {
    bake: readBake(env),
    alarms: readAlarms(env),
    targetGroup: readTargetGroupGate(env),
    compare: readCompare(env),
  };
  requireAnEcsGate(config);
  return config;
}

// The environment is checked when the module loads, so a bad value stops the function
// from initialising with an OptionsError naming the variable, and read again at each
// invocation, so a runner that sets variables around the call (the simulator) is honoured.
ecsPostTrafficConfig(process.env);

export const handler = defineHook({ checks: () => ecsPostTrafficChecks(ecsPostTrafficConfig(process.env)) });
