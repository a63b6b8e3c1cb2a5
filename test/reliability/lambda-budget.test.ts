/**
 * Fault matrix, Lambda time budgets from 1 s to 900 s, on a FAKE clock: a
 * check that never settles (and ignores its abort signal) must be cut off at
 * end − reserve (reserve = min(5 s, half the budget)) and the Failed report
 * must land before Lambda's end — also when the report is throttled.
 * Nothing here waits 900 real seconds: vitest's fake timers drive Date.now and
 * setTimeout, and CodeDeploy is an in-process stub (the real-time 3 s cells,
 * over HTTP against the emulator, are in hook-faults.test.ts).
 */
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { defineHook } from '../../src/index.js';
import type { CheckOutcome, HookVerdict } from '../../src/types.js';
import { EVENT, lambdaTarget } from '../helpers/codedeploy-mock.js';
import { Matrix } from './harness.js';

const matrix = new Matrix('Fault matrix — Lambda budgets (fake clock)');
afterAll(() => matrix.print());
afterEach(() => {
  vi.useRealTimers();
});

/** CodeDeploy answering for a Lambda deployment in BeforeAllowTraffic; reports are timestamped on the fake clock. */
function stubCodeDeploy(throttledReports: number) {
  const reports: { at: number; status?: string }[] = [];
  let throttles = throttledReports;
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof GetDeploymentCommand) {
      return {
        deploymentInfo: {
          deploymentId: EVENT.DeploymentId,
          applicationName: 'app',
          deploymentGroupName: 'group',
          deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
          computePlatform: 'Lambda',
          status: 'InProgress',
          creator: 'user',
        },
      };
    }
    if (command instanceof ListDeploymentTargetsCommand) return { targetIds: ['my-fn:live'] };
    if (command instanceof GetDeploymentTargetCommand) return { deploymentTarget: lambdaTarget({ BeforeAllowTraffic: 'InProgress', AllowTraffic: 'Pending' }) };
    if (command instanceof PutLifecycleEventHookExecutionStatusCommand) {
      if (throttles-- > 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
      reports.push({ at: Date.now(), status: command.input.status });
      return {};
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  };
  return { client: { send } as unknown as CodeDeployClient, reports };
}

const BUDGETS_S = [1, 3, 10, 60, 300, 900];

describe('Lambda budgets 1 s – 900 s (fake clock): a check that never settles', () => {
  for (const budgetS of BUDGETS_S) {
    // A 1 s Lambda keeps 0.4 s for reporting: room for one jittered retry, not three (up to 1.05 s of back-off).
    for (const throttled of [0, budgetS >= 3 ? 3 : 1]) {
      const label = `${budgetS} s budget (fake clock)${throttled ? `, report throttled ×${throttled}` : ''}`;
      it(`${label}: cut off at end − min(5 s, budget/2), Failed reported before the end`, async () => {
        vi.useFakeTimers({ now: 1_800_000_000_000 });
        const budgetMs = budgetS * 1000;
        const { client, reports } = stubCodeDeploy(throttled);
        const lines: string[] = [];
        let seenDeadline = 0;
        const handler = defineHook({
          checks: [
            {
              name: 'stuck',
              run: (ctx) => {
                seenDeadline = ctx.deadline;
                return new Promise<CheckOutcome>(() => {}); // never settles, ignores ctx.signal
              },
            },
          ],
          clients: { codeDeploy: client },
          log: (l) => lines.push(l),
        });
        const start = Date.now();
        const end = start + budgetMs;
        const expectedDeadline = end - Math.min(5000, budgetMs / 2);
        let verdict: HookVerdict | undefined;
        const running = handler(EVENT, { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) }).then((v) => (verdict = v));

        // Just before the checks' deadline: nothing reported, the handler still running.
        await vi.advanceTimersByTimeAsync(expectedDeadline - start - 5);
        expect(seenDeadline).toBe(expectedDeadline);
        expect(reports).toHaveLength(0);
        expect(verdict).toBeUndefined();

        // Past it: the check is abandoned and the report goes out (retried through throttling) before the end.
        while (verdict === undefined && Date.now() < end) await vi.advanceTimersByTimeAsync(25);
        await running;
        expect(verdict).toMatchObject({ status: 'Failed', reported: true });
        expect(verdict!.reason).toMatch(/stuck failed: deadline/);
        expect(reports).toHaveLength(1);
        expect(reports[0]!.status).toBe('Failed');
        expect(reports[0]!.at).toBeGreaterThanOrEqual(expectedDeadline);
        expect(reports[0]!.at).toBeLessThan(end);
        const line = JSON.parse(lines.find((l) => l.includes('CodeDeploy hook verdict'))!) as { reason: string };
        expect(line.reason).toMatch(/stuck failed: deadline/);
        matrix.add({
          cell: label,
          platform: 'Lambda',
          status: verdict!.status,
          reported: verdict!.reported,
          worldStatus: reports[0]!.status ?? 'none',
          acceptedReports: reports.length,
          ms: reports[0]!.at - start,
          budgetMs,
          reason: `check cut off at end − ${(end - seenDeadline) / 1000} s; ${verdict!.reason}`,
        });
      });
    }
  }
});
