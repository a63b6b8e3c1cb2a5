import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeDeployWorld, failed, passed, runDurable, scriptedCheck, setupDurableRunner, teardownDurableRunner } from '../../helpers/durable-world.js';

beforeAll(setupDurableRunner);
afterAll(teardownDurableRunner);

const MIN = 60_000;

describe('defineDurableHook on the SDK local runner (time skipped, replays forced)', () => {
  it('a 30-minute bake: one measurement per minute as a step, durable waits between, one accepted Succeeded', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => passed);
    const { execution, startedAt } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, durationMs: 30 * MIN } });
    expect(execution.getStatus()).toBe('SUCCEEDED');
    const verdict = execution.getResult() as { status: string; reported: boolean };
    expect(verdict.status).toBe('Succeeded');
    expect(verdict.reported).toBe(true);
    // 31 measurements (both ends of 30 minutes), each run exactly once although every invocation replays all earlier steps.
    expect(metric.runs).toHaveLength(31);
    // Replays happened: the runner re-invoked the handler, which read the earlier measurements back.
    expect(execution.getInvocations().length).toBeGreaterThan(1);
    // Between measurements, durable waits of the interval (no compute while they last).
    const waits = execution.getOperations().filter((op) => op.getType() === 'WAIT');
    expect(waits).toHaveLength(30);
    for (const wait of waits) expect(wait.getWaitDetails()?.waitSeconds).toBeGreaterThanOrEqual(59);
    expect(world.accepted()).toEqual([expect.objectContaining({ status: 'Succeeded' })]);
    expect(world.reports.every((r) => r.outcome !== 'accepted' || r.status === 'Succeeded')).toBe(true);
    expect(world.accepted()[0]!.at).toBeGreaterThanOrEqual(startedAt);
  });

  it('a regression after minute 20 fails the bake at its first failed measurement and reports Failed once', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', (n) => (n > 21 ? failed : passed));
    const { execution } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, durationMs: 30 * MIN } });
    const verdict = execution.getResult() as { status: string; reason: string };
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toContain('measurement 22 failed');
    expect(metric.runs).toHaveLength(22);
    expect(world.accepted()).toEqual([expect.objectContaining({ status: 'Failed' })]);
  });
});
