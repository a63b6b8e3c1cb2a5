import { describe, expect, it } from 'vitest';
import { ecsNativeStagePlan, productionSteps, rollbackSteps } from '../../../src/simulator/engine/ecs-native-plan.js';

const stages = (plan: ReturnType<typeof ecsNativeStagePlan>) => plan.map((s) => s.stage);

describe('the ECS-native stage plan', () => {
  it('blue/green: every stage in the documented order, one production step, the bake at the end', () => {
    const plan = ecsNativeStagePlan({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 });
    expect(stages(plan)).toEqual([
      'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP',
    ]);
    expect(plan.filter((s) => !s.hookable).map((s) => s.stage)).toEqual(['SCALE_UP', 'BAKE_TIME', 'CLEAN_UP']);
    expect(plan.find((s) => s.stage === 'BAKE_TIME')!.bakeSeconds).toBe(600);
  });

  it('the payload weights: empty maps where traffic is not shifted, green 0 before the shift (the weights of a rollback)', () => {
    const plan = ecsNativeStagePlan({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    const weights = (stage: string) => { const s = plan.find((x) => x.stage === stage)!; return [s.productionWeight, s.testWeight]; };
    expect(weights('POST_SCALE_UP')).toEqual([undefined, undefined]);
    expect(weights('TEST_TRAFFIC_SHIFT')).toEqual([undefined, 100]);
    expect(weights('POST_TEST_TRAFFIC_SHIFT')).toEqual([undefined, undefined]);
    expect(weights('PRE_PRODUCTION_TRAFFIC_SHIFT')).toEqual([0, undefined]);
    expect(weights('PRODUCTION_TRAFFIC_SHIFT')).toEqual([100, undefined]);
    expect(weights('POST_PRODUCTION_TRAFFIC_SHIFT')).toEqual([undefined, undefined]);
    expect(plan.find((x) => x.stage === 'POST_TEST_TRAFFIC_SHIFT')!.testAfter).toBe(100);
  });

  it('canary: two production steps, the canary bake after the first, PRE_PRODUCTION before each', () => {
    const plan = ecsNativeStagePlan({ strategy: 'CANARY', bakeTimeInMinutes: 5, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 } });
    const prod = plan.filter((s) => s.step > 0).map((s) => [s.stage, s.step, s.productionWeight, s.bakeSeconds]);
    expect(prod).toEqual([
      ['PRE_PRODUCTION_TRAFFIC_SHIFT', 1, 0, 0], ['PRODUCTION_TRAFFIC_SHIFT', 1, 10, 180],
      ['PRE_PRODUCTION_TRAFFIC_SHIFT', 2, 10, 0], ['PRODUCTION_TRAFFIC_SHIFT', 2, 100, 0],
    ]);
  });

  it('linear: steps of stepPercent to exactly 100 (tenths do not drift), no bake after 100 %', () => {
    expect(productionSteps({ strategy: 'LINEAR', bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 30, stepBakeTimeInMinutes: 2 } }))
      .toEqual([{ weight: 30, bakeSeconds: 120 }, { weight: 60, bakeSeconds: 120 }, { weight: 90, bakeSeconds: 120 }, { weight: 100, bakeSeconds: 0 }]);
    const tenth = productionSteps({ strategy: 'LINEAR', bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 3.3, stepBakeTimeInMinutes: 0 } });
    expect(tenth).toHaveLength(31);
    expect(tenth[2]!.weight).toBe(9.9);
    expect(tenth.at(-1)!.weight).toBe(100);
  });

  it('defaults when the configuration block is absent: canary 5 % / 10 min, linear 10 % / 6 min (the ECS model\'s defaults)', () => {
    expect(productionSteps({ strategy: 'CANARY', bakeTimeInMinutes: 0 })[0]).toEqual({ weight: 5, bakeSeconds: 600 });
    expect(productionSteps({ strategy: 'LINEAR', bakeTimeInMinutes: 0 })).toHaveLength(10);
  });

  it('RECONCILE_SERVICE only when asked (more than one active revision)', () => {
    expect(stages(ecsNativeStagePlan({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }, { reconcile: true }))[0]).toBe('RECONCILE_SERVICE');
  });

  it('a rollback re-invokes the traffic-shift stages, with green back at 0, only for traffic that had moved', () => {
    expect(rollbackSteps({ productionWeight: 10, testWeight: 100 }).map((s) => [s.stage, s.productionWeight, s.testWeight]))
      .toEqual([['PRODUCTION_TRAFFIC_SHIFT', 0, undefined], ['TEST_TRAFFIC_SHIFT', undefined, 0]]);
    expect(rollbackSteps({ productionWeight: 0, testWeight: 100 }).map((s) => s.stage)).toEqual(['TEST_TRAFFIC_SHIFT']);
    expect(rollbackSteps({ productionWeight: 0, testWeight: 0 })).toEqual([]);
  });
});
