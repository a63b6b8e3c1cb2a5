/**
 * Production traffic during a runHook call, as the simulator sends it during a
 * deployment: the scenario's requests per second to the alias (Lambda) or to
 * the production listener (ECS), with their CloudWatch metrics recorded.
 */
import { OptionsError } from '../errors.js';
import { listenerRequests } from '../simulator/engine/ecs-deployment.js';
import { aliasRequests } from '../simulator/engine/lambda-deployment.js';
import { TrafficGenerator } from '../simulator/engine/traffic-generator.js';
import type { Scenario } from '../simulator/scenario/types.js';
import type { TestEnvironment } from './index.js';

/** The longest the hook waits for its first second of traffic: a hanging version must not hang the test. */
const WARM_UP_LIMIT_MS = 10_000;

/** The requests per second to send: the option (validated), else the scenario's, else none. */
export function requestsPerSecondOf(scenario: Scenario, option: number | undefined): number {
  if (option === undefined) return scenario.traffic?.requestsPerSecond ?? 0;
  if (typeof option !== 'number' || !Number.isFinite(option) || option < 0) {
    throw new OptionsError('requestsPerSecond', `must be a number of requests per second, 0 or more, got ${String(option)}`);
  }
  return option;
}

export function startTraffic(env: TestEnvironment, requestsPerSecond: number): TrafficGenerator {
  const send = env.net ? listenerRequests(env.net, env.scenario) : aliasRequests(env.world, env.scenario);
  const traffic = new TrafficGenerator(requestsPerSecond, send);
  traffic.start();
  return traffic;
}

/**
 * Waits until one second's worth of requests has been answered (at most
 * WARM_UP_LIMIT_MS). A hook after AllowTraffic runs once traffic has reached the
 * new version, so its metric gates find data at their first look; counting
 * answered requests rather than waiting a fixed time keeps that true on a slow host.
 */
export async function warmUp(traffic: TrafficGenerator, requestsPerSecond: number): Promise<void> {
  const wanted = Math.ceil(requestsPerSecond);
  const giveUpAt = Date.now() + WARM_UP_LIMIT_MS;
  while (traffic.summary().total < wanted && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 20));
}
