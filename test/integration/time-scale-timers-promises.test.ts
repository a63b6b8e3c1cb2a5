/**
 * A hook that waits with node:timers/promises (scheduler.wait, setInterval)
 * gets the same outcome and simulated duration at every time scale: those
 * waits are on the simulated clock too (src/simulator/clock/promise-timers.ts).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';

const HOOKS = fileURLToPath(new URL('./fixtures/ecs-native/timers-promises-hooks.ts', import.meta.url));
const scenario = (exp: string) =>
  parseScenario(`
name: timers-promises
platform: ECS-native
ecs: { cluster: shop, service: web }
deployment:
  timeScale: 600
  strategy: BLUE_GREEN
hooks:
  POST_TEST_TRAFFIC_SHIFT:
    module: ${HOOKS}
    export: ${exp}
    functionName: h-post-test
    timeoutSeconds: 30
traffic: { requestsPerSecond: 5, path: /items }
`, { file: 'inline.yaml' });

describe('node:timers/promises in a hook, at every time scale', () => {
  for (const [exp, api] of [['schedulerWait', 'scheduler.wait'], ['intervalWait', 'setInterval']]) {
    it(`a hook waiting 2 s with node:timers/promises ${api} gets the same outcome at 10x and 1000x`, async () => {
      const s = scenario(exp!);
      const at10 = await simulate(s, { timeScale: 10 });
      const at1000 = await simulate(s, { timeScale: 1000 });
      expect(at10.status).toBe('Succeeded');
      expect({ status: at1000.status, errorCode: at1000.errorCode, simulatedSeconds: at1000.simulatedSeconds }).toEqual({ status: at10.status, errorCode: at10.errorCode, simulatedSeconds: at10.simulatedSeconds });
    }, 120_000);
  }
});
