/**
 * The built-in scenario lambda-durable-bake-regression end to end: a durable
 * post-traffic hook (the real SDK, on the simulated durable service) bakes 30
 * simulated minutes and catches a regression that appears after minute 20,
 * with its waits in simulated time; the outcome is the same at two time scales.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulator/index.js';
import { createWorld } from '../../src/simulator/state/index.js';


describe('lambda-durable-bake-regression', () => {
  it.each([1000, 300])('at %ix: the durable bake fails at its first look after minute 20, reports Failed once, and CodeDeploy rolls back', async (timeScale) => {
    const world = createWorld();
    const r = await simulate('lambda-durable-bake-regression', { world, timeScale });
    expect(r.status).toBe('Failed');
    expect(r.status).toBe(r.expect);
    expect(r.errorCode).toBe('HOOK_EXECUTION_FAILURE');
    expect(r.rolledBack).toBe(true);
    // Exactly one report, the durable execution's, between minute 20 and 23 of simulated time.
    const reports = world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus');
    expect(reports).toHaveLength(1);
    expect(r.simulatedSeconds).toBeGreaterThan(20 * 60);
    expect(r.simulatedSeconds).toBeLessThan(24 * 60);
    // The alarm watched by the hook is not the deployment group's: the hook caught it, not CodeDeploy.
    expect(r.reason).toMatch(/AfterAllowTraffic hook .* reported Failed/);
    expect(r.traffic.byVersion['2']?.failed).toBeGreaterThan(0);
  }, 120_000);
});
