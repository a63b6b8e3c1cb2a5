/** The checks of hooks/ecs-test-traffic.ts, built from its configuration. */
import type { CheckSpec } from '../../src/types.js';
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

export function ecsTestTrafficChecks(config: EcsTestTrafficConfig): CheckSpec[] {
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
  const checks: CheckSpec[] = [
    // The comparison comes after the smoke suite, which waits for the green tasks to become
    // healthy: compared any earlier, green tasks still starting would "differ" from blue.
    config.compare ? { name: 'smoke suite, then blue/green comparison', sequence: [smoke, blueGreenComparison(config)] } : smoke,
  ];
  if (config.alarms.enabled) {
    checks.push(
      groupAlarms(config.alarms, 'deployment-group alarms not firing'),
    );
  }
  return checks;
}
