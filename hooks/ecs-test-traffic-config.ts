/**
 * The configuration of hooks/ecs-test-traffic.ts, read from the environment;
 * shared with hooks/ecs-native-test-traffic.ts, which must not import the
 * CodeDeploy hook (and its client) to get it.
 */
import { DEFAULT_SMOKE, readAlarms, readBool, readInt, readList, readNumber, readRequests, readString, readUrl, type AlarmConfig, type Env, type SmokeRequest } from './config.js';

export interface EcsTestTrafficConfig {
  requests: SmokeRequest[];
  baseUrl?: string;
  hostHeader?: string;
  waitHealthyMs: number;
  requestTimeoutMs: number;
  compare: boolean;
  compareIgnoreFields: string[];
  load?: { requests: number; concurrency: number; minSuccessRatio: number; maxP95Ms?: number };
  alarms: AlarmConfig;
}

export function ecsTestTrafficConfig(env: Env): EcsTestTrafficConfig {
  const loadRequests = readInt(env, 'HTTP_LOAD_REQUESTS', 50, { max: 10_000 });
  const maxP95 = readInt(env, 'HTTP_LOAD_MAX_P95_MS', 0);
  const baseUrl = readUrl(env, 'HTTP_BASE_URL');
  const hostHeader = readString(env, 'HTTP_HOST_HEADER');
  return {
    requests: readRequests(env, 'HTTP_REQUESTS', DEFAULT_SMOKE),
    ...(baseUrl ? { baseUrl } : {}),
    ...(hostHeader ? { hostHeader } : {}),
    waitHealthyMs: readInt(env, 'HTTP_WAIT_HEALTHY_MS', 60_000, { max: 840_000 }),
    requestTimeoutMs: readInt(env, 'HTTP_TIMEOUT_MS', 5000, { min: 100, max: 120_000 }),
    compare: readBool(env, 'HTTP_COMPARE', false),
    compareIgnoreFields: readList(env, 'HTTP_COMPARE_IGNORE_FIELDS'),
    ...(loadRequests > 0
      ? {
          load: {
            requests: loadRequests,
            concurrency: readInt(env, 'HTTP_LOAD_CONCURRENCY', 10, { min: 1, max: 256 }),
            minSuccessRatio: readNumber(env, 'HTTP_LOAD_MIN_SUCCESS', 0.8, { min: 0, max: 1 }),
            ...(maxP95 > 0 ? { maxP95Ms: maxP95 } : {}),
          },
        }
      : {}),
    alarms: readAlarms(env),
  };
}
