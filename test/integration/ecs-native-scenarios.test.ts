/**
 * The built-in ECS-native scenarios with the ready ECS-native hooks unchanged
 * (hooks/ecs-native-test-traffic.ts, hooks/ecs-native-production-bake.ts):
 * a healthy canary, a green that breaks only under production traffic, a hook
 * that stays IN_PROGRESS past its timeout.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulator/index.js';
import { createWorld } from '../../src/simulator/state/index.js';
import type { SimulationResult, TimelineEvent } from '../../src/simulator/index.js';

type Of<T extends TimelineEvent['type']> = Extract<TimelineEvent, { type: T }>;
const events = <T extends TimelineEvent['type']>(r: SimulationResult, type: T): Of<T>[] => r.timeline.filter((e): e is Of<T> => e.type === type);
const productionWeights = (r: SimulationResult) => events(r, 'traffic').filter((e) => e.listener === 'production').map((e) => e.targetWeight);

describe('built-in ECS-native scenarios', () => {
  it('ecs-native-canary-healthy: smoke suite, a bake at each step and after, the service on green', async () => {
    const world = createWorld();
    const r = await simulate('ecs-native-canary-healthy', { world });
    expect(r).toMatchObject({ status: 'Succeeded', expect: 'Succeeded', rolledBack: false, platform: 'ECS-native' });
    expect(r.hooks.map((h) => [h.lifecycleEvent, h.status])).toEqual([
      ['POST_TEST_TRAFFIC_SHIFT', 'Succeeded'], ['PRODUCTION_TRAFFIC_SHIFT', 'Succeeded'], ['POST_PRODUCTION_TRAFFIC_SHIFT', 'Succeeded'],
    ]);
    expect(productionWeights(r)).toEqual([10, 100]);
    // The bakes span invocations: IN_PROGRESS, re-invoked every 30 simulated seconds for 2 minutes.
    const bakes = events(r, 'hook-invoked').filter((e) => e.lifecycleEvent === 'PRODUCTION_TRAFFIC_SHIFT');
    expect(bakes.length).toBeGreaterThanOrEqual(8); // two steps × (2 min / 30 s + 1)
    expect(world.ecs.deployment(r.deploymentId).status).toBe('SUCCESSFUL');
    expect(r.traffic.failed).toBe(0);
  });

  it('ecs-native-breaks-under-production: the smoke suite passes, the canary step fails it, ECS rolls back from 10 %', async () => {
    const world = createWorld();
    const r = await simulate('ecs-native-breaks-under-production', { world });
    expect(r).toMatchObject({ status: 'Failed', expect: 'Failed', errorCode: 'HOOK_EXECUTION_FAILURE', rolledBack: true });
    expect(r.hooks.find((h) => h.lifecycleEvent === 'POST_TEST_TRAFFIC_SHIFT')?.status).toBe('Succeeded');
    expect(r.hooks.find((h) => h.lifecycleEvent === 'PRODUCTION_TRAFFIC_SHIFT')?.status).toBe('Failed');
    expect(r.reason).toMatch(/PRODUCTION_TRAFFIC_SHIFT hook .* failed: .*green vs blue target group: green .* error rate/);
    // Exposure bounded by the canary share: green never had more than 10 % of production.
    expect(productionWeights(r)).toEqual([10, 0]);
    expect(world.ecs.deployment(r.deploymentId)).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: expect.stringMatching(/error rate/) } });
    const v2 = r.traffic.byVersion['2']!;
    expect(v2.total / r.traffic.total).toBeLessThan(0.15);
  });

  it('ecs-native-hook-in-progress-too-long: the hook keeps baking past its timeoutInMinutes; ECS times it out and rolls back', async () => {
    const r = await simulate('ecs-native-hook-in-progress-too-long');
    expect(r).toMatchObject({ status: 'Failed', expect: 'Failed', errorCode: 'TIMEOUT', rolledBack: true });
    expect(r.reason).toMatch(/POST_PRODUCTION_TRAFFIC_SHIFT hook .* timed out: .*IN_PROGRESS after 10 min/);
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(600);
    expect(r.hooks[0]?.status).toBe('NoReport');
  });
});
