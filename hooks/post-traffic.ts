/**
 * Lambda AfterAllowTraffic hook: bakes on the deployment group's alarms (and
 * their history, so an alarm that fired and recovered between two looks still
 * fails the bake), then compares the new version with the old one.
 *
 * Configuration (all optional, see "Ready hooks" in README.md):
 *   CODEDEPLOY_HOOKS_BAKE_DURATION_MS, _BAKE_INTERVAL_MS, _BAKE_INITIAL_DELAY_MS
 *   CODEDEPLOY_HOOKS_CHECK_ALARMS, _ALARM_NAMES, _INSUFFICIENT_DATA
 *   CODEDEPLOY_HOOKS_COMPARE            enforce | observe | disabled (default observe; off and false mean disabled)
 *   CODEDEPLOY_HOOKS_COMPARE_CONFIDENCE, _COMPARE_MIN_REQUESTS, _COMPARE_LOOKBACK_MS
 */
import { defineHook } from '../src/index.js';
import { postTrafficChecks } from './checks/post-traffic.js';
import { OptionsError } from '../src/errors.js';
import { COMPARE_MODE_ALIASES, COMPARE_MODES, readAlarms, readBake, readChoice, readInt, readNumber, type AlarmConfig, type BakeConfig, type CompareMode, type Env } from './config.js';

export interface PostTrafficConfig {
  bake: BakeConfig;
  alarms: AlarmConfig;
  compare: { mode: CompareMode; confidence: number; minRequests: number; lookbackMs: number };
}

export function postTrafficConfig(env: Env): PostTrafficConfig {
  const config: PostTrafficConfig = {
    bake: readBake(env),
    alarms: readAlarms(env),
    compare: {
      mode: readChoice(env, 'COMPARE', COMPARE_MODES, 'observe', COMPARE_MODE_ALIASES),
      confidence: readNumber(env, 'COMPARE_CONFIDENCE', 0.95, { min: 0.5, max: 0.9999 }),
      minRequests: readInt(env, 'COMPARE_MIN_REQUESTS', 50, { min: 1 }),
      lookbackMs: readInt(env, 'COMPARE_LOOKBACK_MS', 600_000, { min: 60_000, max: 86_400_000 }),
    },
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
