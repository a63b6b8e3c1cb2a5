/**
 * A durable hook run by the SDK's own local runner
 * (@aws/durable-execution-sdk-js-testing: time skipped, every invocation
 * replays from the checkpoint log), against a mocked CodeDeploy that accepts
 * the first report of a lifecycle event and answers every later one with
 * LifecycleEventAlreadyCompletedException, as CodeDeploy does.
 */
import { GetDeploymentTargetCommand, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { createDurableHookHandler } from '../../src/durable/define-durable-hook.js';
import type { DurableHookInternals } from '../../src/durable/define-durable-hook.js';
import type { DurableHookOptions } from '../../src/durable/options.js';
import type { Check, CheckOutcome } from '../../src/types.js';
import { EVENT, awsError, captureLog, lambdaTarget, mockCodeDeploy } from './codedeploy-mock.js';

export interface ReportCall {
  status: string;
  at: number;
  outcome: 'accepted' | 'already-completed' | 'throttled';
}

export interface WorldOptions {
  /** Reports are throttled until this epoch ms (simulated time). */
  throttleReportsUntil?: number;
  /** Simulated time each throttled answer takes (the world's clock moves on while we wait). */
  throttleCostsMs?: number;
  events?: Record<string, 'InProgress' | 'Succeeded' | 'Failed' | 'Pending'>;
}

export function codeDeployWorld(options: WorldOptions = {}) {
  const events = options.events ?? { BeforeAllowTraffic: 'Succeeded', AfterAllowTraffic: 'InProgress' };
  const cd = mockCodeDeploy({ platform: 'Lambda', events });
  const reports: ReportCall[] = [];
  cd.on(PutLifecycleEventHookExecutionStatusCommand).callsFake((input: { status: string }) => {
    const at = Date.now();
    if (options.throttleReportsUntil !== undefined && at < options.throttleReportsUntil) {
      reports.push({ status: input.status, at, outcome: 'throttled' });
      if (options.throttleCostsMs) advanceClock(options.throttleCostsMs);
      throw awsError('ThrottlingException', 400);
    }
    const first = !reports.some((r) => r.outcome === 'accepted');
    reports.push({ status: input.status, at, outcome: first ? 'accepted' : 'already-completed' });
    if (!first) throw awsError('LifecycleEventAlreadyCompletedException', 400);
    // CodeDeploy now shows the event finished: a later execution for it finds it completed.
    cd.on(GetDeploymentTargetCommand).resolves({ deploymentTarget: lambdaTarget({ ...events, AfterAllowTraffic: input.status as 'Succeeded' | 'Failed' }) });
    return { lifecycleEventHookExecutionId: EVENT.LifecycleEventHookExecutionId };
  });
  return { cd, reports, accepted: () => reports.filter((r) => r.outcome === 'accepted') };
}

/**
 * Moves the simulated clock on without firing timers: the world's time passes
 * (a throttled API answering slowly). The runner's fake clock is private; its
 * setSystemTime is the sinon API the runner installed.
 */
export function advanceClock(ms: number): void {
  const clock = (LocalDurableTestRunner as unknown as { fakeClock?: { setSystemTime(now: number): void } }).fakeClock;
  if (!clock) throw new Error('advanceClock needs setupDurableRunner() (skipTime) first');
  clock.setSystemTime(Date.now() + ms);
}

/** Runs one durable execution of the hook to its end; returns the SDK's test result and the log lines. */
export async function runDurable(options: DurableHookOptions, internals?: DurableHookInternals, payload: unknown = EVENT, wrap?: (h: DurableLambdaHandler) => DurableLambdaHandler) {
  const { lines, log } = captureLog();
  const inner = withDurableExecution(createDurableHookHandler({ log, ...options }, internals));
  const handler = wrap ? wrap(inner) : inner;
  const runner = new LocalDurableTestRunner({ handlerFunction: handler });
  const startedAt = Date.now();
  const execution = await runner.run({ payload });
  return { execution, lines, startedAt, runner };
}

/** A check whose outcome at its n-th run (1-based) comes from `outcomes(n)`; counts its runs. */
export function scriptedCheck(name: string, outcomes: (run: number) => CheckOutcome | Promise<CheckOutcome>, extra: Partial<Check> = {}) {
  const runs: number[] = [];
  const check: Check = {
    name,
    ...extra,
    async run() {
      runs.push(Date.now());
      return outcomes(runs.length);
    },
  };
  return { check, runs };
}

export const passed: CheckOutcome = { state: 'passed', reason: 'fine' };
export const failed: CheckOutcome = { state: 'failed', reason: 'error rate 7% > 1%' };

export const setupDurableRunner = () => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
export const teardownDurableRunner = () => LocalDurableTestRunner.teardownTestEnvironment();
