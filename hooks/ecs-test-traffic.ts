/**
 * ECS AfterAllowTestTraffic hook: runs an HTTP smoke suite through the test
 * listener (which CodeDeploy has pointed at the replacement task set), waiting
 * for the new tasks to become healthy first, then judging them on the next
 * HTTP_LOAD_REQUESTS requests (a success ratio: waiting ends at the first
 * success, which a flaky task set gets sooner or later). Run at any other
 * lifecycle event, the test listener may still serve blue: without an explicit
 * HTTP_BASE_URL the hook then fails instead of testing the old tasks. Optionally, once the suite passed,
 * sends the same requests to the production and the test listener and compares
 * the answers (blue vs green).
 *
 * Configuration (all optional, see "Ready hooks" in README.md):
 *   CODEDEPLOY_HOOKS_HTTP_REQUESTS        JSON list, default [{"path":"/health","expectStatus":200}]
 *   CODEDEPLOY_HOOKS_HTTP_BASE_URL        call this instead of the test listener
 *   CODEDEPLOY_HOOKS_HTTP_HOST_HEADER     Host header to send (virtual hosts before DNS moves)
 *   CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS, _HTTP_TIMEOUT_MS
 *   CODEDEPLOY_HOOKS_HTTP_COMPARE, _HTTP_COMPARE_IGNORE_FIELDS
 *   CODEDEPLOY_HOOKS_HTTP_LOAD_REQUESTS (default 50; 0 = none), _HTTP_LOAD_CONCURRENCY, _HTTP_LOAD_MIN_SUCCESS (default 0.8), _HTTP_LOAD_MAX_P95_MS
 *   CODEDEPLOY_HOOKS_CHECK_ALARMS, _ALARM_NAMES, _INSUFFICIENT_DATA
 */
import { defineHook } from '../src/index.js';
import { ecsTestTrafficConfig } from './ecs-test-traffic-config.js';

export { ecsTestTrafficConfig } from './ecs-test-traffic-config.js';
export type { EcsTestTrafficConfig } from './ecs-test-traffic-config.js';

// The environment is checked when the module loads (OptionsError naming the variable)
// and read again at each invocation. The checks are imported on first use: in the esbuild
// bundle undici (~520 KiB) is then evaluated at the first invocation, not at cold-start import.
ecsTestTrafficConfig(process.env);

export const handler = defineHook({
  checks: async (hook) => (await import('./checks/ecs-test-traffic.js')).ecsTestTrafficChecks(ecsTestTrafficConfig(process.env), hook.lifecycleEvent),
});
