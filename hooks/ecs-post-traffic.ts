/**
 * ECS AfterAllowTraffic hook: after production traffic moved to the new task
 * set, bakes on the deployment group's alarms (with history) and on the ALB
 * metrics of the new target group (target 5xx per minute, unhealthy hosts).
 *
 * Configuration (all optional, see "Ready hooks" in README.md):
 *   CODEDEPLOY_HOOKS_BAKE_DURATION_MS, _BAKE_INTERVAL_MS, _BAKE_INITIAL_DELAY_MS
 *   CODEDEPLOY_HOOKS_CHECK_ALARMS, _ALARM_NAMES, _INSUFFICIENT_DATA
 *   CODEDEPLOY_HOOKS_MAX_5XX_PER_MINUTE (default 5), _MAX_UNHEALTHY_HOSTS (default 0),
 *   CODEDEPLOY_HOOKS_CHECK_TARGET_GROUP (default true)
 */
import { defineHook } from '../src/index.js';
import { ecsPostTrafficChecks } from './checks/ecs-post-traffic.js';
import { OptionsError } from '../src/errors.js';
import { readAlarms, readBake, readBool, readInt, type AlarmConfig, type BakeConfig, type Env } from './config.js';

export interface EcsPostTrafficConfig {
  bake: BakeConfig;
  alarms: AlarmConfig;
  targetGroup: { enabled: boolean; max5xxPerMinute: number; maxUnhealthyHosts: number };
}

export function ecsPostTrafficConfig(env: Env): EcsPostTrafficConfig {
  const config: EcsPostTrafficConfig = {
    bake: readBake(env),
    alarms: readAlarms(env),
    targetGroup: {
      enabled: readBool(env, 'CHECK_TARGET_GROUP', true),
      max5xxPerMinute: readInt(env, 'MAX_5XX_PER_MINUTE', 5),
      maxUnhealthyHosts: readInt(env, 'MAX_UNHEALTHY_HOSTS', 0),
    },
  };
  if (!config.alarms.enabled && !config.targetGroup.enabled) {
    throw new OptionsError('CODEDEPLOY_HOOKS_CHECK_ALARMS', 'is false and CODEDEPLOY_HOOKS_CHECK_TARGET_GROUP is false: the hook would check nothing');
  }
  return config;
}

// The environment is checked when the module loads, so a bad value stops the function
// from initialising with an OptionsError naming the variable, and read again at each
// invocation, so a runner that sets variables around the call (the simulator) is honoured.
ecsPostTrafficConfig(process.env);

export const handler = defineHook({ checks: () => ecsPostTrafficChecks(ecsPostTrafficConfig(process.env)) });
