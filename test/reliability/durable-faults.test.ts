/**
 * The fault matrix of the durable path (issue 14, item 5), on the SDK's local
 * runner: each cell injects one fault into a durable hook's execution and
 * asserts the three guarantees — at most one report CodeDeploy accepts, never
 * a wrong Succeeded, and the report before CodeDeploy's hour.
 *
 * A crash is injected through the adapter's test seam (`beforeStep` throws):
 * to the SDK that is a step attempt that died before its checkpoint, which is
 * what a sandbox crash looks like; the SDK retries it in a new invocation that
 * replays everything checkpointed before.
 */
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOOK_HOUR_MS } from '../../src/durable/options.js';
import { EVENT } from '../helpers/codedeploy-mock.js';
import { codeDeployWorld, failed, passed, runDurable, scriptedCheck, setupDurableRunner, teardownDurableRunner } from '../helpers/durable-world.js';
import type { ReportCall } from '../helpers/durable-world.js';

beforeAll(setupDurableRunner);
afterAll(teardownDurableRunner);

const MIN = 60_000;

/** The guarantees every cell asserts. `expected` is the only status CodeDeploy may have accepted. */
function assertGuarantees(reports: ReportCall[], startedAt: number, expected: 'Succeeded' | 'Failed' | 'none') {
  const accepted = reports.filter((r) => r.outcome === 'accepted');
  expect(accepted.length, 'at most one accepted report').toBeLessThanOrEqual(1);
  if (expected === 'none') expect(accepted).toHaveLength(0);
  else expect(accepted.map((r) => r.status)).toEqual([expected]);
  for (const r of reports) expect(r.at - startedAt, 'every report attempt before CodeDeploy\'s hour').toBeLessThan(HOOK_HOUR_MS);
}

describe('durable hook fault matrix', () => {
  it('a crash between measurements: the retried step measures once more, earlier measurements are replayed, not re-run', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => passed);
    let crashes = 0;
    const { execution, startedAt } = await runDurable(
      { bake: { checks: [metric.check], intervalMs: MIN, count: 6 } },
      { beforeStep: (name) => { if (name === 'measurement-4' && crashes++ === 0) throw new Error('sandbox crashed'); } },
    );
    expect(crashes).toBe(2);
    expect((execution.getResult() as { status: string }).status).toBe('Succeeded');
    // Measurements 1-3 ran once; the crashed attempt of 4 died before its checks ran.
    expect(metric.runs).toHaveLength(6);
    assertGuarantees(world.reports, startedAt, 'Succeeded');
  });

  it('a crash that keeps happening fails closed: Failed is reported, never Succeeded', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => passed);
    const { execution, startedAt } = await runDurable(
      { bake: { checks: [metric.check], intervalMs: MIN, count: 6 } },
      { beforeStep: (name) => { if (name === 'measurement-2') throw new Error('sandbox crashed'); } },
    );
    const verdict = execution.getResult() as { status: string; reason: string };
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toContain('sandbox crashed');
    assertGuarantees(world.reports, startedAt, 'Failed');
  });

  it('a crash inside the report step: retried, and CodeDeploy still accepts exactly one status', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => failed);
    let crashes = 0;
    const { execution, startedAt } = await runDurable(
      { bake: { checks: [metric.check], intervalMs: MIN, count: 3 } },
      { beforeStep: (name) => { if (name === 'report' && crashes++ === 0) throw new Error('sandbox crashed'); } },
    );
    expect((execution.getResult() as { status: string }).status).toBe('Failed');
    assertGuarantees(world.reports, startedAt, 'Failed');
  });

  it('a replay after the report step (the final invocation delivered again): nothing is measured or accepted twice', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => passed);
    // Every invocation is delivered twice with the same input: the second replays what the first checkpointed.
    const twice = (inner: DurableLambdaHandler): DurableLambdaHandler => async (input, ctx) => {
      const first = await inner(input, ctx);
      await inner(input, ctx).catch(() => undefined);
      return first;
    };
    const { execution, startedAt } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 3 } }, undefined, EVENT, twice);
    expect((execution.getResult() as { status: string }).status).toBe('Succeeded');
    assertGuarantees(world.reports, startedAt, 'Succeeded');
  });

  it('a duplicate start (a second execution for the same lifecycle event) finds it finished and changes nothing', async () => {
    const world = codeDeployWorld();
    const metric = scriptedCheck('error rate', () => passed);
    const first = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 3 }, resolveRetry: { attempts: 1, delayMs: 0 } });
    const second = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 3 }, resolveRetry: { attempts: 1, delayMs: 0 } });
    expect((first.execution.getResult() as { status: string }).status).toBe('Succeeded');
    expect(second.execution.getResult()).toMatchObject({ status: 'Failed', duplicate: true });
    // The duplicate measured nothing: 3 runs, all from the first execution.
    expect(metric.runs).toHaveLength(3);
    assertGuarantees(world.reports, first.startedAt, 'Succeeded');
  });

  it('a report throttled until minute 50: retried durably, accepted before the hour', async () => {
    const startedAt = Date.now();
    const world = codeDeployWorld({ throttleReportsUntil: startedAt + 50 * MIN, throttleCostsMs: 2 * MIN });
    const metric = scriptedCheck('error rate', () => passed);
    const { execution } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 3 } });
    expect((execution.getResult() as { reported: boolean }).reported).toBe(true);
    expect(world.reports.filter((r) => r.outcome === 'throttled').length).toBeGreaterThan(10);
    assertGuarantees(world.reports, startedAt, 'Succeeded');
  });

  it('a report throttled past the reserve: it gives up before the hour and says so; CodeDeploy times the hook out (Failed)', async () => {
    const startedAt = Date.now();
    const world = codeDeployWorld({ throttleReportsUntil: startedAt + 2 * HOOK_HOUR_MS, throttleCostsMs: 2 * MIN });
    const metric = scriptedCheck('error rate', () => passed);
    const { execution } = await runDurable({ bake: { checks: [metric.check], intervalMs: MIN, count: 3 } });
    const verdict = execution.getResult() as { reported: boolean; reason: string };
    expect(verdict.reported).toBe(false);
    expect(verdict.reason).toContain('REPORT FAILED');
    assertGuarantees(world.reports, startedAt, 'none');
  });

  it('a check that never settles (and ignores its signal): the measurement ends at its interval as failed, as in the plain hook', async () => {
    const world = codeDeployWorld();
    const hangs = scriptedCheck('hangs', () => new Promise(() => undefined));
    const { execution, startedAt } = await runDurable({ bake: { checks: [hangs.check], intervalMs: 2000, count: 10 } });
    const verdict = execution.getResult() as { status: string; reason: string };
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toMatch(/measurement 1 failed .*hangs: deadline/);
    expect(hangs.runs).toHaveLength(1);
    assertGuarantees(world.reports, startedAt, 'Failed');
  });

  it('with a failure budget, every hanging measurement counts, and the bake still fails', async () => {
    const world = codeDeployWorld();
    const hangs = scriptedCheck('hangs', () => new Promise(() => undefined), { timeoutMs: 50 });
    const { execution, startedAt } = await runDurable({ bake: { checks: [hangs.check], intervalMs: 2000, count: 10, failureLimit: 2 } });
    const verdict = execution.getResult() as { status: string; reason: string };
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toContain('3 failed > failureLimit 2');
    expect(hangs.runs).toHaveLength(3);
    assertGuarantees(world.reports, startedAt, 'Failed');
  }, 60_000);
});
