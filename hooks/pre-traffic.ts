/**
 * Lambda BeforeAllowTraffic hook: invokes the version being deployed with the
 * configured requests (API Gateway-style events by default) and fails when an
 * alarm of the deployment group is already firing, before any traffic moves.
 *
 * Configuration (all optional, see docs/hooks.md):
 *   CODEDEPLOY_HOOKS_PAYLOADS          JSON list of requests, default [{"path":"/health","expectStatus":200}]
 *   CODEDEPLOY_HOOKS_EVENT_FORMAT      apigateway-rest | apigateway-http | function-url | alb | raw
 *   CODEDEPLOY_HOOKS_INVOKE_ATTEMPTS   attempts per invoke check (cold starts), default 3
 *   CODEDEPLOY_HOOKS_INVOKE_TIMEOUT_MS per-attempt time limit, default 15000
 *   CODEDEPLOY_HOOKS_CHECK_ALARMS, _ALARM_NAMES, _INSUFFICIENT_DATA
 */
import type { CheckSpec } from '../src/types.js';
import { defineHook } from '../src/index.js';
import { alarms, albEvent, apiGatewayHttpEvent, apiGatewayRestEvent, functionUrlEvent, invokeTarget } from '../src/checks/index.js';
import { DEFAULT_SMOKE, EVENT_FORMATS, readAlarms, readChoice, readInt, readRequests, type AlarmConfig, type Env, type EventFormat, type SmokeRequest } from './config.js';

export interface PreTrafficConfig {
  requests: SmokeRequest[];
  eventFormat: EventFormat;
  invokeAttempts: number;
  invokeTimeoutMs: number;
  alarms: AlarmConfig;
}

/** Reads the hook's environment; throws OptionsError naming the variable at fault. */
export function preTrafficConfig(env: Env): PreTrafficConfig {
  return {
    requests: readRequests(env, 'PAYLOADS', DEFAULT_SMOKE),
    eventFormat: readChoice(env, 'EVENT_FORMAT', EVENT_FORMATS, 'apigateway-rest'),
    invokeAttempts: readInt(env, 'INVOKE_ATTEMPTS', 3, { min: 1, max: 10 }),
    invokeTimeoutMs: readInt(env, 'INVOKE_TIMEOUT_MS', 15_000, { min: 100, max: 900_000 }),
    alarms: readAlarms(env),
  };
}

/** The request as the target function receives it, in the configured event format. */
export function toPayload(r: SmokeRequest, format: EventFormat): Record<string, unknown> {
  if (format === 'raw') {
    return { method: r.method, path: r.path, ...(r.headers ? { headers: r.headers } : {}), ...(r.query ? { query: r.query } : {}), ...(r.body !== undefined ? { body: r.body } : {}) };
  }
  const req = { method: r.method, path: r.path, headers: r.headers, query: r.query, body: r.body };
  const build = { 'apigateway-rest': apiGatewayRestEvent, 'apigateway-http': apiGatewayHttpEvent, 'function-url': functionUrlEvent, alb: albEvent }[format];
  return build(req) as Record<string, unknown>;
}

/** One invoke check per request (each named after it), then the alarm gate. */
export function preTrafficChecks(config: PreTrafficConfig): CheckSpec[] {
  const checks: CheckSpec[] = config.requests.map((r) =>
    invokeTarget({
      name: `invoke ${r.method} ${r.path}`,
      payload: toPayload(r, config.eventFormat),
      expect: { statusCode: r.expectStatus, ...(r.bodyContains !== undefined ? { bodyContains: r.bodyContains } : {}) },
      timeoutMs: config.invokeTimeoutMs,
      retry: { attempts: config.invokeAttempts, delayMs: 1000 },
    }),
  );
  if (config.alarms.enabled) {
    checks.push(
      alarms({
        name: 'deployment-group alarms not firing',
        fromDeploymentGroup: true,
        ...(config.alarms.names.length > 0 ? { names: config.alarms.names } : {}),
        insufficientData: config.alarms.insufficientData,
      }),
    );
  }
  return checks;
}

export const handler = defineHook({ checks: preTrafficChecks(preTrafficConfig(process.env)) });
