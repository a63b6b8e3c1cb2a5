/**
 * The hook runner between the event and the report, on a fake clock with an
 * in-process CodeDeploy stub: the time budget it derives from the Lambda
 * context, the shape of every fail-closed verdict, checks given as a
 * function, the debug log, and middy's handler timing. The same paths are
 * exercised end to end (real clock, SDK mock) in adapters.test.ts.
 */
import middy from '@middy/core';
import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineHook } from '../../../src/index.js';
import { codeDeployHook } from '../../../src/middy/index.js';
import type { Check, CheckOutcome, HookOptions, HookVerdict, LambdaContextLike } from '../../../src/types.js';
import { awsError, EVENT, lambdaTarget } from '../../helpers/codedeploy-mock.js';

const T0 = 1_800_000_000_000;
const FAST = { resolveRetry: { attempts: 2, delayMs: 10 } };
type Handler = (event: unknown, context?: LambdaContextLike) => Promise<HookVerdict>;

/** CodeDeploy for a Lambda deployment: `events` as the target shows them; reports recorded with their time. */
function stubCodeDeploy(events: Record<string, string> = { BeforeAllowTraffic: 'InProgress' }, fault?: { getDeployment?: Error; report?: Error }) {
  const reports: { at: number; status?: string }[] = [];
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof GetDeploymentCommand) {
      if (fault?.getDeployment) throw fault.getDeployment;
      return { deploymentInfo: { deploymentId: EVENT.DeploymentId, applicationName: 'app', deploymentGroupName: 'group', computePlatform: 'Lambda', status: 'InProgress', creator: 'user' } };
    }
    if (command instanceof ListDeploymentTargetsCommand) return { targetIds: ['my-fn:live'] };
    if (command instanceof GetDeploymentTargetCommand) return { deploymentTarget: lambdaTarget(events as never) };
    if (command instanceof PutLifecycleEventHookExecutionStatusCommand) {
      reports.push({ at: Date.now() - T0, status: command.input.status });
      if (fault?.report) throw fault.report;
      return {};
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  };
  return { client: { send } as unknown as CodeDeployClient, reports };
}

const passed: CheckOutcome = { state: 'passed', reason: 'fine' };
const pass = (name = 'ok'): Check => ({ name, run: async () => passed });
const context = (remainingMs: number): LambdaContextLike => {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => end - Date.now() };
};

async function settle<T>(pending: Promise<T>): Promise<T> {
  let done = false;
  void pending.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(10);
  return pending;
}

function hook(options: Partial<HookOptions>, cd = stubCodeDeploy()) {
  const lines: Record<string, unknown>[] = [];
  const handler = defineHook({ checks: [pass()], clients: { codeDeploy: cd.client }, log: (l) => lines.push(JSON.parse(l) as Record<string, unknown>), ...FAST, ...options });
  return { handler, lines, reports: cd.reports };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('Runner: the time budget comes from the Lambda context', () => {
  /** The deadline the hook gave its checks, relative to the start. */
  async function checksDeadline(ctx: LambdaContextLike | undefined, options: Partial<HookOptions> = {}): Promise<number> {
    let seen = 0;
    const { handler } = hook({ checks: [{ name: 'spy', run: async (c) => ((seen = c.deadline), passed) }], ...options });
    const start = Date.now();
    await settle(handler(EVENT, ctx));
    return seen - start;
  }

  it('ends the checks the reserve before the Lambda end', async () => {
    expect(await checksDeadline(context(10_000))).toBe(5000);
    expect(await checksDeadline(context(60_000), { reserveMs: 2000 })).toBe(58_000);
  });

  it('falls back to maxDurationMs, then to 900 s, without a usable context', async () => {
    expect(await checksDeadline(undefined, { maxDurationMs: 4000 })).toBe(2000);
    expect(await checksDeadline(undefined)).toBe(895_000);
    const broken: LambdaContextLike[] = [
      {},
      { getRemainingTimeInMillis: () => { throw new Error('no'); } },
      { getRemainingTimeInMillis: () => Number.NaN },
      { getRemainingTimeInMillis: () => Number.POSITIVE_INFINITY },
      { getRemainingTimeInMillis: () => -5 },
      { getRemainingTimeInMillis: () => '3000' as never },
    ];
    for (const ctx of broken) expect(await checksDeadline(ctx, { maxDurationMs: 4000 })).toBe(2000);
  });

  it('takes a context with no time left at its word: nothing passes, nothing is sent', async () => {
    const { handler, reports } = hook({});
    const verdict = await settle(handler(EVENT, { getRemainingTimeInMillis: () => 0 }));
    expect(verdict).toMatchObject({ status: 'Failed', reported: false });
    expect(reports).toEqual([]);
  });
});

describe('Runner: the verdict', () => {
  it('says how long the invocation took, names the metric namespace and leaves no timer running', async () => {
    const slow: Check = { name: 'slow', run: async () => (await new Promise((r) => setTimeout(r, 1234)), passed) };
    const { handler, lines, reports } = hook({ checks: [slow] });
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict).toMatchObject({ status: 'Succeeded', reported: true, reason: 'all 1 enforced checks passed', durationMs: 1234 });
    expect(reports).toEqual([{ at: 1234, status: 'Succeeded' }]);
    const line = lines.find((l) => l.message === 'CodeDeploy hook verdict: Succeeded') as { _aws: { CloudWatchMetrics: { Namespace: string }[] } };
    expect(line._aws.CloudWatchMetrics[0]!.Namespace).toBe('CodeDeployHooks');
    expect(vi.getTimerCount()).toBe(0);

    const custom = hook({ metricsNamespace: 'Team/Hooks' });
    await settle(custom.handler(EVENT, context(10_000)));
    expect((custom.lines.at(-1) as { _aws: { CloudWatchMetrics: { Namespace: string }[] } })._aws.CloudWatchMetrics[0]!.Namespace).toBe('Team/Hooks');
  });

  it('fails closed on bad settings with the error as the reason and no checks', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_RESERVE_MS', 'soon');
    const run = vi.fn(async () => passed);
    const { handler, reports, lines } = hook({ checks: [{ name: 'x', run }] });
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict.status).toBe('Failed');
    expect((lines.at(-1) as { _aws: { CloudWatchMetrics: { Namespace: string }[] } })._aws.CloudWatchMetrics[0]!.Namespace).toBe('CodeDeployHooks');
    expect(verdict.reason).toMatch(/^hook error: OptionsError: .*CODEDEPLOY_HOOKS_RESERVE_MS/);
    expect(verdict.checks).toEqual([]);
    expect(run).not.toHaveBeenCalled();
    expect(reports.map((r) => r.status)).toEqual(['Failed']);
  });

  it('an unresolved deployment fails with no checks and an unknown lifecycle event', async () => {
    const { handler, reports } = hook({}, stubCodeDeploy(undefined, { getDeployment: awsError('AccessDeniedException', 400) }));
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict).toMatchObject({ status: 'Failed', lifecycleEvent: 'unknown', checks: [] });
    expect(verdict.reason.startsWith('could not resolve the deployment: ')).toBe(true);
    expect(verdict.platform).toBeUndefined();
    expect(reports.map((r) => r.status)).toEqual(['Failed']);
  });

  it('a likely duplicate runs no check and says why it sent Failed', async () => {
    const cd = stubCodeDeploy({ BeforeAllowTraffic: 'Succeeded', AfterAllowTraffic: 'Pending' }, { report: awsError('LifecycleEventAlreadyCompletedException', 400) });
    const { handler } = hook({}, cd);
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict).toMatchObject({ status: 'Failed', checks: [], duplicate: true, reported: true, lifecycleEvent: 'BeforeAllowTraffic', platform: 'Lambda' });
    expect(verdict.reason).toBe(
      'no lifecycle event InProgress (last finished: BeforeAllowTraffic Succeeded); likely a duplicate invocation: checks skipped, Failed sent in case it is not; CodeDeploy already had a status for this lifecycle event',
    );
  });

  it('a bypass says so in the reason and runs no check', async () => {
    const { handler } = hook({ bypass: { reason: 'INC-7' } });
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict).toMatchObject({ status: 'Succeeded', reason: 'bypassed: INC-7', checks: [] });
  });

  it('a malformed event is logged as not reported', async () => {
    const { handler, lines } = hook({});
    await expect(handler({ DeploymentId: 'd-1' }, context(10_000))).rejects.toThrow(/LifecycleEventHookExecutionId/);
    expect(lines).toMatchObject([{ level: 'ERROR', error: 'HookEventError', reported: false }]);
  });
});

describe('Runner: checks given as a function', () => {
  it('builds the checks from the resolved context', async () => {
    let seen: unknown;
    const { handler } = hook({ checks: (ctx) => ((seen = ctx.lifecycleEvent), [pass('built')]) });
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(seen).toBe('BeforeAllowTraffic');
    expect(verdict).toMatchObject({ status: 'Succeeded', checks: [{ name: 'built', state: 'passed' }] });
  });

  it('fails closed, with no checks, when the builder throws or returns something else', async () => {
    const throws = hook({ checks: () => { throw new TypeError('nope'); } });
    expect(await settle(throws.handler(EVENT, context(10_000)))).toMatchObject({ status: 'Failed', reason: 'could not build the checks: TypeError: nope', checks: [] });
    const junk = hook({ checks: () => 'checks' as never });
    const verdict = await settle(junk.handler(EVENT, context(10_000)));
    expect(verdict).toMatchObject({ status: 'Failed', checks: [] });
    expect(verdict.reason.startsWith('could not build the checks: OptionsError')).toBe(true);
  });

  it('fails closed at the deadline when the builder never returns', async () => {
    const { handler, reports } = hook({ checks: () => new Promise<never>(() => {}) });
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict).toMatchObject({ status: 'Failed', reason: 'could not build the checks: Error: the checks function did not return before the hook deadline', checks: [] });
    expect(reports).toEqual([{ at: 5000, status: 'Failed' }]);
  });
});

describe('Runner: debug log', () => {
  const chatty: Check = { name: 'chatty', run: async (ctx) => (ctx.log.debug('probing', { url: '/health' }), passed) };

  it('writes a check\'s debug lines only when CODEDEPLOY_HOOKS_DEBUG is set', async () => {
    const quiet = hook({ checks: [chatty] });
    await settle(quiet.handler(EVENT, context(10_000)));
    expect(quiet.lines.filter((l) => l.level === 'DEBUG')).toEqual([]);
    vi.stubEnv('CODEDEPLOY_HOOKS_DEBUG', '1');
    const loud = hook({ checks: [chatty] });
    await settle(loud.handler(EVENT, context(10_000)));
    expect(loud.lines.filter((l) => l.level === 'DEBUG')).toEqual([{ level: 'DEBUG', message: 'probing', url: '/health', timestamp: expect.stringMatching(/^2027-/) }]);
  });
});

describe('Adapter: middy handler timing (fake clock)', () => {
  function middyHook(options: Partial<HookOptions>, handler: () => Promise<unknown>) {
    const cd = stubCodeDeploy();
    const wrapped = middy({ timeoutEarlyInMillis: 0 })
      .use(codeDeployHook({ checks: [pass()], clients: { codeDeploy: cd.client }, log: () => {}, ...FAST, ...options }))
      .handler(handler) as unknown as Handler;
    return { handler: wrapped, reports: cd.reports };
  }
  const after = (ms: number, value?: unknown) => () => new Promise((r) => setTimeout(() => r(value), ms));

  it('a slow handler that finishes before the deadline (end − reserveMs) passes, timed', async () => {
    const { handler, reports } = middyHook({ reserveMs: 2000 }, after(6000));
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict.status).toBe('Succeeded');
    expect(verdict.checks[0]).toEqual({ name: 'handler', state: 'passed', reason: 'handler returned', enforced: true, durationMs: 6000, attempts: 1 });
    expect(reports).toEqual([{ at: 6000, status: 'Succeeded' }]);
  });

  it('a handler still running at the deadline fails then, with the reason', async () => {
    const { handler, reports } = middyHook({ reserveMs: 2000 }, after(9000));
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict.checks[0]).toMatchObject({ name: 'handler', state: 'failed', reason: "deadline: the handler did not finish before the hook's time budget ran out", durationMs: 8000 });
    expect(reports).toEqual([{ at: 8000, status: 'Failed' }]);
  });

  it('keeps the details of an outcome the handler returned', async () => {
    const { handler } = middyHook({}, after(0, { state: 'passed', reason: 'smoke ok', details: { requests: 3 } }));
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict.checks[0]).toMatchObject({ name: 'handler', state: 'passed', reason: 'smoke ok', details: { requests: 3 } });
    const plain = middyHook({}, after(0, { state: 'passed', reason: 'smoke ok' }));
    expect('details' in (await settle(plain.handler(EVENT, context(10_000)))).checks[0]!).toBe(false);
  });

  it('names the handler when what it returned is not an outcome', async () => {
    const { handler } = middyHook({}, after(0, { ok: true }));
    const verdict = await settle(handler(EVENT, context(10_000)));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[0]!.reason.startsWith('handler returned an invalid outcome')).toBe(true);
  });
});
