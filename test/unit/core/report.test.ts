/**
 * reportStatus, the one call that tells CodeDeploy the verdict: what it
 * sends, how each answer maps to an outcome, and that every attempt carries
 * an abort signal bounded by the deadline. The end-to-end side (exactly one
 * report on the wire) is in adapters.test.ts and core-wire.test.ts.
 */
import { PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportStatus } from '../../../src/report.js';
import { awsError, EVENT } from '../../helpers/codedeploy-mock.js';

const T0 = 1_800_000_000_000;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A client whose send answers from `answers` in turn (a function's result, or its throw), recording each call. */
function stubClient(answers: (() => unknown)[] = [], otherwise: () => unknown = () => ({})) {
  const calls: { input: unknown; abortSignal?: AbortSignal; at: number }[] = [];
  const client = {
    send: async (command: PutLifecycleEventHookExecutionStatusCommand, options?: { abortSignal?: AbortSignal }) => {
      expect(command).toBeInstanceOf(PutLifecycleEventHookExecutionStatusCommand);
      calls.push({ input: command.input, abortSignal: options?.abortSignal, at: Date.now() - T0 });
      const answer = answers.shift() ?? otherwise;
      return answer();
    },
  } as unknown as CodeDeployClient;
  return { client, calls };
}

async function settle<T>(pending: Promise<T>): Promise<T> {
  let done = false;
  void pending.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(10);
  return pending;
}

describe('Function: reportStatus', () => {
  it('sends the status with the ids from the event, in the API\'s casing', async () => {
    const { client, calls } = stubClient();
    const result = await settle(reportStatus(client, EVENT, 'Failed', T0 + 10_000));
    expect(result).toEqual({ outcome: 'accepted', attempts: 1 });
    expect(calls.map((c) => c.input)).toEqual([
      { deploymentId: EVENT.DeploymentId, lifecycleEventHookExecutionId: EVENT.LifecycleEventHookExecutionId, status: 'Failed' },
    ]);
  });

  it('counts the attempts of a report retried through throttling', async () => {
    const { client, calls } = stubClient([() => Promise.reject(awsError('ThrottlingException', 400))]);
    const result = await settle(reportStatus(client, EVENT, 'Succeeded', T0 + 10_000));
    expect(result).toEqual({ outcome: 'accepted', attempts: 2 });
    expect(calls).toHaveLength(2);
  });

  it('takes LifecycleEventAlreadyCompletedException as a status CodeDeploy already has', async () => {
    const { client } = stubClient([() => Promise.reject(awsError('LifecycleEventAlreadyCompletedException', 400))]);
    expect(await settle(reportStatus(client, EVENT, 'Failed', T0 + 10_000))).toEqual({
      outcome: 'already-completed',
      attempts: 1,
      error: { name: 'LifecycleEventAlreadyCompletedException', message: 'LifecycleEventAlreadyCompletedException from the mock' },
    });
  });

  it('fails on any other refusal, naming the error', async () => {
    const { client } = stubClient([() => Promise.reject(awsError('AccessDeniedException', 403))]);
    expect(await settle(reportStatus(client, EVENT, 'Succeeded', T0 + 10_000))).toEqual({
      outcome: 'failed',
      attempts: 1,
      error: { name: 'AccessDeniedException', message: 'AccessDeniedException from the mock' },
    });
  });

  it('gives each attempt an abort signal that fires after at most 5 s, and gives up by the deadline', async () => {
    const { client, calls } = stubClient([], () => new Promise<never>(() => {}));
    const pending = reportStatus(client, EVENT, 'Failed', T0 + 30_000);
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.abortSignal).toBeInstanceOf(AbortSignal);
    expect(calls[0]!.abortSignal!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls[0]!.abortSignal!.aborted).toBe(true);
    const result = await settle(pending);
    expect(result.outcome).toBe('failed');
    expect(result.error?.name).toBe('TimeoutError');
    expect(Date.now() - T0).toBeLessThanOrEqual(30_000);
    expect(calls.length).toBeGreaterThan(1);
  });
});
