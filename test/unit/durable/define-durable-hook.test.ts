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

describe('defineDurableHook: every path without a passing bake fails closed', () => {
  it('a failed smoke check decides before the bake: no measurement, Failed', async () => {
    const world = codeDeployWorld();
    const smoke = scriptedCheck('smoke', () => failed);
    const metric = scriptedCheck('error rate', () => passed);
    const { execution } = await runDurable({ checks: [smoke.check], bake: { checks: [metric.check], intervalMs: MIN, count: 5 } });
    expect((execution.getResult() as { status: string }).status).toBe('Failed');
    expect(metric.runs).toHaveLength(0);
    expect(world.accepted()).toEqual([expect.objectContaining({ status: 'Failed' })]);
  });

  it('smoke checks and the bake both count: the verdict lists both', async () => {
    codeDeployWorld();
    const smoke = scriptedCheck('smoke', () => passed);
    const metric = scriptedCheck('error rate', () => passed);
    const { execution } = await runDurable({ checks: [smoke.check], bake: { checks: [metric.check], intervalMs: MIN, count: 3 } });
    const verdict = execution.getResult() as { status: string; checks: { name: string }[] };
    expect(verdict.status).toBe('Succeeded');
    expect(verdict.checks.map((c) => c.name)).toEqual(['smoke', 'durable bake(error rate)']);
  });

  it('a duplicate execution (its lifecycle event already finished) skips the checks and sends Failed, which CodeDeploy ignores', async () => {
    const world = codeDeployWorld({ events: { BeforeAllowTraffic: 'Succeeded', AfterAllowTraffic: 'Succeeded' } });
    const metric = scriptedCheck('error rate', () => passed);
    const { execution } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 3 }, resolveRetry: { attempts: 1, delayMs: 0 } });
    const verdict = execution.getResult() as { status: string; duplicate?: boolean };
    expect(verdict.status).toBe('Failed');
    expect(metric.runs).toHaveLength(0);
    expect(world.reports.every((r) => r.status === 'Failed')).toBe(true);
  });

  it('a bypass (environment, read once in the first step) reports Succeeded without measuring', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => failed);
    process.env.CODEDEPLOY_HOOKS_BYPASS_REASON = 'incident 42';
    try {
      const { execution } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 3 } });
      const verdict = execution.getResult() as { status: string; bypass?: { reason: string } };
      expect(verdict).toMatchObject({ status: 'Succeeded', bypass: { reason: 'incident 42' } });
      expect(metric.runs).toHaveLength(0);
      expect(world.accepted()).toEqual([expect.objectContaining({ status: 'Succeeded' })]);
    } finally {
      delete process.env.CODEDEPLOY_HOOKS_BYPASS_REASON;
    }
  });

  it('an invalid environment setting fails closed with the variable named', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => passed);
    process.env.CODEDEPLOY_HOOKS_RESERVE_MS = 'soon';
    try {
      const { execution } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 3 } });
      const verdict = execution.getResult() as { status: string; reason: string };
      expect(verdict.status).toBe('Failed');
      expect(verdict.reason).toContain('CODEDEPLOY_HOOKS_RESERVE_MS');
      expect(world.accepted()).toEqual([expect.objectContaining({ status: 'Failed' })]);
    } finally {
      delete process.env.CODEDEPLOY_HOOKS_RESERVE_MS;
    }
  });

  it('inconclusive measurements beyond inconclusiveLimit fail the hook (inconclusive is no pass by default)', async () => {
    codeDeployWorld();
    const metric = scriptedCheck('error rate', () => ({ state: 'inconclusive', reason: 'only 3 requests' }));
    const { execution } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 5, inconclusiveLimit: 1 } });
    const verdict = execution.getResult() as { status: string; reason: string };
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toContain('inconclusiveLimit 1');
    expect(metric.runs).toHaveLength(2);
  });

  it('a check whose details JSON cannot carry still reaches the checkpoint with its state', async () => {
    codeDeployWorld();
    const metric = scriptedCheck('error rate', () => ({ state: 'failed', reason: 'bad', details: { big: 10n } }));
    const { execution } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 2 } });
    expect((execution.getResult() as { status: string }).status).toBe('Failed');
  });

  it('a malformed event fails the execution with the field named and reports nothing', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => passed);
    const { execution, lines } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 2 } }, undefined, { deploymentId: 'd-1' });
    expect(execution.getStatus()).toBe('FAILED');
    expect(JSON.stringify(lines)).toContain('DeploymentId');
    expect(world.reports).toHaveLength(0);
  });
});
