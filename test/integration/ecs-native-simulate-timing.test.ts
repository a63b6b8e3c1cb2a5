/**
 * ECS-native hooks on the run's simulated clock: the Lambda timeout and
 * getRemainingTimeInMillis count simulated time, and an IN_PROGRESS answer
 * with callBackDelay 0 cannot stall simulated time (found by review).
 */
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';
import { callsOf, reset } from './fixtures/ecs-native/timing-hooks.js';

const HOOKS = fileURLToPath(new URL('./fixtures/ecs-native/timing-hooks.ts', import.meta.url));
const scenario = (hooks: string, deployment = '  strategy: BLUE_GREEN') =>
  parseScenario(`
name: review-native
platform: ECS-native
ecs: { cluster: shop, service: web }
deployment:
  timeScale: 600
${deployment}
hooks:
${hooks}
traffic: { requestsPerSecond: 5, path: /items }
`, { file: 'inline.yaml' });
const hook = (stage: string, exp: string, more = '') => `  ${stage}:\n    module: ${HOOKS}\n    export: ${exp}\n    functionName: h-${stage.toLowerCase()}\n    timeoutSeconds: 30\n${more}`;

beforeEach(() => reset());

describe('ECS-native simulator: a callBackDelay of 0', () => {
  it('a hook answering IN_PROGRESS with callBackDelay 0 times out at its timeoutInMinutes instead of spinning', async () => {
    const r = await simulate(scenario(hook('POST_TEST_TRAFFIC_SHIFT', 'spinZero', '    timeoutInMinutes: 1\n')));
    // ECS would time the hook out after 1 simulated minute; the simulator must not loop without moving its clock.
    expect({ status: r.status, errorCode: r.errorCode, simulatedAtLeastAMinute: r.simulatedSeconds >= 60 }).toEqual({ status: 'Failed', errorCode: 'TIMEOUT', simulatedAtLeastAMinute: true });
    expect(callsOf()).toBeLessThan(5000);
  }, 120_000);
});

describe('ECS-native simulator: the Lambda timeout of a hook', () => {
  it('a hook that never returns is ended at its timeoutSeconds of simulated time, as for CodeDeploy hooks', async () => {
    const r = await simulate(scenario(hook('POST_TEST_TRAFFIC_SHIFT', 'hang').replace('timeoutSeconds: 30', 'timeoutSeconds: 5')), { timeScale: 1000 });
    expect(r.status).toBe('Failed');
    expect(r.reason).toMatch(/timed out/i);
    // 5 s of Lambda time, not 5 s of real time (= 5000 simulated s at 1000x).
    expect(r.simulatedSeconds).toBeLessThan(60);
  }, 60_000);

  it("getRemainingTimeInMillis() counts down in simulated time while the hook's own timers are simulated", async () => {
    const r = await simulate(scenario(hook('POST_TEST_TRAFFIC_SHIFT', 'remaining')), { timeScale: 1000 });
    expect(r.status).toBe('Succeeded');
  }, 60_000);
});
