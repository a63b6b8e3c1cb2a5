/** The checks of hooks/pre-traffic.ts, built from its configuration. */
import type { CheckSpec } from '../../src/types.js';
// Check modules are imported one by one, not through src/checks/index.js: the barrel
// also pulls in undici (for http), which esbuild cannot drop, and doubles the bundle.
import { groupAlarms } from './group-alarms.js';
import { albEvent, apiGatewayHttpEvent, apiGatewayRestEvent, functionUrlEvent } from '../../src/checks/events.js';
import { invokeTarget } from '../../src/checks/invoke-target.js';
import type { EventFormat, SmokeRequest } from '../config.js';
import type { PreTrafficConfig } from '../pre-traffic.js';

/** The request as the target function receives it, in the configured event format. */
export function toPayload(r: SmokeRequest, format: EventFormat): Record<string, unknown> {
  if (format === 'raw') {
    return { method: r.method, path: r.path, ...(r.headers ? { headers: r.headers } : {}), ...(r.query ? { query: r.query } : {}), ...(r.body !== undefined ? { body: r.body } : {}) };
  }
  const req = { method: r.method, path: r.path, headers: r.headers, query: r.query, body: r.body };
  const build = { 'apigateway-rest': apiGatewayRestEvent, 'apigateway-http': apiGatewayHttpEvent, 'function-url': functionUrlEvent, alb: albEvent }[format];
  return build(req) as Record<string, unknown>;
}

/**
 * Per request: invoke until healthy (the retries ride out a cold start), then the follow-up
 * invocations that judge the version; then the alarm gate.
 */
export function preTrafficChecks(config: PreTrafficConfig): CheckSpec[] {
  const checks: CheckSpec[] = config.requests.map((r) => {
    const payload = toPayload(r, config.eventFormat);
    const expect = { statusCode: r.expectStatus, ...(r.bodyContains !== undefined ? { bodyContains: r.bodyContains } : {}) };
    const name = `invoke ${r.method} ${r.path}`;
    const healthy = invokeTarget({ name, payload, expect, timeoutMs: config.invokeTimeoutMs, retry: { attempts: config.invokeAttempts, delayMs: 1000 } });
    const { count, minSuccessRatio } = config.followUp;
    if (count === 0) return healthy;
    const followUp = invokeTarget({
      name: `${name} × ${count} after healthy`,
      payload,
      expect,
      burst: { count, concurrency: Math.min(count, 5), minSuccessRatio },
      timeoutMs: config.invokeTimeoutMs * Math.ceil(count / 5),
    });
    return { name, sequence: [healthy, followUp] };
  });
  if (config.alarms.enabled) {
    checks.push(
      groupAlarms(config.alarms, 'deployment-group alarms not firing'),
    );
  }
  return checks;
}
