/** The checks of hooks/ecs-test-traffic.ts, built from its configuration. */
import type { Check, CheckSpec } from '../../src/types.js';
import { groupAlarms } from './group-alarms.js';
import { http } from '../../src/checks/http.js';
import type { EcsTestTrafficConfig } from '../ecs-test-traffic.js';

/** One configured request as the http check takes it, shared by the suite and the comparison. */
function request(r: EcsTestTrafficConfig['requests'][number]) {
  return {
    name: `${r.method} ${r.path}`,
    path: r.path + (r.query ? `?${new URLSearchParams(r.query).toString()}` : ''),
    method: r.method,
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.body !== undefined ? { body: r.body } : {}),
  };
}

/** The same requests as the smoke suite (query, headers and body included) to both listeners. */
function blueGreenComparison(config: EcsTestTrafficConfig) {
  return http({
    name: 'blue/green answers match',
    // No listener: compare mode sends each request to both, production (blue) and test (green).
    ...(config.hostHeader ? { hostHeader: config.hostHeader } : {}),
    requests: config.requests.map(request),
    requestTimeoutMs: config.requestTimeoutMs,
    compare: { ignoreFields: config.compareIgnoreFields },
  });
}

/** Lifecycle events at which CodeDeploy's test listener routes to the replacement (green) task set. */
export const GREEN_ON_TEST_LISTENER = ['AfterAllowTestTraffic', 'BeforeAllowTraffic'];

/**
 * Fails when the hook runs where the test listener may still route to blue (BeforeInstall,
 * AfterInstall) or has moved on (AfterAllowTraffic): the suite would quietly test the old tasks.
 */
function runsAgainstGreen(lifecycleEvent: string): Check {
  return {
    name: 'test listener serves the new task set',
    async run() {
      if (GREEN_ON_TEST_LISTENER.includes(lifecycleEvent)) return { state: 'passed', reason: `${lifecycleEvent}: the test listener routes to the replacement task set` };
      return {
        state: 'failed',
        reason:
          `this hook runs at ${lifecycleEvent}, where the test listener does not route to the replacement task set, so the smoke suite would test the old one; ` +
          `configure it for AfterAllowTestTraffic in the AppSpec, or set CODEDEPLOY_HOOKS_HTTP_BASE_URL to an address of the new tasks`,
      };
    },
  };
}

export function ecsTestTrafficChecks(config: EcsTestTrafficConfig, lifecycleEvent = 'AfterAllowTestTraffic'): CheckSpec[] {
  const smoke = http({
    name: 'smoke suite through the test listener',
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : { listener: 'test' as const }),
    ...(config.hostHeader ? { hostHeader: config.hostHeader } : {}),
    requests: config.requests.map((r) => ({
      ...request(r),
      expect: { status: r.expectStatus, ...(r.bodyContains !== undefined ? { bodyContains: r.bodyContains } : {}) },
    })),
    waitUntilHealthyMs: config.waitHealthyMs,
    requestTimeoutMs: config.requestTimeoutMs,
    ...(config.load ? { load: config.load } : {}),
  });
  const suite: Check[] = [smoke];
  // The comparison comes after the smoke suite, which waits for the green tasks to become
  // healthy: compared any earlier, green tasks still starting would "differ" from blue.
  if (config.compare) suite.push(blueGreenComparison(config));
  // An explicit base URL targets the new tasks whatever the event; the test listener only at some.
  if (!config.baseUrl) suite.unshift(runsAgainstGreen(lifecycleEvent));
  const checks: CheckSpec[] = [suite.length > 1 ? { name: config.compare ? 'smoke suite, then blue/green comparison' : 'smoke suite on the new task set', sequence: suite } : smoke];
  if (config.alarms.enabled) {
    checks.push(
      groupAlarms(config.alarms, 'deployment-group alarms not firing'),
    );
  }
  return checks;
}
