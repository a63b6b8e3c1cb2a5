/**
 * Lambda AfterAllowTraffic hook: bakes on the deployment group's alarms (and
 * their history, so an alarm that fired and recovered between two looks still
 * fails the bake) and, at every measurement, on the new version compared with
 * the old one over the whole deployment (a sequential test: looking at each
 * measurement does not add false rollbacks).
 *
 * Configuration (all optional, see "Ready hooks" in README.md):
 *   CODEDEPLOY_HOOKS_BAKE_DURATION_MS, _BAKE_INTERVAL_MS, _BAKE_INITIAL_DELAY_MS
 *   CODEDEPLOY_HOOKS_CHECK_ALARMS, _ALARM_NAMES, _INSUFFICIENT_DATA
 *   CODEDEPLOY_HOOKS_COMPARE            enforce | observe | disabled (default enforce; off and false mean disabled)
 *   CODEDEPLOY_HOOKS_COMPARE_CONFIDENCE, _COMPARE_MIN_REQUESTS, _COMPARE_MIN_PERIODS, _COMPARE_INSUFFICIENT_SAMPLE,
 *   _COMPARE_ERROR_TOLERANCE, _COMPARE_LATENCY_TOLERANCE, _COMPARE_LATENCY_MIN_DELTA_MS, _COMPARE_LOOKBACK_MS, _COMPARE_5XX_METRIC
 */
import { defineHook } from '../src/index.js';
import { postTrafficChecks } from './checks/post-traffic.js';
import { OptionsError } from '../src/errors.js';
import { readAlarms, readBake, readCompare, type AlarmConfig, type BakeConfig, type CompareConfig, type Env } from './config.js';

export interface PostTrafficConfig {
  bake: BakeConfig;
  alarms: AlarmConfig;
  compare: CompareConfig;
}

export function postTrafficConfig(env: Env): PostTrafficConfig {
  const config: PostTrafficConfig = {
    bake: readBake(env),
    alarms: readAlarms(env),
    compare: readCompare(env),
  };
  // Without alarms, only an enforced comparison can fail the hook; anything else would always pass.
  if (!config.alarms.enabled && config.compare.mode !== 'enforce') {
    throw new OptionsError(
      'CODEDEPLOY_HOOKS_CHECK_ALARMS',
      `is false and CODEDEPLOY_HOOKS_COMPARE is ${config.compare.mode}: the post-traffic hook could never fail; set CODEDEPLOY_HOOKS_COMPARE=enforce or keep the alarms`,
    );
  }
  return config;
}

// The environment is checked when the module loads, so a bad value stops the function
// from initialising with an OptionsError naming the variable, and read again at each
// invocation, so a runner that sets variables around the call (the simulator) is honoured.
postTrafficConfig(process.env);

export const handler = defineHook({ checks: () => postTrafficChecks(postTrafficConfig(process.env)) });
