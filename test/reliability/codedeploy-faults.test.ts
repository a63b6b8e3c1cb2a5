/**
 * Fault matrix, CodeDeploy side: every CodeDeploy call a hook makes, under
 * throttling, 500, 503, connection resets, slow answers and hangs, for a
 * Lambda hook and an ECS hook; plus the two report errors CodeDeploy itself
 * sends (already completed, unknown execution id).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../src/simulator/emulator/index.js';
import { acceptedReports, hookFor, ROOMY_BUDGET_MS, lambdaContext, watchLoopLag, Matrix, recordTo, runCell, setupCell, verdictLine, warmUp, type CellSpec, type Expected, type Platform } from './harness.js';

const matrix = new Matrix('Fault matrix — CodeDeploy');
recordTo(matrix);
beforeAll(warmUp, 30_000);
afterAll(() => matrix.print());

const RESOLVE_OPS = ['GetDeployment', 'ListDeploymentTargets', 'GetDeploymentTarget', 'GetDeploymentGroup'] as const;
const REPORT = 'PutLifecycleEventHookExecutionStatus';
const PASSED = /^all \d enforced checks passed/;
/** Later than any 6 s hook can wait for an answer. */
const LATE_MS = 6500;

interface Kind {
  label: string;
  fault: (operation: string) => FaultSpec;
  budgetMs: number;
  /** Transient faults are recovered from; persistent ones leave the call unusable. */
  persistent: boolean;
}

const KINDS: Kind[] = [
  { label: 'throttle ×2', fault: (operation) => ({ service: 'codedeploy', operation, kind: 'throttle', times: 2 }), budgetMs: ROOMY_BUDGET_MS, persistent: false },
  { label: '500 ×2', fault: (operation) => ({ service: 'codedeploy', operation, kind: '500', times: 2 }), budgetMs: ROOMY_BUDGET_MS, persistent: false },
  { label: '503 ×2', fault: (operation) => ({ service: 'codedeploy', operation, kind: '503', times: 2 }), budgetMs: ROOMY_BUDGET_MS, persistent: false },
  { label: 'reset ×2', fault: (operation) => ({ service: 'codedeploy', operation, kind: 'reset', times: 2 }), budgetMs: ROOMY_BUDGET_MS, persistent: false },
  { label: 'slow (400 ms each)', fault: (operation) => ({ service: 'codedeploy', operation, kind: 'delay', delayMs: 400 }), budgetMs: ROOMY_BUDGET_MS, persistent: false },
  { label: 'hang ×1', fault: (operation) => ({ service: 'codedeploy', operation, kind: 'hang', times: 1 }), budgetMs: 6000, persistent: false },
  { label: '503 always', fault: (operation) => ({ service: 'codedeploy', operation, kind: '503' }), budgetMs: 3000, persistent: true },
  { label: 'hang always', fault: (operation) => ({ service: 'codedeploy', operation, kind: 'hang' }), budgetMs: 3000, persistent: true },
];

function cell(platform: Platform, operation: string, kind: Kind): CellSpec {
  let expected: Expected = 'Succeeded';
  let cause = PASSED;
  if (kind.persistent) {
    if (operation === REPORT) {
      expected = 'unreported';
      cause = /REPORT FAILED after \d+ attempt/;
    } else if (operation === 'GetDeploymentGroup') {
      // Only the alarm check needs the group: it errs (or, for a hang, meets the same deadline
      // as the group call), the others pass, the hook fails closed.
      expected = 'Failed';
      cause = /alarms (error: could not read the deployment group's alarm configuration: .*GetDeploymentGroup failed|failed: deadline)/;
    } else {
      expected = 'Failed';
      cause = new RegExp(`could not resolve the deployment: ${operation} failed after \\d+ attempt`);
    }
  }
  return { name: `${operation} · ${kind.label}`, platform, budgetMs: kind.budgetMs, faults: [kind.fault(operation)], truth: 'healthy', expect: expected, cause };
}

describe.concurrent('CodeDeploy faults on each call the hook makes', () => {
  for (const platform of ['Lambda', 'ECS'] as const) {
    for (const operation of [...RESOLVE_OPS, REPORT]) {
      for (const kind of KINDS) {
        const spec = cell(platform, operation, kind);
        it(`${platform} · ${spec.name} -> ${spec.expect}`, async () => {
          matrix.add(await runCell(spec));
        });
      }
    }
  }
});

describe.concurrent('CodeDeploy state at invocation', () => {
  for (const platform of ['Lambda', 'ECS'] as const) {
    it(`${platform} · lifecycle event shown InProgress only 1.2 s after the invocation -> the hook waits for it and succeeds`, async () => {
      const row = await runCell({
        name: 'event InProgress 1.2 s late',
        platform,
        budgetMs: ROOMY_BUDGET_MS,
        truth: 'healthy',
        expect: 'Succeeded',
        cause: PASSED,
        before: ({ world, deployed }) => {
          // CodeDeploy may invoke the hook a moment before GetDeploymentTarget shows the event running.
          const event = world.codeDeploy.targetOf(deployed.deploymentId).lifecycleEvents.find((e) => e.status === 'InProgress')!;
          event.status = 'Pending';
          setTimeout(() => (event.status = 'InProgress'), 1200);
        },
      });
      expect(row.ms).toBeGreaterThanOrEqual(1200);
    });
  }

  it('Lambda · an event naming a deployment CodeDeploy does not know -> Failed decided, report refused, handler returns', async () => {
    await runCell({
      name: 'unknown deployment id',
      platform: 'Lambda',
      budgetMs: ROOMY_BUDGET_MS,
      truth: 'healthy',
      expect: 'unreported',
      event: (d) => ({ DeploymentId: 'd-NOSUCHONE', LifecycleEventHookExecutionId: d.executionId }),
      cause: /could not resolve the deployment: GetDeployment failed after 1 attempt\(s\): DeploymentDoesNotExistException.*REPORT FAILED after 1 attempt\(s\): DeploymentDoesNotExistException/,
    });
  });
});

describe.concurrent('lost answers to the report', () => {
  for (const platform of ['Lambda', 'ECS'] as const) {
    it(`${platform} · report answered after the attempt timed out (once) -> the retry lands, exactly one accepted`, async () => {
      // The delayed request is still served (and refused as already completed) after the client gave up on it.
      matrix.add(
        await runCell({
          name: `${REPORT} · answer lost once (2.5 s late)`,
          platform,
          budgetMs: ROOMY_BUDGET_MS,
          faults: [{ service: 'codedeploy', operation: REPORT, kind: 'delay', delayMs: 2500, times: 1 }],
          truth: 'healthy',
          expect: 'Succeeded',
          cause: PASSED,
        }),
      );
    });
  }

  it('Lambda · every report answered too late -> the hook says NOT reported, CodeDeploy later holds exactly one status', async () => {
    const env = await setupCell({ platform: 'Lambda' });
    try {
      // 6 s: the checks (3 s of it) pass on a busy host too; every answer comes after the hook's end.
      env.emu.faults.add({ service: 'codedeploy', operation: REPORT, kind: 'delay', delayMs: LATE_MS });
      const ctx = lambdaContext(6000);
      const lag = watchLoopLag();
      const verdict = await hookFor({ platform: 'Lambda' }, env)(env.deployed.event, ctx);
      expect(Date.now()).toBeLessThan(ctx.end + lag.stop());
      expect(verdict).toMatchObject({ status: 'Succeeded', reported: false });
      expect(String(verdictLine(env.lines).reason)).toMatch(/REPORT FAILED after \d+ attempt/);
      const sent = env.world.callsTo('codedeploy', REPORT);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(env.sentReports.map((r) => r.status)).toEqual(sent.map(() => 'Succeeded'));
      // The requests the hook gave up on are still served, LATE_MS after each arrived: the first is accepted, the rest refused.
      await new Promise((r) => setTimeout(r, sent.at(-1)!.time + LATE_MS + 500 - Date.now()));
      expect(acceptedReports(env.world)).toHaveLength(1);
      expect(env.world.codeDeploy.hookExecutions.get(env.deployed.executionId)!.status).toBe('Succeeded');
      matrix.add({ cell: `${REPORT} · every answer ${LATE_MS / 1000} s late`, platform: 'Lambda', status: verdict.status, reported: verdict.reported, worldStatus: 'Succeeded (later)', acceptedReports: 1, ms: verdict.durationMs, budgetMs: 6000, reason: verdict.reason });
    } finally {
      await env.dispose();
    }
  });
});

describe.concurrent('CodeDeploy report errors', () => {
  for (const platform of ['Lambda', 'ECS'] as const) {
    it(`${platform} · LifecycleEventAlreadyCompletedException (reported by another party while the checks ran) -> returns normally, no second report`, async () => {
      const spec: CellSpec = {
        name: 'LifecycleEventAlreadyCompleted',
        platform,
        budgetMs: ROOMY_BUDGET_MS,
        truth: 'healthy',
        expect: 'Succeeded',
        reportedElsewhere: true,
        cause: /CodeDeploy already had a status for this lifecycle event/,
        checks: (standard, env) => [
          ...standard,
          {
            name: 'another invocation wins the race',
            run: async () => {
              env.world.codeDeploy.reportHookExecution({ deploymentId: env.deployed.deploymentId, lifecycleEventHookExecutionId: env.deployed.executionId, status: 'Failed' });
              return { state: 'passed', reason: 'reported Failed from the world first' };
            },
          },
        ],
      };
      const row = await runCell(spec);
      // The world keeps the first status it was given.
      expect(row.worldStatus).toBe('Failed');
      matrix.add(row);
    });

    it(`${platform} · already reported before the invocation -> duplicate: checks skipped, the Failed it sends is refused`, async () => {
      // runCell's report invariants assume the hook reports; this cell checks its own.
      const env = await setupCell({ platform });
      try {
        env.world.codeDeploy.reportHookExecution({ deploymentId: env.deployed.deploymentId, lifecycleEventHookExecutionId: env.deployed.executionId, status: 'Succeeded' });
        const started = Date.now();
        const ctx = lambdaContext(3000);
        const verdict = await hookFor({ platform }, env)(env.deployed.event, ctx);
        expect(verdict.duplicate).toBe(true);
        expect(verdict.checks).toEqual([]);
        // It still sends Failed (in case CodeDeploy only showed its event late); CodeDeploy refuses it.
        expect(env.world.callsTo('codedeploy', REPORT)).toHaveLength(1);
        expect(env.sentReports.map((r) => r.status)).toEqual(['Failed']);
        expect(acceptedReports(env.world)).toHaveLength(0);
        expect(env.world.codeDeploy.hookExecutions.get(env.deployed.executionId)!.status).toBe('Succeeded');
        expect(String(verdictLine(env.lines).reason)).toMatch(/likely a duplicate invocation: checks skipped.*already had a status/);
        matrix.add({ cell: 'already reported before invocation', platform, status: verdict.status, reported: verdict.reported, worldStatus: 'Succeeded', acceptedReports: 0, ms: Date.now() - started, budgetMs: 3000, reason: verdict.reason });
      } finally {
        await env.dispose();
      }
    });

    it(`${platform} · InvalidLifecycleEventHookExecutionIdException (execution id CodeDeploy does not know) -> no report accepted, code logged, handler returns`, async () => {
      const row = await runCell({
        name: 'InvalidLifecycleEventHookExecutionId',
        platform,
        budgetMs: ROOMY_BUDGET_MS,
        truth: 'healthy',
        expect: 'unreported',
        event: (d) => ({ DeploymentId: d.deploymentId, LifecycleEventHookExecutionId: 'not-an-execution-of-this-deployment' }),
        cause: /REPORT FAILED after 1 attempt\(s\): InvalidLifecycleEventHookExecutionIdException/,
      });
      expect(row.worldStatus).toBe('none');
      matrix.add(row);
    });
  }
});
