import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import { describe, expect, it } from 'vitest';
import { createDurableHookHandler } from '../../../src/durable/define-durable-hook.js';
import { SimulatedDurableFunction } from '../../../src/simulator/engine/durable-service.js';
import { SimClock, warpGlobals } from '../../../src/simulator/clock/index.js';
import { EVENT } from '../../helpers/codedeploy-mock.js';
import { codeDeployWorld, failed, passed, scriptedCheck } from '../../helpers/durable-world.js';

const MIN = 60_000;
const context = () => ({ getRemainingTimeInMillis: () => 900_000 });

describe('the simulated durable service (simulator/engine/durable-service)', () => {
  it('runs a durable hook to its report with its waits on the simulated clock, one invocation per measurement', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', (n) => (n > 21 ? failed : passed));
    const clock = new SimClock(100_000);
    const restore = warpGlobals(clock);
    try {
      const fn = new SimulatedDurableFunction(withDurableExecution(createDurableHookHandler({ bake: { checks: [metric.check], intervalMs: MIN, durationMs: 30 * MIN }, log: () => undefined })), 'arn:aws:lambda:us-east-1:123456789012:function:bake:1');
      const t0 = Date.now();
      const first = fn.start('exec-1', EVENT, context);
      const again = fn.start('exec-1', EVENT, context);
      expect(again.alreadyStarted).toBe(true);
      const outcome = await first.outcome;
      expect(outcome.status).toBe('SUCCEEDED');
      expect(outcome.result).toMatchObject({ status: 'Failed' });
      expect(metric.runs).toHaveLength(22);
      // Measurement 22 ran 21 simulated minutes after the first.
      expect(metric.runs[21]! - metric.runs[0]!).toBeGreaterThanOrEqual(21 * MIN);
      expect(metric.runs[21]! - t0).toBeLessThan(22 * MIN);
      expect(outcome.invocations).toBeGreaterThanOrEqual(22);
      expect(world.accepted()).toEqual([expect.objectContaining({ status: 'Failed' })]);
    } finally {
      restore();
    }
  }, 60_000);
});
