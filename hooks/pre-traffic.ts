/**
 * Lambda BeforeAllowTraffic hook: invokes the version being deployed with the
 * configured requests (API Gateway-style events by default) and fails when an
 * alarm of the deployment group is already firing, before any traffic moves.
 * The retries of the first invocation only wait for the version to become
 * healthy (a cold start); the version is then judged on the follow-up
 * invocations, so a flaky version that answers one request in three cannot
 * pass on a lucky retry.
 *
 * Configuration (all optional, see "Ready hooks" in README.md):
 *   CODEDEPLOY_HOOKS_PAYLOADS          JSON list of requests, default [{"path":"/health","expectStatus":200}]
 *   CODEDEPLOY_HOOKS_EVENT_FORMAT      apigateway-rest | apigateway-http | function-url | alb | raw
 *   CODEDEPLOY_HOOKS_INVOKE_ATTEMPTS   attempts per invoke check (cold starts), default 3
 *   CODEDEPLOY_HOOKS_INVOKE_TIMEOUT_MS per-attempt time limit, default 15000
 *   CODEDEPLOY_HOOKS_SMOKE_FOLLOW_UP   invocations of each request after its first success, default 30 (0 = none)
 *   CODEDEPLOY_HOOKS_SMOKE_MIN_SUCCESS share of those that must succeed, default 0.8
 *   CODEDEPLOY_HOOKS_CHECK_ALARMS, _ALARM_NAMES, _INSUFFICIENT_DATA
 */
import { defineHook } from '../src/index.js';
import { preTrafficChecks } from './checks/pre-traffic.js';
import { DEFAULT_SMOKE, EVENT_FORMATS, readAlarms, readFollowUp, readChoice, readInt, readRequests, type AlarmConfig, type Env, type EventFormat, type SmokeRequest } from './config.js';

export interface PreTrafficConfig {
  requests: SmokeRequest[];
  eventFormat: EventFormat;
  invokeAttempts: number;
  invokeTimeoutMs: number;
  followUp: { count: number; minSuccessRatio: number };
  alarms: AlarmConfig;
}

/** Reads the hook's environment; throws OptionsError naming the variable at fault. */
export function preTrafficConfig(env: Env): PreTrafficConfig {
  return {
    requests: readRequests(env, 'PAYLOADS', DEFAULT_SMOKE),
    eventFormat: readChoice(env, 'EVENT_FORMAT', EVENT_FORMATS, 'apigateway-rest'),
    invokeAttempts: readInt(env, 'INVOKE_ATTEMPTS', 3, { min: 1, max: 10 }),
    invokeTimeoutMs: readInt(env, 'INVOKE_TIMEOUT_MS', 15_000, { min: 100, max: 900_000 }),
    followUp: readFollowUp(env, 30),
    alarms: readAlarms(env),
  };
}

// The environment is checked when the module loads, so a bad value stops the function
// from initialising with an OptionsError naming the variable, and read again at each
// invocation, so a runner that sets variables around the call (the simulator) is honoured.
preTrafficConfig(process.env);

export const handler = defineHook({ checks: () => preTrafficChecks(preTrafficConfig(process.env)) });
